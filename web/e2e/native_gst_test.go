package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// systemPython is Debian's interpreter, which has python3-gi (a pyenv or
// venv python3 on PATH usually does not).
const systemPython = "/usr/bin/python3"

// gstClientPath is the reference native client, relative to this package.
var gstClientPath = filepath.Join("..", "..", "native", "gstclient", "gstclient.py")

// gstPackages are the Debian packages the GStreamer client needs
// (scripts/test installs them).
const gstPackages = "gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad " +
	"gstreamer1.0-nice python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-plugins-bad-1.0 " +
	"gir1.2-nice-0.1 gir1.2-soup-3.0"

var (
	gstCheckOnce sync.Once
	gstMissing   string // why GStreamer cannot run here; "" when it can
)

// needGStreamer skips the test when the GStreamer client cannot run here,
// unless CI is set, where that is a failure.
func needGStreamer(t testing.TB) {
	t.Helper()
	gstCheckOnce.Do(func() {
		out, err := exec.Command(systemPython, gstClientPath, "--check").CombinedOutput()
		if err != nil {
			gstMissing = fmt.Sprintf("%s %s --check: %v: %s", systemPython, gstClientPath, err, lastLines(string(out), 5))
		}
	})
	if gstMissing == "" {
		return
	}
	if os.Getenv("CI") == "" {
		t.Skipf("GStreamer client cannot run (apt-get install -y %s); skipping native tests: %s", gstPackages, gstMissing)
	}
	t.Fatalf("CI is set and the GStreamer client cannot run: scripts/test installs it (apt-get install -y %s): %s", gstPackages, gstMissing)
}

// gstEvent is one JSON line the GStreamer client reported.
type gstEvent struct {
	Ev        string                    `json:"ev"`
	At        float64                   `json:"at"` // unix ms
	UID       string                    `json:"uid"`
	SessionID string                    `json:"sessionId"`
	Status    string                    `json:"status"`
	Reason    string                    `json:"reason"`
	Where     string                    `json:"where"`
	Message   string                    `json:"message"`
	FrameAt   float64                   `json:"frameAt"`
	Remotes   map[string]remoteReceived `json:"remotes"`
	raw       string
}

// remoteReceived is what arrived from one other participant in the
// measuring window.
type remoteReceived struct {
	VideoFrames  int `json:"videoFrames"`  // decoded
	AudioPackets int `json:"audioPackets"` // RTP packets
}

// gstClient is one running GStreamer client process.
type gstClient struct {
	t    testing.TB
	name string
	cmd  *exec.Cmd
	in   io.WriteCloser

	events   chan gstEvent // every event, in order
	stopOnce sync.Once

	mu     sync.Mutex
	stderr bytes.Buffer
	seen   []string // every line, for failure messages
	exit   string   // how the process ended, once stopped
}

// startGst starts the client with the auth token and arguments (see
// gstclient.py --help). It is stopped (stdin closed, then killed) at cleanup.
func startGst(t testing.TB, name, baseURL, token string, args ...string) *gstClient {
	t.Helper()
	needGStreamer(t)
	argv := append([]string{"-u", "-X", "faulthandler", gstClientPath, "--server", baseURL, "--loopback", "--timeout", "90"}, args...)
	cmd := exec.Command(systemPython, argv...)
	cmd.Env = append(os.Environ(), "SWITCHBOARD_TOKEN="+token)
	g := &gstClient{t: t, name: name, cmd: cmd, events: make(chan gstEvent, 256)}
	cmd.Stderr = &lockedWriter{mu: &g.mu, w: &g.stderr}
	if os.Getenv("GSTCLIENT_DEBUG") != "" { // the client's SDP and steps, as they happen
		cmd.Stderr = io.MultiWriter(cmd.Stderr, prefixWriter{name: name, w: os.Stderr})
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	g.in = in
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: start %s: %v", name, gstClientPath, err)
	}
	go g.read(out)
	t.Cleanup(func() {
		g.stop()
		if t.Failed() {
			t.Logf("what %s said:\n%s", name, g.describe())
		}
	})
	return g
}

func (g *gstClient) read(out io.Reader) {
	defer close(g.events)
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		g.mu.Lock()
		g.seen = append(g.seen, line)
		g.mu.Unlock()
		var e gstEvent
		if json.Unmarshal([]byte(line), &e) != nil {
			continue
		}
		e.raw = line
		g.events <- e
	}
}

