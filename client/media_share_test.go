package client

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// A participant shares the screen again and again, each share on an m-line
// of its own as a native stack's addTrack after removeTrack does: more
// shares than media.max_tracks_per_participant, since a stopped share's
// m-line no longer sends. Each share reaches the others announced as a
// screen, and each stop unpublishes it.
func TestScreenShareAgainAndAgain(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "share", MediaOptions{Audio: true, Video: "vp8"})
	bob := ts.join(t, "bob", "share", MediaOptions{})
	pump(t, alice)
	bob.receiving(t, "alice", "video", 5)
	ctx := context.Background()
	shares := sfu.DefaultConfig().MaxTracksPerParticipant + 1
	for i := range shares {
		lt, err := alice.StartScreenShare(ctx, "vp8")
		if err != nil {
			t.Fatalf("share %d: %v", i+1, err)
		}
		if _, err := alice.StartScreenShare(ctx, "vp8"); !errors.Is(err, ErrAlreadySharing) {
			t.Errorf("a second share at once: %v, want ErrAlreadySharing", err)
		}
		stopped := pumpTrack(t, lt)
		var ev MediaEvent
		for ev.Source != protocol.SourceScreen {
			ev = bob.waitEvent(t, MediaTrackPublished, "alice")
		}
		eventually(t, "bob receives alice's share, known as a screen", func() bool {
			for _, r := range bob.RemoteTracks() {
				if r.Mid == ev.Mid && r.Packets() > 20 {
					return r.Source == protocol.SourceScreen
				}
			}
			return false
		})
		if err := alice.StopScreenShare(ctx); err != nil {
			t.Fatalf("stop share %d: %v", i+1, err)
		}
		if err := <-stopped; !errors.Is(err, ErrShareStopped) {
			t.Errorf("writing the stopped share: %v, want ErrShareStopped", err)
		}
		if gone := bob.waitEvent(t, MediaTrackUnpublished, "alice"); gone.TrackID != ev.TrackID {
			t.Errorf("share %d: trackUnpublished %q, want %q", i+1, gone.TrackID, ev.TrackID)
		}
	}
	if n := len(alice.pub.GetTransceivers()); n != 2+shares {
		t.Errorf("alice's publisher has %d m-lines, want %d (audio, video and one per share)", n, 2+shares)
	}
	if err := alice.StopScreenShare(ctx); err != nil {
		t.Errorf("stopping with no share: %v", err)
	}
	for _, lt := range alice.LocalTracks() {
		if lt.Source == protocol.SourceScreen {
			t.Errorf("a stopped share is still among alice's tracks: %+v", lt)
		}
	}
	bob.receiving(t, "alice", "audio", 20) // the call goes on
}

// A share beyond the tracks a participant may send is refused (too_large,
// naming the sending m-lines); the session goes on and can share once a
// track is free. A session that publishes nothing cannot share.
func TestScreenShareBeyondTheTrackLimit(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.MaxTracksPerParticipant = 2 })
	alice := ts.join(t, "alice", "limit", MediaOptions{Audio: true, Video: "vp8"})
	bob := ts.join(t, "bob", "limit", MediaOptions{})
	pump(t, alice)
	ctx := context.Background()
	_, err := alice.StartScreenShare(ctx, "vp8")
	var we *protocol.Error
	if !errors.As(err, &we) || we.Code != "too_large" || !strings.Contains(we.Message, "3 media sections send, at most 2") {
		t.Fatalf("a third sending m-line: %v, want too_large naming the sending ones", err)
	}
	if len(alice.LocalTracks()) != 2 {
		t.Errorf("the refused share is kept: %d local tracks", len(alice.LocalTracks()))
	}
	bob.receiving(t, "alice", "video", 20)
	if _, err := alice.StartScreenShare(ctx, "h265"); err == nil {
		t.Error("an unknown codec was taken")
	}
	if _, err := bob.StartScreenShare(ctx, "vp8"); !errors.Is(err, ErrNoPublisher) {
		t.Errorf("a watcher's share: %v, want ErrNoPublisher", err)
	}
}
