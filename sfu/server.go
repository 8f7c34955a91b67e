package sfu

// STUB: the media helper replaces this file. The exported API below is the
// contract web/ and cmd/ code against; keep the signatures.

import (
	"context"
	"log/slog"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"
)

// Hooks is what the media side tells the ringing side (signaling.Hub
// implements it). Both methods must return at once.
type Hooks interface {
	// MediaLeft: uid left the call's media for good (leave, or disconnect timeout).
	MediaLeft(sessionID, uid string)
	// MediaEndCall: uid sent endCall on /v1/rtc.
	MediaEndCall(sessionID, uid string) error
}

// Deps are the Server's collaborators.
type Deps struct {
	Hooks   Hooks
	Log     *slog.Logger          // nil: discard
	Metrics prometheus.Registerer // nil: no metrics
}

// Participant identifies who a /v1/rtc connection is (from its call token).
type Participant struct {
	SessionID string
	UID       string
	Name      string
}

// Server is the SFU: rooms (one per call session), peers, forwarding.
type Server struct{}

// New binds the media sockets (UDP mux, ICE-TCP) and returns a Server.
func New(cfg Config, deps Deps) (*Server, error) { return &Server{}, nil }

// SetHooks wires the ringing side after construction.
func (s *Server) SetHooks(h Hooks) {}

// Serve runs one authenticated /v1/rtc connection until it closes. web has
// verified the call token and that the call is ongoing, and upgraded.
func (s *Server) Serve(ctx context.Context, ws *websocket.Conn, p Participant) {
	_ = ws.Close(websocket.StatusInternalError, "not implemented")
}

// RemoveParticipant tears down uid's media in the call. Never blocks.
func (s *Server) RemoveParticipant(sessionID, uid string) {}

// EndCall tears down the call's media and sends callEnded. Never blocks.
func (s *Server) EndCall(sessionID, reason string) {}

// Participants is how many participants are connected across all calls.
func (s *Server) Participants() int { return 0 }

// Close ends every call and releases the sockets.
func (s *Server) Close() error { return nil }
