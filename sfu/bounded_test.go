package sfu

import (
	"errors"
	"fmt"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// publishOffer's sources name at most as many m-lines as an offer may
// have, and only those of the publisher connection are kept: a client
// cannot grow its participant's state by naming mids it does not have.
func TestSourcesAreBoundedByTheConnectionsMLines(t *testing.T) {
	srv, cfg := loopbackServer(t)
	many := map[string]string{}
	for i := range cfg.MaxTracksPerParticipant + 1 {
		many[fmt.Sprint(i)] = protocol.SourceScreen
	}
	for _, bad := range []map[string]string{many, {"1": "webcam"}} {
		if err := checkSources(bad, cfg.MaxTracksPerParticipant); !errors.Is(err, ErrBadSource) {
			t.Errorf("sources %v: err %v, want ErrBadSource", bad, err)
		}
	}
	pub, err := srv.eng.newPublisherPC(newRTPTap())
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	if _, err := answerOffer(pub, seedOffer); err != nil { // mids "0" (audio) and "1" (video)
		t.Fatal(err)
	}
	p := &participant{sources: map[string]string{}}
	sources := map[string]string{"1": protocol.SourceScreen, "7": protocol.SourceScreen}
	if err := checkSources(sources, cfg.MaxTracksPerParticipant); err != nil {
		t.Fatal(err)
	}
	p.setSources(sources, pub)
	if len(p.sources) != 1 || p.sources["1"] != protocol.SourceScreen {
		t.Fatalf("kept %v, want only mid 1 (the connection has no mid 7)", p.sources)
	}
	p.setSources(map[string]string{"0": protocol.SourceCamera}, pub)
	if len(p.sources) != 2 || p.sources["1"] != protocol.SourceScreen {
		t.Fatalf("kept %v after naming mid 0: a name stays for the connection", p.sources)
	}
}

// ICE-restart offers that come while the publisher connection gathers wait
// for its end, but no more of them than restarts are allowed in a window
// (they would be refused then): what waits stays bounded.
func TestRestartsWaitingForGatheringAreBounded(t *testing.T) {
	srv, cfg := loopbackServer(t)
	r := &room{id: "call", srv: srv}
	p := &participant{uid: "alice"}
	for i := range cfg.ICERestartLimit {
		if err := r.deferRestart(p, protocol.Message{ID: fmt.Sprint(i)}); !errors.Is(err, errDeferred) {
			t.Fatalf("restart %d: %v, want it deferred", i, err)
		}
	}
	if err := r.deferRestart(p, protocol.Message{ID: "more"}); !errors.Is(err, ErrTooManyRestarts) {
		t.Fatalf("restart %d: %v, want ErrTooManyRestarts", cfg.ICERestartLimit, err)
	}
	if len(p.deferred) != cfg.ICERestartLimit {
		t.Fatalf("%d offers wait, want %d", len(p.deferred), cfg.ICERestartLimit)
	}
}
