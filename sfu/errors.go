package sfu

import (
	"errors"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/wire"
)

// Sentinel errors. Handlers wrap them with %w; wireError maps them to the
// protocol's error codes.
var (
	ErrListen            = errors.New("sfu: cannot bind media sockets")
	ErrClosed            = errors.New("sfu: server closed")
	ErrCallFull          = errors.New("sfu: call is full")
	ErrCallEnded         = errors.New("sfu: call has ended")
	ErrNotJoined         = errors.New("sfu: not joined")
	ErrUnknownMethod     = errors.New("sfu: unknown method")
	ErrBadSDP            = errors.New("sfu: bad session description")
	ErrTooManyMedia      = errors.New("sfu: too many media sections")
	ErrTooManyTracks     = errors.New("sfu: too many tracks")
	ErrTooManyCandidates = errors.New("sfu: too many ICE candidates")
	ErrBadCandidate      = errors.New("sfu: bad ICE candidate")
	ErrBadTarget         = errors.New("sfu: target must be publisher or subscriber")
	ErrBadKind           = errors.New("sfu: kind must be audio or video")
	ErrNoPendingOffer    = errors.New("sfu: no subscriber offer is pending")
)

// wireError maps an error to the *wire.Error sent to the client.
func wireError(err error) *wire.Error {
	var we *wire.Error
	if errors.As(err, &we) {
		return we
	}
	code := wire.CodeInternal
	switch {
	case errors.Is(err, ErrUnknownMethod):
		code = wire.CodeUnknownMethod
	case errors.Is(err, ErrBadSDP), errors.Is(err, ErrBadCandidate), errors.Is(err, ErrBadTarget), errors.Is(err, ErrBadKind):
		code = wire.CodeBadRequest
	case errors.Is(err, ErrTooManyMedia), errors.Is(err, ErrTooManyTracks), errors.Is(err, ErrTooManyCandidates), errors.Is(err, ErrCallFull):
		code = wire.CodeTooLarge
	case errors.Is(err, ErrNotJoined), errors.Is(err, ErrNoPendingOffer), errors.Is(err, ErrCallEnded), errors.Is(err, ErrClosed):
		code = wire.CodeInvalidState
	default:
		return wire.AsError(err)
	}
	return &wire.Error{Code: code, Message: err.Error()}
}

// closeStatus is the WebSocket close code for an error that ends a connection.
func closeStatus(err error) websocket.StatusCode {
	switch {
	case err == nil, errors.Is(err, ErrCallEnded):
		return websocket.StatusNormalClosure
	case errors.Is(err, ErrClosed):
		return websocket.StatusGoingAway
	case errors.Is(err, ErrCallFull):
		return websocket.StatusPolicyViolation
	default:
		return websocket.StatusInternalError
	}
}
