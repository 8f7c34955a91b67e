package sfu

import (
	"fmt"
	"strings"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/wire"
)

// handler runs one /v1/rtc method on the room goroutine. It sends its own
// success reply; a returned error becomes the error reply.
type handler func(r *room, p *participant, m wire.Message) error

// handlerFor maps a method name to its handler (nil: unknown method).
func handlerFor(method string) handler {
	switch method {
	case "publishOffer":
		return (*room).publishOffer
	case "subscriberAnswer":
		return (*room).subscriberAnswer
	case "trickle":
		return (*room).trickle
	case "mute":
		return (*room).mute
	case "leave":
		return (*room).leave
	case "endCall":
		return (*room).endCall
	}
	return nil
}

func (r *room) handle(p *participant, m wire.Message) {
	if !m.IsRequest() {
		_ = p.conn.ReplyError(m.ID, wire.Errorf(wire.CodeBadRequest, "only requests are accepted on /v1/rtc"))
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
		_ = p.conn.ReplyError(m.ID, wireError(err))
	}
}

type trickleParams struct {
	Target    string                  `json:"target"`
	Candidate webrtc.ICECandidateInit `json:"candidate"`
}

type muteParams struct {
	Kind  string `json:"kind"`
	Muted bool   `json:"muted"`
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

func (r *room) publishOffer(p *participant, m wire.Message) error {
	var in sdpData
	if err := wire.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if err := checkSDP(in.SDP, r.srv.cfg.MaxTracksPerParticipant); err != nil {
		return err
	}
	pub, err := p.publisher(r)
	if err != nil {
		return err
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
	r.flushHeld(p, targetPublisher)
	return p.conn.Reply(m.ID, sdpData{SDP: answer.SDP})
}

func (r *room) subscriberAnswer(p *participant, m wire.Message) error {
	var in sdpData
	if err := wire.DecodeParams(m.Params, &in); err != nil {
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
	r.flushHeld(p, targetSubscriber)
	return p.conn.Reply(m.ID, struct{}{})
}

func (r *room) trickle(p *participant, m wire.Message) error {
	var in trickleParams
	if err := wire.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if in.Target != targetPublisher && in.Target != targetSubscriber {
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
			_ = p.conn.Emit(evError, wireError(fmt.Errorf("%w: %v", ErrBadCandidate, err)))
		}
	}
	delete(p.held, target)
}

func (r *room) mute(p *participant, m wire.Message) error {
	var in muteParams
	if err := wire.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	if in.Kind != "audio" && in.Kind != "video" {
		return ErrBadKind
	}
	if err := p.conn.Reply(m.ID, struct{}{}); err != nil {
		return err
	}
	if p.muted[in.Kind] != in.Muted {
		p.muted[in.Kind] = in.Muted
		r.broadcast(evMuteChanged, muteData{UID: p.uid, Kind: in.Kind, Muted: in.Muted}, p)
	}
	return nil
}

func (r *room) leave(p *participant, m wire.Message) error {
	if err := wire.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	_ = p.conn.Reply(m.ID, struct{}{})
	r.remove(p, reasonLeft, websocket.StatusNormalClosure, true)
	return nil
}

func (r *room) endCall(p *participant, m wire.Message) error {
	if err := wire.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	h := r.srv.getHooks()
	if h == nil {
		_ = p.conn.Reply(m.ID, struct{}{})
		r.end(reasonEnded)
		return nil
	}
	if err := h.MediaEndCall(r.id, p.uid); err != nil {
		return err
	}
	return p.conn.Reply(m.ID, struct{}{})
}
