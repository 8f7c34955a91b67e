package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/switchboard-rtc/switchboard/client"
)

// nativeWait bounds each step of the native tests; reaching it is a failure.
const nativeWait = 30 * time.Second

// measureWindow is how long each receiver counts what arrives: at least 50
// decoded video frames and 100 audio packets from each other participant.
const measureWindow = 5 * time.Second

// fakeCamera30 makes Chromium's fake camera run at 30 fps (its default is
// 20), as the other clients send: on a busy machine Chromium drops its
// frame rate first, and the receivers must still decode 10 a second.
var fakeCamera30 = chromedp.Flag("use-fake-device-for-media-stream", "fps=30")

// TestNative: the reference GStreamer client (native/gstclient), written
// from docs/protocol.md alone, calls through the public protocol with
// another GStreamer client, with the web page in Chromium, and in a group
// with Chromium and the Go client. Each pair rings, accepts, publishes VP8 +
// Opus, receives the other side's audio and video (counted for 5 s each
// way), hangs up, and the call log says "ended". One server for all.
func TestNative(t *testing.T) {
	needGStreamer(t)
	srv := startServer(t, 20*time.Second)
	var b *browser
	if _, err := os.Stat(chromiumPath); err == nil || os.Getenv("CI") != "" {
		b = newBrowser(t, fakeCamera30)
	}
	t.Run("gstreamer-gstreamer", func(t *testing.T) { testNativeGStreamerPair(t, srv) })
	t.Run("gstreamer-chromium", func(t *testing.T) { testNativeGStreamerChromium(t, srv, b) })
	t.Run("group-gstreamer-chromium-go", func(t *testing.T) { testNativeGroup(t, srv, b) })
}

func testNativeGStreamerPair(t *testing.T, srv *server) {
	base := srv.app.URL()
	callee := startGst(t, "gst-gus", base, srv.signInToken("gus", "Gus"), "--answer")
	callee.wait("ready", nativeWait) // reachable: a call now rings it
	caller := startGst(t, "gst-gina", base, srv.signInToken("gina", "Gina"), "--call", "gus")
	callee.wait("incoming", nativeWait)
	checkReceived(t, "gus (GStreamer)", callee.wait("stats", nativeWait).Remotes, "gina")
	checkReceived(t, "gina (GStreamer)", caller.wait("stats", nativeWait).Remotes, "gus")
	caller.send("hangup")
	caller.wait("hungUp", nativeWait)
	callee.wait("ended", nativeWait)
	for _, g := range []*gstClient{caller, callee} {
		g.send("log")
		if e := g.wait("log", nativeWait); e.Status != "ended" {
			t.Errorf("%s: the call log says %q, want ended", g.name, e.Status)
		}
	}
}

func testNativeGStreamerChromium(t *testing.T, srv *server, b *browser) {
	if b == nil {
		t.Skipf("Chromium is not installed at %s (apt-get install -y chromium); skipping", chromiumPath)
	}
	gst := startGst(t, "gst-gabe", srv.app.URL(), srv.signInToken("gabe", "Gabe"), "--answer")
	gst.wait("ready", nativeWait)
	alice := tab(t, b, "Alice")
	alice.signIn(srv.url, "Alice")
	alice.waitOnline("gabe")
	alice.click("call-video-gabe")
	// the page leaves home once the call is placed (gabe answers at once,
	// so the outgoing screen may be too brief to see)
	alice.waitJS("the call placed", `["outgoing", "call"].includes(document.body.dataset.screen)`, 20*time.Second)
	gst.wait("incoming", nativeWait)
	alice.waitScreen("call")
	alice.waitMedia(1, 1)
	checkPageReceived(t, alice, 1, 1)
	checkReceived(t, "gabe (GStreamer)", gst.wait("stats", nativeWait).Remotes, "alice")
	gst.send("hangup")
	gst.wait("hungUp", nativeWait)
	alice.waitScreen("home")
	alice.waitHistory("ended")
	gst.send("log")
	if e := gst.wait("log", nativeWait); e.Status != "ended" {
		t.Errorf("gabe (GStreamer): the call log says %q, want ended", e.Status)
	}
	alice.noConsoleErrors()
}

