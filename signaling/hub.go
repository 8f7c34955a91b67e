package signaling

// STUB: the ringing helper replaces this file. The exported API below is the
// contract web/ and cmd/ code against; keep the signatures.

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// Media is what the ringing side needs from the media side (package sfu
// implements it; web/cmd wire it). Both methods must return at once: they
// only queue work.
type Media interface {
	// RemoveParticipant tears down uid's media in the call (e.g. a group
	// member's endCall, which means "I leave").
	RemoveParticipant(sessionID, uid string)
	// EndCall tears down every participant's media in the call and tells them
	// callEnded with the reason.
	EndCall(sessionID, reason string)
}

// Deps are the Hub's collaborators.
type Deps struct {
	Store   store.Store
	Tokens  *tokens.Issuer
	Media   Media                 // may be nil until the media side is wired
	Log     *slog.Logger          // nil: discard
	Now     func() time.Time      // nil: time.Now
	Metrics prometheus.Registerer // nil: no metrics
}

// Hub owns every call's ringing state and every /v1/ws connection.
type Hub struct{}

// ErrStub is returned by the stub.
var ErrStub = errors.New("signaling: not implemented yet")

// New starts the Hub (its owner goroutine). It closes calls a previous run
// left open in the store.
func New(ctx context.Context, cfg Config, deps Deps) (*Hub, error) { return &Hub{}, nil }

// SetMedia wires the media side after construction (the two refer to each other).
func (h *Hub) SetMedia(m Media) {}

// Serve runs one authenticated /v1/ws connection until it closes. web has
// already verified the auth token and upgraded the connection.
func (h *Hub) Serve(ctx context.Context, ws *websocket.Conn, user tokens.Claims) {
	_ = ws.Close(websocket.StatusInternalError, "not implemented")
}

// CanJoin reports whether uid may open media for sessionID now: the call is
// ongoing and uid has accepted it (and not left). It returns a *wire.Error
// (not_found, forbidden, invalid_state) otherwise.
func (h *Hub) CanJoin(sessionID, uid string) error { return ErrStub }

// MediaLeft is called by the media side when uid left the call's media for
// good (leave, or disconnect timeout): the same as endCall by uid. Never blocks.
func (h *Hub) MediaLeft(sessionID, uid string) {}

// MediaEndCall is endCall sent on /v1/rtc by uid. Never blocks.
func (h *Hub) MediaEndCall(sessionID, uid string) error { return ErrStub }

// CallLog returns uid's call log, newest first, with uid's view of each status.
func (h *Hub) CallLog(ctx context.Context, uid string, q LogQuery) ([]Call, error) {
	return nil, ErrStub
}

// LogQuery filters CallLog (the params of listCalls and GET /v1/calls).
type LogQuery struct {
	Limit     int    `json:"limit,omitempty"`
	Before    int64  `json:"before,omitempty"` // unix ms
	Status    string `json:"status,omitempty"`
	Direction string `json:"direction,omitempty"` // incoming | outgoing
}

// Call is the Call object of docs/protocol.md.
type Call struct{}

// ActiveCalls is how many calls are ringing or ongoing (drain waits for 0).
func (h *Hub) ActiveCalls() int { return 0 }

// Close stops accepting, closes every connection and stops the owner goroutine.
func (h *Hub) Close() error { return nil }
