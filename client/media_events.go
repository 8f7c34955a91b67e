package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// answerTimeout bounds the subscriberAnswer round trip made by the loop.
const answerTimeout = 10 * time.Second

// handleEvent runs on the session goroutine, one event at a time.
func (s *Session) handleEvent(m protocol.Message) {
	switch m.Event {
	case protocol.EventJoined:
		s.onJoined(m.Data)
	case protocol.EventSubscriberOffer:
		s.onSubscriberOffer(m.Data)
	case protocol.EventTrickle:
		s.onTrickle(m.Data)
	case MediaTrackPublished:
		s.noteTrack(m.Data)
		s.deliver(m)
	case MediaTrackUnpublished:
		s.deliver(m)
		s.endTrack(m.Data)
	case protocol.EventActiveLayers:
		s.activeLayers(m.Data)
		s.deliver(m)
	case MediaUserJoined, MediaUserLeft, MediaMuteChanged:
		s.noteParticipant(m.Event, m.Data)
		s.deliver(m)
	case "":
		// A reply nobody waits for (trickle notifications).
	default:
		s.deliver(m)
	}
}

func (s *Session) onJoined(data json.RawMessage) {
	if s.gotJoin {
		s.onRejoined(data)
		return
	}
	s.gotJoin = true
	err := json.Unmarshal(data, &s.info)
	s.mu.Lock()
	s.parts = slices.Clone(s.info.Participants)
	for _, t := range s.info.Tracks {
		if t.Mid != "" {
			s.byMid[t.Mid] = t
		}
	}
	s.mu.Unlock()
	if err == nil {
		err = s.useICEServers(s.info.ICEServers)
	}
	s.joined <- err
}

// noteParticipant keeps Participants up to date with a userJoined,
// userLeft or muteChanged.
func (s *Session) noteParticipant(event string, data json.RawMessage) {
	var d struct {
		UID   string `json:"uid"`
		Kind  string `json:"kind"`  // muteChanged
		Muted bool   `json:"muted"` // muteChanged
	}
	var joined protocol.MediaParticipant
	if event == MediaUserJoined {
		if json.Unmarshal(data, &joined) != nil {
			return
		}
		d.UID = joined.UID
	} else if json.Unmarshal(data, &d) != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.parts, func(p MediaParticipant) bool { return p.UID == d.UID })
	switch {
	case d.UID == "":
	case event == MediaUserJoined && i >= 0:
		s.parts[i] = joined // a rejoin: its state now
	case event == MediaUserJoined:
		s.parts = append(s.parts, joined)
	case event == MediaUserLeft && i >= 0:
		s.parts = slices.Delete(s.parts, i, i+1)
	case event == MediaMuteChanged && i >= 0 && d.Kind != "":
		muted := maps.Clone(s.parts[i].Muted)
		if muted == nil {
			muted = map[string]bool{}
		}
		muted[d.Kind] = d.Muted
		s.parts[i].Muted = muted
	}
}

// noteTrack records a trackPublished by its mid, before the offer that
// adds the m-line (so OnTrack finds it).
func (s *Session) noteTrack(data json.RawMessage) {
	var t TrackInfo
	if json.Unmarshal(data, &t) != nil || t.Mid == "" {
		return
	}
	s.mu.Lock()
	s.byMid[t.Mid] = t
	s.mu.Unlock()
}

// endTrack ends the received track carried on the unpublished track's mid.
func (s *Session) endTrack(data json.RawMessage) {
	var t TrackInfo
	if json.Unmarshal(data, &t) != nil || t.Mid == "" {
		return
	}
	s.mu.Lock()
	delete(s.byMid, t.Mid)
	var ended []*RemoteTrack
	for _, r := range s.remote {
		if r.Mid == t.Mid {
			ended = append(ended, r)
		}
	}
	s.mu.Unlock()
	for _, r := range ended {
		r.end()
	}
}

// deliver decodes a user-facing event and hands it to OnEvent.
func (s *Session) deliver(m protocol.Message) {
	ev := MediaEvent{Type: m.Event, Data: m.Data}
	var d struct {
		UID, Name, TrackID, Mid, Kind, Codec, Reason, Source, State string
		Muted, Rejoined                                             bool
		Code, Message                                               string
	}
	_ = json.Unmarshal(m.Data, &d)
	ev.UID, ev.Name, ev.TrackID, ev.Mid, ev.Kind, ev.Codec, ev.Reason = d.UID, d.Name, d.TrackID, d.Mid, d.Kind, d.Codec, d.Reason
	ev.Muted, ev.Rejoined, ev.Source, ev.State = d.Muted, d.Rejoined, d.Source, d.State
	switch m.Event {
	case MediaError:
		ev.Error = &protocol.Error{Code: d.Code, Message: d.Message}
		if d.Code == protocol.CodeConflict {
			s.stopRecovery() // replaced by another connection: never take it back
			s.fatal = ev.Error
		}
		if !s.gotJoin {
			s.gotJoin = true
			s.joined <- ev.Error
		}
	case MediaCallEnded:
		s.mu.Lock()
		s.ended = &ev
		s.mu.Unlock()
	}
	if on := s.opts.OnEvent; on != nil {
		s.events.push(func() { on(ev) })
	}
}

