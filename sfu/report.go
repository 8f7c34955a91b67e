package sfu

import (
	"time"

	"github.com/pion/rtcp"
)

// reportEvery is the interval between two RTCP sender reports of a
// down-track (what Pion's report interceptor uses by default).
const reportEvery = time.Second

// senderStats is what a down-track has sent, for its RTCP sender reports.
// The subscriber's writer goroutine owns it: the down-track produces its own
// reports from the packets it writes, so no interceptor sits on the write
// path taking a lock per packet.
type senderStats struct {
	packets  uint32
	octets   uint32
	lastTS   uint32 // RTP timestamp of the last packet written
	lastAt   int64  // when it was written, unix ns
	reportAt int64  // when the last report went out, unix ns
}

// count counts a packet sent out of its time (replayFromKey): its
// timestamp is not the wall clock's now, so it moves no report.
func (s *senderStats) count(payload int) {
	s.packets++
	s.octets += uint32(payload)
}

// sent records one written packet; it reports whether a sender report is due.
func (s *senderStats) sent(ts uint32, payload int, now int64) bool {
	s.packets++
	s.octets += uint32(payload)
	s.lastTS, s.lastAt = ts, now
	return now-s.reportAt >= int64(reportEvery)
}

// report builds the sender report for ssrc at now and marks it sent. The RTP
// time is the last packet's advanced by the wall time since, at clockRate
// (RFC 3550 section 6.4.1), so receivers can synchronise audio and video.
func (s *senderStats) report(ssrc, clockRate uint32, now time.Time) *rtcp.SenderReport {
	ns := now.UnixNano()
	s.reportAt = ns
	rtpTime := s.lastTS
	if clockRate > 0 && ns > s.lastAt {
		rtpTime += uint32(uint64(ns-s.lastAt) * uint64(clockRate) / uint64(time.Second))
	}
	return &rtcp.SenderReport{
		SSRC:        ssrc,
		NTPTime:     ntpTime(now),
		RTPTime:     rtpTime,
		PacketCount: s.packets,
		OctetCount:  s.octets,
	}
}

// ntpTime is t as a 64-bit NTP timestamp (seconds since 1900, 32.32 fixed point).
func ntpTime(t time.Time) uint64 {
	const unixToNTP = 2208988800
	secs := uint64(t.Unix()) + unixToNTP
	frac := uint64(t.Nanosecond()) << 32 / uint64(time.Second)
	return secs<<32 | frac
}
