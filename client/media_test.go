package client

import (
	"testing"
)

func TestOneToOneForwardsAudioAndVideoBothWays(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	alice := ts.join(t, "alice", "s1", MediaOptions{Audio: true, Video: "vp8"})
	bob := ts.join(t, "bob", "s1", MediaOptions{Audio: true, Video: "vp8"})
	if got := bob.Info().Participants; len(got) != 1 || got[0].UID != "alice" {
		t.Fatalf("bob's joined lists %+v, want alice", got)
	}
	pump(t, alice, bob)
	for _, c := range []struct {
		p         *peer
		from      string
		kind, mim string
	}{
		{alice, "bob", "audio", "audio/opus"}, {alice, "bob", "video", "video/VP8"},
		{bob, "alice", "audio", "audio/opus"}, {bob, "alice", "video", "video/VP8"},
	} {
		tr := c.p.receiving(t, c.from, c.kind, 50)
		if tr.Codec != c.mim {
			t.Errorf("%s gets %s from %s as %s, want %s", c.p.uid, c.kind, c.from, tr.Codec, c.mim)
		}
	}
}
