package sfu_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// The watchers benchmark runs the SFU in a child process (this test binary
// re-executed as TestWatchersHelperProcess) so that its heap and goroutines
// are its own, not the Pion clients'.
const watchersHelperEnv = "SWITCHBOARD_SFU_WATCHERS_HELPER"

// TestWatchersHelperProcess is not a test: it is the SFU process of
// BenchmarkIdleWatchers. It prints its URL, then answers each stdin line
// with "heap_bytes goroutines cpu_ns_before cpu_ns_after" around a GC; a line "heap PATH" also
// writes a heap profile there, "cpu PATH" starts a CPU profile and
// "cpustop" ends it.
func TestWatchersHelperProcess(t *testing.T) {
	if os.Getenv(watchersHelperEnv) != "1" {
		t.Skip("helper process for BenchmarkIdleWatchers")
	}
	if os.Getenv(watchersHelperEnv+"_PROFILE") != "" {
		runtime.MemProfileRate = 1
	}
	cfg := sfu.DefaultConfig()
	cfg.BindAddress, cfg.UDPPort, cfg.TCPPort = "127.0.0.1", 0, 0
	cfg.IncludeLoopback, cfg.DisableMDNS, cfg.MaxParticipants = true, true, 1000
	srv, err := sfu.New(cfg, sfu.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uid, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ws, err := websocket.Accept(w, r, nil); err == nil {
			srv.Serve(r.Context(), ws, sfu.Participant{SessionID: "call", UID: uid})
		}
	}))
	fmt.Println("URL", hs.URL)
	for in := bufio.NewScanner(os.Stdin); in.Scan(); {
		before := cpuTime()
		runtime.GC()
		runtime.GC() // the second frees what the first's finalizers and pools let go
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if path, ok := strings.CutPrefix(in.Text(), "cpu "); ok {
			if f, err := os.Create(path); err == nil {
				defer f.Close()
				_ = pprof.StartCPUProfile(f)
			}
		}
		if in.Text() == "cpustop" {
			pprof.StopCPUProfile()
		}
		if path, ok := strings.CutPrefix(in.Text(), "heap "); ok {
			if f, err := os.Create(path); err == nil {
				_ = pprof.Lookup("heap").WriteTo(f, 0)
				_ = f.Close()
			}
		}
		fmt.Println(ms.HeapAlloc, runtime.NumGoroutine(), before, cpuTime())
	}
	_ = srv.Close()
	hs.Close()
}

// cpuTime is the process's CPU time in ns.
func cpuTime() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// watchersChild is the SFU child process of BenchmarkIdleWatchers.
type watchersChild struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
	url string
}

func startWatchersChild(b *testing.B, profile bool) *watchersChild {
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchersHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), watchersHelperEnv+"=1")
	if profile {
		cmd.Env = append(cmd.Env, watchersHelperEnv+"_PROFILE=1")
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	c := &watchersChild{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	for c.out.Scan() {
		if u, ok := strings.CutPrefix(c.out.Text(), "URL "); ok {
			c.url = u
			return c
		}
	}
	b.Fatal("SFU helper process printed no URL")
	return nil
}

// childStats is the child's live heap and goroutines after a GC and its
// CPU time (ns) before and after that GC.
type childStats struct{ heap, goroutines, cpuBefore, cpuAfter int64 }

// stats asks the child for its stats, sending line.
func (c *watchersChild) stats(b *testing.B, line string) childStats {
	if _, err := io.WriteString(c.in, line+"\n"); err != nil {
		b.Fatal(err)
	}
	var s childStats
	for c.out.Scan() {
		if n, _ := fmt.Sscan(c.out.Text(), &s.heap, &s.goroutines, &s.cpuBefore, &s.cpuAfter); n == 4 {
			return s
		}
	}
	b.Fatal("SFU helper process died")
	return s
}

func (c *watchersChild) stop() {
	_ = c.in.Close()
	_ = c.cmd.Wait()
}

// BenchmarkIdleWatchers: one publisher (audio + video) and N watchers in a
// call; reported per watcher after a forced GC: live heap of the SFU process
// and its goroutines; and the SFU's idle CPU (everyone connected, nothing
// sent) in % of one core. The ops count nothing: run it with -benchtime=1x.
// SWITCHBOARD_SFU_HEAPPROFILE=/tmp/w.pprof writes heap profiles (before the
// watchers: PATH.base) at MemProfileRate 1, for `go tool pprof -base`;
// SWITCHBOARD_SFU_CPUPROFILE=/tmp/idle.pprof profiles the idle interval.
func BenchmarkIdleWatchers(b *testing.B) {
	const watchers = 100
	profile := os.Getenv("SWITCHBOARD_SFU_HEAPPROFILE")
	child := startWatchersChild(b, profile != "")
	defer child.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pub, err := client.JoinSession(ctx, child.url, "camera", client.MediaOptions{Audio: true, Video: "vp8", Loopback: true})
	if err != nil {
		b.Fatal(err)
	}
	defer pub.Close()
	payload := make([]byte, 1000)
	send := func(i int) { _ = pub.LocalTracks()[1].Write(payload, 3000, i%5 == 4) }
	for i := range 300 { // fill the up-track's NACK cache before the baseline
		send(i)
	}
	heapLine := "stats"
	if profile != "" {
		heapLine = "heap " + profile + ".base"
	}
	base := child.stats(b, heapLine)
	sessions := make([]*client.Session, watchers)
	for i := range sessions {
		s, err := client.JoinSession(ctx, child.url, fmt.Sprintf("watcher%d", i), client.MediaOptions{Loopback: true})
		if err != nil {
			b.Fatal(err)
		}
		sessions[i] = s
		defer s.Close()
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for i := 0; !everyoneReceives(sessions); i++ { // every watcher's transport is up
		select {
		case <-tick.C:
			send(i)
		case <-ctx.Done():
			b.Fatal("watchers never all received the video")
		}
	}
	if profile != "" {
		heapLine = "heap " + profile
	}
	cpuLine := "stats"
	if path := os.Getenv("SWITCHBOARD_SFU_CPUPROFILE"); path != "" {
		cpuLine = "cpu " + path
	}
	idle0 := child.stats(b, cpuLine)
	time.Sleep(5 * time.Second) // measuring an idle interval, not waiting for an outcome
	idle1 := child.stats(b, "cpustop")
	end := child.stats(b, heapLine)
	b.ReportMetric(float64(end.heap-base.heap)/watchers/1024, "heap-KB/watcher")
	b.ReportMetric(float64(end.goroutines-base.goroutines)/watchers, "goroutines/watcher")
	b.ReportMetric(float64(idle1.cpuBefore-idle0.cpuAfter)/5e9*100, "idle-cpu%")
}

func everyoneReceives(sessions []*client.Session) bool {
	for _, s := range sessions {
		got := false
		for _, t := range s.RemoteTracks() {
			got = got || t.Packets() > 0
		}
		if !got {
			return false
		}
	}
	return true
}
