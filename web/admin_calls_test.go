package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
)

// TestAdminCalls: an operator finds a user's calls and reads one call as
// the log holds it, with an admin token only (no user token minted).
func TestAdminCalls(t *testing.T) {
	app := startApp(t)
	tok, err := app.Tokens().MintAdmin("ops", 0)
	if err != nil {
		t.Fatal(err)
	}
	admin := func(path string) reply {
		t.Helper()
		return do(t, "GET", app.URL()+path, "", bearer(tok))
	}
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	sid, _, _ := connectCall(t, alice, bob)
	if _, err := alice.chat.EndCall(context.Background(), sid); err != nil {
		t.Fatal(err)
	}

	var log struct{ Calls []client.Call }
	admin("/v1/admin/calls?uid=bob&limit=10").decode(t, &log)
	if len(log.Calls) != 1 || log.Calls[0].SessionID != sid || log.Calls[0].Status != "ended" || log.Calls[0].Initiator.Name != "Alice" {
		t.Fatalf("bob's log = %+v, want the ended call from Alice", log.Calls)
	}
	var call client.Call
	r := admin("/v1/admin/calls/" + sid)
	r.decode(t, &call)
	if r.status != http.StatusOK || call.SessionID != sid || call.Status != "ended" || len(call.Participants) != 2 || call.JoinedAt == 0 {
		t.Fatalf("GET /v1/admin/calls/%s = %d %+v", sid, r.status, call)
	}

	for _, tc := range []struct {
		path, code string
		status     int
	}{
		{"/v1/admin/calls", "bad_request", 400},
		{"/v1/admin/calls?uid=bad%20uid", "bad_request", 400},
		{"/v1/admin/calls?uid=bob&color=red", "bad_request", 400},
		{"/v1/admin/calls?uid=bob&limit=500", "bad_request", 400},
		{"/v1/admin/calls/nosuchcall", "not_found", 404},
		{"/v1/admin/calls/bad%20id", "bad_request", 400},
	} {
		if r := admin(tc.path); r.status != tc.status || r.errorCode() != tc.code {
			t.Errorf("GET %s = %d %s, want %d %s", tc.path, r.status, r.body, tc.status, tc.code)
		}
	}
	user, _ := app.Tokens().MintAuth("alice", "", 0)
	if r := do(t, "GET", app.URL()+"/v1/admin/calls/"+sid, "", bearer(user)); r.status != http.StatusUnauthorized {
		t.Errorf("an auth token on the admin API: %d, want 401", r.status)
	}
}
