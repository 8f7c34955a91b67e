package signaling

import (
	"errors"

	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/wire"
)

// Sentinel errors. The state machine wraps them with %w and a message that
// names the call and the rule; protocolError maps them to wire codes.
var (
	ErrNotFound     = errors.New("no such call")
	ErrForbidden    = errors.New("not allowed")
	ErrInvalidState = errors.New("call state does not allow this")
	ErrConflict     = errors.New("already done")
	ErrRateLimited  = errors.New("too many calls")
	ErrBadRequest   = errors.New("bad request")
	ErrClosed       = errors.New("signaling: hub closed")
	ErrDraining     = errors.New("server is shutting down")
)

// protocolError maps any error to the *wire.Error a client sees. Store and
// unknown errors become internal (the caller logs them).
func protocolError(err error) *wire.Error {
	var we *wire.Error
	if errors.As(err, &we) {
		return we
	}
	code := wire.CodeInternal
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, store.ErrNotFound):
		code = wire.CodeNotFound
	case errors.Is(err, ErrForbidden):
		code = wire.CodeForbidden
	case errors.Is(err, ErrInvalidState):
		code = wire.CodeInvalidState
	case errors.Is(err, ErrConflict):
		code = wire.CodeConflict
	case errors.Is(err, ErrRateLimited):
		code = wire.CodeRateLimited
	case errors.Is(err, ErrBadRequest), errors.Is(err, store.ErrInvalid):
		code = wire.CodeBadRequest
	case errors.Is(err, ErrClosed), errors.Is(err, ErrDraining):
		code = wire.CodeInvalidState
	}
	if code == wire.CodeInternal {
		return &wire.Error{Code: code, Message: "internal error"}
	}
	return &wire.Error{Code: code, Message: err.Error()}
}
