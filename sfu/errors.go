package sfu

import (
	"errors"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Sentinel errors, each with its wire code (protocol.AsError maps them).
// Handlers wrap them with %w.
var (
	ErrListen            = errors.New("sfu: cannot bind media sockets")
	ErrClosed            = protocol.NewSentinel(protocol.CodeInvalidState, "sfu: server closed")
	ErrCallFull          = protocol.NewSentinel(protocol.CodeTooLarge, "sfu: call is full")
	ErrCallEnded         = protocol.NewSentinel(protocol.CodeInvalidState, "sfu: call has ended")
	ErrNotJoined         = protocol.NewSentinel(protocol.CodeInvalidState, "sfu: not joined")
	ErrUnknownMethod     = protocol.NewSentinel(protocol.CodeUnknownMethod, "sfu: unknown method")
	ErrBadSDP            = protocol.NewSentinel(protocol.CodeBadRequest, "sfu: bad session description")
	ErrTooManyMedia      = protocol.NewSentinel(protocol.CodeTooLarge, "sfu: too many media sections")
	ErrTooManyTracks     = protocol.NewSentinel(protocol.CodeTooLarge, "sfu: too many tracks")
	ErrTooManyCandidates = protocol.NewSentinel(protocol.CodeTooLarge, "sfu: too many ICE candidates")
	ErrBadCandidate      = protocol.NewSentinel(protocol.CodeBadRequest, "sfu: bad ICE candidate")
	ErrBadTarget         = protocol.NewSentinel(protocol.CodeBadRequest, "sfu: target must be publisher or subscriber")
	ErrBadKind           = protocol.NewSentinel(protocol.CodeBadRequest, "sfu: kind must be audio or video")
	ErrUnknownTrack      = protocol.NewSentinel(protocol.CodeBadRequest, "sfu: no such track is forwarded to you")
	ErrBadLayer          = protocol.NewSentinel(protocol.CodeBadRequest, "sfu: layer must be low, medium, high or empty")
	ErrBadSize           = protocol.NewSentinel(protocol.CodeBadRequest, "sfu: width and height must be 0 to 16384")
	ErrBadSource         = protocol.NewSentinel(protocol.CodeBadRequest, "sfu: a source must be camera or screen")
	ErrNoPendingOffer    = protocol.NewSentinel(protocol.CodeInvalidState, "sfu: no subscriber offer is pending")
	ErrTooManyRestarts   = protocol.NewSentinel(protocol.CodeRateLimited, "sfu: too many ICE restarts")
	ErrNoMediaHere       = protocol.NewSentinel(protocol.CodeWrongNode, "sfu: this node hosts no media (role signal)")
	ErrNothingToResume   = protocol.NewSentinel(protocol.CodeUnauthorized, "sfu: call token expired: it can only resume a session still held, and there is none; get a new one (generateToken)")
)

// errDeferred: a request waits to run again (not answered now).
var errDeferred = errors.New("sfu: deferred")

// errBadRTCP: a subscriber's RTCP packet could not be read (it is skipped).
var errBadRTCP = errors.New("sfu: malformed RTCP")

// closeStatus is the WebSocket close code for an error that ends a connection.
func closeStatus(err error) websocket.StatusCode {
	switch {
	case err == nil, errors.Is(err, ErrCallEnded):
		return websocket.StatusNormalClosure
	case errors.Is(err, ErrClosed):
		return websocket.StatusGoingAway
	case errors.Is(err, ErrCallFull), errors.Is(err, ErrNothingToResume), errors.Is(err, ErrNoMediaHere):
		return websocket.StatusPolicyViolation
	default:
		return websocket.StatusInternalError
	}
}
