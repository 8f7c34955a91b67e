package sfu

// Per-participant state a client's input cannot grow without bound, and
// what a subscriber's RTCP can make the server do.

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// publishOffer's sources name at most as many m-lines as an offer may
// have, and only those of the publisher connection are kept: a client
// cannot grow its participant's state by naming mids it does not have.
func TestSourcesAreBoundedByTheConnectionsMLines(t *testing.T) {
	srv, cfg := loopbackServer(t)
	many := map[string]string{}
	for i := range maxSections(cfg.MaxTracksPerParticipant) + 1 {
		many[fmt.Sprint(i)] = protocol.SourceScreen
	}
	for _, bad := range []map[string]string{many, {"1": "webcam"}} {
		if err := checkSources(bad, maxSections(cfg.MaxTracksPerParticipant)); !errors.Is(err, ErrBadSource) {
			t.Errorf("sources %v: err %v, want ErrBadSource", bad, err)
		}
	}
	pub, err := srv.eng.newPublisherPC(newPubFeedback(srv.eng.logs))
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	if _, err := answerOffer(pub, seedOffer); err != nil { // mids "0" (audio) and "1" (video)
		t.Fatal(err)
	}
	p := &participant{sources: map[string]string{}}
	sources := map[string]string{"1": protocol.SourceScreen, "7": protocol.SourceScreen}
	if err := checkSources(sources, maxSections(cfg.MaxTracksPerParticipant)); err != nil {
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

// FuzzSubscriberRTCP gives a subscriber's RTCP reader (readCompound, then
// each down-track's handleRTCP: NACK, PLI, receiver reports; REMB and
// transport-cc to the estimator) arbitrary bytes about a down-track that
// forwarded 20 packets: nothing panics, a NACK gets each cached packet
// resent at most resendTimes whatever it repeats, and the estimate stays
// within [0, maxEstimate].
func FuzzSubscriberRTCP(f *testing.F) {
	nack, _ := (&rtcp.TransportLayerNack{MediaSSRC: 1, Nacks: rtcp.NackPairsFromSequenceNumbers([]uint16{100, 101, 105})}).Marshal()
	pli, _ := (&rtcp.PictureLossIndication{MediaSSRC: 1}).Marshal()
	rr, _ := (&rtcp.ReceiverReport{Reports: []rtcp.ReceptionReport{{SSRC: 1, TotalLost: 3, LastSequenceNumber: 120, Jitter: 90, LastSenderReport: 1, Delay: 2}}}).Marshal()
	all := make([]uint16, 20)
	for i := range all {
		all[i] = uint16(100 + i)
	}
	nackAll, _ := (&rtcp.TransportLayerNack{MediaSSRC: 1, Nacks: rtcp.NackPairsFromSequenceNumbers(all)}).Marshal()
	f.Add(nack)
	f.Add(append(append(append(append([]byte{}, nackAll...), nackAll...), nackAll...), nackAll...))
	f.Add(append(append(append([]byte{}, rr...), nack...), nack...))
	f.Add(pli)
	f.Add([]byte{0x8f, 206, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 1, 0xfc, 0, 0, 0, 0, 0, 1}) // zero mantissa, exponent 63
	f.Add(marshalTWCC(f, sampleFeedback()))
	f.Fuzz(func(t *testing.T, b []byte) {
		up, l, _ := countedVP8()
		d := vp8Down(up)
		d.rw = newRewriter(0, 0) // the subscriber's numbers are the publisher's: 100-119
		now := time.Now()
		d.queue = &sendQueue{w: &writer{wake: make(chan struct{}, 1)}, limit: 4096, bwe: newBWE(now)}
		w := &headerLog{}
		d.binding.Store(&binding{ssrc: 1, pt: 96, writer: w})
		for seq := uint16(100); seq < 120; seq++ {
			writeLive(l, d, seq, seq == 100)
		}
		for range 3 {
			readCompound(b, d.queue, d.handleRTCP)
		}
		buf := make([]sendItem, 4096)
		k, _ := d.queue.pop(buf, nil)
		for _, it := range buf[:k] {
			it.p.release()
		}
		if len(w.seqs) != 20 || w.seqs[0] != 100 {
			t.Fatalf("forwarded %d packets from %v, want 20 from 100", len(w.seqs), w.seqs[:min(1, len(w.seqs))])
		}
		if k > resendTimes*len(w.seqs) {
			t.Fatalf("%d packets resent for %d forwarded", k, len(w.seqs))
		}
		var fb []byte
		d.queue.pop(nil, &fb)
		for len(fb) > 0 {
			pkt, rest, err := nextRTCP(fb)
			if err != nil {
				break
			}
			fb = rest
			_ = d.queue.bwe.onFeedback(pkt, time.Now())
		}
		if v := d.queue.bwe.estimate(time.Now()); v < 0 || v > maxEstimate {
			t.Fatalf("estimate %d bits/s, want 0 (unknown) to %d", v, maxEstimate)
		}
	})
}
