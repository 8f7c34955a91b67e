package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/internal/netlab"
)

// firefoxStep is one line printed by testdata/firefox_call.js.
type firefoxStep struct {
	Step    string `json:"step"`
	Error   string `json:"error"`
	Firefox string `json:"firefox"`
	Frames  int    `json:"frames"`
	Audio   int    `json:"audio"`
	History string `json:"history"`
}

// firefoxOrSkip returns the playwright-core directory, skipping the test
// when Firefox ESR, node or playwright-core 1.56.1 is missing (failing when
// CI is set: scripts/test installs them).
func firefoxOrSkip(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SWITCHBOARD_PLAYWRIGHT_DIR")
	missing := ""
	switch {
	case dir == "":
		missing = "SWITCHBOARD_PLAYWRIGHT_DIR (playwright-core 1.56.1, scripts/test installs it)"
	case fileMissing(filepath.Join(dir, "node_modules", "playwright-core")):
		missing = "playwright-core in " + dir
	case fileMissing("/usr/bin/firefox-esr"):
		missing = "firefox-esr (apt-get install -y firefox-esr)"
	}
	if _, err := exec.LookPath("node"); err != nil && missing == "" {
		missing = "node"
	}
	if missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %s is missing", missing)
		}
		t.Skipf("Firefox test needs %s", missing)
	}
	return dir
}

func fileMissing(p string) bool {
	_, err := os.Stat(p)
	return err != nil
}

// TestFirefoxCallsChromium: Firefox ESR (Debian's, driven by
// playwright-core's BiDi Firefox) in its own namespace calls Chromium in
// another, through the bundled page: it rings, Chromium accepts, video and
// audio flow both ways, Chromium hangs up and both are back home with an
// ended call in their history. Firefox gathers no loopback candidates,
// which is why it needs the namespaces.
func TestFirefoxCallsChromium(t *testing.T) {
	pwDir := firefoxOrSkip(t)
	lab := netlab.New(t)
	lan := lab.LAN()
	srvNS, ffNS, chNS := lab.Namespace("srv"), lab.Namespace("firefox"), lab.Namespace("chromium")
	sp := lan.Plug(srvNS)
	lan.Plug(ffNS)
	lan.Plug(chNS)
	srv := startNetServer(t, srvNS, sp.Addr)
	bob := newNSBrowser(t, chNS, srv.url).person("Bob")
	bob.signIn(srv.url, "Bob")

	firefoxCalls(t, pwDir, ffNS, srv.url, bob)
}

// TestFirefoxOnTheDevServer: the README's first command on a laptop, and
// Firefox as one of the two windows. `switchboard serve --dev` (the binary,
// unchanged defaults) runs in a namespace that stands for the laptop: a
// loopback and one LAN address, as a real machine has. Firefox and Chromium
// in that namespace open http://127.0.0.1:7880 and call each other. Firefox
// gathers no loopback candidate and takes no media from 127.0.0.1: the dev
// server used to bind its media to 127.0.0.1 alone, and Firefox's calls got
// no media at all. It now binds every address and answers this host only.
// First, before the laptop has a default route, Firefox finds no address to
// connect from at all: its page must say so and keep the call (it used to
// open a new socket, which aborted the join: "Could not join the call: the
// connection dropped before the reply"). Then, with the route, the call.
func TestFirefoxOnTheDevServer(t *testing.T) {
	pwDir := firefoxOrSkip(t)
	bin := filepath.Join(t.TempDir(), "switchboard")
	// -race: the packages are built so for the tests already (and a race is caught)
	if out, err := exec.Command("go", "build", "-race", "-o", bin, "../../cmd/switchboard").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	lab := netlab.New(t)
	laptop := lab.Namespace("laptop")
	lan := lab.LAN().Plug(laptop)
	url := startDevServer(t, laptop, bin)
	// a Chromium as people run it: no loopback candidates either
	bob := newNSBrowser(t, laptop, url, chromedp.Flag("allow-loopback-in-peer-connection", false)).person("Bob")
	bob.signIn(url, "Bob")

	next, wait := startFirefox(t, pwDir, laptop, url, "bob", "offline")
	next("ringing")
	bob.waitScreen("incoming")
	bob.click("incoming-accept")
	bob.waitScreen("call")
	if got := next("warned").History; !strings.HasPrefix(got, "call") {
		t.Errorf("Firefox without an address: its page shows %q, want the call screen and the warning", got)
	}
	bob.click("btn-hangup")
	bob.waitScreen("home")
	next("home")
	wait()

	lan.DefaultRoute()
	firefoxCalls(t, pwDir, laptop, url, bob)
}

