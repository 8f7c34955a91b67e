package push

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Sentinel errors.
var (
	ErrConfig        = errors.New("push config")
	ErrDeadToken     = errors.New("device token is no longer valid")
	ErrNotConfigured = errors.New("push provider not configured")
)

// Error is a provider's refusal of one push.
type Error struct {
	Provider string // apns or fcm
	Status   int    // HTTP status, 0 if the request failed before one
	Reason   string // the provider's reason (APNs reason, FCM error code) or the transport error
	Retry    bool   // worth trying again later
	After    time.Duration
	Dead     bool // the token is dead: the device was removed
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: status %d: %s", e.Provider, e.Status, e.Reason)
	if e.Dead {
		s += " (device removed)"
	}
	return s
}

// Unwrap lets errors.Is find ErrDeadToken.
func (e *Error) Unwrap() error {
	if e.Dead {
		return ErrDeadToken
	}
	return nil
}

// Permanent reports that retrying cannot help.
func (e *Error) Permanent() bool { return !e.Retry }

// RetryAfter is the provider's Retry-After, or 0.
func (e *Error) RetryAfter() time.Duration { return e.After }

// permanentError marks any other error as not worth retrying.
type permanentError struct{ error }

func (permanentError) Permanent() bool { return true }
func (p permanentError) Unwrap() error { return p.error }

// withoutURL is err's text without the request's URL, which for APNs ends
// in the device token (a secret: docs/api.md); the error is logged and kept
// as the item's lastError. What is left says what failed ("POST: dial tcp
// 127.0.0.1:443: connect: connection refused").
func withoutURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}
