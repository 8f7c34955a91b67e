package sfu

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// A subscriber's video that forwards nothing for more than 500 ms while
// the publisher's packets keep reaching its down-track counts one freeze
// per stall; a publisher that stops sending (muted, gone) is no freeze.
func TestFreezesCountedAtTheSFUsViewOfTheReceiver(t *testing.T) {
	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	d := newDownTrack(up, nil, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{ClockRate: 90000}}, nil)
	d.binding.Store(&binding{ssrc: 9, pt: 96, writer: &countingWriter{}})
	low := &layerStream{layer: 0, seq: 100, ts: 1000, keyEvery: 1000}
	high := &layerStream{layer: 1, seq: 5000, ts: 90000, keyEvery: 1000, frame: 1} // no keyframe until frame is reset
	now := time.Unix(1700000000, 0)
	frames := func(s *layerStream, n int) {
		for range n {
			now = now.Add(33 * time.Millisecond)
			for _, p := range s.frameAt() {
				d.write(p, false, now)
			}
		}
	}
	d.target.Store(0)
	frames(low, 30) // 1 s forwarded (the first frame is a keyframe)
	now = now.Add(2 * time.Second)
	frames(low, 30) // the publisher paused and resumed: no freeze
	if got := d.freezes.Load(); got != 0 {
		t.Fatalf("%d freezes after a publisher pause, want 0", got)
	}
	d.target.Store(1) // switching to a layer whose keyframe does not come
	frames(high, 30)  // 1 s of packets the writer holds
	if got, up := d.freezes.Load(), d.upstream.Load(); got != 1 || up != 1 {
		t.Fatalf("%d freezes (%d upstream) after 1 s held, want 1 (1: the sender's keyframe did not come)", got, up)
	}
	high.frame = 0 // its next frame is a keyframe: forwarded, the freeze is over
	frames(high, 10)
	frames(&layerStream{layer: 2, seq: 1, ts: 1, keyEvery: 1000, frame: 1}, 5) // 165 ms of a layer not wanted: nothing offered
	d.target.Store(0)
	frames(low, 10) // 330 ms held: no freeze yet
	if got := d.freezes.Load(); got != 1 {
		t.Fatalf("%d freezes after a stall under 500 ms, want still 1", got)
	}
	frames(low, 10) // held past 500 ms: the second
	if got := d.freezes.Load(); got != 2 {
		t.Fatalf("%d freezes, want 2", got)
	}
	d.target.Store(noLayer) // paused by the subscriber: never a freeze
	frames(low, 60)
	if got := d.freezes.Load(); got != 2 {
		t.Fatalf("%d freezes while paused, want 2", got)
	}
}

// A freeze the server cannot see by itself: the subscriber's decoder
// stopped (loss past the server) and asked for a keyframe (PLI, FIR); when
// that keyframe goes out more than 500 ms later, the picture stood still that
// long. A keyframe lost on the way too (asked again at once) is the same
// freeze; the stream's first keyframe request is none.
func TestUnansweredKeyframeRequestCountsAFreeze(t *testing.T) {
	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	d := newDownTrack(up, nil, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{ClockRate: 90000}}, nil)
	d.binding.Store(&binding{ssrc: 9, pt: 96, writer: &countingWriter{}})
	d.target.Store(0)
	s := &layerStream{layer: 0, seq: 100, ts: 1000, keyEvery: 1000}
	now := time.Unix(1700000000, 0)
	frames := func(n int) {
		for range n {
			now = now.Add(33 * time.Millisecond)
			for _, p := range s.frameAt() {
				d.write(p, false, now)
			}
		}
	}
	asked := func() { d.pliAt.Store(now.UnixNano()) } // as handleRTCP does, on the test's clock
	keyframe := func() { s.frame = 0; frames(1) }
	want := func(n int64, what string) {
		t.Helper()
		if got := d.freezes.Load(); got != n {
			t.Fatalf("%s: %d freezes, want %d", what, got, n)
		}
	}
	asked() // before anything went out: the stream's start
	frames(20)
	want(0, "a keyframe asked for at the start")
	asked()
	frames(9)
	keyframe() // 330 ms later
	want(0, "a keyframe 330 ms after the request")
	asked()
	frames(20)
	keyframe() // 693 ms later
	want(1, "a keyframe 693 ms after the request")
	frames(9)
	asked() // 300 ms after: that keyframe was lost on the way too
	frames(20)
	keyframe()
	want(1, "asked again within a second of the last freeze")
	frames(90)
	asked() // 3 s later, a new stall
	frames(20)
	keyframe()
	want(2, "a second stall")

	// what handleRTCP does: counted, and armed unless the subscriber is paused
	d.handleRTCP(&rtcp.PictureLossIndication{})
	if d.pliAt.Load() == 0 || up.stats.keyframeAsked.Load() != 1 {
		t.Errorf("a PLI: armed at %d, %d counted; want armed and 1", d.pliAt.Load(), up.stats.keyframeAsked.Load())
	}
	d.pliAt.Store(0)
	d.target.Store(noLayer)
	d.handleRTCP(&rtcp.FullIntraRequest{})
	if d.pliAt.Load() != 0 || up.stats.keyframeAsked.Load() != 2 {
		t.Errorf("a FIR while paused: armed at %d, %d counted; want not armed and 2", d.pliAt.Load(), up.stats.keyframeAsked.Load())
	}
}

