package sfu

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

func TestNTPTime(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want uint64
	}{
		{time.Unix(0, 0), 2208988800 << 32},
		{time.Unix(1, 500_000_000), (2208988801 << 32) | 1<<31},
		{time.Unix(1700000000, 250_000_000), (1700000000+2208988800)<<32 | 1<<30},
	} {
		if got := ntpTime(tc.at); got != tc.want {
			t.Errorf("ntpTime(%v) = %#x, want %#x", tc.at, got, tc.want)
		}
	}
}

// A down-track reports what it wrote, once per interval, with the RTP time
// of the report's instant: what a browser needs for lip sync and stats.
func TestDownTrackSendsSenderReports(t *testing.T) {
	var reports []*rtcp.SenderReport
	up, _ := testUpTrack(webrtc.RTPCodecTypeAudio, "audio/opus", nil)
	d := newDownTrack(up, nil, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{ClockRate: 48000}},
		func(pkts []rtcp.Packet) error {
			reports = append(reports, pkts[0].(*rtcp.SenderReport))
			return nil
		})
	d.binding.Store(&binding{ssrc: 7, pt: 111, writer: &countingWriter{}})
	start := time.Unix(1700000000, 0)
	p := &packet{payload: make([]byte, 100)}
	for i := range 150 { // 20 ms apart: 3 s of audio
		p.seq, p.ts = uint16(i), uint32(i*960)
		d.write(p, false, start.Add(time.Duration(i)*20*time.Millisecond))
	}
	if len(reports) != 3 {
		t.Fatalf("%d sender reports in 3 s, want 3 (one per second)", len(reports))
	}
	last := reports[2] // written with packet 100, at start + 2 s
	if last.SSRC != 7 || last.PacketCount != 101 || last.OctetCount != 101*100 {
		t.Errorf("report = ssrc %d, %d packets, %d octets; want 7, 101, 10100", last.SSRC, last.PacketCount, last.OctetCount)
	}
	if want := uint32(100*960) + d.rw.tsOff; last.RTPTime != want {
		t.Errorf("RTP time %d, want %d (the packet written at the same instant)", last.RTPTime, want)
	}
	if want := ntpTime(start.Add(2 * time.Second)); last.NTPTime != want {
		t.Errorf("NTP time %#x, want %#x", last.NTPTime, want)
	}
}

func TestSenderReportAdvancesRTPTimeSinceLastPacket(t *testing.T) {
	var s senderStats
	at := time.Unix(1700000000, 0)
	s.sent(1000, 10, at.UnixNano())
	sr := s.report(1, 90000, at.Add(100*time.Millisecond))
	if sr.RTPTime != 1000+9000 {
		t.Errorf("RTP time %d, want %d (100 ms at 90 kHz after the last packet)", sr.RTPTime, 1000+9000)
	}
}

// droppingWriter is Pion's writer before SRTP is up: it drops and says so
// with 0 bytes written.
type droppingWriter struct{}

func (droppingWriter) WriteRTP(*rtp.Header, []byte) (int, error) { return 0, nil }
func (droppingWriter) Write([]byte) (int, error)                 { return 0, nil }

func TestNoSenderReportForPacketsNeverSent(t *testing.T) {
	up, _ := testUpTrack(webrtc.RTPCodecTypeAudio, "audio/opus", nil)
	d := newDownTrack(up, nil, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{ClockRate: 48000}},
		func([]rtcp.Packet) error { t.Error("sender report for packets Pion dropped"); return nil })
	d.binding.Store(&binding{ssrc: 7, pt: 111, writer: droppingWriter{}})
	p := &packet{payload: make([]byte, 100)}
	for i := range 100 {
		d.write(p, false, time.Unix(1700000000, 0).Add(time.Duration(i)*20*time.Millisecond))
	}
	if d.stats.packets != 0 {
		t.Errorf("%d packets counted as sent, want 0", d.stats.packets)
	}
}
