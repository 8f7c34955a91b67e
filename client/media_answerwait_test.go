package client

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/sfu"
)

// A subscriberOffer the client lost is sent again after media.answer_timeout,
// and the client that answers it gets what the offer brought.
func TestUnansweredSubscriberOfferIsSentAgain(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.AnswerTimeout = 500 * time.Millisecond })
	alice := ts.join(t, "alice", "lost", MediaOptions{Audio: true})
	pump(t, alice)
	var lost, seen atomic.Int64
	start := time.Now()
	bob := ts.join(t, "bob", "lost", MediaOptions{
		offerSeen: func(sdp string) {
			if strings.Contains(sdp, "m=audio") {
				seen.Add(1)
			}
		},
		offerLost: func(sdp string) bool {
			return strings.Contains(sdp, "m=audio") && lost.CompareAndSwap(0, 1)
		},
	})
	bob.receiving(t, "alice", "audio", 20)
	if took := time.Since(start); took < 500*time.Millisecond {
		t.Errorf("bob received alice %v after joining, before the offer he dropped could be sent again", took)
	}
	if n := seen.Load(); n != 2 {
		t.Errorf("bob saw the offer with alice's audio %d times, want 2 (sent again once)", n)
	}
	if logs := ts.logs.String(); !slices.ContainsFunc(strings.Split(logs, "\n"), func(l string) bool {
		return strings.Contains(l, "subscriber offer unanswered: sent again") && strings.Contains(l, "uid=bob")
	}) {
		t.Errorf("the server's warn log has no line of the offer sent again to bob:\n%s", logs)
	}
	if n := counter(t, ts, "switchboard_sfu_subscriber_offers_unanswered_total"); n != 1 {
		t.Errorf("switchboard_sfu_subscriber_offers_unanswered_total is %v, want 1", n)
	}
}

// An offer unanswered twice is reported to the client (an error event) and
// logged; the participant stays in the call and what it already had goes on.
func TestSubscriberOfferUnansweredTwiceIsReported(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.AnswerTimeout = 300 * time.Millisecond })
	alice := ts.join(t, "alice", "deaf", MediaOptions{Audio: true})
	pump(t, alice)
	bob := ts.join(t, "bob", "deaf", MediaOptions{Audio: true, offerLost: func(sdp string) bool { return strings.Contains(sdp, "m=audio") }})
	pump(t, bob)
	ev := bob.waitEvent(t, MediaError, "")
	if ev.Error == nil || ev.Error.Code != "invalid_state" || !strings.Contains(ev.Error.Message, "has no subscriberAnswer") {
		t.Fatalf("bob's error event: %+v, want invalid_state saying the offer has no answer", ev.Error)
	}
	if logs := ts.logs.String(); !strings.Contains(logs, "subscriber offer unanswered twice") {
		t.Errorf("the server's warn log does not say the offer went unanswered twice:\n%s", logs)
	}
	alice.receiving(t, "bob", "audio", 20) // bob still publishes
	time.Sleep(time.Second)                // no third offer, no second report
	if n := counter(t, ts, "switchboard_sfu_subscriber_offers_unanswered_total"); n != 2 {
		t.Errorf("switchboard_sfu_subscriber_offers_unanswered_total is %v, want 2", n)
	}
	if got := ts.srv.Participants(); got != 2 {
		t.Errorf("server counts %d participants, want 2", got)
	}
}

// A client that is only slow answers the offer after the server sent it
// again. The Go client then skips the copy (the server has its answer); a
// client that answers the copy too gets an empty reply for that second
// answer, which the server does not apply. Either way the client is told no
// error and receives what the offer brought.
func TestSlowAnswerCrossesTheOfferSentAgain(t *testing.T) {
	for _, again := range []bool{false, true} {
		name := map[bool]string{false: "copy skipped", true: "copy answered"}[again]
		t.Run(name, func(t *testing.T) {
			const wait = time.Second
			ts := newTestSFU(t, false, func(c *sfu.Config) { c.AnswerTimeout = wait })
			alice := ts.join(t, "alice", "slow", MediaOptions{Audio: true})
			pump(t, alice)
			var seen, answers atomic.Int64
			bob := ts.join(t, "bob", "slow", MediaOptions{
				answerAgain: again,
				offerSeen: func(sdp string) {
					if strings.Contains(sdp, "m=audio") {
						seen.Add(1)
					}
				},
				answerSDP: func(sdp string) string {
					if strings.Contains(sdp, "m=audio") && answers.Add(1) == 1 {
						// Past the resend (checked on a 200 ms tick).
						time.Sleep(wait + 600*time.Millisecond)
					}
					return sdp
				},
			})
			bob.receiving(t, "alice", "audio", 20)
			want := int64(1)
			if again {
				want = 2
			}
			eventually(t, "bob's answers", func() bool { return answers.Load() >= want })
			// Carol's join comes to bob's loop after the answers' replies:
			// every event before hers is what they brought.
			ts.join(t, "carol", "slow", MediaOptions{})
			deadline := time.After(waitLimit)
			for carol := false; !carol; {
				select {
				case ev := <-bob.events:
					carol = ev.Type == MediaUserJoined && ev.UID == "carol"
					if ev.Type == MediaError {
						t.Errorf("bob was told an error: %+v", ev.Error)
					}
				case <-deadline:
					t.Fatal("bob: no userJoined for carol")
				}
			}
			if n := seen.Load(); n != 2 {
				t.Errorf("bob saw the offer with alice's audio %d times, want 2 (sent again once)", n)
			}
			if n := answers.Load(); n != want {
				t.Errorf("bob answered it %d times, want %d", n, want)
			}
			if n := counter(t, ts, "switchboard_sfu_subscriber_offers_unanswered_total"); n != 1 {
				t.Errorf("switchboard_sfu_subscriber_offers_unanswered_total is %v, want 1", n)
			}
		})
	}
}