// startDevServer runs `bin serve --dev` in ns (its data in a temporary
// directory) and returns the URL its banner names; it is stopped (SIGTERM)
// when the test ends, and its output shown if the test failed.
func startDevServer(t *testing.T, ns *netlab.Namespace, bin string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := ns.Command(context.Background(), bin, "serve", "--dev", "--db", filepath.Join(dir, "switchboard.db"))
	cmd.Dir = dir
	for _, kv := range os.Environ() { // the tests' own SWITCHBOARD_* would be refused as config
		if !strings.HasPrefix(kv, "SWITCHBOARD_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var errOut logbuf.Buffer
	cmd.Stderr = &errOut
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve --dev after SIGTERM: %v", err)
		}
		if t.Failed() {
			t.Logf("serve --dev's log (last lines):\n%s", lastLines(errOut.String(), 200))
		}
	})
	urls := make(chan string, 1)
	go func() {
		defer close(urls)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "open:"); ok {
				urls <- strings.TrimSpace(u) + "/"
			}
		}
	}()
	select {
	case u, ok := <-urls:
		if !ok {
			t.Fatalf("serve --dev stopped before it printed a URL:\n%s", errOut.String())
		}
		return u
	case <-time.After(30 * time.Second):
		t.Fatalf("serve --dev printed no URL in 30 s:\n%s", errOut.String())
		return ""
	}
}

// firefoxCalls has Firefox ESR (testdata/firefox_call.js, in ffNS) sign in
// as Alice at url and call bob, who is signed in on Chromium: it rings,
// bob accepts, video and audio flow both ways, bob hangs up and both are
// back home with an ended call in their history.
func firefoxCalls(t *testing.T, pwDir string, ffNS *netlab.Namespace, url string, bob *person) {
	t.Helper()
	next, wait := startFirefox(t, pwDir, ffNS, url, "bob")
	t.Logf("Firefox %s signed in", next("signedIn").Firefox)
	next("ringing")
	bob.waitScreen("incoming")
	if got := bob.text("incoming-caller"); got != "Alice" {
		t.Errorf("Chromium's incoming screen names %q, want Alice", got)
	}
	bob.click("incoming-accept")
	bob.waitScreen("call")
	f := bob.waitMedia(1, 1)
	m := next("media")
	t.Logf("Chromium decodes Firefox's video (%v frames so far); Firefox decoded %d new frames and %d audio packets of Chromium's", f.Frames, m.Frames, m.Audio)
	if m.Frames < 10 || m.Audio < 10 {
		t.Fatalf("Firefox receives %d frames, %d audio packets from Chromium", m.Frames, m.Audio)
	}
	bob.click("btn-hangup")
	bob.waitScreen("home")
	if h := next("home").History; h != "ended" {
		t.Errorf("Firefox's history shows %q, want ended", h)
	}
	wait()
	if row := bob.waitHistory("ended"); row.Direction != "incoming" {
		t.Errorf("Chromium's history: %+v", row)
	}
}

// startFirefox runs testdata/firefox_call.js (Firefox ESR on the bundled
// page, as Alice, calling callee; mode "offline" or none) in ns. next waits
// for the step it names, failing the test on an error step or an early end;
// wait waits for the script's end.
func startFirefox(t *testing.T, pwDir string, ns *netlab.Namespace, url, callee string, mode ...string) (next func(string) firefoxStep, wait func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	path, err := filepath.Abs("testdata/firefox_call.js")
	if err != nil {
		t.Fatal(err)
	}
	cmd := ns.Command(ctx, "node", append([]string{path, url, callee}, mode...)...)
	cmd.Env = append(os.Environ(), "SWITCHBOARD_PLAYWRIGHT_DIR="+pwDir, "HOME="+t.TempDir())
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	steps := make(chan firefoxStep, 16)
	go func() {
		defer close(steps)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var s firefoxStep
			if json.Unmarshal(sc.Bytes(), &s) == nil {
				steps <- s
			}
		}
	}()
	next = func(want string) firefoxStep {
		t.Helper()
		for s := range steps {
			if s.Error != "" {
				t.Fatalf("Firefox: %s", s.Error)
			}
			if s.Step == want {
				return s
			}
		}
		t.Fatalf("Firefox ended before %q", want)
		return firefoxStep{}
	}
	wait = func() {
		t.Helper()
		if err := cmd.Wait(); err != nil {
			t.Fatalf("Firefox driver: %v", err)
		}
	}
	return next, wait
}
