package sfu

import (
	"errors"
	"strings"
	"testing"

	"github.com/pion/webrtc/v4"
)

// A subscriber answer is refused, naming the m-line, when it does not take
// what the offer sends: a track's m-line answered other than recvonly
// (inactive too: the offer would be used up, the track never received, with
// no word), or the data section rejected (port 0: it carries the
// connection's transport). What every stack answers passes.
func TestSubscriberAnswerMustReceiveEveryTrack(t *testing.T) {
	srv, _ := loopbackServer(t)
	pc, offer := subscriberOffer(t, srv)
	defer pc.Close()
	client, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var answer webrtc.SessionDescription
	if err = client.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err == nil {
		answer, err = client.CreateAnswer(nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	good := answer.SDP
	if !strings.Contains(good, "m=application 9 ") || !strings.Contains(good, "a=recvonly") {
		t.Fatalf("Pion's answer has no accepted data section or no recvonly m-line:\n%s", good)
	}
	for _, c := range []struct {
		name, answer string
		refused      []string // in the message; nil: accepted
	}{
		{"as Pion answers", good, nil},
		{"codec name in capitals", strings.Replace(good, "VP8/90000", "vp8/90000", 1), nil},
		{"track inactive", strings.Replace(good, "a=recvonly", "a=inactive", 1), []string{`(mid "1", video)`, "is inactive", "recvonly", "trackSettings"}},
		{"track sendrecv", strings.Replace(good, "a=recvonly", "a=sendrecv", 1), []string{`video)`, "is sendrecv"}},
		{"data section rejected", strings.Replace(good, "m=application 9 ", "m=application 0 ", 1), []string{"application)", "port 0", "data section"}},
	} {
		err := checkSubscriberAnswer(c.answer, offer)
		switch {
		case c.refused == nil && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.refused != nil && !errors.Is(err, ErrBadSDP):
			t.Errorf("%s: %v, want ErrBadSDP", c.name, err)
		case c.refused != nil:
			for _, w := range c.refused {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: %q does not say %q", c.name, err, w)
				}
			}
		}
	}
}
