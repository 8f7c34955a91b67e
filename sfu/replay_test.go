package sfu

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// headerLog records what a down-track writes: sequence number, timestamp
// and whether the payload starts a VP8 keyframe.
type headerLog struct {
	seqs []uint16
	tss  []uint32
	keys []bool
}

func (w *headerLog) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	w.seqs = append(w.seqs, h.SequenceNumber)
	w.tss = append(w.tss, h.Timestamp)
	w.keys = append(w.keys, vp8Keyframe(payload))
	return len(payload), nil
}

func (w *headerLog) Write(b []byte) (int, error) { return len(b), nil }

// countedVP8 is a VP8 up-track whose PLIs are counted, asking at most
// every 500 ms.
func countedVP8() (*upTrack, *layer, *atomic.Int32) {
	plis := &atomic.Int32{}
	up, l := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() { plis.Add(1) })
	up.pliEvery = 500 * time.Millisecond
	return up, l, plis
}

// prepareRaw passes packet raw (padding only: 255 bytes, all padding)
// through the layer's parse, as its reader does: the number it is
// forwarded under, or false when it is dropped.
func prepareRaw(l *layer, raw uint16, padding bool) (uint16, bool) {
	p := l.up.pool.get()
	defer p.release()
	n := rtpPacket(p.buf[:], raw)
	if padding {
		n = 12 + 255
		p.buf[0] |= 0x20
		p.buf[n-1] = 255
	}
	ok := l.prepare(p, n)
	return p.seq, ok
}

// ago is the unix ns d before now.
func ago(d time.Duration) int64 { return time.Now().Add(-d).UnixNano() }

func vp8Down(up *upTrack) *downTrack {
	return newDownTrack(up, nil, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: "video/VP8", ClockRate: 90000}}, nil)
}

// writeLive passes packet seq through the layer, as its reader does, and
// then to d, as the subscriber's writer does.
func writeLive(l *layer, d *downTrack, seq uint16, key bool) {
	p := l.up.pool.get()
	n := rtpPacket(p.buf[:], seq)
	copy(p.buf[12:], vp8Payload(key))
	if l.prepare(p, n) {
		l.ingest(p)
		d.write(p, false, time.Now())
	}
	p.release()
}

// A subscriber whose video starts after the publisher's keyframe went by
// (its m-line negotiated, or its transport up, a moment too late) starts
// from that keyframe, still cached, and what followed it, back to back, then
// the live packets: one stream without a gap, and no keyframe asked of the
// publisher (which libwebrtc may ignore for 300 ms after the last one).
func TestNewSubscriberStartsFromTheCachedKeyframe(t *testing.T) {
	up, l, plis := countedVP8()
	feedVP8(l, 1, false) // before any keyframe: nothing to start from
	d := vp8Down(up)
	if d.canReplay() {
		t.Fatal("no keyframe yet: canReplay, want false")
	}
	for seq := uint16(2); seq <= 6; seq++ {
		feedVP8(l, seq, seq == 2) // a keyframe, then four deltas
	}
	if !d.canReplay() {
		t.Fatal("a keyframe just cached: canReplay false, want true (Bind asks for none)")
	}
	w := &headerLog{}
	d.binding.Store(&binding{ssrc: 1, pt: 96, writer: w})
	writeLive(l, d, 7, false)
	writeLive(l, d, 8, false)
	if len(w.seqs) != 7 || !w.keys[0] {
		t.Fatalf("wrote %d packets (first a keyframe: %v); want 7: the cached keyframe, 4 deltas, 2 live", len(w.seqs), len(w.keys) > 0 && w.keys[0])
	}
	for i := 1; i < len(w.seqs); i++ {
		if w.seqs[i] != w.seqs[i-1]+1 || w.tss[i]-w.tss[i-1] != 3000 {
			t.Fatalf("packet %d: seq %d ts %d after seq %d ts %d; want one stream (+1, +3000)", i, w.seqs[i], w.tss[i], w.seqs[i-1], w.tss[i-1])
		}
	}
	if plis.Load() != 0 {
		t.Fatalf("%d PLIs; want none (the stream started from the cache)", plis.Load())
	}
}