func testNativeGroup(t *testing.T, srv *server, b *browser) {
	if b == nil {
		t.Skipf("Chromium is not installed at %s (apt-get install -y chromium); skipping", chromiumPath)
	}
	cleo := tab(t, b, "Cleo")
	cleo.signIn(srv.url, "Cleo")
	gopher := newGoPeer(t, srv, "gopher", "Gopher")
	gwenToken := srv.signInToken("gwen", "Gwen")
	srv.group("crew", "Crew", "gwen", "cleo", "gopher")

	gwen := startGst(t, "gst-gwen", srv.app.URL(), gwenToken, "--call-group", "crew", "--expect", "2")
	gwen.wait("ringing", nativeWait)
	cleo.waitScreen("incoming")
	cleo.waitPreview("incoming") // as a person sees her camera before answering (and the other tests wait)
	cleo.click("incoming-accept")
	gopher.acceptNext()
	cleo.waitScreen("call")

	cleo.waitMedia(2, 2)
	gopher.waitFrames("gwen", "cleo")
	goGot := make(chan map[string]remoteReceived, 1)
	go func() { goGot <- gopher.measure(measureWindow) }()
	checkPageReceived(t, cleo, 2, 2)
	checkReceived(t, "gopher (Go)", <-goGot, "gwen", "cleo")
	checkReceived(t, "gwen (GStreamer)", gwen.wait("stats", nativeWait).Remotes, "cleo", "gopher")

	// everyone leaves; the call ends with the last one
	ctx, cancel := context.WithTimeout(context.Background(), nativeWait)
	defer cancel()
	sess := gopher.session()
	if err := sess.Leave(ctx); err != nil {
		t.Fatalf("gopher: leave: %v", err)
	}
	gopher.stopMedia()
	cleo.click("btn-hangup")
	cleo.waitScreen("home")
	gwen.send("hangup")
	gwen.wait("hungUp", nativeWait)
	gwen.send("log")
	if e := gwen.wait("log", nativeWait); e.Status != "ended" {
		t.Errorf("gwen (GStreamer): the call log says %q, want ended", e.Status)
	}
	calls, err := gopher.chat.ListCalls(ctx, client.LogQuery{Limit: 1})
	if err != nil || len(calls) != 1 || calls[0].Status != "ended" {
		t.Errorf("gopher (Go): the call log says %+v (%v), want one call ended", calls, err)
	}
	cleo.waitHistory("ended")
	cleo.noConsoleErrors()
}

// tab opens a person's tab for a subtest (browser.person reports to the
// browser's own test).
func tab(t *testing.T, b *browser, name string) *person {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: open tab: %v", name, err)
	}
	p := &person{t: t, b: b, name: name, ctx: ctx}
	go p.collectConsole()
	return p
}

// pageReceived is what the page's subscriber connection counted in the window.
type pageReceived struct {
	Video []int `json:"video"` // framesDecoded growth per inbound video stream
	Audio []int `json:"audio"` // packetsReceived growth per inbound audio stream
}

const pageMeasureJS = `(async (ms) => {
  const pc = window.switchboardApp.sb.session.subscriber;
  const snap = async () => {
    const out = {};
    (await pc.getStats()).forEach((r) => {
      if (r.type !== "inbound-rtp") return;
      out[r.kind + ":" + r.ssrc] = r.kind === "video" ? (r.framesDecoded || 0) : (r.packetsReceived || 0);
    });
    return out;
  };
  const a = await snap();
  await new Promise((r) => setTimeout(r, ms));
  const b = await snap();
  const res = { video: [], audio: [] };
  for (const k of Object.keys(b)) res[k.split(":")[0]].push(b[k] - (a[k] || 0));
  return res;
})`

// checkPageReceived counts for 5 s in the page and fails unless videos
// inbound streams decoded at least 50 frames and audios got 100 packets each.
func checkPageReceived(t *testing.T, p *person, videos, audios int) {
	t.Helper()
	got := eval[pageReceived](p, pageMeasureJS+"(5000)")
	t.Logf("%s (Chromium) received in 5 s: decoded video frames %v, audio packets %v", p.name, got.Video, got.Audio)
	okV, okA := 0, 0
	for _, n := range got.Video {
		if n >= 50 {
			okV++
		}
	}
	for _, n := range got.Audio {
		if n >= 100 {
			okA++
		}
	}
	if okV < videos || okA < audios {
		t.Errorf("%s (Chromium) received in 5 s: decoded video frames %v, audio packets %v; want %d videos >= 50 and %d audios >= 100",
			p.name, got.Video, got.Audio, videos, audios)
	}
}