// dispatch calls OnEvent for each event deliver queued, in order, on a
// goroutine of its own: a callback may call any Session method (Leave
// and Close included: the session goroutine is free to answer), and a
// slow one does not hold the session up. It ends once the session has
// ended and the events queued before were delivered.
func (s *Session) dispatch() {
	defer close(s.dispatched)
	s.dispatchG.Store(goid())
	for {
		select {
		case <-s.events.wake:
			s.events.runAll()
		case <-s.done:
			s.events.close()
			s.events.runAll()
			return
		}
	}
}

// goid is the calling goroutine's id, from runtime.Stack's first line
// ("goroutine 42 [running]:"); Close uses it to tell whether OnEvent
// called it.
func goid() uint64 {
	var buf [32]byte
	f := bytes.Fields(buf[:runtime.Stack(buf[:], false)])
	if len(f) < 2 {
		return 0
	}
	id, _ := strconv.ParseUint(string(f[1]), 10, 64)
	return id
}

// onSubscriberOffer answers the server's offer for the subscriber PC.
func (s *Session) onSubscriberOffer(data json.RawMessage) {
	var in protocol.SDP
	if err := json.Unmarshal(data, &in); err != nil {
		return
	}
	if s.opts.offerSeen != nil {
		s.opts.offerSeen(in.SDP)
	}
	if s.opts.offerLost != nil && s.opts.offerLost(in.SDP) {
		return
	}
	if in.SDP == s.answered && !s.opts.answerAgain {
		// The server sent it again (media.answer_timeout) while our answer
		// was on its way: the server has that answer. Every new offer
		// differs (its o= line's version goes up).
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
	text := answer.SDP
	if s.opts.answerSDP != nil {
		text = s.opts.answerSDP(text)
	}
	if err := s.conn().call(ctx, protocol.MethodSubscriberAnswer, protocol.SDP{SDP: text}, nil); err != nil {
		s.reportFailed(err)
		return
	}
	s.answered = in.SDP
}

// reportFailed gives a failed request to OnEvent as a MediaError event: the
// server's error as it came, a request the server did not answer in time
// as unavailable, anything else as internal with what failed (a client-side
// fault). A request cut by a lost socket is not reported: the session
// resumes on a new socket (where the server sends an unanswered
// subscriberOffer again and ICE restarts), or it ends and Err says why.
func (s *Session) reportFailed(err error) {
	if errors.Is(err, ErrClosed) {
		return
	}
	var pe *protocol.Error
	switch {
	case errors.As(err, &pe):
	case errors.Is(err, context.DeadlineExceeded):
		pe = protocol.Errorf(protocol.CodeUnavailable, "no answer from the server in time: %v", err)
	default:
		pe = protocol.Errorf(protocol.CodeInternal, "%v", err)
	}
	s.deliver(protocol.Message{Event: MediaError, Data: mustJSON(pe)})
}

// onTrickle adds a server candidate, holding it until the PC has the
// server's description.
func (s *Session) onTrickle(data json.RawMessage) {
	var in protocol.Trickle
	if err := json.Unmarshal(data, &in); err != nil {
		return
	}
	c := candidateInit(in.Candidate) // "" (or null): the end of candidates
	pc := s.peer(in.Target)
	if pc == nil {
		return
	}
	if pc.RemoteDescription() == nil {
		s.held[in.Target] = append(s.held[in.Target], c)
		return
	}
	_ = pc.AddICECandidate(c)
}

// candidateInit converts a trickled candidate to Pion's form (nil: the end
// of candidates, an empty line).
func candidateInit(c *protocol.Candidate) webrtc.ICECandidateInit {
	if c == nil {
		return webrtc.ICECandidateInit{}
	}
	return webrtc.ICECandidateInit{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex, UsernameFragment: c.UsernameFragment}
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

// sendCandidate trickles a local candidate without waiting for the reply;
// nil is the end of candidates (sent as a null candidate).
func (s *Session) sendCandidate(target string, c *webrtc.ICECandidateInit) {
	var out *protocol.Candidate
	if c != nil {
		out = &protocol.Candidate{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex, UsernameFragment: c.UsernameFragment}
	}
	_ = s.conn().send(protocol.MethodTrickle, protocol.Trickle{Target: target, Candidate: out})
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// activeLayers marks which simulcast layers the server wants sent
// (dynacast); LocalTrack.Active tells the application.
func (s *Session) activeLayers(data json.RawMessage) {
	var a protocol.ActiveLayers
	if json.Unmarshal(data, &a) != nil {
		return
	}
	for _, lt := range s.local {
		if lt.RID != "" {
			lt.inactive.Store(!slices.Contains(a.RIDs, lt.RID))
		}
	}
}
