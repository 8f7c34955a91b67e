package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// POST /v1/calls while the store cannot be read answers 503 unavailable
// (retry later) without the store's error; it was 500 internal.
func TestHTTPSInitiateWhileTheStoreIsDown(t *testing.T) {
	app := startApp(t)
	alice := newPhone(t, app, "alice", "Alice")
	newPhone(t, app, "bob", "Bob")
	_ = app.Store().Close() // what a database that cannot be reached answers: errors, not "not found"
	r := alice.do("POST", "/v1/calls", `{"receiverId":"bob","receiverType":"user","callType":"audio"}`)
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, `"unavailable"`) || strings.Contains(r.body, "closed") {
		t.Fatalf("POST /v1/calls with the store down: %d %s; want 503 unavailable, no store detail", r.status, r.body)
	}
}
