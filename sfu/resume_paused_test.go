package sfu

import (
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestResumeTellsTheVideosStillPaused: a subscriber that resumes its
// session on a new socket hears again, after joined, which videos are
// paused for its downlink (streamState); one no longer paused is not
// mentioned.
func TestResumeTellsTheVideosStillPaused(t *testing.T) {
	oldConn, _ := newEmitted(t)
	newConn, sent := newEmitted(t)
	srv := &Server{cfg: Config{DisconnectTimeout: time.Minute}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := &room{id: "call", srv: srv, parts: map[string]*participant{}}
	bob := &participant{uid: "bob", muted: map[string]bool{}}
	ann := &participant{uid: "ann", conn: oldConn, muted: map[string]bool{}, downs: map[string]*downTrack{}}
	for i, id := range []string{"bob-video-1", "bob-video-2"} {
		up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", nil)
		up.id, up.uid = id, "bob"
		d := newDownTrack(up, nil, up.codec, nil)
		d.mid, d.pausedSent = []string{"1", "2"}[i], i == 0
		ann.downs[id] = d
	}
	r.parts["bob"], r.parts["ann"] = bob, ann
	r.resume(ann, &participant{uid: "ann", conn: newConn})
	defer ann.disarmGoneTimer()
	var names []string
	var told protocol.StreamState
	for _, m := range sent.all() { // Emit records as it queues: all are there
		names = append(names, m.Event)
		if m.Event == protocol.EventStreamState {
			if err := json.Unmarshal(m.Data, &told); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !slices.Equal(names, []string{protocol.EventJoined, protocol.EventStreamState}) {
		t.Fatalf("the new socket was sent %q, want joined then one streamState", names)
	}
	if want := (protocol.StreamState{TrackID: "bob-video-1", UID: "bob", Mid: "1", State: protocol.StreamPaused, Reason: protocol.StreamReasonBandwidth}); told != want {
		t.Errorf("told %+v, want %+v", told, want)
	}
}
