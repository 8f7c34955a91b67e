package client

import (
	"testing"

	"github.com/pion/webrtc/v4"
)

// A subscriber's RTCP is read at the server's media socket (decrypted with
// the connection's own SRTP keys, ahead of Pion's receive chain) and acts
// as before: its PLI reaches the publisher, its NACK is answered from the
// cache, and the count of datagrams read there moves.
func TestSubscriberRTCPIsReadAtTheSocket(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	alice := ts.join(t, "alice", "tap", MediaOptions{Video: "vp8"})
	bob := ts.join(t, "bob", "tap", MediaOptions{Settings: func(se *webrtc.SettingEngine) { se.DisableSRTPReplayProtection(true) }})
	pump(t, alice)
	tr := bob.receiving(t, "alice", "video", 30)
	eventually(t, "bob's RTCP read at the socket", func() bool { return counter(t, ts, "switchboard_sfu_rtcp_read_at_socket_total") > 0 })

	var video *LocalTrack
	for _, lt := range alice.LocalTracks() {
		if lt.Kind == "video" {
			video = lt
		}
	}
	before, taken := video.KeyframeRequests(), counter(t, ts, "switchboard_sfu_rtcp_read_at_socket_total")
	eventually(t, "bob's PLI reaches alice", func() bool {
		if err := bob.RequestKeyframe(tr); err != nil {
			t.Fatal(err)
		}
		return video.KeyframeRequests() > before
	})
	seq := bob.lastSeq(tr)
	eventually(t, "packet resent after bob's NACK", func() bool {
		if err := bob.SendNACK(tr, seq); err != nil {
			t.Fatal(err)
		}
		return bob.timesSeen(tr, seq) >= 2
	})
	if after := counter(t, ts, "switchboard_sfu_rtcp_read_at_socket_total"); after < taken+2 {
		t.Errorf("RTCP read at the socket went from %v to %v during a PLI and a NACK", taken, after)
	}
}

func counter(t *testing.T, ts *testSFU, name string) float64 {
	t.Helper()
	return metricFamily(t, ts, name).GetMetric()[0].GetCounter().GetValue()
}

// labeledCounter is the value of the counter name whose label is value.
func labeledCounter(t *testing.T, ts *testSFU, name, label, value string) float64 {
	t.Helper()
	for _, m := range metricFamily(t, ts, name).GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == label && l.GetValue() == value {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no %s{%s=%q}", name, label, value)
	return 0
}

// A publisher's RTP is read at the server's media socket (decrypted with
// the connection's own SRTP keys, read into its layer there) and written to
// the subscriber there too (encrypted with the subscriber connection's
// keys), and reaches the subscriber as before, with no gap: the counts of
// packets read and written there move, and a NACKed packet still comes
// back through the server's cache.
func TestPublisherRTPIsReadAtTheSocket(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	alice := ts.join(t, "alice", "tap", MediaOptions{Video: "vp8", Audio: true})
	bob := ts.join(t, "bob", "tap", MediaOptions{Settings: func(se *webrtc.SettingEngine) { se.DisableSRTPReplayProtection(true) }})
	pump(t, alice)
	tr := bob.receiving(t, "alice", "video", 30)
	bob.receiving(t, "alice", "audio", 30)
	eventually(t, "alice's RTP read at the socket", func() bool { return counter(t, ts, "switchboard_sfu_rtp_read_at_socket_total") > 100 })
	taken := counter(t, ts, "switchboard_sfu_rtp_read_at_socket_total")
	from := bob.lastSeq(tr)
	bob.receiving(t, "alice", "video", 60)
	if after := counter(t, ts, "switchboard_sfu_rtp_read_at_socket_total"); after <= taken {
		t.Errorf("RTP read at the socket stayed at %v while bob received", after)
	}
	// (his way out opens at his first RTCP: with a single-layer video, no
	// transport-cc feedback comes, so that is his first receiver report)
	eventually(t, "RTP written to bob through his own way out", func() bool {
		return counter(t, ts, "switchboard_sfu_rtp_written_at_socket_total") > 0
	})
	seq := bob.lastSeq(tr)
	eventually(t, "packet resent after bob's NACK", func() bool {
		if err := bob.SendNACK(tr, seq); err != nil {
			t.Fatal(err)
		}
		return bob.timesSeen(tr, seq) >= 2
	})
	for s := from; s != seq; s++ {
		if bob.timesSeen(tr, s) == 0 {
			t.Errorf("bob never got packet %d (between %d and %d)", s, from, seq)
		}
	}
}
