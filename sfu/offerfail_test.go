package sfu

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// A subscriber offer the server fails to make (here an ICE restart on a
// transport that is gone) is told to the client as an error event, and a
// later restartIce tries again. Before, the error went to the log only and
// the failed restart stayed marked pending: every later restartIce was
// answered {} and no offer ever came (the sfu concurrency review).
func TestFailedSubscriberOfferIsToldAndRetried(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BindAddress, cfg.UDPPort, cfg.TCPPort, cfg.IncludeLoopback = "127.0.0.1", 0, 0, true
	srv, err := New(cfg, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	conn, sent := newEmitted(t)
	r := newRoom("call", srv)
	p := newParticipant(Participant{UID: "ann"}, conn)
	if _, err := p.setup(r); err != nil {
		t.Fatal(err)
	}
	r.parts["ann"], p.joined = p, true
	p.offerPending = false // as though the first offer had been answered
	defer func() {
		delete(r.parts, "ann")
		p.close(srv, 1000, "")
		_ = srv.Close()
	}()
	_ = p.sub.SCTP().Transport().ICETransport().Stop() // an ICE restart offer now fails
	for i := range 2 {
		r.handle(p, conn, protocol.Message{ID: strconv.Itoa(i), Method: protocol.MethodRestartICE})
		r.flushOffers()
		if p.restartSub || p.offerPending {
			t.Fatalf("restartIce %d: restartSub %v, offerPending %v after the offer failed", i+1, p.restartSub, p.offerPending)
		}
	}
	var errs []protocol.Message
	for deadline := time.Now().Add(5 * time.Second); len(errs) < 2 && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		errs = append(errs, sent.take(protocol.EventError)...) // the socket writes in the background
	}
	if len(errs) != 2 {
		t.Fatalf("%d error events for two failed offers, want 2", len(errs))
	}
	if msg := string(errs[0].Data); !strings.Contains(msg, `"code":"internal"`) || !strings.Contains(msg, "could not make your next subscriberOffer") {
		t.Errorf("error event %s", msg)
	}
}
