package sfu

import (
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
)

// freezeAfter is how long a subscriber's video may go without a forwarded
// packet, while its publisher's packets reach the down-track, before it
// counts as a freeze.
const freezeAfter = 500 * time.Millisecond

// recvStats is what a layer's reader measured of what its publisher sent:
// sequence numbers (for loss), RFC 3550 interarrival jitter and bytes. The
// reader owns the plain fields, a few integer operations per packet; it
// publishes them to the atomics every publishEvery packets and once a
// second (layer.meter), where the room goroutine reads them when the
// participant leaves (missing at most the last few packets).
type recvStats struct {
	seqs        seqWraps // the highest sequence number and its wraps
	firstAt     int64    // unix ns of the first packet
	baseSeq     uint16   // first sequence number
	count       uint64   // packets received, padding included, each sequence number once
	dups        seqWindow
	bytes       uint64
	lastTransit int64 // arrival minus RTP time of the last media packet, in clock units
	jitter      int64 // RFC 3550 jitter x 16, in clock units
	jitterSum   int64 // of the once-a-second samples of jitter (sampleJitter)
	jitterN     int64

	pubExpected atomic.Uint64
	pubCount    atomic.Uint64
	pubBytes    atomic.Uint64
	pubSpan     atomic.Int64 // ns from the first packet to the publication
	pubJitter   atomic.Int64 // x 16, clock units: the mean of the samples so far
}

// seen counts one packet of n bytes with sequence number seq (padding too).
func (s *recvStats) seen(seq uint16, n int, now int64) {
	if !s.seqs.started {
		s.firstAt, s.baseSeq = now, seq
	}
	s.seqs.sent(seq)
	s.bytes += uint64(n)
	// A publisher without RTX resends a NACKed packet under its own number:
	// counted twice, it would hide as much real loss.
	if !s.dups.seen(seq) {
		s.count++
	}
	if s.count%publishEvery == 0 {
		s.publish(now)
	}
}

// publishEvery is how many packets a layer's reader counts between two
// publications of its figures (about 1/3 s of 48 kHz Opus).
const publishEvery = 16

// media updates the jitter with a media packet of RTP time ts (RFC 3550
// A.8); clockRate 0 skips it.
func (s *recvStats) media(ts uint32, clockRate uint32, now int64) {
	if clockRate == 0 {
		return
	}
	arrival := (now - s.firstAt) * int64(clockRate) / int64(time.Second)
	transit := arrival - int64(ts)
	if s.lastTransit != 0 {
		d := transit - s.lastTransit
		if d < 0 {
			d = -d
		}
		if d < int64(clockRate) { // a jump of a second or more is a new source time, not jitter
			s.jitter += d - (s.jitter+8)>>4
		}
	}
	s.lastTransit = transit
}

// sampleJitter takes the jitter into the session's mean (once a second:
// the quality kept is the session's, not its last moment's).
func (s *recvStats) sampleJitter() {
	s.jitterSum += s.jitter
	s.jitterN++
}

// publish makes the figures so far visible to the room goroutine.
func (s *recvStats) publish(now int64) {
	if !s.seqs.started {
		return
	}
	s.pubExpected.Store(s.expected())
	s.pubCount.Store(s.count)
	s.pubBytes.Store(s.bytes)
	s.pubSpan.Store(now - s.firstAt)
	if s.jitterN > 0 {
		s.pubJitter.Store(s.jitterSum / s.jitterN)
	} else {
		s.pubJitter.Store(s.jitter)
	}
}

// expected is how many packets the publisher sent from the first one seen
// to the highest (RFC 3550 A.3); 0 before the first.
func (s *recvStats) expected() uint64 {
	if !s.seqs.started {
		return 0
	}
	return uint64(s.seqs.wraps)<<16 + uint64(s.seqs.max) - uint64(s.baseSeq) + 1
}

// seqWindow remembers which of the last seqWindowLen sequence numbers have
// been seen: for duplicates (recvStats) and for the packets to ask the
// publisher for again (missing).
type seqWindow struct {
	bits    [seqWindowLen / 64]uint64
	tries   [seqWindowLen]uint8 // NACKs sent for each missing number
	top     uint16              // the highest sequence number seen
	valid   uint16              // how many numbers up to top the window holds
	started bool
}

// seqWindowLen covers a second of video at 4 Mbit/s: a resend comes within
// a round trip or two.
const seqWindowLen = 512

// nackTries is how many times a missing packet is asked for, one
// feedbackEvery apart (libwebrtc's limit): a packet still missing after a
// second would come too late to show.
const nackTries = 10

