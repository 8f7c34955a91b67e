package sfu

import (
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
		offer, err := srv.eng.checkPublishOffer(sdp, cfg.MaxTracksPerParticipant)
		if err != nil {
			return
		}
		pc, err := srv.eng.newPublisherPC(newRTPTap())
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
