package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Media events of a participant whose media is interrupted (and back).
const (
	MediaParticipantReconnecting = protocol.EventParticipantReconnecting
	MediaParticipantReconnected  = protocol.EventParticipantReconnected
	// MediaConnectionQuality: a participant's connection quality changed,
	// this session's own included (Data: protocol.ConnectionQuality).
	MediaConnectionQuality = protocol.EventConnectionQuality
)

// This session's own recovery, as events of its own (not from the server;
// Data is empty): MediaReconnecting when it starts to resume (its socket
// was lost, its ICE went disconnected or failed, or NetworkChanged), then
// MediaReconnected once the server took the session back and ICE was
// restarted, or the session ends (Done; Err says why, e.g. that the
// server did not answer for ResumeTimeout).
const (
	MediaReconnecting = "reconnecting"
	MediaReconnected  = "reconnected"
)

// recoveryState is the session goroutine's bookkeeping of recoveries.
type recoveryState struct {
	last    time.Time      // the last recovery attempt
	retry   *time.Timer    // the next attempt after a failed one
	since   time.Time      // the current run's first attempt
	active  bool           // MediaReconnecting was sent, MediaReconnected not yet
	closers sync.WaitGroup // replaced sockets still closing
}

// resumeLimit is how long failed attempts go on (ResumeTimeout, 0: 15 s).
func (s *Session) resumeLimit() time.Duration {
	if s.opts.ResumeTimeout <= 0 {
		return 15 * time.Second
	}
	return s.opts.ResumeTimeout
}

// reconnecting and reconnected tell OnEvent where this session's own
// recovery stands (session goroutine), once each per recovery.
func (s *Session) reconnecting() {
	if !s.recovery.active {
		s.recovery.active = true
		s.deliver(protocol.Message{Event: MediaReconnecting})
	}
}

func (s *Session) reconnected() {
	if s.recovery.active {
		s.recovery.active = false
		s.deliver(protocol.Message{Event: MediaReconnected})
	}
}

// gaveUp is the reason a session ends when the server did not answer for
// ResumeTimeout (the last attempt's error says how it failed).
func (s *Session) gaveUp(last error) *protocol.Error {
	return protocol.Errorf(protocol.CodeUnavailable, "media session lost: no answer from the server for %s (ResumeTimeout): %v", s.resumeLimit(), last)
}

// conn is the current /v1/rtc connection.
func (s *Session) conn() *rpc {
	s.rpcMu.Lock()
	defer s.rpcMu.Unlock()
	return s.rpc
}

// dial opens /v1/rtc (resume: ?resume=1, taking over this user's session).
func (s *Session) dial(ctx context.Context, resume bool) (*rpc, error) {
	ep := s.endpoint
	if resume {
		ep += "?resume=1"
	}
	self := new(*rpc)
	r, err := dialRPCWith(ctx, ep, s.token, s.opts.HTTPClient, s.opts.OnFrame, s.onWire(self))
	*self = r
	return r, err
}

// swap makes r the session's connection and closes the previous one in
// the background (a dead socket's close handshake takes a while).
func (s *Session) swap(r *rpc) {
	s.rpcMu.Lock()
	old := s.rpc
	s.rpc = r
	s.rpcMu.Unlock()
	s.recovery.closers.Add(1)
	go func() {
		defer s.recovery.closers.Done()
		old.close()
	}()
}

func (s *Session) stopRecovery() { s.stopOnce.Do(func() { close(s.stop) }) }

// recoverable reports whether the session should try to recover now.
func (s *Session) recoverable() bool {
	select {
	case <-s.stop:
		return false
	default:
	}
	s.mu.Lock()
	ended := s.ended != nil
	s.mu.Unlock()
	return !s.opts.NoRecover && s.gotJoin && !ended
}

// socketLost reports whether r ended without the server closing it (the
// network went away), so the session should resume on a new socket.
func (s *Session) socketLost(r *rpc) bool {
	return s.recoverable() && websocket.CloseStatus(r.failure()) == -1
}

