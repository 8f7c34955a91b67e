package sfu

import (
	"errors"
	"fmt"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// handler runs one /v1/rtc method on the room goroutine. It sends its own
// success reply; a returned error becomes the error reply.
type handler func(r *room, p *participant, m protocol.Message) error

// handlerFor maps a method name to its handler (nil: unknown method).
func handlerFor(method string) handler {
	switch method {
	case protocol.MethodPublishOffer:
		return (*room).publishOffer
	case protocol.MethodSubscriberAnswer:
		return (*room).subscriberAnswer
	case protocol.MethodTrickle:
		return (*room).trickle
	case protocol.MethodMute:
		return (*room).mute
	case protocol.MethodLeave:
		return (*room).leave
	case protocol.MethodTrackSettings:
		return (*room).trackSettings
	case protocol.MethodEndCall:
		return (*room).endCall
	case protocol.MethodRestartICE:
		return (*room).restartICE
	case protocol.MethodPing:
		return (*room).ping
	}
	return nil
}

// ping answers the server's clock: a client that hears nothing for a while
// asks, to learn whether its socket still works (only sending tells it).
func (r *room) ping(p *participant, m protocol.Message) error {
	if err := protocol.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	return p.conn.Reply(m.ID, protocol.PingResult{Now: time.Now().UnixMilli()})
}

// handle runs request m that arrived on conn. A socket that resumed
// another's session acts as that participant; a socket that was taken over
// is ignored (it is being closed).
func (r *room) handle(p *participant, conn *protocol.Conn, m protocol.Message) {
	if p.alias != nil {
		p = p.alias
	}
	if p.conn != conn {
		return
	}
	if !m.IsRequest() {
		_ = p.conn.ReplyError(m.ID, protocol.Errorf(protocol.CodeBadRequest, "only requests are accepted on /v1/rtc"))
		return
	}
	h := handlerFor(m.Method)
	var err error
	switch {
	case h == nil:
		err = fmt.Errorf("%w %q", ErrUnknownMethod, m.Method)
	case !r.current(p) || !p.joined:
		err = ErrNotJoined
	default:
		err = h(r, p, m)
	}
	if errors.Is(err, errDeferred) {
		return // answered when it runs again
	}
	if err != nil {
		r.refused(p, m.Method, err)
		_ = p.conn.ReplyError(m.ID, protocol.AsError(err))
	}
}

// refused logs, at warn, a description or candidate the server refused
// (the client gets the same reason in its error reply).
func (r *room) refused(p *participant, what string, err error) {
	if errors.Is(err, ErrBadSDP) || errors.Is(err, ErrTooManyMedia) || errors.Is(err, ErrBadCandidate) || errors.Is(err, ErrTooManyCandidates) {
		r.srv.log.Warn("refused "+what, "session", r.id, "uid", p.uid, "reason", err.Error())
	}
}

// candidateInit converts a trickled candidate to Pion's form; nil (a null
// candidate) is the end of candidates, as is an empty candidate line.
func candidateInit(c *protocol.Candidate) webrtc.ICECandidateInit {
	if c == nil {
		return webrtc.ICECandidateInit{}
	}
	return webrtc.ICECandidateInit{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex, UsernameFragment: c.UsernameFragment}
}

func (r *room) publishOffer(p *participant, m protocol.Message) error {
	var in protocol.PublishOffer
	if err := protocol.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if err := checkSources(in.Sources, maxSections(r.srv.cfg.MaxTracksPerParticipant)); err != nil {
		return err
	}
	offer, rids, err := r.srv.eng.checkPublishOffer(in.SDP, r.srv.cfg.MaxTracksPerParticipant)
	if err != nil {
		return err
	}
	pub, err := p.publisher(r)
	if err != nil {
		return err
	}
	if isICERestart(pub.RemoteDescription(), in.SDP) {
		if gathering(pub) {
			return r.deferRestart(p, m)
		}
		if err := r.allowRestart(p, protocol.TargetPublisher); err != nil {
			return err
		}
	}
	answer, err := answerOffer(pub, offer)
	if err != nil {
		return err
	}
	p.expectConnect(r, protocol.TargetPublisher)
	p.setSources(in.Sources, pub)
	r.flushHeld(p, protocol.TargetPublisher)
	err = p.conn.Reply(m.ID, protocol.SDP{SDP: answer})
	p.rids = rids
	r.announceTracks(p, pub) // after the reply: the publisher's ICE starts first
	return err
}

// answerOffer applies a publisher offer and returns the answer; on failure
// the offer is rolled back, so the connection takes a corrected one.
func answerOffer(pc *webrtc.PeerConnection, offer string) (string, error) {
	err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer})
	var answer webrtc.SessionDescription
	if err == nil {
		answer, err = pc.CreateAnswer(nil)
	}
	if err == nil {
		err = pc.SetLocalDescription(answer)
	}
	if err != nil {
		if pc.SignalingState() == webrtc.SignalingStateHaveRemoteOffer {
			_ = pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeRollback})
		}
		return "", fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	return answer.SDP, nil
}

