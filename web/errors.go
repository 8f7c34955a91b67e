package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// Sentinel errors.
var (
	// ErrDraining: the server is draining and refuses new work.
	ErrDraining = errors.New("server is draining")
)

// httpStatus maps a wire error code to the HTTP status an API answers with.
func httpStatus(code string) int {
	switch code {
	case protocol.CodeBadRequest:
		return http.StatusBadRequest
	case protocol.CodeUnknownMethod, protocol.CodeNotFound:
		return http.StatusNotFound
	case protocol.CodeUnauthorized:
		return http.StatusUnauthorized
	case protocol.CodeForbidden:
		return http.StatusForbidden
	case protocol.CodeInvalidState, protocol.CodeConflict:
		return http.StatusConflict
	case protocol.CodeRateLimited:
		return http.StatusTooManyRequests
	case protocol.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case protocol.CodeWrongNode:
		return http.StatusMisdirectedRequest
	case protocol.CodeUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// apiError turns any error into the *protocol.Error an API client sees
// (protocol.AsError). Store sentinels keep their message without the
// sentinel's own words (it describes the client's input); a store that
// cannot be read or written now is unavailable (503), not internal.
func apiError(err error) *protocol.Error {
	we := protocol.AsError(err)
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return we
	}
	for _, s := range []error{store.ErrNotFound, store.ErrConflict, store.ErrInvalid} {
		if errors.Is(err, s) {
			return &protocol.Error{Code: we.Code, Message: trimSentinel(err, s)}
		}
	}
	if store.Unavailable(err) { // a full disk, PostgreSQL down: the cause is logged, not shown
		return &protocol.Error{Code: protocol.CodeUnavailable, Message: "the database cannot be read or written now; try again in a moment"}
	}
	return we
}

// trimSentinel drops the sentinel's own text from the front of err's
// message ("not found: user \"bob\"" -> "user \"bob\"").
func trimSentinel(err, sentinel error) string {
	return strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
}
