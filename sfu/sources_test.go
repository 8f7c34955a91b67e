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
