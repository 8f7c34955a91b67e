package client

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/sfu"
)

func TestOneToOneForwardsAudioAndVideoBothWays(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	alice := ts.join(t, "alice", "s1", MediaOptions{Audio: true, Video: "vp8"})
	bob := ts.join(t, "bob", "s1", MediaOptions{Audio: true, Video: "vp8"})
	if got := bob.Info().Participants; len(got) != 1 || got[0].UID != "alice" {
		t.Fatalf("bob's joined lists %+v, want alice", got)
	}
	pump(t, alice, bob)
	for _, c := range []struct {
		p         *peer
		from      string
		kind, mim string
	}{
		{alice, "bob", "audio", "audio/opus"}, {alice, "bob", "video", "video/VP8"},
		{bob, "alice", "audio", "audio/opus"}, {bob, "alice", "video", "video/VP8"},
	} {
		tr := c.p.receiving(t, c.from, c.kind, 50)
		if tr.Codec != c.mim {
			t.Errorf("%s gets %s from %s as %s, want %s", c.p.uid, c.kind, c.from, tr.Codec, c.mim)
		}
	}
}

func TestVideoCodecsNegotiated(t *testing.T) {
	for _, c := range []struct{ name, mime string }{{"vp8", "video/VP8"}, {"h264", "video/H264"}, {"vp9", "video/VP9"}} {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestSFU(t, true, nil)
			alice := ts.join(t, "alice", "s-"+c.name, MediaOptions{Video: c.name})
			bob := ts.join(t, "bob", "s-"+c.name, MediaOptions{})
			pump(t, alice)
			tr := bob.receiving(t, "alice", "video", 30)
			if tr.Codec != c.mime {
				t.Fatalf("bob receives %s, want %s", tr.Codec, c.mime)
			}
		})
	}
}

func TestGroupOfSixEachReceivesTheFiveOthers(t *testing.T) {
	// Fan-out only: ten 580 kbit/s tracks to each of six peers under -race
	// overload this machine, and the estimator then sees real loss and
	// rightly pauses video for audio (bwe.go); that is tested elsewhere.
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.DisableEstimation = true })
	uids := []string{"u1", "u2", "u3", "u4", "u5", "u6"}
	peers := make([]*peer, len(uids))
	for i, uid := range uids {
		peers[i] = ts.join(t, uid, "group", MediaOptions{Audio: true, Video: "vp8"})
	}
	pump(t, peers...)
	receivingAll(t, peers, 20)
	for _, p := range peers {
		if n := len(p.RemoteTracks()); n != 10 {
			t.Errorf("%s has %d remote tracks, want 10 (no duplicates, none of its own)", p.uid, n)
		}
	}
	if got := ts.srv.Participants(); got != 6 {
		t.Errorf("server counts %d participants, want 6", got)
	}
}

func TestNewSubscriberTriggersKeyframeRequestAndSubscriberPLIReachesPublisher(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	var told atomic.Int64 // OnKeyframeRequest calls, each with the video track
	alice := ts.join(t, "alice", "kf", MediaOptions{Video: "vp8", OnKeyframeRequest: func(lt *LocalTrack) {
		if lt.Kind == "video" {
			told.Add(1)
		}
	}})
	video := alice.LocalTracks()[0]
	// No keyframe ever: one the server had cached would start bob without
	// asking alice (downTrack.replayFromKey), as it should.
	pumpDeltas(t, video)
	if n := video.KeyframeRequests(); n != 0 {
		t.Fatalf("alice got %d keyframe requests with nobody subscribed", n)
	}
	bob := ts.join(t, "bob", "kf", MediaOptions{})
	eventually(t, "alice gets a PLI when bob subscribes", func() bool { return video.KeyframeRequests() >= 1 })
	tr := bob.receiving(t, "alice", "video", 10)
	before := video.KeyframeRequests()
	eventually(t, "bob's PLI reaches alice", func() bool {
		if err := bob.RequestKeyframe(tr); err != nil {
			t.Fatal(err)
		}
		return video.KeyframeRequests() > before
	})
	if n, k := told.Load(), video.KeyframeRequests(); n == 0 || n > k {
		t.Errorf("OnKeyframeRequest called %d times for %d keyframe requests", n, k)
	}
}

func TestNACKAnsweredFromCache(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	alice := ts.join(t, "alice", "nack", MediaOptions{Video: "vp8"})
	// bob's SRTP layer would drop a resent packet it already has; turn
	// replay protection off so the resend is visible.
	bob := ts.join(t, "bob", "nack", MediaOptions{Settings: func(se *webrtc.SettingEngine) { se.DisableSRTPReplayProtection(true) }})
	pump(t, alice)
	tr := bob.receiving(t, "alice", "video", 30)
	seq := bob.lastSeq(tr)
	eventually(t, "packet resent after NACK", func() bool {
		if err := bob.SendNACK(tr, seq); err != nil {
			t.Fatal(err)
		}
		return bob.timesSeen(tr, seq) >= 2
	})
}

// A packet that comes 300 packets late (a repair after a NACK through a
// lossy, jittery path) still reaches the subscriber: the server's SRTP
// replay window reaches back that far (Pion's default of 64 dropped it, and
// the subscriber's picture froze until a keyframe).
func TestLatePacketIsForwarded(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	alice := ts.join(t, "alice", "late", MediaOptions{Video: "vp8"})
	bob := ts.join(t, "bob", "late", MediaOptions{})
	var video *LocalTrack
	for _, lt := range alice.LocalTracks() {
		if lt.Kind == "video" {
			video = lt
		}
	}
	payload := make([]byte, 300)
	send := func(seq uint16) {
		if err := video.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: uint32(seq) * 450, Marker: seq%3 == 0}, Payload: payload}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	seq := uint16(1000)
	var tr *RemoteTrack
	eventually(t, "bob receives alice's video", func() bool {
		for range 10 {
			send(seq)
			seq++
		}
		tr = bob.remoteFrom("alice", "video")
		return tr != nil && tr.Packets() >= 30
	})
	late := seq
	for range 300 {
		seq++
		send(seq)
	}
	send(late)
	eventually(t, "the late packet forwarded (no hole in what bob got)", func() bool {
		send(seq)
		seq++
		bob.mu.Lock()
		defer bob.mu.Unlock()
		var lo, hi uint16
		first := true
		for s := range bob.seqs[tr.SSRC] {
			if first || int16(s-lo) < 0 {
				lo = s
			}
			if first || int16(s-hi) > 0 {
				hi = s
			}
			first = false
		}
		return int(hi-lo)+1 == len(bob.seqs[tr.SSRC])
	})
}
