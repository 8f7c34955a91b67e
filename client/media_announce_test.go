package client

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

// Tracks are announced when the publisher's offer is answered, not at their
// first packet (issue 9 point 9): the subscriber's renegotiation then runs
// while the publisher's transport comes up. Bob hears of both of alice's
// tracks, with their mids and codecs, before alice has sent one packet;
// once she sends, the packets reach him on those m-lines.
func TestTracksAnnouncedBeforeTheirFirstPacket(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	bob := ts.join(t, "bob", "announce", MediaOptions{})
	alice := ts.join(t, "alice", "announce", MediaOptions{Audio: true, Video: "vp8"})
	got := map[string]MediaEvent{}
	for len(got) < 2 {
		ev := bob.waitEvent(t, MediaTrackPublished, "alice")
		if ev.Mid == "" || ev.Codec == "" {
			t.Fatalf("trackPublished %+v: want a mid and a codec", ev)
		}
		got[ev.Kind] = ev
	}
	if got["audio"].Codec != "audio/opus" || got["video"].Codec != "video/VP8" {
		t.Fatalf("announced %+v, want opus and VP8", got)
	}
	pump(t, alice) // her first packets: nothing was written on her tracks before

	for kind, ev := range got {
		if tr := bob.receiving(t, "alice", kind, 20); tr.Mid != ev.Mid {
			t.Errorf("bob receives alice's %s on mid %q, announced on %q", kind, tr.Mid, ev.Mid)
		}
	}
}

// The state hooks see each connection's ICE and overall state come up:
// what the load tool's join breakdown is made of.
func TestConnectionStateHooks(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	var mu sync.Mutex
	seen := map[string]bool{}
	note := func(k string) {
		mu.Lock()
		seen[k] = true
		mu.Unlock()
	}
	opts := MediaOptions{Audio: true,
		OnICEState:  func(target string, st webrtc.ICEConnectionState) { note(target + " ice " + st.String()) },
		OnPeerState: func(target string, st webrtc.PeerConnectionState) { note(target + " pc " + st.String()) },
	}
	ts.join(t, "bob", "states", MediaOptions{})
	alice := ts.join(t, "alice", "states", opts)
	pump(t, alice)
	want := []string{"publisher ice connected", "publisher pc connected", "subscriber ice connected", "subscriber pc connected"}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		missing := slices.DeleteFunc(slices.Clone(want), func(k string) bool { return seen[k] })
		mu.Unlock()
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("state hooks never saw %v", missing)
		}
		time.Sleep(10 * time.Millisecond) // polling what Pion's goroutines noted
	}
}