// seen marks seq and reports whether it was seen before (false for one
// older than the window: it cannot tell).
func (w *seqWindow) seen(seq uint16) bool {
	if !w.started {
		w.started, w.top, w.valid = true, seq, 1
		w.set(seq)
		return false
	}
	if d := seq - w.top; d != 0 && d < 1<<15 { // ahead: forget what falls out of the window
		if d >= seqWindowLen {
			w.bits, w.tries = [seqWindowLen / 64]uint64{}, [seqWindowLen]uint8{}
			w.valid = 1
		} else {
			for s := w.top + 1; s != seq; s++ {
				w.clear(s)
			}
			w.valid = min(w.valid+d, seqWindowLen)
		}
		w.top = seq
		w.set(seq)
		return false
	}
	if w.top-seq >= seqWindowLen {
		return false
	}
	if w.has(seq) {
		return true
	}
	w.set(seq)
	return false
}

// missing appends to dst, oldest first, the numbers in the window not seen
// yet that were asked for fewer than nackTries times, and counts this ask.
func (w *seqWindow) missing(dst []uint16) []uint16 {
	for i := int(w.valid) - 1; i >= 1; i-- { // valid is 0 before the first packet
		s := w.top - uint16(i)
		if !w.has(s) && w.tries[s%seqWindowLen] < nackTries {
			w.tries[s%seqWindowLen]++
			dst = append(dst, s)
		}
	}
	return dst
}

func (w *seqWindow) set(seq uint16) { w.bits[seq%seqWindowLen/64] |= 1 << (seq % 64) }

// clear forgets seq (the window moved past its slot), its asks too.
func (w *seqWindow) clear(seq uint16) {
	w.bits[seq%seqWindowLen/64] &^= 1 << (seq % 64)
	w.tries[seq%seqWindowLen] = 0
}

func (w *seqWindow) has(seq uint16) bool { return w.bits[seq%seqWindowLen/64]&(1<<(seq%64)) != 0 }

// rrStats is what the RTCP reception reports a subscriber sent about one
// down-track said: the latest loss counts and round trip, and the session's
// sums of jitter and round trip for their means (any goroutine reads; its
// RTCP reader writes).
type rrStats struct {
	got       atomic.Bool
	lost      atomic.Int64  // cumulative packets lost
	highest   atomic.Uint32 // extended highest sequence number received
	jitterSum atomic.Uint64 // clock units, over jitterN reports
	jitterN   atomic.Int64
	rttUs     atomic.Int64 // the latest; valid once rttGot
	rttGot    atomic.Bool
	rttSumUs  atomic.Int64 // over rttN reports
	rttN      atomic.Int64
}

// means are the session's mean jitter (clock units) and round trip; ok
// false when no report came (no round trip: rttN 0).
func (s *rrStats) means() (jitter float64, rtt time.Duration, rttOK bool) {
	if n := s.jitterN.Load(); n > 0 {
		jitter = float64(s.jitterSum.Load()) / float64(n)
	}
	if n := s.rttN.Load(); n > 0 {
		return jitter, time.Duration(s.rttSumUs.Load()/n) * time.Microsecond, true
	}
	return jitter, 0, false
}

// rtt is the last round trip the subscriber's reports gave (false: none yet).
func (s *rrStats) rtt() (time.Duration, bool) {
	return time.Duration(s.rttUs.Load()) * time.Microsecond, s.rttGot.Load()
}

// receptionReports records the blocks of an RR or SR about ssrc.
func (s *rrStats) receptionReports(ssrc uint32, reports []rtcp.ReceptionReport, now time.Time) {
	for _, rr := range reports {
		if rr.SSRC != ssrc {
			continue
		}
		lost := int64(rr.TotalLost & 0xffffff)
		if lost >= 1<<23 { // 24-bit two's complement: duplicates
			lost = 0
		}
		s.lost.Store(lost)
		s.highest.Store(rr.LastSequenceNumber)
		s.jitterSum.Add(uint64(rr.Jitter))
		s.jitterN.Add(1)
		if rr.LastSenderReport != 0 {
			mid := uint32(ntpTime(now) >> 16)
			if d := mid - rr.LastSenderReport - rr.Delay; d < 1<<31 {
				us := int64(d) * 1_000_000 >> 16
				s.rttUs.Store(us)
				s.rttGot.Store(true)
				s.rttSumUs.Add(us)
				s.rttN.Add(1)
			}
		}
		s.got.Store(true)
	}
}
