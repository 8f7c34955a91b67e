package client

import (
	"context"
	"encoding/json"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// answerTimeout bounds the subscriberAnswer round trip made by the loop.
const answerTimeout = 10 * time.Second

type mediaTrickle struct {
	Target    string                  `json:"target"`
	Candidate webrtc.ICECandidateInit `json:"candidate"`
}

// handleEvent runs on the session goroutine, one event at a time.
func (s *Session) handleEvent(m protocol.Message) {
	switch m.Event {
	case protocol.EventJoined:
		s.onJoined(m.Data)
	case protocol.EventSubscriberOffer:
		s.onSubscriberOffer(m.Data)
	case protocol.EventTrickle:
		s.onTrickle(m.Data)
	case "":
		// A reply nobody waits for (trickle notifications).
	default:
		s.deliver(m)
	}
}

func (s *Session) onJoined(data json.RawMessage) {
	if s.gotJoin {
		return
	}
	s.gotJoin = true
	s.joined <- json.Unmarshal(data, &s.info)
}

// deliver decodes a user-facing event and hands it to OnEvent.
func (s *Session) deliver(m protocol.Message) {
	ev := MediaEvent{Type: m.Event, Data: m.Data}
	var d struct {
		UID, Name, TrackID, Kind, Codec, Reason string
		Muted, Rejoined                         bool
		Code, Message                           string
	}
	_ = json.Unmarshal(m.Data, &d)
	ev.UID, ev.Name, ev.TrackID, ev.Kind, ev.Codec, ev.Reason = d.UID, d.Name, d.TrackID, d.Kind, d.Codec, d.Reason
	ev.Muted, ev.Rejoined = d.Muted, d.Rejoined
	switch m.Event {
	case MediaError:
		ev.Error = &protocol.Error{Code: d.Code, Message: d.Message}
		if !s.gotJoin {
			s.gotJoin = true
			s.joined <- ev.Error
		}
	case MediaCallEnded:
		s.mu.Lock()
		s.ended = &ev
		s.mu.Unlock()
	}
	if s.opts.OnEvent != nil {
		s.opts.OnEvent(ev)
	}
}

// onSubscriberOffer answers the server's offer for the subscriber PC.
func (s *Session) onSubscriberOffer(data json.RawMessage) {
	var in protocol.SDP
	if err := json.Unmarshal(data, &in); err != nil {
		return
	}
	err := s.sub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: in.SDP})
	var answer webrtc.SessionDescription
	if err == nil {
		answer, err = s.sub.CreateAnswer(nil)
	}
	if err == nil {
		err = s.sub.SetLocalDescription(answer)
	}
	if err != nil {
		s.deliver(protocol.Message{Event: MediaError, Data: mustJSON(protocol.Errorf(protocol.CodeInternal, "answering subscriber offer: %v", err))})
		return
	}
	s.flushHeld(protocol.TargetSubscriber)
	ctx, cancel := context.WithTimeout(context.Background(), answerTimeout)
	defer cancel()
	if err := s.rpc.call(ctx, protocol.MethodSubscriberAnswer, protocol.SDP{SDP: answer.SDP}, nil); err != nil {
		s.deliver(protocol.Message{Event: MediaError, Data: mustJSON(protocol.AsError(err))})
	}
}

// onTrickle adds a server candidate, holding it until the PC has the
// server's description.
func (s *Session) onTrickle(data json.RawMessage) {
	var in mediaTrickle
	if err := json.Unmarshal(data, &in); err != nil {
		return
	}
	pc := s.peer(in.Target)
	if pc == nil {
		return
	}
	if pc.RemoteDescription() == nil {
		s.held[in.Target] = append(s.held[in.Target], in.Candidate)
		return
	}
	_ = pc.AddICECandidate(in.Candidate)
}

func (s *Session) flushHeld(target string) {
	pc := s.peer(target)
	if pc == nil {
		return
	}
	for _, c := range s.held[target] {
		_ = pc.AddICECandidate(c)
	}
	delete(s.held, target)
}

// peer returns the PC for target, nil if unknown or absent.
func (s *Session) peer(target string) *webrtc.PeerConnection {
	switch target {
	case protocol.TargetPublisher:
		return s.pub
	case protocol.TargetSubscriber:
		return s.sub
	}
	return nil
}

// sendCandidate trickles a local candidate without waiting for the reply.
func (s *Session) sendCandidate(target string, c webrtc.ICECandidateInit) {
	m, err := protocol.Request("t"+target, protocol.MethodTrickle, mediaTrickle{Target: target, Candidate: c})
	if err == nil {
		_ = s.rpc.conn.Send(m)
	}
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
