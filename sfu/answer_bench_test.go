package sfu

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// loopbackServer is a Server on 127.0.0.1 with ephemeral ports.
func loopbackServer(tb testing.TB) (*Server, Config) {
	cfg := DefaultConfig()
	cfg.BindAddress, cfg.UDPPort, cfg.TCPPort = "127.0.0.1", 0, 0
	cfg.IncludeLoopback, cfg.DisableMDNS = true, true
	srv, err := New(cfg, Deps{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	return srv, cfg
}

// BenchmarkAnswerChromiumOffer is the server's part of a publisher's join
// on the room goroutine: a new publisher PeerConnection answering
// Chromium 156's publisher offer (audio with 8 codecs, video with 23:
// testdata/chromium-publish-offer.sdp, captured from the bundled page).
//
//	go test ./sfu -run '^$' -bench AnswerChromiumOffer -benchtime 200x
func BenchmarkAnswerChromiumOffer(b *testing.B) {
	offer, err := os.ReadFile("testdata/chromium-publish-offer.sdp")
	if err != nil {
		b.Fatal(err)
	}
	srv, cfg := loopbackServer(b)
	var srd time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		trimmed, _, err := srv.eng.checkPublishOffer(string(offer), cfg.MaxTracksPerParticipant)
		if err != nil {
			b.Fatal(err)
		}
		pc, err := srv.eng.newPublisherPC(newPubFeedback(srv.eng.logs))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := answerOffer(pc, trimmed); err != nil {
			b.Fatal(err)
		}
		srd += time.Since(t0)
		b.StopTimer()
		_ = pc.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(srd.Microseconds())/float64(b.N), "answer-us/op")
}

// Trimming a publisher offer to the server's codecs (checkPublishOffer)
// changes nothing in the answer's media: the same m-lines, payload types,
// codecs, fmtp and feedback as Pion's answer to the offer as sent.
func TestTrimmedOfferGetsTheSameAnswer(t *testing.T) {
	offer, err := os.ReadFile("testdata/chromium-publish-offer.sdp")
	if err != nil {
		t.Fatal(err)
	}
	srv, cfg := loopbackServer(t)
	trimmed, _, err := srv.eng.checkPublishOffer(string(offer), cfg.MaxTracksPerParticipant)
	if err != nil {
		t.Fatal(err)
	}
	if countRTPMaps(trimmed) >= countRTPMaps(string(offer)) {
		t.Fatalf("trimmed offer has %d rtpmaps, as sent %d: want fewer", countRTPMaps(trimmed), countRTPMaps(string(offer)))
	}
	media := func(sdp string) []string {
		pc, err := srv.eng.newPublisherPC(newPubFeedback(srv.eng.logs))
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		answer, err := answerOffer(pc, sdp)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range strings.Split(answer, "\r\n") {
			for _, p := range []string{"m=", "a=rtpmap:", "a=fmtp:", "a=rtcp-fb:", "a=extmap:", "a=mid:", "a=recvonly", "a=sendrecv", "a=rid:", "a=simulcast:"} {
				if strings.HasPrefix(l, p) {
					out = append(out, l)
				}
			}
		}
		return out
	}
	want, got := media(string(offer)), media(trimmed)
	slices.Sort(want) // Pion writes extmap lines in map order
	slices.Sort(got)
	if !slices.Equal(want, got) {
		t.Fatalf("answer media differ:\nas sent: %q\ntrimmed: %q", want, got)
	}
}

func countRTPMaps(sdp string) int { return strings.Count(sdp, "a=rtpmap:") }
