package client

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/switchboard-rtc/switchboard/internal/netlab"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// frameGaps follows when each frame of a subscriber's video ended (the
// marker bit) and counts freezes: more than 500 ms without a new frame.
type frameGaps struct {
	mu      sync.Mutex
	last    time.Time
	freezes int
	maxGap  time.Duration
}

func (g *frameGaps) add(p *rtp.Packet, at time.Time) {
	if !p.Marker {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.last.IsZero() {
		gap := at.Sub(g.last)
		g.maxGap = max(g.maxGap, gap)
		if gap > 500*time.Millisecond {
			g.freezes++
		}
	}
	g.last = at
}

// reset starts counting afresh (the window being judged).
func (g *frameGaps) reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.freezes, g.maxGap = 0, 0
}

func (g *frameGaps) read() (int, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.freezes, g.maxGap
}

// TestSimulcastCappedSubscriberSettlesLow: one simulcast publisher (three
// layers: ~110, ~290 and ~720 kbit/s) and three subscribers, each in its
// own namespace. Bob's downlink is capped at 300 kbit/s with tc tbf: the
// server's estimate of his link falls and he settles on the low layer,
// while Carl and Dina stay on the high one; lifting the cap brings Bob
// back up. The times and Bob's freezes are logged (targets: low layer
// within 5 s, at most 1 freeze a minute, back up within 10 s); the test
// fails only when a step does not happen within 45 s or the others leave
// the high layer. Their quality rows in the call log show bob's lower
// bitrate.
func TestSimulcastCappedSubscriberSettlesLow(t *testing.T) {
	nc := newNetSFU(t, nil)
	pubNS := nc.lab.Namespace("alice")
	nc.lan.Plug(pubNS)
	alice := nc.join(t, "alice", "cap", nsOptions(t, pubNS, MediaOptions{Video: "vp8", Simulcast: true}))
	names := []string{"bob", "carl", "dina"}
	got := make([]*received, len(names))
	gaps := make([]*frameGaps, len(names))
	peers := make([]*peer, len(names))
	ql := watchQuality(nc.testSFU)
	var bobPort *netlab.Port
	for i, name := range names {
		ns := nc.lab.Namespace(name)
		port := nc.lan.Plug(ns)
		if i == 0 {
			bobPort = port
		}
		r, g := &received{lossy: i == 0}, &frameGaps{} // bob's capped link drops packets
		got[i], gaps[i] = r, g
		peers[i] = nc.join(t, name, "cap", nsOptions(t, ns, MediaOptions{OnPacket: func(_ *RemoteTrack, p *rtp.Packet, at time.Time) {
			r.add("vp8", p)
			g.add(p, at)
		}}))
	}
	pumpSimulcast(t, alice, "vp8")
	for i, name := range names {
		eventually(t, name+" gets the high layer", func() bool { return got[i].lastLayer() == 2 })
	}
	t.Cleanup(func() {
		if t.Failed() { // what the server saw: feedback read, packets it dropped; what bob got
			got[0].mu.Lock()
			n, tail := len(got[0].layer), got[0].layer[max(0, len(got[0].layer)-20):]
			got[0].mu.Unlock()
			t.Logf("at the failure: subscribers' RTCP read at the socket %v, packets forwarded %v, dropped %v; bob got %d video packets, the last layers %v",
				counter(t, nc.testSFU, "switchboard_sfu_rtcp_read_at_socket_total"), counter(t, nc.testSFU, "switchboard_sfu_packets_forwarded_total"),
				counter(t, nc.testSFU, "switchboard_sfu_packets_dropped_total"), n, tail)
		}
	})

	bobPort.CapDown(netlab.TBF{Rate: "300kbit"})
	capped := time.Now()
	settled := waitLayer(t, got[0], 0, "bob settles on the low layer under the cap")
	if low := layerSwitches(t, nc.testSFU, protocol.LayerLow); low < 1 {
		t.Errorf("switchboard_sfu_layer_switches_total{layer=\"low\"} is %v with bob on the low layer", low)
	}
	gaps[0].reset()
	window := 20 * time.Second
	deadline := time.Now().Add(window)
	for time.Now().Before(deadline) {
		for i := 1; i < len(names); i++ {
			if l := got[i].lastLayer(); l != 2 {
				t.Fatalf("%s moved to layer %d while only bob's link is capped", names[i], l)
			}
		}
		time.Sleep(100 * time.Millisecond) // sampling the others' layer
	}
	if l := got[0].lastLayer(); l == 2 {
		t.Fatalf("bob is back on the high layer with his link still capped at 300 kbit/s")
	}
	freezes, maxGap := gaps[0].read()

	bobPort.Uncap()
	uncapped := time.Now()
	back := waitLayer(t, got[0], 2, "bob back on the high layer after the cap is lifted")
	t.Logf("capped at 300 kbit/s: bob on the low layer after %v (target 5 s); then over %v: %d freezes (%.1f/min, target <= 1), longest gap %v; cap lifted: high layer after %v (target 10 s)",
		settled.Sub(capped).Round(time.Millisecond), window, freezes, float64(freezes)*float64(time.Minute)/float64(window),
		maxGap.Round(time.Millisecond), back.Sub(uncapped).Round(time.Millisecond))
	for i := range names {
		got[i].check(t, 0)
	}

	// The call log's quality rows: bob, capped most of his session, shows
	// a lower bitrate received than carl.
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	rows := make([]protocol.Quality, 2)
	for i := range rows {
		if err := peers[i].Leave(ctx); err != nil {
			t.Fatal(err)
		}
		eventually(t, names[i]+"'s quality row", func() bool {
			q, ok := ql.get("cap/" + names[i])
			rows[i] = q
			return ok
		})
		t.Logf("%s: %s", names[i], describeQuality(rows[i]))
	}
	if rows[0].BitrateReceived >= rows[1].BitrateReceived {
		t.Errorf("capped bob's bitrate received %d is not below carl's %d", rows[0].BitrateReceived, rows[1].BitrateReceived)
	}
}

// layerSwitches is switchboard_sfu_layer_switches_total{layer}.
func layerSwitches(t *testing.T, ts *testSFU, layer string) float64 {
	t.Helper()
	return labeledCounter(t, ts, "switchboard_sfu_layer_switches_total", "layer", layer)
}

// waitLayer waits (45 s at most) until r's last packet is of layer l and
// returns when.
func waitLayer(t *testing.T, r *received, l int, what string) time.Time {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for r.lastLayer() != l {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s (last layer %d)", what, r.lastLayer())
		}
		time.Sleep(20 * time.Millisecond) // polling an outcome
	}
	return time.Now()
}
