package sfu

import (
	"encoding/binary"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// pionStatuses is the reference reading of a feedback: what rtcp.Unmarshal
// makes of it, walked in order (the estimator's reader before appendTWCC).
func pionStatuses(fb *rtcp.TransportLayerCC) []twccStatus {
	var out []twccStatus
	seq, left := fb.BaseSequenceNumber, int(fb.PacketStatusCount)
	arrival := int64(fb.ReferenceTime) * 64000
	deltas := fb.RecvDeltas
	status := func(sym uint16) {
		if left <= 0 {
			return
		}
		left--
		received := sym == rtcp.TypeTCCPacketReceivedSmallDelta || sym == rtcp.TypeTCCPacketReceivedLargeDelta
		if received && len(deltas) > 0 {
			arrival += deltas[0].Delta
			deltas = deltas[1:]
		}
		out = append(out, twccStatus{seq: seq, received: received, arrivalUs: arrival})
		seq++
	}
	for _, c := range fb.PacketChunks {
		switch c := c.(type) {
		case *rtcp.RunLengthChunk:
			for range min(int(c.RunLength), left) {
				status(c.PacketStatusSymbol)
			}
		case *rtcp.StatusVectorChunk:
			for _, sym := range c.SymbolList {
				status(sym)
			}
		}
	}
	return out
}

// sampleFeedback has every chunk kind: a run, a two-bit vector with a
// loss, a large (negative) delta and unused symbols, and a one-bit vector;
// its sequence numbers wrap.
func sampleFeedback() *rtcp.TransportLayerCC {
	return &rtcp.TransportLayerCC{
		SenderSSRC: 1, MediaSSRC: 2, BaseSequenceNumber: 65534, PacketStatusCount: 19, ReferenceTime: 10, FbPktCount: 3,
		PacketChunks: []rtcp.PacketStatusChunk{
			&rtcp.RunLengthChunk{PacketStatusSymbol: rtcp.TypeTCCPacketReceivedSmallDelta, RunLength: 2},
			&rtcp.StatusVectorChunk{SymbolSize: rtcp.TypeTCCSymbolSizeTwoBit, SymbolList: []uint16{
				rtcp.TypeTCCPacketNotReceived, rtcp.TypeTCCPacketReceivedLargeDelta, rtcp.TypeTCCPacketReceivedSmallDelta, 0, 0, 0, 0}},
			&rtcp.StatusVectorChunk{SymbolSize: rtcp.TypeTCCSymbolSizeOneBit, SymbolList: []uint16{1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		},
		RecvDeltas: []*rtcp.RecvDelta{
			{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 1000},
			{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 250},
			{Type: rtcp.TypeTCCPacketReceivedLargeDelta, Delta: -500},
			{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 750},
			{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 0},
			{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 63750},
			{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 500},
		},
	}
}

// marshalTWCC is fb on the wire, its header filled in as a receiver does.
func marshalTWCC(t testing.TB, fb *rtcp.TransportLayerCC) []byte {
	raw, err := fb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	fb.Header = rtcp.Header{Count: rtcp.FormatTCC, Type: rtcp.TypeTransportSpecificFeedback, Length: uint16(len(raw)/4 - 1)}
	if raw, err = fb.Marshal(); err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestAppendTWCCReadsWhatPionWrites(t *testing.T) {
	raw := marshalTWCC(t, sampleFeedback())
	got, err := appendTWCC(nil, raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 19 || got[0].seq != 65534 || got[18].seq != 16 {
		t.Fatalf("%d statuses from %d, want 19 from 65534 to 16 (wrapping; the vectors' unused symbols not counted)", len(got), got[0].seq)
	}
	base := int64(10 * 64000)
	r := func(seq uint16, us int64) twccStatus { return twccStatus{seq, true, base + us} }
	l := func(seq uint16, us int64) twccStatus { return twccStatus{seq, false, base + us} }
	want := []twccStatus{
		r(65534, 1000), r(65535, 1250), l(0, 1250), r(1, 750), r(2, 1500), l(3, 1500), l(4, 1500), l(5, 1500),
		l(6, 1500), r(7, 1500), l(8, 1500), r(9, 65250), r(10, 65750), l(11, 65750), l(12, 65750), l(13, 65750),
		l(14, 65750), l(15, 65750), l(16, 65750),
	}
	if !slices.Equal(got, want) {
		t.Errorf("statuses\n%+v\nwant\n%+v", got, want)
	}
	if ref := pionStatuses(sampleFeedback()); !slices.Equal(got, ref) {
		t.Errorf("differs from Pion's reading\n%+v\n%+v", got, ref)
	}
}

// TestAppendTWCCReadsPaddedFeedback reads a feedback as Pion's twcc
// interceptor sends it: padded to 32 bits with the RTP-style padding bit
// and count (RFC 3550), which must not be taken for deltas.
func TestAppendTWCCReadsPaddedFeedback(t *testing.T) {
	fb := &rtcp.TransportLayerCC{SenderSSRC: 1, MediaSSRC: 2, BaseSequenceNumber: 100, PacketStatusCount: 3, ReferenceTime: 5,
		PacketChunks: []rtcp.PacketStatusChunk{&rtcp.RunLengthChunk{PacketStatusSymbol: rtcp.TypeTCCPacketReceivedSmallDelta, RunLength: 3}},
		RecvDeltas: []*rtcp.RecvDelta{
			{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 250},
			{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 500},
			{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 750},
		}}
	fb.Header = rtcp.Header{Count: rtcp.FormatTCC, Type: rtcp.TypeTransportSpecificFeedback, Padding: true, Length: 6} // 20 + 2 + 3 = 25 -> 28 bytes
	raw, err := fb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 28 || raw[0]&0x20 == 0 || raw[27] != 3 {
		t.Fatalf("Pion wrote % x, want 28 bytes padded by 3", raw)
	}
	got, err := appendTWCC(nil, raw)
	base := int64(5 * 64000)
	want := []twccStatus{{100, true, base + 250}, {101, true, base + 750}, {102, true, base + 1500}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
	raw[27] = 9 // more padding than the packet has after its header
	if _, err := appendTWCC(nil, raw); !errors.Is(err, errBadRTCP) {
		t.Errorf("padding past the header: %v, want errBadRTCP", err)
	}
}

func TestAppendTWCCRejectsWhatIsCutShort(t *testing.T) {
	raw := marshalTWCC(t, sampleFeedback())
	prior := []twccStatus{{seq: 7}}
	for _, n := range []int{0, 3, 19, 22, 26, 27} {
		got, err := appendTWCC(prior, raw[:n])
		if !errors.Is(err, errBadRTCP) || len(got) != 1 {
			t.Errorf("%d of %d bytes: err %v, %d statuses; want errBadRTCP and the slice unchanged", n, len(raw), err, len(got))
		}
	}
	if _, _, err := nextRTCP(raw[:len(raw)-4]); !errors.Is(err, errBadRTCP) {
		t.Errorf("a packet shorter than its length field: %v, want errBadRTCP", err)
	}
}

func TestOnFeedbackAllocatesNothing(t *testing.T) {
	now := time.Unix(1700000000, 0)
	b := newBWE(now)
	for i := range 40 {
		b.record(1200, now.UnixNano()+int64(i)*int64(time.Millisecond))
	}
	fb := &rtcp.TransportLayerCC{BaseSequenceNumber: 0, PacketStatusCount: 40, ReferenceTime: 1,
		PacketChunks: []rtcp.PacketStatusChunk{&rtcp.RunLengthChunk{PacketStatusSymbol: rtcp.TypeTCCPacketReceivedSmallDelta, RunLength: 40}}}
	for range 40 {
		fb.RecvDeltas = append(fb.RecvDeltas, &rtcp.RecvDelta{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 1000})
	}
	raw := marshalTWCC(t, fb)
	at := now
	allocs := testing.AllocsPerRun(100, func() {
		at = at.Add(100 * time.Millisecond)
		if err := b.onFeedback(raw, at); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 0 {
		t.Errorf("onFeedback: %.1f allocations per feedback, want 0", allocs)
	}
}

// FuzzAppendTWCC reads arbitrary bytes as transport-cc feedback: no panic,
// errors leave the slice as it was, and whatever Pion reads too must read
// the same.
func FuzzAppendTWCC(f *testing.F) {
	raw := marshalTWCC(f, sampleFeedback())
	f.Add(raw)
	f.Add(raw[:20])
	f.Add([]byte{0x8f, 205, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		pkt, _, err := nextRTCP(b)
		if err != nil {
			return
		}
		got, err := appendTWCC(nil, pkt)
		if err != nil {
			if !errors.Is(err, errBadRTCP) || len(got) != 0 {
				t.Fatalf("error %v with %d statuses", err, len(got))
			}
			return
		}
		var fb rtcp.TransportLayerCC
		if fb.Unmarshal(pkt) != nil {
			return // Pion is stricter here (its own length checks)
		}
		if ref := pionStatuses(&fb); !slices.Equal(got, ref) {
			t.Fatalf("statuses differ from Pion's\n%+v\n%+v", got, ref)
		}
	})
}

// TestHeaderStampsTransportCC checks the writer's header: while the
// estimate is wanted, every packet carries the next transport-wide
// sequence number under the negotiated id, and only that id when a new
// binding changes it; while it is not, no extension and no number taken;
// when it is wanted again, the numbers go on and the estimator starts over.
func TestHeaderStampsTransportCC(t *testing.T) {
	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	now := time.Unix(1700000000, 0)
	d := newDownTrack(up, &sendQueue{bwe: newBWE(now)}, up.codec, nil)
	d.queue.bwe.wanted.Store(true)
	stamped := func(b *binding, seq uint16) (ids []uint8, tw uint16) {
		raw, err := d.header(b, seq, 0, false, 1000, now.UnixNano()).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		var h rtp.Header
		if _, err := h.Unmarshal(raw); err != nil {
			t.Fatal(err)
		}
		ids = h.GetExtensionIDs()
		if v := h.GetExtension(b.twccID); len(v) == 2 {
			tw = binary.BigEndian.Uint16(v)
		}
		return ids, tw
	}
	b := &binding{ssrc: 1, pt: 96, twccID: 3}
	for i := range uint16(3) {
		ids, tw := stamped(b, 100+i)
		if !slices.Equal(ids, []uint8{3}) || tw != i {
			t.Errorf("packet %d: extensions %v, transport-wide seq %d; want [3] and %d", i, ids, tw, i)
		}
	}
	if ids, tw := stamped(&binding{ssrc: 1, pt: 96, twccID: 7}, 103); !slices.Equal(ids, []uint8{7}) || tw != 3 {
		t.Errorf("after a new binding: extensions %v, seq %d; want [7] and 3", ids, tw)
	}
	if _, _, ok := d.queue.bwe.sent(3); !ok {
		t.Error("the fourth packet was not recorded for feedback")
	}

	bwe := d.queue.bwe
	bwe.value.Store(700_000)
	bwe.twccAt.Store(now.UnixNano())
	bwe.wanted.Store(false)
	b7 := &binding{ssrc: 1, pt: 96, twccID: 7}
	for i := range uint16(2) {
		if ids, _ := stamped(b7, 104+i); len(ids) != 0 {
			t.Errorf("not wanted: packet %d has extensions %v, want none", i, ids)
		}
	}
	bwe.wanted.Store(true)
	if ids, tw := stamped(b7, 106); !slices.Equal(ids, []uint8{7}) || tw != 4 {
		t.Errorf("wanted again: extensions %v, seq %d; want [7] and 4 (none taken meanwhile)", ids, tw)
	}
	if _, _, ok := bwe.sent(3); ok {
		t.Error("a packet stamped before the pause is still in the history")
	}
	if _, _, ok := bwe.sent(4); !ok {
		t.Error("the packet stamped after the pause was not recorded")
	}
	if v := bwe.estimate(now); v != 0 || bwe.est.value != initialEstimate {
		t.Errorf("after the pause: estimate %d (estimator at %d); want it unknown, starting over at %d", v, bwe.est.value, initialEstimate)
	}
}

// The estimate is wanted (packets stamped for transport-cc) only while a
// video the subscriber receives comes in more than one layer: with none,
// there is nothing for it to choose.
func TestEstimateWantedOnlyWithLayersToChoose(t *testing.T) {
	now := time.Unix(1700000000, 0)
	video, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	audio, _ := testUpTrack(webrtc.RTPCodecTypeAudio, "audio/opus", nil)
	q := &participant{queue: &sendQueue{bwe: newBWE(now)}, downs: map[string]*downTrack{}}
	q.downs["a"] = newDownTrack(audio, q.queue, audio.codec, nil)
	q.downs["v"] = newDownTrack(video, q.queue, video.codec, nil)
	r := &room{}
	r.allocate(q, now)
	if q.queue.bwe.wanted.Load() {
		t.Fatal("audio and a single-layer video: estimate wanted")
	}
	f := &layer{rid: "f", sendPLI: func() {}, cache: newPacketCache(4)}
	video.addLayer(f)
	r.allocate(q, now)
	if !q.queue.bwe.wanted.Load() {
		t.Fatal("a video in two layers: estimate not wanted")
	}
	video.removeLayer(f)
	r.allocate(q, now)
	if q.queue.bwe.wanted.Load() {
		t.Fatal("back to one layer: estimate still wanted")
	}
}

// FuzzOnFeedback gives a subscriber's estimator arbitrary transport-cc
// feedback (up to 8 packets, 40 ms apart) about a history of 1,000 sent
// packets: whatever a subscriber sends, nothing panics and the estimate
// stays within [0, maxEstimate] (0: unknown).
func FuzzOnFeedback(f *testing.F) {
	fb := &rtcp.TransportLayerCC{BaseSequenceNumber: 100, PacketStatusCount: 40, ReferenceTime: 1,
		PacketChunks: []rtcp.PacketStatusChunk{&rtcp.RunLengthChunk{PacketStatusSymbol: rtcp.TypeTCCPacketReceivedSmallDelta, RunLength: 40}}}
	for range 40 {
		fb.RecvDeltas = append(fb.RecvDeltas, &rtcp.RecvDelta{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 250})
	}
	one := marshalTWCC(f, fb)
	f.Add(one)
	f.Add(append(append([]byte{}, one...), one...))
	f.Add(marshalTWCC(f, sampleFeedback()))
	// All 1,000 packets received in 250 ms: a first rate of 38 Mbit/s.
	fast := &rtcp.TransportLayerCC{BaseSequenceNumber: 0, PacketStatusCount: 1000, ReferenceTime: 1,
		PacketChunks: []rtcp.PacketStatusChunk{&rtcp.RunLengthChunk{PacketStatusSymbol: rtcp.TypeTCCPacketReceivedSmallDelta, RunLength: 1000}}}
	for range 1000 {
		fast.RecvDeltas = append(fast.RecvDeltas, &rtcp.RecvDelta{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 250})
	}
	f.Add(marshalTWCC(f, fast))
	start := time.Unix(1700000000, 0)
	f.Fuzz(func(t *testing.T, b []byte) {
		bw := newBWE(start)
		for i := range 1000 {
			bw.record(1200, start.UnixNano()+int64(i)*int64(time.Millisecond))
		}
		now := start.Add(time.Second)
		for range 8 {
			pkt, rest, err := nextRTCP(b)
			if err != nil {
				return
			}
			b = rest
			now = now.Add(40 * time.Millisecond)
			if isTWCC(pkt) {
				_ = bw.onFeedback(pkt, now)
			}
			if v := bw.estimate(now); v < 0 || v > maxEstimate {
				t.Fatalf("estimate %d bits/s, want 0 (unknown) to %d", v, maxEstimate)
			}
		}
	})
}