func (r *room) subscriberAnswer(p *participant, m protocol.Message) error {
	var in protocol.SDP
	if err := protocol.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if !p.offerPending {
		if p.answer.spare(time.Now()) {
			r.srv.log.Debug("second answer to a subscriber offer sent twice: not applied", "session", r.id, "uid", p.uid)
			return p.conn.Reply(m.ID, struct{}{})
		}
		return ErrNoPendingOffer
	}
	if n, max := countMedia(in.SDP), len(p.sub.GetTransceivers())+1; n > max {
		return fmt.Errorf("%w: %d media sections, the offer has %d", ErrTooManyMedia, n, max)
	}
	offer := p.sub.PendingLocalDescription()
	if offer == nil {
		return ErrNoPendingOffer
	}
	if err := checkSubscriberAnswer(in.SDP, offer.SDP); err != nil {
		return err
	}
	if cur := p.sub.RemoteDescription(); p.subRestart && cur != nil && !isICERestart(cur, in.SDP) {
		// Taken, it would leave the client's checks on the old credentials,
		// which the server no longer answers: media would stop 15 s later
		// with no word why (an aiortc author's audit).
		return fmt.Errorf("%w: the offer restarts ICE; the answer must too, with a new a=ice-ufrag and a=ice-pwd (RFC 8839), but keeps ice-ufrag %q", ErrBadSDP, iceUfrag(in.SDP))
	}
	if err := p.sub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: in.SDP}); err != nil {
		err = fmt.Errorf("%w: %v", ErrBadSDP, err)
		if p.sub.SignalingState() == webrtc.SignalingStateStable {
			// Pion applied it before failing: the offer is no longer
			// pending; a new one follows.
			p.offerPending = false
			p.needOffer = true
		}
		return err
	}
	p.offerPending, p.subRestart = false, false
	p.answer.answered(time.Now(), r.srv.cfg.AnswerTimeout)
	r.flushHeld(p, protocol.TargetSubscriber)
	r.ownAnswerApplied(p, in.SDP)
	return p.conn.Reply(m.ID, struct{}{})
}

func (r *room) trickle(p *participant, m protocol.Message) error {
	var in protocol.Trickle
	if err := protocol.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if in.Target != protocol.TargetPublisher && in.Target != protocol.TargetSubscriber {
		return ErrBadTarget
	}
	c := candidateInit(in.Candidate)
	pc := p.pc(in.Target) // nil: publisher PC not created yet
	var remote *webrtc.SessionDescription
	if pc != nil {
		remote = pc.RemoteDescription()
	}
	check := parsedOrNil(remote)
	if in.Target == protocol.TargetSubscriber && p.subRestart {
		check = nil
	}
	if err := checkCandidate(c, check); err != nil {
		return err
	}
	if p.candidates[in.Target] >= r.srv.cfg.MaxRemoteCandidates {
		return fmt.Errorf("%w: at most %d per connection", ErrTooManyCandidates, r.srv.cfg.MaxRemoteCandidates)
	}
	p.candidates[in.Target]++
	if in.Target == protocol.TargetSubscriber && p.subRestart {
		// Candidates of the answer to an ICE-restart offer may come
		// before the answer: held, checked against it once applied.
		remote = nil
	}
	if remote == nil {
		p.held[in.Target] = append(p.held[in.Target], c)
	} else if err := pc.AddICECandidate(c); err != nil {
		return fmt.Errorf("%w: candidate %q: %v", ErrBadCandidate, c.Candidate, err)
	} else if in.Target == protocol.TargetSubscriber {
		r.ownHeard(p)
	}
	return p.conn.Reply(m.ID, struct{}{})
}

// parsedOrNil parses a PeerConnection's description (for candidate checks);
// nil if there is none or it does not parse. It parses the text itself:
// SessionDescription.Unmarshal would write to Pion's own copy.
func parsedOrNil(d *webrtc.SessionDescription) *sdp.SessionDescription {
	if d == nil {
		return nil
	}
	var parsed sdp.SessionDescription
	if parsed.UnmarshalString(d.SDP) != nil {
		return nil
	}
	return &parsed
}

// flushHeld adds the candidates that arrived before the remote description.
// One that is refused now is reported with an error event (its request was
// already answered).
func (r *room) flushHeld(p *participant, target string) {
	pc := p.pc(target)
	remote := parsedOrNil(pc.RemoteDescription())
	for _, c := range p.held[target] {
		err := checkCandidate(c, remote)
		if err == nil {
			if err = pc.AddICECandidate(c); err != nil {
				err = fmt.Errorf("%w: candidate %q: %v", ErrBadCandidate, c.Candidate, err)
			} else if target == protocol.TargetSubscriber {
				r.ownHeard(p)
			}
		}
		if err != nil {
			r.refused(p, "trickle (held)", err)
			_ = p.conn.Emit(protocol.EventError, protocol.AsError(err))
		}
	}
	delete(p.held, target)
}

func (r *room) mute(p *participant, m protocol.Message) error {
	var in protocol.MuteParams
	if err := protocol.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if in.Kind != protocol.KindAudio && in.Kind != protocol.KindVideo {
		return ErrBadKind
	}
	if err := p.conn.Reply(m.ID, struct{}{}); err != nil {
		return err
	}
	p.muted[in.Kind] = in.Muted
	r.announceMute(p, in.Kind) // coalesced: a few per second at most
	return nil
}

func (r *room) leave(p *participant, m protocol.Message) error {
	if err := protocol.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	// The ringing side first: the call log shows p left before p hears
	// the reply.
	r.tellHubLeft(p, protocol.ReasonLeft)
	_ = p.conn.Reply(m.ID, struct{}{})
	r.remove(p, protocol.ReasonLeft, websocket.StatusNormalClosure, false)
	return nil
}

func (r *room) endCall(p *participant, m protocol.Message) error {
	if err := protocol.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	h := r.srv.getHooks()
	if h == nil {
		_ = p.conn.Reply(m.ID, struct{}{})
		r.end(protocol.ReasonEnded)
		return nil
	}
	if err := h.MediaEndCall(r.id, p.uid); err != nil {
		return err
	}
	return p.conn.Reply(m.ID, struct{}{})
}
