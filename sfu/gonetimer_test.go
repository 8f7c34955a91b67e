package sfu

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// A gone timer that fired just before a resume was handled (its work queued
// behind the resume, Stop too late) does nothing: the resume gave the
// participant a whole new DisconnectTimeout to restart ICE. Before, the
// stale work removed them at once (the sfu concurrency review).
func TestGoneTimerThatFiredBeforeAResumeDoesNothing(t *testing.T) {
	oldConn, _ := newEmitted(t)
	newConn, sent := newEmitted(t)
	srv := &Server{cfg: Config{DisconnectTimeout: 200 * time.Millisecond}, log: slog.New(slog.NewTextHandler(io.Discard, nil)), stats: newCounters()}
	qm, err := newQualityMetrics(nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.quality = qm
	r := newRoom("call", srv)
	ann := newParticipant(Participant{UID: "ann"}, oldConn)
	ann.joined = true
	r.parts["ann"] = ann
	srv.stats.participants.Add(1)

	// ann's socket went and her ICE is down: the gone timer runs.
	ann.socketLost = true
	ann.iceBad[protocol.TargetSubscriber] = true
	ann.armGoneTimer(r)
	<-r.box.wake // it fires: goneTimeout is queued
	// ...but the room handles the resume first (it was queued just before).
	r.resume(ann, &participant{uid: "ann", conn: newConn, resume: true})
	defer ann.disarmGoneTimer()
	for _, f := range r.box.take() {
		f()
	}
	if !r.current(ann) {
		t.Errorf("ann, resumed a moment ago with a fresh %v to restart ICE, was removed at once; the new socket was sent %d callEnded",
			srv.cfg.DisconnectTimeout, len(sent.take(protocol.EventCallEnded)))
	}
}
