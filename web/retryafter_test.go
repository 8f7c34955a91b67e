package web

import (
	"errors"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestRateLimitedCarriesRetryAfter: a rate_limited error that knows its
// wait (retryAfterMs) is a 429 with Retry-After in whole seconds, rounded
// up; one that does not know it gets no made-up header.
func TestRateLimitedCarriesRetryAfter(t *testing.T) {
	s := &Server{log: slog.New(slog.DiscardHandler)}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&protocol.Error{Code: protocol.CodeRateLimited, Message: "slow down", RetryAfterMs: 1500}, "2"},
		{&protocol.Error{Code: protocol.CodeRateLimited, Message: "slow down", RetryAfterMs: 1}, "1"},
		{&protocol.Error{Code: protocol.CodeRateLimited, Message: "slow down", RetryAfterMs: 3000}, "3"},
		{protocol.NewSentinel(protocol.CodeRateLimited, "too many calls"), ""},
		{errors.New("boom"), ""},
	} {
		rec := httptest.NewRecorder()
		s.writeError(rec, httptest.NewRequest("POST", "/v1/calls", nil), tc.err)
		if got := rec.Header().Get("Retry-After"); got != tc.want {
			t.Errorf("%v: Retry-After %q, want %q (status %d)", tc.err, got, tc.want, rec.Code)
		}
	}
}