// A keyframe too old to replay (replayAge) is not used: the stream waits
// for a new one and asks for it.
func TestOldKeyframeIsNotReplayed(t *testing.T) {
	up, l, plis := countedVP8()
	l.lastPLI.Store(ago(time.Hour))
	for seq := uint16(1); seq <= 4; seq++ {
		feedVP8(l, seq, seq == 1)
	}
	l.lastKey.Store(time.Now().Add(-2 * replayAge).UnixNano())
	d := vp8Down(up)
	w := &headerLog{}
	d.binding.Store(&binding{ssrc: 1, pt: 96, writer: w})
	if d.canReplay() {
		t.Fatal("keyframe older than replayAge: canReplay, want false")
	}
	writeLive(l, d, 5, false)
	if len(w.seqs) != 0 || plis.Load() != 1 {
		t.Fatalf("wrote %d packets, %d PLIs; want none written and one PLI", len(w.seqs), plis.Load())
	}
	writeLive(l, d, 6, true)
	if len(w.seqs) != 1 || !w.keys[0] {
		t.Fatalf("after the new keyframe: wrote %d packets; want it alone", len(w.seqs))
	}
}

// A forced keyframe request (a path came back) within 300 ms of the last
// one is not sent then: libwebrtc would ignore it, and the server would
// then wait a whole interval for a keyframe that never comes. It goes out
// once the 300 ms have passed, even though the last one's keyframe has not
// come yet.
func TestForcedKeyframeWaitsOutTheIgnoreWindow(t *testing.T) {
	_, l, plis := countedVP8()
	l.lastPLI.Store(ago(100 * time.Millisecond)) // a PLI just went out; no keyframe yet
	l.forceKeyframe()
	if plis.Load() != 0 || !l.pliPending.Load() {
		t.Fatalf("forced 100 ms after the last PLI: %d PLIs (pending=%v); want none sent, one pending", plis.Load(), l.pliPending.Load())
	}
	l.lastPLI.Store(ago(answeredPLIGap + 10*time.Millisecond))
	l.requestKeyframe() // the reader, at its next packet
	if plis.Load() != 1 {
		t.Fatalf("the 300 ms passed: %d PLIs; want the forced one sent", plis.Load())
	}
	l.lastPLI.Store(ago(time.Second))
	l.forceKeyframe()
	if plis.Load() != 2 {
		t.Fatalf("forced 1 s after the last PLI: %d PLIs; want it sent at once", plis.Load())
	}
}

// A keyframe request whose keyframe does not come (the PLI or the
// keyframe's first packet lost on the way) is sent again when the interval
// ends, by the reader, without another subscriber asking; a few times in a
// row at most; a keyframe ends it.
func TestUnansweredKeyframeRequestIsRepeated(t *testing.T) {
	up, l, plis := countedVP8()
	l.lastPLI.Store(ago(time.Hour))
	l.requestKeyframe() // a subscriber's PLI
	for i := 1; i < 10; i++ {
		if !l.pliPending.Load() {
			break
		}
		l.lastPLI.Store(ago(up.pliEvery + 10*time.Millisecond)) // no keyframe within the interval
		feedVP8(l, uint16(i), false)                            // the reader, at a delta
		l.requestKeyframe()
	}
	if plis.Load() != maxUnanswered {
		t.Fatalf("%d PLIs for one keyframe that never came; want %d", plis.Load(), maxUnanswered)
	}
	feedVP8(l, 20, true)
	l.lastPLI.Store(ago(time.Hour))
	l.requestKeyframe()
	if plis.Load() != maxUnanswered+1 || !l.pliPending.Load() {
		t.Fatalf("after a keyframe, a new request: %d PLIs (pending %v); want one more, watched", plis.Load(), l.pliPending.Load())
	}
}

