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
	count       uint64   // packets received, padding included
	bytes       uint64
	lastTransit int64 // arrival minus RTP time of the last media packet, in clock units
	jitter      int64 // RFC 3550 jitter x 16, in clock units

	pubExpected atomic.Uint64
	pubCount    atomic.Uint64
	pubBytes    atomic.Uint64
	pubSpan     atomic.Int64 // ns from the first packet to the publication
	pubJitter   atomic.Int64 // x 16, clock units
}

// seen counts one packet of n bytes with sequence number seq (padding too).
func (s *recvStats) seen(seq uint16, n int, now int64) {
	if !s.seqs.started {
		s.firstAt, s.baseSeq = now, seq
	}
	s.seqs.sent(seq)
	s.count++
	s.bytes += uint64(n)
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

// publish makes the figures so far visible to the room goroutine.
func (s *recvStats) publish(now int64) {
	if !s.seqs.started {
		return
	}
	s.pubExpected.Store(uint64(s.seqs.wraps)<<16 + uint64(s.seqs.max) - uint64(s.baseSeq) + 1)
	s.pubCount.Store(s.count)
	s.pubBytes.Store(s.bytes)
	s.pubSpan.Store(now - s.firstAt)
	s.pubJitter.Store(s.jitter)
}

// rrStats is the latest RTCP reception report a subscriber sent about one
// down-track (any goroutine reads; its RTCP reader writes).
type rrStats struct {
	got     atomic.Bool
	lost    atomic.Int64  // cumulative packets lost
	highest atomic.Uint32 // extended highest sequence number received
	jitter  atomic.Uint32 // clock units
	rttUs   atomic.Int64  // valid once rttGot
	rttGot  atomic.Bool
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
		s.jitter.Store(rr.Jitter)
		if rr.LastSenderReport != 0 {
			mid := uint32(ntpTime(now) >> 16)
			if d := mid - rr.LastSenderReport - rr.Delay; d < 1<<31 {
				s.rttUs.Store(int64(d) * 1_000_000 >> 16)
				s.rttGot.Store(true)
			}
		}
		s.got.Store(true)
	}
}
