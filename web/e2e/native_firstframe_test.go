package e2e

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
)

// Accept -> first remote video frame, per client kind: a measurement, not
// an assertion (docs/benchmarks.md). It runs only when asked:
//
//	go test ./web/e2e -run TestFirstFrame -v -args -firstframe.calls=20
//
// Each call is between two clients of the same kind on one server over
// loopback. t0 is the moment the callee accepts (its own clock; every clock
// here is the machine's wall clock); the callee's sample ends at the first
// video frame it shows from the caller, the caller's at the first it shows
// from the callee. "Shows": Chromium, the <video>'s loadeddata; GStreamer,
// the first buffer out of the VP8 decoder; Go, the last RTP packet (marker)
// of the first video frame (the Go client does not decode).
var (
	firstFrameCalls = flag.Int("firstframe.calls", 0, "calls per client kind for TestFirstFrame (0: skip)")
	firstFrameKinds = flag.String("firstframe.kinds", "chromium,gstreamer,go", "client kinds TestFirstFrame measures")
)

func TestFirstFrame(t *testing.T) {
	if *firstFrameCalls <= 0 {
		t.Skip("a measurement: run with -args -firstframe.calls=20")
	}
	for _, kind := range strings.Split(*firstFrameKinds, ",") {
		t.Run(kind, func(t *testing.T) {
			var callee, caller []time.Duration
			switch kind {
			case "chromium":
				callee, caller = firstFramesChromium(t, *firstFrameCalls)
			case "gstreamer":
				callee, caller = firstFramesGStreamer(t, *firstFrameCalls)
			case "go":
				callee, caller = firstFramesGo(t, *firstFrameCalls)
			default:
				t.Fatalf("unknown client kind %q (chromium, gstreamer, go)", kind)
			}
			fmt.Printf("firstframe: %-9s callee %s\n", kind, summary(callee))
			fmt.Printf("firstframe: %-9s caller %s\n", kind, summary(caller))
			fmt.Printf("firstframe: %-9s both   %s\n", kind, summary(append(callee, caller...)))
		})
	}
}

// sessionLogJS lists the page's session log (every step, and the first
// remote frame), in ms after %d (the accept).
const sessionLogJS = `(() => {
  const s = window.switchboardApp?.sb?.session, t0 = %d;
  if (!s) return "no session";
  const ff = Object.values(window.switchboardApp.state.timings.firstFrame);
  return s.steps.map(([n, at]) => n + "@" + (at - t0)).join(" ") + (ff.length ? " FRAME@" + (Math.min(...ff) - t0) : "");
})()`

func firstFramesChromium(t *testing.T, calls int) (callee, caller []time.Duration) {
	srv := startServer(t, 20*time.Second)
	b := newBrowser(t)
	ann, bob := tab(t, b, "Ann"), tab(t, b, "Bob")
	ann.signIn(srv.url, "Ann")
	bob.signIn(srv.url, "Bob")
	ann.waitOnline("bob")
	const reset = `(window.switchboardApp.state.timings.firstFrame = {}, true)`
	const shown = `Object.keys(window.switchboardApp.state.timings.firstFrame).length > 0`
	for range calls {
		eval[bool](ann, reset)
		eval[bool](bob, reset)
		ann.click("call-video-bob")
		bob.waitScreen("incoming")
		bob.waitPreview("incoming") // a person sees their own camera before answering
		bob.click("incoming-accept")
		ann.waitJS("the first frame", shown, nativeWait)
		bob.waitJS("the first frame", shown, nativeWait)
		acc := bob.timings().Accepted
		callee = append(callee, sinceMS(acc, firstOf(bob.timings().FirstFrame)))
		caller = append(caller, sinceMS(acc, firstOf(ann.timings().FirstFrame)))
		if os.Getenv("E2E_STEPS") != "" {
			fmt.Printf("firstframe: chromium call %d: callee %s\n", len(callee)-1, stepsOf(bob.timings().Marks, acc))
			fmt.Printf("firstframe: chromium call %d: caller %s\n", len(caller)-1, stepsOf(ann.timings().Marks, acc))
			for _, p := range []*person{bob, ann} {
				fmt.Printf("firstframe: chromium call %d: %s's log (ms after the accept): %s\n", len(caller)-1, p.name, eval[string](p, fmt.Sprintf(sessionLogJS, acc)))
			}
		}
		ann.click("btn-hangup")
		ann.waitScreen("home")
		bob.waitScreen("home")
	}
	return callee, caller
}

