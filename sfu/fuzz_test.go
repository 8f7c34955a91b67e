package sfu

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pion/webrtc/v4"
)

// seedOffer is a minimal publisher offer (audio + video) as a browser sends it.
const seedOffer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n" +
	"a=fingerprint:sha-256 19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2\r\n" +
	"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
	"a=setup:actpass\r\na=rtcp-mux\r\na=sendonly\r\na=msid:s a\r\na=rtpmap:111 opus/48000/2\r\na=ssrc:1 cname:x\r\n" +
	"m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
	"a=setup:actpass\r\na=rtcp-mux\r\na=sendonly\r\na=msid:s v\r\na=rtpmap:96 VP8/90000\r\na=ssrc:2 cname:x\r\n"

// FuzzPublishOffer does what publishOffer and trickle do with a client's
// SDP and candidate on /v1/rtc (checkSDP, SetRemoteDescription, answer,
// AddICECandidate) with arbitrary input: errors are fine, a panic or a
// hang is not.
func FuzzPublishOffer(f *testing.F) {
	f.Add(seedOffer, "candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host", "0")
	f.Add(seedOffer, "candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype passive", "1")
	f.Add("v=0\r\n", "", "")
	f.Add(seedOffer, "candidate:3 1 udp 1 example.local 9 typ srflx raddr 0.0.0.0 rport 0", "9")
	srv, cfg := loopbackServer(f)
	f.Fuzz(func(t *testing.T, sdp, candidate, mid string) {
		offer, _, err := srv.eng.checkPublishOffer(sdp, cfg.MaxTracksPerParticipant)
		if err != nil {
			return
		}
		pc, err := srv.eng.newPublisherPC(newPubFeedback(srv.eng.logs))
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		if _, err := answerOffer(pc, offer); err != nil {
			return
		}
		c := webrtc.ICECandidateInit{Candidate: candidate, SDPMid: &mid}
		if checkCandidate(c, parsedOrNil(pc.RemoteDescription())) == nil {
			_ = pc.AddICECandidate(c)
		}
	})
}

// subscriberOffer makes a subscriber connection as a participant's, with one
// forwarded VP8 track (mid "1"), and applies its offer.
func subscriberOffer(tb testing.TB, srv *Server) (*webrtc.PeerConnection, string) {
	pc, err := srv.eng.newSubscriberPC()
	if err != nil {
		tb.Fatal(err)
	}
	track, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "v", "alice")
	if err == nil {
		var t *webrtc.RTPTransceiver
		if t, err = pc.AddTransceiverFromTrack(track, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err == nil {
			err = t.SetMid("1")
		}
	}
	var offer webrtc.SessionDescription
	if err == nil {
		offer, err = pc.CreateOffer(nil)
	}
	if err == nil {
		err = pc.SetLocalDescription(offer)
	}
	if err != nil {
		_ = pc.Close()
		tb.Fatal(err)
	}
	return pc, offer.SDP
}

// FuzzSubscriberAnswer does what subscriberAnswer does with a client's
// answer on /v1/rtc (checkSubscriberAnswer, then SetRemoteDescription) with
// arbitrary input: errors are fine, a panic or a hang is not, and an answer
// the check lets through has as many m-lines as the offer.
func FuzzSubscriberAnswer(f *testing.F) {
	srv, _ := loopbackServer(f)
	pc, offer := subscriberOffer(f, srv)
	client, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		f.Fatal(err)
	}
	var answer webrtc.SessionDescription
	if err = client.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err == nil {
		answer, err = client.CreateAnswer(nil)
	}
	_, _ = pc.Close(), client.Close()
	if err != nil {
		f.Fatal(err)
	}
	if err := checkSubscriberAnswer(answer.SDP, offer); err != nil || countMedia(offer) != 2 {
		f.Fatalf("the seed (Pion's answer to a data section and a track: %d m-lines) is refused: %v", countMedia(offer), err)
	}
	f.Add(answer.SDP)
	f.Add(strings.Replace(answer.SDP, "a=recvonly", "a=sendrecv", 1))
	f.Add(strings.Replace(answer.SDP, "VP8/90000", "vp8/90000", 1))
	f.Add("v=0\r\n")
	f.Fuzz(func(t *testing.T, answer string) {
		pc, offer := subscriberOffer(t, srv)
		defer pc.Close()
		if checkSubscriberAnswer(answer, offer) != nil {
			return
		}
		a, err := parseSDP(answer)
		if err != nil {
			t.Fatalf("an answer that does not parse passed the check: %v", err)
		}
		if o, _ := parseSDP(offer); len(a.MediaDescriptions) != len(o.MediaDescriptions) {
			t.Fatalf("an answer with %d media sections passed the check of an offer with %d", len(a.MediaDescriptions), len(o.MediaDescriptions))
		}
		_ = pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer})
	})
}

