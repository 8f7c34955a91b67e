package client

import "testing"

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