// A publisher without RTX resends a NACKed packet under its own sequence
// number: counted as received twice, it hid the loss it repaired and more.
func TestRecvStatsCountsAResentPacketOnce(t *testing.T) {
	var s recvStats
	now := time.Unix(1700000000, 0).UnixNano()
	seq := uint16(65400) // wraps
	for i := range 1000 {
		seq++
		if i%20 == 3 {
			continue // 50 of 1000 lost for good
		}
		s.seen(seq, 100, now)
		if i%10 == 5 {
			s.seen(seq-1, 100, now) // a resend of the one before (received already)
		}
	}
	s.seen(seq-900, 100, now) // older than the window: cannot tell, counted
	s.publish(now)
	if exp, got := s.pubExpected.Load(), s.pubCount.Load(); exp != 1000 || got != 951 {
		t.Errorf("expected %d, received %d; want 1000 and 951 (950, and one too old to tell)", exp, got)
	}
}

// Jitter and round trip are the session's means, not the last report's: a
// bad moment at the end of a good call does not decide its rating.
func TestQualityFiguresAreSessionMeans(t *testing.T) {
	var rr rrStats
	now := time.Now()
	for i := range 10 {
		jitter, rtt := uint32(90), 20*time.Millisecond // 1 ms, 20 ms
		if i == 9 {
			jitter, rtt = 18000, 400*time.Millisecond // the last: 200 ms, 400 ms
		}
		lsr := uint32(ntpTime(now.Add(-rtt)) >> 16)
		rr.receptionReports(9, []rtcp.ReceptionReport{{SSRC: 9, Jitter: jitter, LastSenderReport: lsr}}, now)
	}
	jitter, rtt, ok := rr.means()
	if ms := jitter * 1000 / 90000; ms < 20 || ms > 21 {
		t.Errorf("mean jitter %.1f ms, want 20.9 (nine of 1 ms, one of 200)", ms)
	}
	if !ok || rtt < 57*time.Millisecond || rtt > 59*time.Millisecond {
		t.Errorf("mean round trip %v (%v), want 58 ms", rtt, ok)
	}
	if last, _ := rr.rtt(); last < 399*time.Millisecond {
		t.Errorf("the last round trip %v, want 400 ms (what NACK resends go by)", last)
	}
	// upstream: the once-a-second samples
	var s recvStats
	for _, j := range []int64{16 * 90, 16 * 90, 16 * 90, 16 * 18000} {
		s.seqs.started = true
		s.jitter = j
		s.sampleJitter()
	}
	s.publish(1)
	if got := s.pubJitter.Load() / 16; got != (90*3+18000)/4 {
		t.Errorf("upstream jitter %d, want the mean of the samples %d", got, (90*3+18000)/4)
	}
}

// The publisher side: loss from sequence numbers (across a wrap), RFC
// 3550 jitter from arrival against RTP time.
func TestRecvStatsLossAndJitter(t *testing.T) {
	var s recvStats
	start := time.Unix(1700000000, 0).UnixNano()
	seq := uint16(65000)
	for i := range 1000 {
		seq++
		if i%50 == 7 {
			continue // 20 of 1000 lost
		}
		at := start + int64(i)*int64(20*time.Millisecond)
		if i%2 == 1 {
			at += int64(4 * time.Millisecond) // every other packet 4 ms late
		}
		s.seen(seq, 100, at)
		s.media(uint32(i*960), 48000, at)
	}
	s.publish(start + int64(20*time.Second))
	if exp, got := s.pubExpected.Load(), s.pubCount.Load(); exp != 1000 || got != 980 {
		t.Errorf("expected %d, received %d; want 1000 and 980", exp, got)
	}
	var tot upTotals
	l := &layer{}
	l.recv.pubExpected.Store(s.pubExpected.Load())
	l.recv.pubCount.Store(s.pubCount.Load())
	l.recv.pubJitter.Store(s.pubJitter.Load())
	tot.add(l, 48000)
	if tot.jitterMs < 3 || tot.jitterMs > 5 {
		t.Errorf("jitter %.2f ms, want about 4 (packets alternately 4 ms late)", tot.jitterMs)
	}
	if q := summarize(time.Unix(0, start), time.Unix(0, start).Add(20*time.Second), tot, downTotals{}); q.LossSent == nil || *q.LossSent != 0.02 {
		t.Errorf("loss sent %v, want 0.02", q.LossSent)
	}
}