// resume reconnects /v1/rtc with resume=1 until it works or ResumeTimeout
// passes (session goroutine; it blocks the loop meanwhile, which has
// nothing else to do without a socket). ICE restarts on "joined". A
// definite refusal (HTTP 4xx: the token or the call is over) ends the
// attempts at once and is returned, as is the end of ResumeTimeout
// (gaveUp); Close stopping the attempts returns neither.
func (s *Session) resume() (resumed bool, failed error) {
	s.reconnecting()
	deadline := time.Now().Add(s.resumeLimit())
	wait := 100 * time.Millisecond
	for {
		r, err := s.dialOnce()
		if err == nil {
			s.swap(r)
			return true, nil
		}
		var he *HTTPError
		if errors.As(err, &he) && he.Status >= 400 && he.Status < 500 {
			return false, fmt.Errorf("resume refused: %w", err) // the token or the call is over
		}
		select {
		case <-s.stop: // Close: its own reason
			return false, nil
		default:
		}
		if !time.Now().Add(wait).Before(deadline) {
			return false, s.gaveUp(err)
		}
		select {
		case <-s.stop:
			return false, nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// refusalError is the wire error a refused resume is reported with: the
// server's own (its JSON body), or one named after the HTTP status.
func refusalError(err error) *protocol.Error {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return pe
	}
	var he *HTTPError
	if !errors.As(err, &he) {
		return protocol.Errorf(protocol.CodeInternal, "%v", err)
	}
	code := protocol.CodeBadRequest
	switch he.Status {
	case http.StatusUnauthorized:
		code = protocol.CodeUnauthorized
	case http.StatusForbidden:
		code = protocol.CodeForbidden
	case http.StatusNotFound:
		code = protocol.CodeNotFound
	}
	return protocol.Errorf(code, "resume refused: HTTP %d", he.Status)
}

func (s *Session) dialOnce() (*rpc, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return s.dial(ctx, true)
}

// recover is the answer to a network change or an ICE connection gone
// disconnected/failed (session goroutine): a new socket with resume=1
// (the old one may be dead without knowing it), then an ICE restart on
// both connections when the server confirms (joined, resumed: true).
// Attempts are at least a second apart; a failed one is retried while an
// ICE connection is still down, for up to ResumeTimeout after the first
// attempt, and then the session ends (gaveUp: a server that stopped
// answering, or a network that went away without a word, must not keep a
// dead session open until the socket's pings notice). A refusal (HTTP
// 4xx: the token or the call is over) is not retried: it is reported as a
// MediaError event, and ICE is restarted over the current socket, which
// may well be alive (if it is not, its loss ends the session with the same
// refusal).
func (s *Session) recover() {
	if !s.recoverable() || time.Since(s.recovery.last) < time.Second {
		return
	}
	s.recovery.last = time.Now()
	s.reconnecting()
	if s.recovery.since.IsZero() {
		s.recovery.since = s.recovery.last
	}
	r, err := s.dialOnce()
	if err == nil {
		s.recovery.since = time.Time{}
		s.swap(r)
		return
	}
	var he *HTTPError
	if errors.As(err, &he) && he.Status >= 400 && he.Status < 500 {
		s.recovery.since = time.Time{}
		s.deliver(protocol.Message{Event: MediaError, Data: mustJSON(refusalError(err))})
		s.restartICE()
		s.reconnected() // over the socket it had
		return
	}
	switch {
	case !s.iceDown(): // ICE came back on its own
		s.recovery.since = time.Time{}
		s.reconnected()
	case time.Since(s.recovery.since) < s.resumeLimit():
		s.recovery.retry = time.AfterFunc(time.Second, func() { s.box.push(s.recover) })
	default:
		s.giveUp(s.gaveUp(err))
	}
}

// giveUp ends the session with why (session goroutine): no more
// attempts, a MediaError event, and the current socket closed, so the
// loop ends with why as the session's Err.
func (s *Session) giveUp(why *protocol.Error) {
	s.stopRecovery()
	s.fatal = why
	s.deliver(protocol.Message{Event: MediaError, Data: mustJSON(why)})
	r := s.conn()
	s.recovery.closers.Add(1)
	go func() {
		defer s.recovery.closers.Done()
		r.close()
	}()
}

// iceDown reports whether an ICE connection is disconnected or failed.
func (s *Session) iceDown() bool {
	for _, pc := range []*webrtc.PeerConnection{s.pub, s.sub} {
		if pc == nil {
			continue
		}
		switch pc.ICEConnectionState() {
		case webrtc.ICEConnectionStateDisconnected, webrtc.ICEConnectionStateFailed:
			return true
		}
	}
	return false
}

// onRejoined handles the "joined" of a resumed socket: restart ICE, or,
// if the server no longer had this session (resumed false), end it.
func (s *Session) onRejoined(data json.RawMessage) {
	var j SessionInfo
	if json.Unmarshal(data, &j) == nil && j.Resumed {
		s.mu.Lock()
		s.parts = slices.Clone(j.Participants) // who is there now: some may have come or gone meanwhile
		s.mu.Unlock()
		s.restartICE()
		s.reconnected()
		return
	}
	s.stopRecovery()
	gone := protocol.Errorf(protocol.CodeInvalidState, "the server no longer had this media session")
	s.fatal = gone
	s.deliver(protocol.Message{Event: MediaError, Data: mustJSON(gone)})
	_ = s.conn().send(protocol.MethodLeave, nil)
	r := s.conn()
	s.recovery.closers.Add(1)
	go func() {
		defer s.recovery.closers.Done()
		r.close()
	}()
}

// restartICE restarts ICE on both connections over the current socket
// (session goroutine): restartIce for the subscriber (the server's new
// offer is answered as any), a publishOffer with new credentials for the
// publisher. Failures go to OnEvent as error events.
func (s *Session) restartICE() {
	ctx, cancel := context.WithTimeout(context.Background(), answerTimeout)
	defer cancel()
	if err := s.conn().call(ctx, protocol.MethodRestartICE, nil, nil); err != nil {
		s.reportFailed(err)
	}
	if s.pub == nil || s.pub.RemoteDescription() == nil {
		return
	}
	if err := s.restartPublisher(ctx); err != nil {
		s.reportFailed(err)
	}
}

func (s *Session) restartPublisher(ctx context.Context) error {
	offer, err := s.pub.CreateOffer(&webrtc.OfferOptions{ICERestart: true})
	if err == nil {
		err = s.pub.SetLocalDescription(offer)
	}
	if err != nil {
		return err
	}
	var answer protocol.SDP
	if err := s.conn().call(ctx, protocol.MethodPublishOffer, protocol.PublishOffer{SDP: offer.SDP, Sources: s.sources()}, &answer); err != nil {
		_ = s.pub.SetLocalDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeRollback})
		return err
	}
	if err := s.pub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer.SDP}); err != nil {
		return err
	}
	s.flushHeld(protocol.TargetPublisher)
	return nil
}

