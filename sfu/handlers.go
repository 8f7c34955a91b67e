package sfu

import (
	"fmt"
	"strings"

	"github.com/coder/websocket"
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
	case protocol.MethodEndCall:
		return (*room).endCall
	}
	return nil
}

func (r *room) handle(p *participant, m protocol.Message) {
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
	if err != nil {
		_ = p.conn.ReplyError(m.ID, protocol.AsError(err))
	}
}

type trickleParams struct {
	Target    string                  `json:"target"`
	Candidate webrtc.ICECandidateInit `json:"candidate"`
}

// checkSDP refuses descriptions with more media sections than a participant
// may use, before Pion parses them.
func checkSDP(sdp string, maxMedia int) error {
	if strings.TrimSpace(sdp) == "" {
		return fmt.Errorf("%w: empty", ErrBadSDP)
	}
	n := strings.Count(sdp, "\nm=")
	if strings.HasPrefix(sdp, "m=") {
		n++
	}
	if n > maxMedia {
		return fmt.Errorf("%w: %d media sections, at most %d", ErrTooManyMedia, n, maxMedia)
	}
	return nil
}

func (r *room) publishOffer(p *participant, m protocol.Message) error {
	var in protocol.SDP
	if err := protocol.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if err := checkSDP(in.SDP, r.srv.cfg.MaxTracksPerParticipant); err != nil {
		return err
	}
	pub, err := p.publisher(r)
	if err != nil {
		return err
	}
	if rd := pub.RemoteDescription(); rd != nil {
		if err := checkICERestart(rd.SDP, in.SDP); err != nil {
			return err
		}
	}
	if err := pub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: in.SDP}); err != nil {
		return fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	answer, err := pub.CreateAnswer(nil)
	if err == nil {
		err = pub.SetLocalDescription(answer)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	r.flushHeld(p, protocol.TargetPublisher)
	return p.conn.Reply(m.ID, protocol.SDP{SDP: answer.SDP})
}

func (r *room) subscriberAnswer(p *participant, m protocol.Message) error {
	var in protocol.SDP
	if err := protocol.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if !p.offerPending {
		return ErrNoPendingOffer
	}
	if err := checkSDP(in.SDP, len(p.sub.GetTransceivers())); err != nil {
		return err
	}
	if err := p.sub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: in.SDP}); err != nil {
		return fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	p.offerPending = false
	r.flushHeld(p, protocol.TargetSubscriber)
	return p.conn.Reply(m.ID, struct{}{})
}

func (r *room) trickle(p *participant, m protocol.Message) error {
	var in trickleParams
	if err := protocol.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if in.Target != protocol.TargetPublisher && in.Target != protocol.TargetSubscriber {
		return ErrBadTarget
	}
	pc := p.pc(in.Target) // nil: publisher PC not created yet
	if p.candidates[in.Target] >= r.srv.cfg.MaxRemoteCandidates {
		return fmt.Errorf("%w: at most %d per connection", ErrTooManyCandidates, r.srv.cfg.MaxRemoteCandidates)
	}
	p.candidates[in.Target]++
	if pc == nil || pc.RemoteDescription() == nil {
		p.held[in.Target] = append(p.held[in.Target], in.Candidate)
	} else if err := pc.AddICECandidate(in.Candidate); err != nil {
		return fmt.Errorf("%w: %v", ErrBadCandidate, err)
	}
	return p.conn.Reply(m.ID, struct{}{})
}

// flushHeld adds the candidates that arrived before the remote description.
func (r *room) flushHeld(p *participant, target string) {
	pc := p.pc(target)
	for _, c := range p.held[target] {
		if err := pc.AddICECandidate(c); err != nil {
			_ = p.conn.Emit(protocol.EventError, protocol.AsError(fmt.Errorf("%w: %v", ErrBadCandidate, err)))
		}
	}
	delete(p.held, target)
}

func (r *room) mute(p *participant, m protocol.Message) error {
	var in protocol.Mute
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
	_ = p.conn.Reply(m.ID, struct{}{})
	r.remove(p, protocol.ReasonLeft, websocket.StatusNormalClosure, true)
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
