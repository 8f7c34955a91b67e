package webhook

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// FuzzVerify: any signature header is accepted only when one of its v1
// values is the body's HMAC for its t and t is inside the window, and
// otherwise refused with one of the three documented errors; what Sign
// writes is accepted within the window and refused for any other body.
func FuzzVerify(f *testing.F) {
	f.Add("t=1796457600,v1=00", []byte(`{"id":"evt_1"}`), int64(1796457600), int64(0))
	f.Add("t=+1796457600, v1=ab ,v1=", []byte(`{}`), int64(1796457900), int64(301))
	f.Add("t=9223372036854775807,v1=x,t=1", []byte(nil), int64(-9223372036), int64(-1))
	f.Fuzz(func(t *testing.T, header string, body []byte, nowUnix, offset int64) {
		const secret = "whsec_0123456789abcdef0123456789abcdef"
		now := time.Unix(nowUnix, 0)
		err := Verify(secret, header, body, now, 0)
		if err != nil && !errors.Is(err, ErrNoSignature) && !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrStale) {
			t.Fatalf("Verify(%q) = %v: not a documented error", header, err)
		}
		if offset > 1<<32 || offset < -(1<<32) {
			return // beyond any clock (and offset seconds fit a Duration)
		}
		at := now.Add(time.Duration(offset) * time.Second)
		signed := Sign(secret, at, body)
		err = Verify(secret, signed, body, now, 0)
		inWindow := offset >= -int64(DefaultTolerance/time.Second) && offset <= int64(DefaultTolerance/time.Second)
		if inWindow != (err == nil) || (!inWindow && !errors.Is(err, ErrStale)) {
			t.Fatalf("signed %d s away: %v", offset, err)
		}
		if err := Verify(secret, signed, append(slices.Clone(body), ' '), now, 0); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("another body: %v", err)
		}
	})
}
