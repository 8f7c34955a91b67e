package sfu

import (
	"fmt"
	"strings"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// ICE restarts (docs/protocol.md, "Network changes and interruptions").
//
// A publisher restarts with a publishOffer whose ice-ufrag is new; a
// subscriber asks with restartIce and gets a subscriberOffer with new
// credentials. Both run on the room goroutine, and never while that
// connection is gathering: pion/ice (v4.4.2) writes the agent's local
// ufrag in Agent.Restart while a running gather goroutine reads it. A
// restart that arrives during gathering waits for its end (the
// end-of-candidates callback queues it again), so the two never overlap.

// iceUfrag returns the first a=ice-ufrag value of an SDP ("" if none).
func iceUfrag(sdp string) string {
	const key = "a=ice-ufrag:"
	i := strings.Index(sdp, key)
	if i < 0 {
		return ""
	}
	v := sdp[i+len(key):]
	if j := strings.IndexAny(v, "\r\n"); j >= 0 {
		v = v[:j]
	}
	return strings.TrimSpace(v)
}

// isICERestart reports whether offer changes the ICE credentials of the
// description already applied (none applied: it is the first offer).
func isICERestart(current *webrtc.SessionDescription, offer string) bool {
	return current != nil && iceUfrag(current.SDP) != iceUfrag(offer)
}

// gathering reports whether pc is gathering candidates now.
func gathering(pc *webrtc.PeerConnection) bool {
	return pc != nil && pc.ICEGatheringState() == webrtc.ICEGatheringStateGathering
}

// allowRestart counts one ICE restart of p, or refuses it beyond
// Config.ICERestartLimit per Config.ICERestartWindow (logged at warn).
func (r *room) allowRestart(p *participant, target string) error {
	cfg := r.srv.cfg
	now := time.Now()
	kept := p.restarts[:0]
	for _, t := range p.restarts {
		if now.Sub(t) < cfg.ICERestartWindow {
			kept = append(kept, t)
		}
	}
	p.restarts = kept
	if len(p.restarts) >= cfg.ICERestartLimit {
		err := fmt.Errorf("%w: at most %d per %v (%s refused)", ErrTooManyRestarts, cfg.ICERestartLimit, cfg.ICERestartWindow, target)
		r.srv.log.Warn("refused ICE restart", "session", r.id, "uid", p.uid, "target", target, "reason", err.Error())
		return err
	}
	p.restarts = append(p.restarts, now)
	p.candidates[target] = 0 // a new round of candidates
	p.iceRestarted[target] = true
	r.srv.log.Info("ICE restart", "session", r.id, "uid", p.uid, "target", target)
	return nil
}

// restartICE is the restartIce method: the next subscriberOffer (sent as
// soon as no offer is pending and the connection is not gathering) carries
// new ICE credentials.
func (r *room) restartICE(p *participant, m protocol.Message) error {
	if err := protocol.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	if !p.restartSub {
		if err := r.allowRestart(p, protocol.TargetSubscriber); err != nil {
			return err
		}
		p.restartSub = true
		p.needOffer = true
	}
	return p.conn.Reply(m.ID, struct{}{})
}

// deferRestart keeps m, an ICE-restart publishOffer that came while the
// publisher connection gathers, for gatheringDone (errDeferred: answered
// then). Beyond Config.ICERestartLimit waiting, which would be refused
// then anyway, it is refused now, so what waits stays bounded.
func (r *room) deferRestart(p *participant, m protocol.Message) error {
	if len(p.deferred) >= r.srv.cfg.ICERestartLimit {
		err := fmt.Errorf("%w: %d already wait for the publisher connection's gathering", ErrTooManyRestarts, len(p.deferred))
		r.srv.log.Warn("refused ICE restart", "session", r.id, "uid", p.uid, "target", protocol.TargetPublisher, "reason", err.Error())
		return err
	}
	p.deferred = append(p.deferred, m)
	return errDeferred
}

// gatheringDone runs when a connection of p has gathered all its
// candidates: publisher restarts that waited for it go on.
func (r *room) gatheringDone(p *participant, target string) {
	if target != protocol.TargetPublisher || len(p.deferred) == 0 {
		return
	}
	waiting := p.deferred
	p.deferred = nil
	for _, m := range waiting {
		r.handle(p, p.conn, m)
	}
}
