package web_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
)

// TestHTTPSInitiateRateLimitedSaysWhenToRetry: POST /v1/calls over the
// user's initiateCall limit is 429 rate_limited with Retry-After (whole
// seconds) and retryAfterMs in the error.
func TestHTTPSInitiateRateLimitedSaysWhenToRetry(t *testing.T) {
	app := startApp(t, func(c *server.Config) { c.Ringing.InitiateRate, c.Ringing.InitiateBurst = 0.1, 1 })
	if _, err := app.Store().UpsertUser(context.Background(), store.User{UID: "bob", Name: "Bob"}); err != nil {
		t.Fatal(err)
	}
	tok, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	call := func() reply {
		return do(t, "POST", app.URL()+"/v1/calls", `{"receiverId":"bob","receiverType":"user","callType":"audio"}`,
			bearer(tok), "Content-Type: application/json")
	}
	if r := call(); r.status != 201 {
		t.Fatalf("first call = %d %s", r.status, r.body)
	}
	r := call()
	var body struct {
		Error struct {
			Code         string
			RetryAfterMs int64
		}
	}
	r.decode(t, &body)
	secs, err := strconv.Atoi(r.header.Get("Retry-After"))
	if r.status != 429 || body.Error.Code != "rate_limited" || err != nil || secs < 1 || secs > 10 || body.Error.RetryAfterMs <= 0 {
		t.Errorf("second call = %d %s, Retry-After %q; want 429 rate_limited, Retry-After 1..10, retryAfterMs", r.status, r.body, r.header.Get("Retry-After"))
	}
}
