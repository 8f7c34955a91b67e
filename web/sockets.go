package web

import (
	"context"
	"net/http"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// handleWS upgrades GET /v1/ws (auth token) and hands it to the hub.
// Every refusal is an HTTP error before any upgrade.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	if s.Draining() {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: protocol.Errorf(
			protocol.CodeUnavailable, "%v: reconnect later or to another server", ErrDraining)})
		return
	}
	claims, err := s.verify(r, tokens.KindAuth, true)
	if err == nil {
		err = s.origins.check(r)
	}
	if err == nil {
		err = s.refuseDisabled(r.Context(), claims.UID)
	}
	if err == nil && s.deps.Placement != nil {
		err = s.deps.Placement.RingsHere()
	}
	if err == nil {
		err = s.deps.Hub.Admit(claims.UID)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ws, ok := s.accept(w, r, "ws")
	if !ok {
		return
	}
	// The hub serves the socket on a goroutine of its own and this handler
	// returns: an idle connection then holds one small goroutine, not this
	// one's stack and request state. The socket still counts (metrics, Wait)
	// until it has closed. Its context must outlive the handler's.
	s.deps.Hub.Start(context.WithoutCancel(r.Context()), ws, claims, func() { s.closed("ws") })
}

// handleRTC upgrades GET /v1/rtc (call token) for a participant the hub
// lets join, and hands it to the SFU. It stays open while draining: it only
// serves calls that are already ongoing, which draining lets finish.
func (s *Server) handleRTC(w http.ResponseWriter, r *http.Request) {
	resume := r.URL.Query().Get("resume") == "1"
	claims, resumeOnly, err := s.verifyRTC(r, resume)
	if err == nil {
		err = s.origins.check(r)
	}
	if err == nil {
		err = s.refuseDisabled(r.Context(), claims.UID)
	}
	if err == nil && s.deps.Placement != nil {
		err = s.deps.Placement.MediaHere(r.Context(), claims.SessionID)
	}
	if err == nil {
		err = s.deps.Hub.CanJoin(claims.SessionID, claims.UID)
		if err != nil && apiError(err).Code != protocol.CodeNotFound && apiError(err).Code != protocol.CodeInternal {
			err = &protocol.Error{Code: protocol.CodeForbidden, Message: apiError(err).Message}
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ws, ok := s.accept(w, r, "rtc")
	if !ok {
		return
	}
	defer s.closed("rtc")
	s.deps.SFU.Serve(r.Context(), ws, MediaParticipant{
		SessionID: claims.SessionID, UID: claims.UID, Name: s.displayName(r, claims),
		Resume: resume, ResumeOnly: resumeOnly,
	})
}

// displayName is the name others see for a call token's user: call tokens
// carry none, so it comes from the store (the uid if the user is unknown).
func (s *Server) displayName(r *http.Request, c tokens.Claims) string {
	if c.Name != "" {
		return c.Name
	}
	if u, err := s.deps.Store.GetUser(r.Context(), c.UID); err == nil && u.Name != "" {
		return u.Name
	}
	return c.UID
}

// accept upgrades the request; on failure websocket.Accept has answered.
// The origin was checked by the caller, with JSON errors.
func (s *Server) accept(w http.ResponseWriter, r *http.Request, endpoint string) (*websocket.Conn, bool) {
	s.sockets.Add(1)
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		InsecureSkipVerify: true,
		CompressionMode:    websocket.CompressionDisabled,
		Subprotocols:       []string{wsProtocol},
	})
	if err != nil {
		s.sockets.Done()
		s.log.Debug("websocket upgrade failed", "endpoint", endpoint, "err", err)
		return nil, false
	}
	s.metrics.sockets.WithLabelValues(endpoint).Inc()
	return ws, true
}

func (s *Server) closed(endpoint string) {
	s.metrics.sockets.WithLabelValues(endpoint).Dec()
	s.sockets.Done()
}
