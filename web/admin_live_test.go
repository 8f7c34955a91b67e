package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
)

// TestAdminLiveCalls: GET /v1/admin/calls/live lists every user's calls
// still ringing or ongoing, newest first, as the log holds them (a
// CallPage of the schema), paged with after and filtered by status; an
// ended call is not in it, and bad queries are refused.
func TestAdminLiveCalls(t *testing.T) {
	app := startApp(t)
	ctx := context.Background()
	tok, err := app.Tokens().MintAdmin("ops", 0)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := protocoltest.Load()
	if err != nil {
		t.Fatal(err)
	}
	live := func(query string) protocol.CallPage {
		t.Helper()
		r := do(t, "GET", app.URL()+"/v1/admin/calls/live"+query, "", bearer(tok))
		if r.status != http.StatusOK {
			t.Fatalf("GET /v1/admin/calls/live%s = %d %s", query, r.status, r.body)
		}
		v, err := protocoltest.Decode([]byte(r.body))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate("#/$defs/CallPage", v); err != nil {
			t.Fatalf("GET /v1/admin/calls/live%s: %v\n%s", query, err, r.body)
		}
		var page protocol.CallPage
		r.decode(t, &page)
		return page
	}
	sids := func(p protocol.CallPage) (out []string) {
		for _, c := range p.Calls {
			out = append(out, c.SessionID+":"+c.Status)
		}
		return out
	}
	if p := live(""); len(p.Calls) != 0 || p.Next != "" {
		t.Fatalf("no call yet: %+v", p)
	}
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	carol, dave := signIn(t, app, "carol", "Carol"), signIn(t, app, "dave", "Dave")
	erin, frank := signIn(t, app, "erin", "Erin"), signIn(t, app, "frank", "Frank")
	ended, _, _ := connectCall(t, erin, frank)
	if _, err := erin.chat.EndCall(ctx, ended); err != nil {
		t.Fatal(err)
	}
	ringing, err := alice.chat.InitiateCall(ctx, client.CallRequest{ReceiverID: "bob", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	ongoing, _, _ := connectCall(t, carol, dave)
	_ = bob

	// Newest first: by initiatedAt, then session id (the two calls may
	// share a millisecond).
	all := live("")
	want := []string{ongoing + ":ongoing", ringing.SessionID + ":initiated"}
	if a, b := all.Calls, want; len(a) == 2 && (a[0].InitiatedAt < a[1].InitiatedAt || (a[0].InitiatedAt == a[1].InitiatedAt && a[0].SessionID < a[1].SessionID)) {
		t.Fatalf("live calls %v not newest first", sids(all))
	} else if len(a) == 2 && a[0].SessionID == ringing.SessionID {
		want = []string{b[1], b[0]}
	}
	if got := sids(all); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("live calls = %v, want %v (erin's ended one left out)", got, want)
	}
	for _, c := range all.Calls {
		if c.SessionID == ongoing && (c.Initiator.Name != "Carol" || len(c.Participants) != 2 || c.Participants[1].Status != protocol.StatusOngoing) {
			t.Fatalf("carol's call = %+v, want it as the log holds it", c)
		}
	}
	first := live("?limit=1")
	if len(first.Calls) != 1 || first.Calls[0].SessionID+":"+first.Calls[0].Status != want[0] || first.Next == "" {
		t.Fatalf("first page = %v next %q", sids(first), first.Next)
	}
	if second := live("?limit=1&after=" + first.Next); len(second.Calls) != 1 || sids(second)[0] != want[1] {
		t.Fatalf("second page = %v, want %v", sids(second), want[1])
	}
	if p := live("?status=initiated"); len(p.Calls) != 1 || p.Calls[0].SessionID != ringing.SessionID {
		t.Fatalf("status=initiated = %v", sids(p))
	}

	for _, q := range []string{"?status=ended", "?direction=incoming", "?before=1700000000000", "?uid=alice", "?limit=0", "?after=nonsense"} {
		if r := do(t, "GET", app.URL()+"/v1/admin/calls/live"+q, "", bearer(tok)); r.status != 400 || r.errorCode() != "bad_request" {
			t.Errorf("GET /v1/admin/calls/live%s = %d %s, want 400 bad_request", q, r.status, r.body)
		}
	}
	user, _ := app.Tokens().MintAuth("alice", "", 0)
	if r := do(t, "GET", app.URL()+"/v1/admin/calls/live", "", bearer(user)); r.status != http.StatusUnauthorized {
		t.Errorf("an auth token: %d, want 401", r.status)
	}
}
