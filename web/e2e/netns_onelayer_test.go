package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/switchboard-rtc/switchboard/bench"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/internal/calltest"
	"github.com/switchboard-rtc/switchboard/internal/netlab"
)

// inboundJS reads the session's received audio packets and decoded video
// frames (every inbound stream of each kind summed).
const inboundJS = `(async () => {
	let audio = 0, frames = 0;
	(await window.oneLayer.subscriber.getStats()).forEach((r) => {
		if (r.type !== "inbound-rtp") return;
		if (r.kind === "audio") audio += r.packetsReceived || 0; else frames += r.framesDecoded || 0;
	});
	return { Audio: audio, Frames: frames };
})()`

type inbound struct{ Audio, Frames int64 }

// TestOneLayerVideoToASlowChromiumDownlink: Bob, on the Go client (as a
// native app would, one encoding), sends the load tool's clips (VP8 at
// about 1.5 Mbit/s and Opus, 50 packets a second); Alice receives them in
// Chromium through the JS SDK. When Alice's downlink is capped at 300
// kbit/s (tc tbf), the server stops Bob's video to her so that his audio
// still gets through (docs/protocol.md, "Bandwidth estimation and layer
// choice"); when the cap is lifted, her picture comes back.
func TestOneLayerVideoToASlowChromiumDownlink(t *testing.T) {
	lab := netlab.New(t)
	lan := lab.LAN()
	srvNS, aliceNS, bobNS := lab.Namespace("srv"), lab.Namespace("alice"), lab.Namespace("bob")
	sp := lan.Plug(srvNS)
	ap := lan.Plug(aliceNS)
	lan.Plug(bobNS)
	srv := startNetServer(t, srvNS, sp.Addr)
	url := srv.url
	alice := calltest.SignIn(t, srv.app, url, "alice", client.DialOptions{HTTPClient: aliceNS.HTTPClient()})
	bob := calltest.SignIn(t, srv.app, url, "bob", client.DialOptions{HTTPClient: bobNS.HTTPClient()})
	aliceTok, bobTok := calltest.Ring(t, alice, bob, "bob")
	b := nsJoin(t, bobNS, url, bobTok)

	video, err := bench.LoadVideo()
	if err != nil {
		t.Fatal(err)
	}
	_, audio, err := clips()
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	var sending sync.WaitGroup
	defer func() { stop(); sending.Wait() }()
	for _, lt := range b.LocalTracks() {
		c := audio
		if lt.Kind == "video" {
			c = framesOf(video)
		}
		sending.Add(1)
		go func() { defer sending.Done(); replay(ctx, lt, c) }()
	}

	p := newNSBrowser(t, aliceNS, url).person("Alice")
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url+"/")); err != nil {
		t.Fatal(err)
	}
	eval[bool](p, fmt.Sprintf(`(async () => {
		const { Switchboard } = await import("/sdk/switchboard.js");
		window.streamStates = [];
		const listener = { onStreamState: (uid, trackId, state) => window.streamStates.push(uid + " " + state) };
		const el = document.createElement("div");
		document.body.append(el);
		window.oneLayer = await new Switchboard().startSession(%q, { listener }, el);
		return true;
	})()`, aliceTok))
	read := func() inbound { return evalLong[inbound](p, inboundJS, 10*time.Second) }
	over := func(d time.Duration) (audio, fps float64) {
		a := read()
		time.Sleep(d) // the window measured
		z := read()
		return float64(z.Audio - a.Audio), float64(z.Frames-a.Frames) / d.Seconds()
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, fps := over(2 * time.Second); fps >= 15 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Alice does not receive Bob's video at 15 frames/s or more after 30 s (load %s)", load())
		}
	}

	ap.CapDown(netlab.TBF{Rate: "300kbit"})
	time.Sleep(8 * time.Second) // the server's estimate settles
	got, fps := over(10 * time.Second)
	t.Logf("Alice's downlink capped at 300 kbit/s, 8-18 s after: %.0f audio packets of 500, video %.1f frames/s (load %s)", got, fps, load())
	if got < 475 {
		t.Errorf("Alice received %.0f of Bob's 500 audio packets in 10 s under the cap: the video starved it", got)
	}
	const toldJS = `[window.streamStates.join(", "), document.querySelector('[data-testid="tile-bob"]')?.dataset.paused ?? "no tile", document.querySelector('[data-testid="tile-bob"]')?.getAttribute("aria-label") ?? ""]`
	// (A probe that finds room for a moment may resume it between: paused
	// and active alternate, starting paused.)
	if told := eval[[]string](p, toldJS); !strings.HasPrefix(told[0], "bob paused") || !strings.HasSuffix(told[0], "bob paused") || told[1] != "bandwidth" || !strings.Contains(told[2], "video paused") {
		t.Errorf("under the cap Alice's page was told %q, Bob's tile data-paused %q, labelled %q; want bob paused (last), bandwidth, video paused", told[0], told[1], told[2])
	}

	ap.Uncap()
	uncapped := time.Now()
	for {
		if _, fps := over(2 * time.Second); fps >= 15 {
			break
		}
		if time.Since(uncapped) > 30*time.Second {
			t.Fatalf("30 s after the cap was lifted Alice does not receive Bob's video at 15 frames/s (load %s)", load())
		}
	}
	t.Logf("cap lifted: Bob's video at 15 frames/s or more again within %v", time.Since(uncapped).Round(time.Second))
	told := eval[[]string](p, toldJS)
	t.Logf("Alice's page was told: %s", told[0])
	if !strings.HasPrefix(told[0], "bob paused, bob active") || !strings.HasSuffix(told[0], "bob active") || strings.Contains(told[0], "paused, bob paused") || strings.Contains(told[0], "active, bob active") || told[1] != "" {
		t.Errorf("after the cap Alice's page was told %q, Bob's tile data-paused %q; want bob paused and bob active alternating, active last, and none", told[0], told[1])
	}
}

// framesOf is the load tool's video clip (1280x720, 30 frames a second,
// about 1.5 Mbit/s) as frames for replay.
func framesOf(v *bench.Clip) clip {
	c := clip{video: true}
	var f clipFrame
	for _, p := range v.Packets {
		f.key = p.Keyframe
		f.payloads = append(f.payloads, p.Payload)
		if p.Marker {
			c.frames = append(c.frames, f)
			f = clipFrame{}
		}
	}
	return c
}
