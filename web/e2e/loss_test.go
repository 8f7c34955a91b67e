package e2e

import (
	"net/netip"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// freezeJS measures the remote video of the page for ms milliseconds:
// getStats every 50 ms; a freeze is more than 500 ms without a new
// decoded frame. It also returns the receiver's loss and repair counters.
const freezeJS = `((ms) => new Promise((resolve) => {
  const pc = window.switchboardApp?.sb?.session?.subscriber;
  let last = -1, lastAt = performance.now(), freezes = 0, maxGap = 0, first = -1, stats = {};
  const t0 = performance.now();
  const tick = async () => {
    const now = performance.now();
    let frames = -1;
    (await pc.getStats()).forEach((r) => {
      if (r.type !== "inbound-rtp" || r.kind !== "video") return;
      frames = r.framesDecoded || 0;
      stats = { nack: r.nackCount || 0, pli: r.pliCount || 0, lost: r.packetsLost || 0,
        received: r.packetsReceived || 0, dropped: r.framesDropped || 0 };
    });
    if (first < 0) first = frames;
    if (frames !== last) {
      const gap = now - lastAt;
      if (last >= 0 && gap > 500) freezes++;
      if (last >= 0) maxGap = Math.max(maxGap, gap);
      last = frames; lastAt = now;
    }
    if (now - t0 >= ms) {
      const gap = now - lastAt;
      if (gap > 500) freezes++;
      resolve(Object.assign({ frames: last - first, freezes, maxGapMs: Math.round(Math.max(maxGap, gap)) }, stats));
      return;
    }
    setTimeout(tick, 50);
  };
  tick();
}))`

// freezeReport is what freezeJS returns.
type freezeReport struct {
	Frames   int64 `json:"frames"`
	Freezes  int   `json:"freezes"`
	MaxGapMs int64 `json:"maxGapMs"`
	Nack     int64 `json:"nack"`
	Pli      int64 `json:"pli"`
	Lost     int64 `json:"lost"`
	Received int64 `json:"received"`
	Dropped  int64 `json:"dropped"`
}

// TestVideoThroughLoss: a 1:1 video call on the bundled page where alice's
// every datagram (both ways) goes through a relay that drops 5% at random
// and delays each by 0-100 ms (jitter, reordering). Bob's path is clean.
// For 30 s (SWITCHBOARD_LOSS_SECONDS: docs/benchmarks.md measures 60,
// after 20 clean) both receivers keep decoding: NACKs are answered (from
// the SFU's cache, or by alice), keyframes asked for (PLI) on what cannot
// be repaired. The freezes per minute at each receiver (more than 500 ms
// without a new frame) are logged against the floor measured first on the
// clean path (a loaded machine freezes too); no gap may pass 15 s.
func TestVideoThroughLoss(t *testing.T) {
	const udpPort = 7882 // the server's namespace is fresh: the port is free
	// 30 s lossy after 10 s clean in the suite (it is the longest browser
	// test); the report's runs ask for 60 after 20.
	measure, clean := 30*time.Second, 10*time.Second
	if v, err := strconv.Atoi(os.Getenv("SWITCHBOARD_LOSS_SECONDS")); err == nil && v > 0 {
		measure, clean = time.Duration(v)*time.Second, 20*time.Second
	}
	if testing.Short() {
		measure = 20 * time.Second
	}
	lab := netlab.New(t)
	rl := lab.Relayed()
	srvNS, relayNS, sp, rf := rl.Server, rl.Relay, rl.ServerPort, rl.RelayFront
	aliceNS, bobNS := lab.Namespace("alice"), lab.Namespace("bob")
	af := rl.Front.Plug(aliceNS)
	rl.Front.Plug(bobNS)
	srv := startNetServer(t, srvNS, sp.Addr, func(c *switchboard.Config) {
		c.Media.UDPPort = udpPort
		c.Media.PublicIP = rf.Addr.String() // announced: the relay's address
	})
	relay := netlab.NewRelay(t, relayNS, netip.AddrPortFrom(rf.Addr, udpPort), netip.AddrPortFrom(sp.Addr, udpPort), netlab.Impairment{})
	relay.Set(netlab.Impairment{Seed: 12})
	url := "http://" + netlab.Forward(t, relayNS, relayNS, netip.AddrPortFrom(rf.Addr, 0).String(), srv.app.Addr().String()) + "/"

	alice := newNSBrowser(t, aliceNS, url).person("Alice")
	bob := newNSBrowser(t, bobNS, url).person("Bob")
	videoCall(t, url, alice, bob, "bob")
	// The floor: the same call on a clean path, measured first, so a
	// machine too loaded to encode and decode shows as such.
	floor := measureFreezes(t, clean, alice, bob)
	relay.SetFor(af.Addr, netlab.Impairment{Loss: 0.05, Jitter: 100 * time.Millisecond})
	start := relay.Stats()
	lossy := measureFreezes(t, measure, alice, bob)
	end := relay.Stats()
	for i, p := range []*person{alice, bob} {
		f, r := floor[i], lossy[i]
		t.Logf("%s receives, clean: %d frames in %v, %.1f freezes/min, longest gap %d ms", p.name, f.Frames, clean, f.perMin(clean), f.MaxGapMs)
		t.Logf("%s receives, 5%% loss + 100 ms jitter: %d frames in %v, %d freezes (%.1f per minute), longest gap %d ms; NACKs sent %d, PLIs sent %d, packets lost %d of %d, frames dropped %d",
			p.name, r.Frames, measure, r.Freezes, r.perMin(measure), r.MaxGapMs, r.Nack, r.Pli, r.Lost, r.Received+r.Lost, r.Dropped)
		if r.Frames < int64(measure.Seconds())*5 {
			t.Errorf("%s decoded only %d frames in %v", p.name, r.Frames, measure)
		}
		// The picture must never stop for good (a paused layer that never
		// came back froze it for 38-58 s before the allocator kept the
		// lowest layer).
		if r.MaxGapMs > 15000 {
			t.Errorf("%s: video stopped for %d ms through 5%% loss and 100 ms jitter", p.name, r.MaxGapMs)
		}
		// The target, < 2 freezes a minute: measured here 0, 1 and 2
		// a minute for the receiver of the lossy publisher (3-6, of 3-6 s
		// each, before the SRTP replay window and the numbering of late
		// packets were fixed); reported, not asserted: a loaded CI machine
		// freezes more.
		if extra := r.perMin(measure) - f.perMin(clean); extra >= 2 {
			t.Logf("%s: %.1f freezes per minute through 5%% loss and 100 ms jitter (%.1f on the clean path): target < 2 more NOT MET", p.name, r.perMin(measure), f.perMin(clean))
		}
	}
	t.Logf("load %s; relay: %d datagrams forwarded, %d dropped while measuring", load(), end.Forwarded-start.Forwarded, end.Dropped-start.Dropped)
	if end.Dropped == start.Dropped {
		t.Fatal("the relay dropped nothing: the test measured a clean path")
	}
	alice.click("btn-hangup")
	alice.waitScreen("home")
	bob.waitScreen("home")
}

func (r freezeReport) perMin(d time.Duration) float64 { return float64(r.Freezes) / d.Minutes() }

// measureFreezes runs freezeJS in every page at once for d.
func measureFreezes(t *testing.T, d time.Duration, people ...*person) []freezeReport {
	t.Helper()
	for _, p := range people {
		eval[bool](p, "(window.__freeze = "+freezeJS+"("+itoa(d.Milliseconds())+"), true)")
	}
	out := make([]freezeReport, len(people))
	for i, p := range people {
		out[i] = evalLong[freezeReport](p, "window.__freeze", d+30*time.Second)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