// The subscriber side: loss, jitter and RTT (LSR/DLSR) from a receiver report.
func TestReceiverReportGivesLossJitterRTT(t *testing.T) {
	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	d := newDownTrack(up, nil, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{ClockRate: 90000}}, nil)
	d.binding.Store(&binding{ssrc: 9, pt: 96, writer: &countingWriter{}})
	d.firstSeq.Store(1000)
	d.firstSeqSet.Store(true)
	now := time.Now()
	sentSR := uint32(ntpTime(now.Add(-80*time.Millisecond)) >> 16)
	d.rr.receptionReports(9, []rtcp.ReceptionReport{
		{SSRC: 8, TotalLost: 999}, // another track's block
		{SSRC: 9, TotalLost: 50, LastSequenceNumber: 1<<16 | 999, Jitter: 900, LastSenderReport: sentSR, Delay: 65536 * 50 / 1000},
	}, now)
	var tot downTotals
	tot.add(d)
	q := summarize(now.Add(-time.Minute), now, upTotals{}, tot)
	// 65536 expected (1000 .. 65535, then 0 .. 999), 50 lost.
	if q.LossReceived == nil || *q.LossReceived != lossOf(50, 65536) {
		t.Errorf("loss received %v, want %v", q.LossReceived, lossOf(50, 65536))
	}
	if q.JitterReceivedMs == nil || *q.JitterReceivedMs != 10 {
		t.Errorf("jitter received %v ms, want 10 (900 at 90 kHz)", q.JitterReceivedMs)
	}
	if q.RTTMs == nil || *q.RTTMs < 29 || *q.RTTMs > 31 {
		t.Errorf("RTT %v ms, want 30 (80 ms since the SR, 50 held by the receiver)", q.RTTMs)
	}
	// 40 of the lost were never received by the server (holes it forwarded):
	// not the subscriber's loss.
	d.holes.Store(40)
	tot = downTotals{}
	tot.add(d)
	if q := summarize(now.Add(-time.Minute), now, upTotals{}, tot); q.LossReceived == nil || *q.LossReceived != lossOf(10, 65536-40) {
		t.Errorf("loss received with 40 upstream holes %v, want %v", q.LossReceived, lossOf(10, 65536-40))
	}
}

func TestRatingFromMOSAndFreezes(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		name     string
		q        protocol.Quality
		d        time.Duration
		want     string
		upstream int
	}{
		{"clean", protocol.Quality{RTTMs: f(20), JitterSentMs: f(5), LossSent: f(0)}, time.Minute, protocol.QualityGood, 0},
		{"2% loss", protocol.Quality{RTTMs: f(40), LossReceived: f(0.02)}, time.Minute, protocol.QualityGood, 0},
		{"15% loss", protocol.Quality{RTTMs: f(40), LossReceived: f(0.15)}, time.Minute, protocol.QualityPoor, 0},
		{"satellite RTT and jitter", protocol.Quality{RTTMs: f(700), JitterReceivedMs: f(80)}, time.Minute, protocol.QualityPoor, 0},
		{"one freeze in 10 s", protocol.Quality{Freezes: 1}, 10 * time.Second, protocol.QualityGood, 0},
		{"3 freezes in 10 minutes", protocol.Quality{Freezes: 3}, 10 * time.Minute, protocol.QualityGood, 0},
		{"4 freezes in a minute", protocol.Quality{Freezes: 4}, time.Minute, protocol.QualityPoor, 0},
		// a clean path whose sender's layer stopped (the constrained-network audit: rated poor)
		{"4 freezes in a minute, 3 of them upstream", protocol.Quality{Freezes: 4}, time.Minute, protocol.QualityGood, 3},
		{"4 freezes in a minute, 2 of them upstream", protocol.Quality{Freezes: 4}, time.Minute, protocol.QualityPoor, 2},
		{"never connected", protocol.Quality{}, 30 * time.Second, protocol.QualityPoor, 0}, // an aiortc author's audit: it said good, MOS 4.4
	} {
		q := tc.q
		if q.Candidate == "" && tc.name != "never connected" {
			q.Candidate, q.BitrateSent, q.BitrateReceived = protocol.CandidateHost, 40_000, 40_000
		}
		rate(&q, tc.d, tc.upstream)
		if q.Rating != tc.want || q.MOS < 1 || q.MOS > 4.5 {
			t.Errorf("%s: %s (MOS %.2f), want %s", tc.name, q.Rating, q.MOS, tc.want)
		}
	}
}

// Holes: a forwarded stream that skips sequence numbers (the server never
// got them) counts them; a late packet filling one takes it back.
func TestDownTrackCountsUpstreamHoles(t *testing.T) {
	up, _ := testUpTrack(webrtc.RTPCodecTypeAudio, "audio/opus", nil)
	d := newDownTrack(up, nil, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{ClockRate: 48000}}, nil)
	d.binding.Store(&binding{ssrc: 7, pt: 111, writer: &countingWriter{}})
	now := time.Unix(1700000000, 0)
	for _, seq := range []uint16{10, 11, 12, 15, 16, 14, 20} { // 13, 14, 17-19 missing; 14 comes late
		now = now.Add(20 * time.Millisecond)
		d.write(&packet{seq: seq, ts: uint32(seq) * 960, payload: make([]byte, 50)}, false, now)
	}
	if got := d.holes.Load(); got != 4 {
		t.Fatalf("%d holes, want 4 (13, 17, 18, 19)", got)
	}
}
