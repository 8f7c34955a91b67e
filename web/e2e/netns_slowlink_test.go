package e2e

import (
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
)

// inboundVideoJS reads the page's received camera video over ms: the frames
// decoded a second and the picture's size.
const inboundVideoJS = `(async (ms) => {
	const read = async () => { let v = null; (await window.switchboardApp.sb.session.subscriber.getStats()).forEach((r) => {
		if (r.type === "inbound-rtp" && r.kind === "video" && (!v || (r.framesDecoded || 0) > v.framesDecoded)) v = { framesDecoded: r.framesDecoded || 0, w: r.frameWidth || 0, h: r.frameHeight || 0 }; }); return v || { framesDecoded: 0, w: 0, h: 0 }; };
	const a = await read(); await new Promise((r) => setTimeout(r, ms)); const b = await read();
	return { FPS: (b.framesDecoded - a.framesDecoded) * 1000 / ms, W: b.w, H: b.h };
})`

type inboundVideo struct{ FPS, W, H float64 }

// TestSlowDownlinkGetsTheLowLayer: the bundled page sends its camera as
// simulcast layers (two for the fake 640x480 camera: 320x240 and 640x480),
// so a participant whose downlink drops to 300 kbit/s mid-call keeps a
// moving picture (the half-size layer) instead of a frozen one, the other
// keeps the full size, and the full size comes back when the link does.
// Both pages are told that Alice's connection was poor meanwhile
// (connectionQuality), and that it is good again after.
// Before (one encoding), Alice's picture stood still for as long as the cap
// lasted (0 frames a second for 40 s in the constrained-network audit).
func TestSlowDownlinkGetsTheLowLayer(t *testing.T) {
	srv, ap, alice, bob := aliceAndBobOnLAN(t)
	videoCall(t, srv.url, alice, bob, "bob")
	read := func(p *person, what string) inboundVideo {
		v := evalLong[inboundVideo](p, inboundVideoJS+"(4000)", 20*time.Second)
		t.Logf("%s: %s receives %.0fx%.0f at %.1f frames/s (load %s)", what, p.name, v.W, v.H, v.FPS, load())
		return v
	}
	// readUntil reads p's video until ok holds or limit has passed, and returns the last reading.
	readUntil := func(p *person, what string, limit time.Duration, ok func(inboundVideo) bool) (v inboundVideo) {
		for since := time.Now(); time.Since(since) < limit; {
			if v = read(p, what); ok(v) {
				break
			}
		}
		return v
	}
	fullSize := func(v inboundVideo) bool { return v.W == 640 }
	moving := func(v inboundVideo) bool { return v.FPS >= 5 }
	// the full size first (the estimate ramps up from the call's start: seconds on a loaded machine)
	full := readUntil(alice, "uncapped", 30*time.Second, fullSize)
	if full.W != 640 {
		t.Fatalf("uncapped, Alice receives Bob's camera at %.0fx%.0f after 30 s, want 640x480", full.W, full.H)
	}

	// every connectionQuality a page hears (its tiles' data-quality), and a
	// tile poor already (a loaded machine's start can be: it then stays
	// poor through the cap, and no attribute changes)
	for _, p := range []*person{alice, bob} {
		eval[bool](p, `(() => { window.poorSeen = {};
			document.querySelectorAll('[data-quality="poor"]').forEach((el) => { window.poorSeen[el.dataset.uid] = true; });
			new MutationObserver((ms) => { for (const m of ms) {
			if (m.target.dataset?.quality === "poor") window.poorSeen[m.target.dataset.uid] = true; } })
			.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-quality"] }); return true; })()`)
		if before := eval[string](p, `Object.keys(window.poorSeen).join(",")`); before != "" {
			t.Logf("%s's page shows %s poor before the cap (load %s)", p.name, before, load())
		}
	}
	ap.CapDown(netlab.TBF{Rate: "300kbit"})
	capped := time.Now()
	low := readUntil(alice, "300 kbit/s down", 25*time.Second, func(v inboundVideo) bool { return v.W > 0 && v.W <= 320 && moving(v) })
	if low.W == 0 || low.W > 320 || low.FPS < 5 {
		t.Errorf("25 s into a 300 kbit/s downlink Alice receives %.0fx%.0f at %.1f frames/s, want the 320x240 layer moving (5 frames/s or more)", low.W, low.H, low.FPS)
	} else {
		t.Logf("Alice on the low layer, moving, %v after the cap", time.Since(capped).Round(time.Second))
	}
	// Bob's link is not capped: he gets the full size (Alice's own video to him
	// may stall a moment: the server's feedback on her uplink waits in her
	// capped downlink's queue, and her browser's estimate drops with it)
	bobs := readUntil(bob, "Alice's downlink capped", 20*time.Second, func(v inboundVideo) bool { return fullSize(v) && moving(v) })
	if bobs.W != 640 || bobs.FPS < 5 {
		t.Errorf("with only Alice's downlink capped, Bob receives %.0fx%.0f at %.1f frames/s, want 640x480 moving", bobs.W, bobs.H, bobs.FPS)
	}
	// both were told Alice's connection was poor (connectionQuality); Bob's
	// is logged only (on a loaded machine his own decoder may wait for a
	// keyframe too)
	for _, p := range []*person{alice, bob} {
		p.waitJS("Alice's connection shown poor", `window.poorSeen.alice === true`, 10*time.Second)
		if eval[bool](p, `window.poorSeen.bob === true`) {
			t.Logf("%s's page showed Bob's connection poor at some point (load %s)", p.name, load())
		}
	}

	ap.Uncap()
	back := readUntil(alice, "uncapped again", 30*time.Second, func(v inboundVideo) bool { return fullSize(v) && moving(v) })
	if back.W != 640 {
		t.Errorf("30 s after the cap was lifted Alice receives %.0fx%.0f, want 640x480 again", back.W, back.H)
	}
	bob.waitJS("Alice's connection good again", `document.querySelector('[data-testid=tile-alice]')?.dataset.quality === "good"`, 30*time.Second)
	alice.click("btn-hangup")
	bob.waitScreen("home")
}
