package web_test

import (
	"context"
	"testing"
)

// TestDrainSocketRefusalIsUnavailable: a /v1/ws upgrade during a drain is
// 503 with code unavailable (the code docs/api.md gives 503) and Retry-After.
func TestDrainSocketRefusalIsUnavailable(t *testing.T) {
	app := startApp(t)
	auth, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	app.Drain(context.Background())
	r := do(t, "GET", app.URL()+"/v1/ws?token="+auth, "")
	if r.status != 503 || r.errorCode() != "unavailable" || r.header.Get("Retry-After") == "" {
		t.Errorf("/v1/ws while draining = %d %s (Retry-After %q), want 503 unavailable with Retry-After",
			r.status, r.body, r.header.Get("Retry-After"))
	}
}