// stop closes stdin (the client quits) and waits; a client that does not
// exit within 5 s is killed.
func (g *gstClient) stop() { g.stopOnce.Do(g.stopNow) }

func (g *gstClient) stopNow() {
	_ = g.in.Close()
	done := make(chan error, 1)
	go func() {
		for range g.events { // drain so the reader can finish
		}
		done <- g.cmd.Wait()
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		_ = g.cmd.Process.Kill()
		err = <-done
	}
	g.mu.Lock()
	g.exit = fmt.Sprint(err)
	g.mu.Unlock()
}

// send writes a command line ("hangup", "log", "quit").
func (g *gstClient) send(cmd string) {
	g.t.Helper()
	if _, err := io.WriteString(g.in, cmd+"\n"); err != nil {
		g.t.Fatalf("%s: send %q: %v\n%s", g.name, cmd, err, g.describe())
	}
}

// wait returns the next event named ev, failing on an "error" event, on
// exit, or after timeout.
func (g *gstClient) wait(ev string, timeout time.Duration) gstEvent {
	g.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case e, ok := <-g.events:
			if !ok {
				g.t.Fatalf("%s: exited while waiting for %q\n%s", g.name, ev, g.describe())
			}
			if e.Ev == "error" {
				g.t.Fatalf("%s: error (%s) while waiting for %q: %s\n%s", g.name, e.Where, ev, e.Message, g.describe())
			}
			if e.Ev == ev {
				return e
			}
		case <-deadline.C:
			g.t.Fatalf("%s: no %q within %v\n%s", g.name, ev, timeout, g.describe())
		}
	}
}

// describe is what the client said, for failure messages.
func (g *gstClient) describe() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return fmt.Sprintf("  %s stdout:\n    %s\n  %s stderr (last lines):\n    %s\n  exit: %s", g.name,
		strings.Join(g.seen, "\n    "), g.name, strings.ReplaceAll(lastLines(g.stderr.String(), 25), "\n", "\n    "), g.exit)
}

// steps lists the client's events so far in ms after t0 (unix ms).
func (g *gstClient) steps(t0 float64) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for _, line := range g.seen {
		var e struct {
			Ev     string  `json:"ev"`
			At     float64 `json:"at"`
			Target string  `json:"target"`
			State  string  `json:"state"`
			Kind   string  `json:"kind"`
		}
		if json.Unmarshal([]byte(line), &e) != nil || e.At < t0-1000 {
			continue
		}
		name := e.Ev
		for _, x := range []string{e.Target, e.State, e.Kind} {
			if x != "" {
				name += "." + x
			}
		}
		out = append(out, fmt.Sprintf("%s=%.0f", name, e.At-t0))
	}
	return strings.Join(out, " ")
}

// checkReceived fails unless each of the uids sent at least 50 decoded video
// frames and 100 audio packets in the 5 s window.
func checkReceived(t testing.TB, who string, got map[string]remoteReceived, uids ...string) {
	t.Helper()
	t.Logf("%s received in 5 s: %+v", who, got)
	for _, uid := range uids {
		r, ok := got[uid]
		if !ok {
			t.Errorf("%s received nothing from %s (got %v)", who, uid, got)
			continue
		}
		if r.VideoFrames < 50 || r.AudioPackets < 100 {
			t.Errorf("%s received %d decoded video frames and %d audio packets from %s in 5 s, want >= 50 and >= 100",
				who, r.VideoFrames, r.AudioPackets, uid)
		}
	}
}

// prefixWriter writes each chunk with the client's name in front.
type prefixWriter struct {
	name string
	w    io.Writer
}

func (p prefixWriter) Write(b []byte) (int, error) {
	_, err := fmt.Fprintf(p.w, "[%s] %s", p.name, b)
	return len(b), err
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// signInToken creates the user in the store and returns an auth token, as
// an app's own backend would hand one to its mobile client.
func (s *server) signInToken(uid, name string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.app.Store().UpsertUser(ctx, store.User{UID: uid, Name: name}); err != nil {
		s.t.Fatal(err)
	}
	tok, err := s.app.Tokens().MintAuth(uid, name, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	return tok
}