// A padding probe takes the next sequence number, after which a late packet
// can no longer be forwarded: while a hole in the forwarded stream may
// still be filled (lateWindow), no padding goes out, and the late packet
// does.
func TestPaddingWaitsForLatePackets(t *testing.T) {
	up, l := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	d := vp8Down(up)
	w := &headerLog{}
	d.binding.Store(&binding{ssrc: 1, pt: 96, twccID: 3, writer: w})
	writeLive(l, d, 1, true)
	writeLive(l, d, 2, false)
	writeLive(l, d, 4, false) // 3 is missing: lost or late
	d.writePadding(time.Now())
	writeLive(l, d, 3, false) // late: it comes after all
	if len(w.seqs) != 4 || w.seqs[3] != w.seqs[0]+2 {
		t.Fatalf("wrote seqs %v; want 4 packets, the late one (third number) last, and no padding", w.seqs)
	}
	d.writePadding(time.Now().Add(lateWindow + time.Millisecond))
	if len(w.seqs) != 5 || w.seqs[4] != w.seqs[0]+4 {
		t.Fatalf("after lateWindow: wrote seqs %v; want a padding packet after the fourth", w.seqs)
	}
}

// Padding-only packets are dropped and the numbers after them close up; a
// packet that comes late (a NACK repair, a reordering) after a padding
// packet that follows it keeps the number it would have had in order,
// rather than taking one already given to another packet.
func TestLatePacketKeepsItsNumberAcrossPadding(t *testing.T) {
	_, l := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	got := map[uint16]uint16{} // raw -> forwarded number
	in := func(raw uint16, padding bool) {
		if seq, ok := prepareRaw(l, raw, padding); ok {
			got[raw] = seq
		}
	}
	in(1, false)
	in(2, false)
	// 3 is lost for now
	in(4, true) // padding: dropped
	in(5, false)
	in(6, false)
	in(3, false) // the repair of 3
	in(8, false)
	in(7, true) // padding, late: not counted
	in(9, false)
	want := map[uint16]uint16{1: 1, 2: 2, 3: 3, 5: 4, 6: 5, 8: 7, 9: 8}
	for raw, seq := range want {
		if got[raw] != seq {
			t.Fatalf("forwarded numbers %v; want %v", got, want)
		}
	}
}

// A packet so late that more padding came after it than the layer
// remembers is dropped: numbered, it could take another packet's number.
func TestTooLatePacketIsDropped(t *testing.T) {
	_, l := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	in := func(raw uint16, padding bool) bool {
		_, ok := prepareRaw(l, raw, padding)
		return ok
	}
	in(1, false)
	raw := uint16(3)
	for range len(l.pads.seqs) + 1 {
		in(raw, true)
		raw++
	}
	if in(2, false) {
		t.Fatal("a packet older than every padding remembered was forwarded; want it dropped")
	}
	if !in(raw, false) {
		t.Fatal("the next packet in order was dropped")
	}
}

// Padding remembered from a wrap ago (65,536 packets) is not counted
// before a late packet whose 16-bit number happens to come just before it.
func TestPaddingFromAWrapAgoIsNotCounted(t *testing.T) {
	_, l := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	prepareRaw(l, 1, false)
	prepareRaw(l, 5, true) // dropped: what follows is numbered one less
	raw := uint16(6)
	for range 1<<16 - 2 { // a wrap later, the next packet is 4 again
		if _, ok := prepareRaw(l, raw, false); !ok {
			t.Fatalf("packet %d refused", raw)
		}
		raw++
	}
	inOrder, _ := prepareRaw(l, raw+1, false) // raw (4) is missing: it comes late below
	late, ok := prepareRaw(l, raw, false)
	if !ok || late != inOrder-1 {
		t.Fatalf("late packet %d forwarded as %d (ok %v); want %d, just before the next one's %d", raw, late, ok, inOrder-1, inOrder)
	}
}

