package sfu

import (
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// A subscriberOffer with no answer leaves its participant receiving no new
// track, and no later offer is sent (offers wait for the answer): a client
// that lost the offer's handling (an exception while applying it, a dropped
// event in its own code) would show no one who joins after, with no word on
// either side. So the room sends an offer that stays unanswered for
// media.answer_timeout again, once (the same SDP: a client that applied it
// and lost only its answer answers it again), and when that one goes
// unanswered as long, tells the client with an error event and logs it. The
// participant stays: what it sends and already receives goes on.
//
// A client that was only slow answers the offer, and may then answer the
// copy sent again too (a client that follows protocol.md skips an offer
// byte for byte the one it last answered, but not every client does): that
// second answer, arriving with no offer pending within media.answer_timeout
// of the first, is taken with an empty reply and not applied, so a slow
// client is not shown an error for an offer it did answer.

// answerWait is a participant's watch on its pending subscriber offer. Room
// goroutine only.
type answerWait struct {
	since  time.Time // the pending offer was sent (or sent again, or its socket resumed)
	resent bool      // sent a second time
	told   bool      // the client had the error event
	// spareUntil: the last answer applied was to an offer sent twice; a
	// second answer to it may come until then (kept across offers).
	spareUntil time.Time
}

// offerSent starts the watch on a new offer.
func (w *answerWait) offerSent(now time.Time) {
	*w = answerWait{since: now, spareUntil: w.spareUntil}
}

// answered notes an answer applied to the pending offer.
func (w *answerWait) answered(now time.Time, wait time.Duration) {
	w.spareUntil = time.Time{}
	if w.resent {
		w.spareUntil = now.Add(wait)
	}
}

// spare reports (once) whether an answer that came with no offer pending is
// the second answer to an offer sent twice.
func (w *answerWait) spare(now time.Time) bool {
	ok := now.Before(w.spareUntil)
	w.spareUntil = time.Time{}
	return ok
}

// checkAnswers runs on each tick: the offers past media.answer_timeout are
// sent again, or reported.
func (r *room) checkAnswers(now time.Time) {
	wait := r.srv.cfg.AnswerTimeout
	for _, p := range r.parts {
		w := &p.answer
		// A lost socket cannot answer: a resume sends the offer again (and
		// restarts this watch).
		if !p.offerPending || p.socketLost || w.told || now.Sub(w.since) < wait {
			continue
		}
		o := p.sub.PendingLocalDescription()
		if o == nil {
			continue
		}
		r.srv.stats.unanswered.Add(1)
		if !w.resent {
			w.resent, w.since = true, now
			r.srv.log.Warn("subscriber offer unanswered: sent again", "session", r.id, "uid", p.uid, "after", wait)
			_ = p.conn.Emit(protocol.EventSubscriberOffer, protocol.SDP{SDP: o.SDP})
			continue
		}
		w.told = true
		r.srv.log.Warn("subscriber offer unanswered twice: the client was told", "session", r.id, "uid", p.uid, "after", 2*wait)
		_ = p.conn.Emit(protocol.EventError, protocol.Errorf(protocol.CodeInvalidState,
			"the subscriberOffer sent %s ago, and again %s ago, has no subscriberAnswer: no track that is new since reaches you until you answer it; leave and join again to start over",
			2*wait, wait))
	}
}