// TestMediaLimitCountsWhatParses: an offer whose first m= line follows a
// lone CR (the SDP parser takes it as the end of the t= line, and the cheap
// count by "\nm=" misses it) is held to the media limits.
func TestMediaLimitCountsWhatParses(t *testing.T) {
	srv, cfg := loopbackServer(t)
	video := seedOffer[strings.Index(seedOffer, "m=video"):]
	stopped := strings.Replace(video, "m=video 9", "m=video 0", 1)
	inactive := strings.Replace(video, "a=sendonly", "a=inactive", 1)
	// Audio and video sending, then one section more than an offer may
	// have in all, the others stopped or inactive; then the same with its
	// session attributes dropped (checkPublishOffer does not read them)
	// and the first m= line after a lone CR, which hides it from the count.
	all := maxSections(cfg.MaxTracksPerParticipant)
	over := seedOffer + strings.Repeat(stopped, (all-1)/2) + strings.Repeat(inactive, all-1-(all-1)/2)
	afterCR := func(offer string) string {
		return offer[:strings.Index(offer, "t=0 0\r\n")] + "t=0 0\r" + offer[strings.Index(offer, "m="):]
	}
	if n := countMedia(afterCR(over)); n != all {
		t.Fatalf("the lone CR hides nothing: %d media sections counted", n)
	}
	for _, offer := range []string{over, afterCR(over)} {
		if _, _, err := srv.eng.checkPublishOffer(offer, cfg.MaxTracksPerParticipant); !errors.Is(err, ErrTooManyMedia) {
			t.Errorf("%d media sections (%d counted by lines), at most %d in all: err %v, want ErrTooManyMedia",
				all+1, countMedia(offer), all, err)
		}
	}
	if _, _, err := srv.eng.checkPublishOffer(afterCR(seedOffer), cfg.MaxTracksPerParticipant); err != nil {
		t.Errorf("two media sections, the first after a lone CR: %v", err)
	}
}

// Only sections that send count against the tracks a participant may
// publish: a client that adds a section for each new screen share and stops
// the old one's sending (addTrack after removeTrack, as libwebrtc and Pion
// do) shares again and again; a section more sending is refused, and says so.
func TestMediaLimitCountsSendingSections(t *testing.T) {
	srv, cfg := loopbackServer(t)
	video := seedOffer[strings.Index(seedOffer, "m=video"):]
	shares := seedOffer
	for i := range maxSections(cfg.MaxTracksPerParticipant) - 3 {
		dir := []string{"a=inactive", "a=recvonly"}[i%2]
		shares += strings.Replace(strings.Replace(video, "a=mid:1", fmt.Sprintf("a=mid:%d", i+2), 1), "a=sendonly", dir, 1)
	}
	shares += strings.Replace(video, "a=mid:1", "a=mid:x", 1) // the share now: sending
	if _, _, err := srv.eng.checkPublishOffer(shares, cfg.MaxTracksPerParticipant); err != nil {
		t.Errorf("%d sections, 3 sending: %v", countMedia(shares), err)
	}
	sending := seedOffer + strings.Repeat(video, cfg.MaxTracksPerParticipant-1)
	_, _, err := srv.eng.checkPublishOffer(sending, cfg.MaxTracksPerParticipant)
	if !errors.Is(err, ErrTooManyMedia) || !strings.Contains(err.Error(), fmt.Sprintf("%d media sections send, at most %d", cfg.MaxTracksPerParticipant+1, cfg.MaxTracksPerParticipant)) {
		t.Errorf("%d sections sending: err %v, want ErrTooManyMedia naming the sending ones", cfg.MaxTracksPerParticipant+1, err)
	}
}
