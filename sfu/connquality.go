package sfu

import (
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// A participant's connection quality, told to everyone in the call
// (protocol.EventConnectionQuality) so that a person whose picture does not
// reach the others, or whose downlink drops what they are sent, is seen to
// have a poor connection by all, themselves included. Measured over
// windows of connQualityEvery: poor at once when a window loses more than
// poorLoss of what the participant sent or was sent, or counts a freeze
// of its own (a keyframe it waited for); good again after goodWindows
// windows without. Room goroutine only.
const (
	connQualityEvery = 2 * time.Second
	poorLoss         = 0.10
	goodWindows      = 2
	// minWindowPackets: fewer packets in a window say nothing of loss
	// (an audio-only participant sends 50 a second).
	minWindowPackets = 20
)

// connQuality is one participant's window state: the totals at the last
// window's end and what they gave.
type connQuality struct {
	poor    bool
	good    int // windows without trouble since it turned poor
	downExp int64
	downLst int64
	upExp   uint64
	upGot   uint64
	own     int64
}

// connTotals are a participant's running totals (what connQuality
// windows): the call log's, of its present tracks.
func connTotals(p *participant) connQuality {
	var up upTotals
	var down downTotals
	p.addTotals(&up, &down)
	return connQuality{downExp: down.expected, downLst: down.lost, upExp: up.expected, upGot: up.count, own: down.freezes - down.upstream}
}

// judge takes the window since the last call and reports whether the
// quality changed (p.cq.poor then says to what).
func (c *connQuality) judge(now connQuality) bool {
	bad := now.own > c.own
	if dExp, dLost := now.downExp-c.downExp, now.downLst-c.downLst; dExp >= minWindowPackets && float64(dLost) > poorLoss*float64(dExp) {
		bad = true
	}
	if now.upExp >= c.upExp && now.upGot >= c.upGot {
		if dExp, dGot := now.upExp-c.upExp, now.upGot-c.upGot; dExp >= minWindowPackets && dGot < dExp && float64(dExp-dGot) > poorLoss*float64(dExp) {
			bad = true
		}
	}
	was := c.poor
	c.downExp, c.downLst, c.upExp, c.upGot, c.own = now.downExp, now.downLst, now.upExp, now.upGot, now.own
	switch {
	case bad:
		c.poor, c.good = true, 0
	case c.poor:
		c.good++
		if c.good >= goodWindows {
			c.poor = false
		}
	}
	return c.poor != was
}

// connQualities judges every participant's last window and tells the call
// of each change.
func (r *room) connQualities() {
	for _, p := range r.parts {
		if p.joined && p.cq.judge(connTotals(p)) {
			r.broadcast(protocol.EventConnectionQuality, p.connQuality(), nil)
		}
	}
}

// connQuality is p's quality as the event says it.
func (p *participant) connQuality() protocol.ConnectionQuality {
	q := protocol.ConnectionQuality{UID: p.uid, Quality: protocol.QualityGood}
	if p.cq.poor {
		q.Quality = protocol.QualityPoor
	}
	return q
}

// tellPoorConnections gives a participant who just joined the quality of
// those already poor (the others are good until told otherwise).
func (r *room) tellPoorConnections(p *participant) {
	for _, q := range r.parts {
		if q != p && q.cq.poor {
			_ = p.conn.Emit(protocol.EventConnectionQuality, q.connQuality())
		}
	}
}
