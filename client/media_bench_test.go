package client

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/rtp"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// The loopback benchmark runs the SFU in a child process (this test binary
// re-executed as TestSFUHelperProcess) so that its CPU time and heap are
// measured apart from the Pion clients driving it.
const helperEnv = "SWITCHBOARD_SFU_HELPER"

// TestSFUHelperProcess is not a test: it is the SFU process of
// BenchmarkLoopbackFanout. It prints its URL, then answers "stats" lines on
// stdin with "cpu_us heap_bytes" until stdin closes.
func TestSFUHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("helper process for BenchmarkLoopbackFanout")
	}
	cfg := sfu.DefaultConfig()
	cfg.BindAddress, cfg.UDPPort, cfg.TCPPort = "127.0.0.1", 0, 0
	cfg.IncludeLoopback, cfg.DisableMDNS, cfg.MaxParticipants = true, true, 1000
	srv, err := sfu.New(cfg, sfu.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uid, session, _ := strings.Cut(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), "@")
		ws, err := websocket.Accept(w, r, nil)
		if err == nil {
			srv.Serve(r.Context(), ws, sfu.Participant{SessionID: session, UID: uid})
		}
	}))
	if path := os.Getenv(helperEnv + "_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Println("URL", hs.URL)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		runtime.GC()
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		cpu := ru.Utime.Sec*1e6 + ru.Utime.Usec + ru.Stime.Sec*1e6 + ru.Stime.Usec
		fmt.Println(cpu, ms.HeapAlloc)
	}
	_ = srv.Close()
	hs.Close()
}

type sfuProcess struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
	url string
}

func startSFUProcess(b *testing.B) *sfuProcess {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSFUHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &sfuProcess{cmd: cmd, in: in, out: bufio.NewScanner(outPipe)}
	for p.out.Scan() {
		if u, ok := strings.CutPrefix(p.out.Text(), "URL "); ok {
			p.url = u
			return p
		}
	}
	b.Fatal("SFU helper process printed no URL")
	return nil
}

// stats returns the SFU process's CPU time (µs) and live heap after a GC.
func (p *sfuProcess) stats(b *testing.B) (cpuUS, heap int64) {
	if _, err := io.WriteString(p.in, "stats\n"); err != nil {
		b.Fatal(err)
	}
	for p.out.Scan() {
		f := strings.Fields(p.out.Text())
		if len(f) == 2 {
			cpuUS, _ = strconv.ParseInt(f[0], 10, 64)
			heap, _ = strconv.ParseInt(f[1], 10, 64)
			return cpuUS, heap
		}
	}
	b.Fatal("SFU helper process died")
	return 0, 0
}

func (p *sfuProcess) stop() {
	_ = p.in.Close()
	_ = p.cmd.Wait()
}

// latencies collects one subscriber's publish-to-arrival times.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
	on bool
}

func (l *latencies) add(p *rtp.Packet, at time.Time) {
	if len(p.Payload) < 8 {
		return
	}
	sent := int64(binary.BigEndian.Uint64(p.Payload))
	l.mu.Lock()
	if l.on {
		l.d = append(l.d, time.Duration(at.UnixNano()-sent))
	}
	l.mu.Unlock()
}

// BenchmarkLoopbackFanout: one publisher sends 1200-byte VP8 packets at
// 500 packets/s through a real SFU (separate process, 127.0.0.1) to N
// subscribers (Pion clients in this process). One op is one published
// packet. Reported: server CPU µs per forwarded packet, server heap per
// subscriber, median publish-to-arrival latency, delivered share.
// Run with a fixed count, e.g. -benchtime=3000x.
func BenchmarkLoopbackFanout(b *testing.B) {
	for _, subs := range []int{1, 50, 100} {
		b.Run(fmt.Sprintf("subs=%d", subs), func(b *testing.B) { benchFanout(b, subs) })
	}
}

func benchFanout(b *testing.B, subs int) {
	proc := startSFUProcess(b)
	defer proc.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, heap0 := proc.stats(b)
	pub, err := JoinSession(ctx, proc.url, "pub@bench", MediaOptions{Video: "vp8", Loopback: true})
	if err != nil {
		b.Fatal(err)
	}
	defer pub.Close()
	lats := make([]*latencies, subs)
	sessions := make([]*Session, subs)
	for i := range subs {
		l := &latencies{}
		lats[i] = l
		s, err := JoinSession(ctx, proc.url, fmt.Sprintf("sub%d@bench", i), MediaOptions{Loopback: true,
			OnPacket: func(_ *RemoteTrack, p *rtp.Packet, at time.Time) { l.add(p, at) }})
		if err != nil {
			b.Fatal(err)
		}
		sessions[i] = s
		defer s.Close()
	}
	video := pub.LocalTracks()[0]
	payload := make([]byte, 1200)
	send := func(seq int) {
		binary.BigEndian.PutUint64(payload, uint64(time.Now().UnixNano()))
		_ = video.Write(payload, 3000, seq%4 == 0)
	}
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for i := 0; !allReceiving(sessions); i++ { // warm up until every subscriber gets media
		<-tick.C
		send(i)
	}
	_, heap1 := proc.stats(b)
	for _, l := range lats {
		l.mu.Lock()
		l.on = true
		l.mu.Unlock()
	}
	// The server's CPU with everyone connected and nothing sent: ICE
	// keepalives, RTCP report tickers, timers of 2*subs PeerConnections.
	idle0, _ := proc.stats(b)
	start := time.Now()
	time.Sleep(time.Second) // measuring an idle interval, not waiting for an outcome
	idle1, _ := proc.stats(b)
	idlePerSec := float64(idle1-idle0) / time.Since(start).Seconds()
	cpu0, _ := proc.stats(b)
	start = time.Now()
	b.ResetTimer()
	for i := range b.N {
		<-tick.C
		send(i)
	}
	b.StopTimer()
	time.Sleep(100 * time.Millisecond) // let the last packets land before reading the figures
	cpu1, _ := proc.stats(b)
	busy := float64(cpu1 - cpu0)
	b.ReportMetric((busy-idlePerSec*time.Since(start).Seconds())/float64(b.N*subs), "srv-cpu-µs/fwd-minus-idle")
	b.ReportMetric(idlePerSec/1e4, "srv-idle-cpu%")
	reportFanout(b, subs, cpu1-cpu0, heap1-heap0, lats)
}

func allReceiving(sessions []*Session) bool {
	for _, s := range sessions {
		ts := s.RemoteTracks()
		if len(ts) == 0 || ts[0].Packets() == 0 {
			return false
		}
	}
	return true
}

func reportFanout(b *testing.B, subs int, cpuUS, heap int64, lats []*latencies) {
	var all []time.Duration
	for _, l := range lats {
		l.mu.Lock()
		all = append(all, l.d...)
		l.mu.Unlock()
	}
	slices.Sort(all)
	fwd := float64(b.N * subs)
	b.ReportMetric(float64(cpuUS)/fwd, "srv-cpu-µs/fwd")
	b.ReportMetric(float64(heap)/float64(subs)/1024, "srv-heap-KB/sub")
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.ReportMetric(float64(len(all))/fwd*100, "delivered%")
}