func firstFramesGStreamer(t *testing.T, calls int) (callee, caller []time.Duration) {
	needGStreamer(t)
	srv := startServer(t, 20*time.Second)
	base := srv.app.URL()
	gusTok, ginaTok := srv.signInToken("gus", "Gus"), srv.signInToken("gina", "Gina")
	for i := range calls {
		// a fresh pair of processes per call; each starts its pipeline (the
		// "camera") when the call rings, and the callee answers after 500 ms
		// of ringing, as a person would not answer at once.
		gus := startGst(t, fmt.Sprintf("gst-gus-%d", i), base, gusTok, "--answer", "--answer-delay-ms", "500", "--measure", "0")
		gus.wait("ready", nativeWait)
		gina := startGst(t, fmt.Sprintf("gst-gina-%d", i), base, ginaTok, "--call", "gus", "--measure", "0")
		acc := gus.wait("accepted", nativeWait).At
		calleeAt := gus.wait("firstFrame", nativeWait).FrameAt
		callerAt := gina.wait("firstFrame", nativeWait).FrameAt
		callee = append(callee, sinceMS(int64(acc), int64(calleeAt)))
		caller = append(caller, sinceMS(int64(acc), int64(callerAt)))
		if os.Getenv("E2E_STEPS") != "" {
			fmt.Printf("firstframe: gstreamer call %d: callee %s\n", i, gus.steps(acc))
			fmt.Printf("firstframe: gstreamer call %d: caller %s\n", i, gina.steps(acc))
		}
		gina.send("hangup")
		gina.wait("hungUp", nativeWait)
		gus.wait("ended", nativeWait)
		gina.stop()
		gus.stop()
	}
	return callee, caller
}

func firstFramesGo(t *testing.T, calls int) (callee, caller []time.Duration) {
	srv := startServer(t, 20*time.Second)
	ana, ben := newGoPeer(t, srv, "ana", "Ana"), newGoPeer(t, srv, "ben", "Ben")
	accepted := make(chan client.Call, 1)
	ana.chat.AddCallListener("firstframe", client.CallListener{
		OnOutgoingCallAccepted: func(c client.Call) { accepted <- c },
	})
	for range calls {
		ctx, cancel := context.WithTimeout(context.Background(), nativeWait)
		call, err := ana.chat.InitiateCall(ctx, client.CallRequest{
			ReceiverID: "ben", ReceiverType: client.ReceiverUser, CallType: client.CallVideo,
		})
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		acc, benTok := ben.accept()
		benJoined := make(chan error, 1)
		go func() { benJoined <- ben.join(benTok) }() // both sides join at once, as two phones would
		select {
		case c := <-accepted:
			if err := ana.join(c.CallToken); err != nil {
				t.Fatal(err)
			}
		case <-ctx.Done():
			t.Fatal("ana never heard the call was accepted")
		}
		if err := <-benJoined; err != nil {
			t.Fatal(err)
		}
		ben.waitFrames("ana")
		ana.waitFrames("ben")
		callee = append(callee, ben.firstFrame("ana").Sub(acc))
		caller = append(caller, ana.firstFrame("ben").Sub(acc))
		if _, err := ana.chat.EndCall(ctx, call.SessionID); err != nil {
			t.Fatalf("end call: %v", err)
		}
		ana.stopMedia()
		ben.stopMedia()
		cancel()
	}
	return callee, caller
}

// firstOf is the earliest of the page's first-frame marks.
func firstOf(marks map[string]int64) int64 {
	var first int64
	for _, at := range marks {
		if first == 0 || at < first {
			first = at
		}
	}
	return first
}

func sinceMS(from, to int64) time.Duration { return time.Duration(to-from) * time.Millisecond }

// summary is n, median, p95 (nearest rank), min and max.
func summary(d []time.Duration) string {
	if len(d) == 0 {
		return "n=0"
	}
	s := slices.Clone(d)
	slices.Sort(s)
	rank := func(p float64) time.Duration { return s[int(math.Ceil(p*float64(len(s))))-1] }
	ms := func(x time.Duration) string { return fmt.Sprintf("%d ms", x.Milliseconds()) }
	return fmt.Sprintf("n=%d median %s p95 %s (min %s, max %s)", len(s), ms(rank(0.5)), ms(rank(0.95)), ms(s[0]), ms(s[len(s)-1]))
}
