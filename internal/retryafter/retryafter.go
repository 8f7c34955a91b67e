// Package retryafter reads an HTTP Retry-After header (RFC 9110, 10.2.3),
// which push providers and webhook receivers send with 429 and 503: a
// number of seconds or an HTTP date.
package retryafter

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Parse is how long a Retry-After value asks to wait from now: 0 when it is
// empty, not a number of seconds nor an HTTP date, or already past. A wait
// too long for a time.Duration (about 292 years) is the longest one, never
// a shorter or a negative one: a receiver asking for "never" is not retried
// early.
func Parse(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	// delay-seconds is 1*DIGIT: ParseUint's syntax (no sign, no "_"); a
	// number beyond a uint64 is ErrRange with n at its maximum.
	if n, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if n > math.MaxInt64/uint64(time.Second) {
			return math.MaxInt64
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now) // saturates as well
	}
	return 0
}