// NetworkChanged tells the session that the device's network changed (an
// address came or went; the browser's "online" event): it resumes on a new
// socket and restarts ICE at once, without waiting for ICE to notice. If
// the server refuses the new socket (HTTP 4xx), the refusal comes as a
// MediaError event and ICE restarts over the current socket. It does
// nothing with MediaOptions.NoRecover.
func (s *Session) NetworkChanged() {
	s.box.push(s.recover)
}

// RestartICE restarts ICE on both connections over the current socket
// and waits until both restarts were sent and the publisher's answered.
func (s *Session) RestartICE(ctx context.Context) error {
	return s.run(ctx, func(context.Context) error {
		s.restartICE()
		return nil
	})
}

// watchICE queues a recovery when pc's ICE goes disconnected or failed,
// and tells the options' state hooks.
func (s *Session) watchICE(target string, pc *webrtc.PeerConnection) {
	onICE, onPeer := s.opts.OnICEState, s.opts.OnPeerState
	pc.OnICEConnectionStateChange(func(st webrtc.ICEConnectionState) {
		if onICE != nil {
			onICE(target, st)
		}
		if st == webrtc.ICEConnectionStateDisconnected || st == webrtc.ICEConnectionStateFailed {
			s.box.push(s.recover)
		}
	})
	if onPeer != nil {
		pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) { onPeer(target, st) })
	}
}
