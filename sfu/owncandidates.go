package sfu

import (
	"strings"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// On a subscriber connection the server offers, so its ICE agent is the
// controlling one: its DTLS (and the first frame) waits until it has
// nominated a pair. Pion nominates a pair at once when a check from the
// client arrives on a pair its own check has already found working; when
// the client's checks come first (they do whenever the client has the
// server's candidates before the server has the client's), it sends no
// triggered check, and nominates only at its next check tick, up to 200
// ms later, while a browser, its own side working, checks again only
// after half a second or more (benchmarks.md, "Accept -> first frame:
// where Chromium's tail waits").
//
// So, when a subscriber offer starts ICE (the first one, and each that
// restarts it), the server's own candidates for that connection are held
// until the client's answer is applied and the server has a candidate of
// the client (it then checks the client at once), or ownCandidateWait
// after the answer if none comes. The client's first checks then answer
// the server's (triggered checks, RFC 8445 section 7.3.1.4) and find a
// pair already working: the server nominates it at once. All on the room
// goroutine.

// ownCandidateWait bounds how long the server's candidates wait for a
// candidate of the client after its answer: a client whose candidates
// are in its answer, or that has none to give (it is reached through the
// server's checks of its peer-reflexive address), is not kept waiting
// longer. ownCandidateMaxHold bounds the wait from the offer: a client
// that will not answer before it has the server's candidates (it does not
// trickle, against protocol.md) gets them then, and answers late instead
// of never.
const (
	ownCandidateWait    = 50 * time.Millisecond
	ownCandidateMaxHold = time.Second
)

// ownCandidates are a participant's subscriber-connection candidates the
// server has gathered and not sent yet.
type ownCandidates struct {
	holding bool                 // the connection's ICE (re)started; not released yet
	heard   bool                 // a candidate of the client was added since
	held    []protocol.Candidate // in the order gathered (the last may be the end, "")
	timer   *time.Timer
}

// holdOwnCandidates: a subscriber offer of p that starts ICE is about to
// be made; the candidates it gathers are held (those of an earlier ICE
// generation still held are dropped: the client has no use for them).
func (r *room) holdOwnCandidates(p *participant) {
	o := &p.own
	o.holding, o.heard, o.held = true, false, o.held[:0]
	r.releaseOwnAfter(p, ownCandidateMaxHold)
}

// releaseOwnAfter releases p's held candidates after d, unless they go
// before (it replaces any earlier such timer).
func (r *room) releaseOwnAfter(p *participant, d time.Duration) {
	o := &p.own
	if o.timer != nil {
		o.timer.Stop()
	}
	o.timer = time.AfterFunc(d, func() { r.box.push(func() { r.releaseOwn(p) }) })
}

// holdOwn keeps c, the server's own subscriber candidate, if they are
// held; false: send it now.
func (p *participant) holdOwn(c protocol.Candidate) bool {
	if !p.own.holding {
		return false
	}
	p.own.held = append(p.own.held, c)
	return true
}

// ownAnswerApplied: p's answer (sdpText) to the offer that started ICE is
// applied. The held candidates go now if the server has one of p's (heard
// before, or in the answer), else when one comes or ownCandidateWait
// later.
func (r *room) ownAnswerApplied(p *participant, sdpText string) {
	o := &p.own
	if !o.holding {
		return
	}
	if o.heard || strings.Contains(sdpText, "a=candidate:") {
		r.releaseOwn(p)
		return
	}
	r.releaseOwnAfter(p, ownCandidateWait)
}

// ownHeard: a candidate of p (or its end of candidates) was added to the
// subscriber connection.
func (r *room) ownHeard(p *participant) {
	o := &p.own
	if !o.holding {
		return
	}
	o.heard = true
	if !p.offerPending { // the answer is applied: the server checks p now
		r.releaseOwn(p)
	}
}

// releaseOwn sends the held candidates, in order.
func (r *room) releaseOwn(p *participant) {
	o := &p.own
	if !o.holding || !r.current(p) {
		return
	}
	o.holding = false
	if o.timer != nil {
		o.timer.Stop()
		o.timer = nil
	}
	held := o.held
	o.held = nil
	for i := range held {
		_ = p.conn.Emit(protocol.EventTrickle, protocol.Trickle{Target: protocol.TargetSubscriber, Candidate: &held[i]})
	}
}