// A rewriter forwarding one layer for more than the number space, with a
// repair asked for near the end: every packet goes out.
func TestRewriterForwardsPastHalfTheNumbers(t *testing.T) {
	w := newRewriter(1000, 0)
	p := &packet{keyframe: true}
	for i := range 70_000 {
		p.seq = uint16(i)
		if _, _, ok := w.next(p, 0, true, false, 90000, int64(i)); !ok {
			t.Fatalf("packet %d not forwarded", i)
		}
	}
	const back = 70_000 - 100
	p.seq = uint16(back & 0xffff)
	if _, _, ok := w.next(p, 0, true, true, 90000, 70_000); !ok {
		t.Fatal("a retransmission 100 packets back not forwarded")
	}
}

// A subscriber's NACKs get each cached packet resent at most resendTimes,
// and not again within the resend gap: a NACK repeated at once, or one
// naming the whole cache over and over, does not multiply what the server
// sends (one small datagram could ask for 256 encrypted sends).
func TestRepeatedNACKsResendEachPacketAFewTimes(t *testing.T) {
	up, l, _ := countedVP8()
	d := vp8Down(up)
	d.queue = &sendQueue{w: &writer{wake: make(chan struct{}, 1)}, limit: 1024}
	w := &headerLog{}
	d.binding.Store(&binding{ssrc: 1, pt: 96, writer: w})
	for seq := uint16(100); seq < 110; seq++ {
		writeLive(l, d, seq, seq == 100)
	}
	if len(w.seqs) != 10 {
		t.Fatalf("%d packets forwarded, want 10", len(w.seqs))
	}
	all := &rtcp.TransportLayerNack{Nacks: rtcp.NackPairsFromSequenceNumbers(w.seqs)}
	resent := func(at time.Duration) int {
		d.retransmit(all, time.Unix(1700000000, 0).Add(at))
		buf := make([]sendItem, 64)
		k, _ := d.queue.pop(buf, nil)
		for _, it := range buf[:k] {
			it.p.release()
		}
		return k
	}
	for _, step := range []struct {
		at   time.Duration
		want int
	}{
		{0, 10},                      // first ask
		{time.Millisecond, 0},        // asked again at once
		{49 * time.Millisecond, 0},   // within the gap (no round trip known: 50 ms)
		{60 * time.Millisecond, 10},  // second time
		{120 * time.Millisecond, 10}, // third
		{180 * time.Millisecond, 0},  // resendTimes reached
		{5 * time.Second, 0},         // for as long as it is remembered
	} {
		if got := resent(step.at); got != step.want {
			t.Fatalf("NACK of all 10 at +%v: %d resent, want %d", step.at, got, step.want)
		}
	}
	if r, f := up.stats.resent.Load(), up.stats.refused.Load(); r != 30 || f != 40 {
		t.Errorf("counted %d resent and %d refused, want 30 and 40", r, f)
	}
	// A queue that is full takes no resend, and none is counted.
	d.queue = &sendQueue{w: &writer{wake: make(chan struct{}, 1)}, limit: 4}
	log0 := up.stats.resent.Load()
	if got := resent(20 * time.Second); got != 4 || up.stats.resent.Load()-log0 != 4 {
		t.Errorf("NACK of 10 with room for 4: %d queued and %d counted resent, want 4 and 4", got, up.stats.resent.Load()-log0)
	}
	// 65,536 packets later the same numbers are other packets: what was
	// resent long ago does not hold them back.
	log := d.resent.Load()
	at := time.Unix(1700000000, 0).Add(resendMemory + 200*time.Millisecond)
	if !log.take(w.seqs[0], at, resendGap(0, false)) {
		t.Error("a number resent 3 times more than resendMemory ago is refused")
	}
	for _, c := range []struct {
		rtt   time.Duration
		known bool
		want  time.Duration
	}{{0, false, 50 * time.Millisecond}, {20 * time.Millisecond, true, 15 * time.Millisecond},
		{time.Millisecond, true, 10 * time.Millisecond}, {time.Second, true, 100 * time.Millisecond}} {
		if got := resendGap(c.rtt, c.known); got != c.want {
			t.Errorf("resendGap(%v, %v) = %v, want %v", c.rtt, c.known, got, c.want)
		}
	}
}
