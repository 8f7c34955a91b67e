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

// The admin API on a store that cannot be written (a full disk, PostgreSQL
// down; here a closed store) answers 503 unavailable without the store's
// words; it was 500 internal.
func TestAdminWhileTheStoreIsDown(t *testing.T) {
	app, admin := adminApp(t)
	_ = app.Store().Close()
	for _, r := range []reply{
		admin("POST", "/v1/admin/users", `{"uid":"alice","name":"Alice"}`),
		admin("GET", "/v1/admin/users", ""),
	} {
		if r.status != http.StatusServiceUnavailable || r.errorCode() != "unavailable" || strings.Contains(r.body, "closed") {
			t.Fatalf("admin API with the store down: %d %s; want 503 unavailable, no store detail", r.status, r.body)
		}
	}
}
