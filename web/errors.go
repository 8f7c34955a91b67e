package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/wire"
)

// Sentinel errors.
var (
	// ErrNoKeys: Start was given no API key.
	ErrNoKeys = errors.New("no API keys configured")
	// ErrDraining: the server is draining and refuses new work.
	ErrDraining = errors.New("server is draining")
)

// httpStatus maps a wire error code to the HTTP status an API answers with.
func httpStatus(code string) int {
	switch code {
	case wire.CodeBadRequest:
		return http.StatusBadRequest
	case wire.CodeUnknownMethod, wire.CodeNotFound:
		return http.StatusNotFound
	case wire.CodeUnauthorized:
		return http.StatusUnauthorized
	case wire.CodeForbidden:
		return http.StatusForbidden
	case wire.CodeInvalidState, wire.CodeConflict:
		return http.StatusConflict
	case wire.CodeRateLimited:
		return http.StatusTooManyRequests
	case wire.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusInternalServerError
	}
}

// apiError turns any error into the *wire.Error an API client sees. Store
// sentinels keep their message (it describes the client's input); anything
// else that is not already a *wire.Error becomes "internal".
func apiError(err error) *wire.Error {
	var we *wire.Error
	switch {
	case errors.As(err, &we):
		return we
	case errors.Is(err, store.ErrNotFound):
		return &wire.Error{Code: wire.CodeNotFound, Message: trimSentinel(err, store.ErrNotFound)}
	case errors.Is(err, store.ErrConflict):
		return &wire.Error{Code: wire.CodeConflict, Message: trimSentinel(err, store.ErrConflict)}
	case errors.Is(err, store.ErrInvalid):
		return &wire.Error{Code: wire.CodeBadRequest, Message: trimSentinel(err, store.ErrInvalid)}
	default:
		return wire.AsError(err)
	}
}

// trimSentinel drops the sentinel's own text from the front of err's
// message ("not found: user \"bob\"" -> "user \"bob\"").
func trimSentinel(err, sentinel error) string {
	return strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
}
