package e2e

import (
	"testing"
	"time"
)

// nativeWait bounds each step of the native tests; reaching it is a failure.
const nativeWait = 30 * time.Second

// TestNativeGStreamerPair: two GStreamer clients call each other through the
// public protocol only: ring, accept, publish VP8 + Opus, receive the other's
// audio and video, hang up, and both call logs say "ended".
func TestNativeGStreamerPair(t *testing.T) {
	needGStreamer(t)
	srv := startServer(t, 20*time.Second)
	base := srv.app.URL()
	callee := startGst(t, "gst-gus", base, srv.signInToken("gus", "Gus"), "--answer")
	callee.wait("ready", nativeWait)
	caller := startGst(t, "gst-gina", base, srv.signInToken("gina", "Gina"), "--call", "gus")
	callee.wait("incoming", nativeWait)
	for _, g := range []*gstClient{caller, callee} {
		g.wait("joined", nativeWait)
	}
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
