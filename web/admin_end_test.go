package web_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// The app's backend ends a call with POST /v1/admin/calls/{sid}/end: a
// ringing one is cancelled, an answered one ended, both with endReason
// ended_by_admin, and every participant hears it (frames checked against
// the schema); ending it again is invalid_state, an unknown call
// not_found, and a user's token is refused.
func TestAdminEndsACall(t *testing.T) {
	app, admin := adminApp(t)
	ctx := context.Background()
	for _, uid := range []string{"alice", "bob"} {
		if _, err := app.Store().UpsertUser(ctx, store.User{UID: uid, Name: uid}); err != nil {
			t.Fatal(err)
		}
	}
	alice, aliceEvs := eventsOf(t, app, "alice")
	bob, bobEvs := eventsOf(t, app, "bob")
	call := func() string {
		c, err := alice.InitiateCall(ctx, client.CallRequest{ReceiverID: "bob", ReceiverType: "user", CallType: "audio"})
		if err != nil {
			t.Fatal(err)
		}
		for m := next(t, bobEvs, "incomingCall"); m.Event != protocol.EventIncomingCall; m = next(t, bobEvs, "incomingCall") {
			if m.Event != protocol.EventConnected {
				t.Fatalf("bob got %s, want incomingCall", m.Event)
			}
		}
		return c.SessionID
	}
	ended := func(r reply, status string) {
		t.Helper()
		var c protocol.Call
		r.decode(t, &c)
		if r.status != 200 || c.Status != status || c.EndReason != protocol.ReasonEndedByAdmin {
			t.Fatalf("end = %d %s, want 200 %s ended_by_admin", r.status, r.body, status)
		}
	}
	reason := func(m protocol.Message) string {
		var d struct{ Reason string }
		_ = json.Unmarshal(m.Data, &d)
		return d.Reason
	}

	sid := call()
	ended(admin("POST", "/v1/admin/calls/"+sid+"/end", ""), protocol.StatusCancelled)
	for _, ev := range []struct {
		evs  chan protocol.Message
		want string
	}{{aliceEvs, protocol.EventCallEnded}, {bobEvs, protocol.EventIncomingCallCancelled}} {
		for {
			m := next(t, ev.evs, ev.want)
			if m.Event == protocol.EventRinging || m.Event == protocol.EventConnected {
				continue
			}
			if m.Event != ev.want || reason(m) != protocol.ReasonEndedByAdmin {
				t.Fatalf("got %s %s, want %s with reason ended_by_admin", m.Event, m.Data, ev.want)
			}
			break
		}
	}

	sid = call()
	if _, err := bob.AcceptCall(ctx, sid); err != nil {
		t.Fatal(err)
	}
	ended(admin("POST", "/v1/admin/calls/"+sid+"/end", "{}"), protocol.StatusEnded)
	for _, evs := range []chan protocol.Message{aliceEvs, bobEvs} {
		for {
			m := next(t, evs, "callEnded")
			if m.Event != protocol.EventCallEnded {
				continue // ringing, accepted
			}
			if reason(m) != protocol.ReasonEndedByAdmin {
				t.Fatalf("callEnded %s, want reason ended_by_admin", m.Data)
			}
			break
		}
	}
	if r := admin("POST", "/v1/admin/calls/"+sid+"/end", ""); r.status != 409 || r.errorCode() != "invalid_state" {
		t.Errorf("ending an ended call = %d %s, want 409 invalid_state", r.status, r.body)
	}
	if r := admin("POST", "/v1/admin/calls/AAAAAAAAAAAAAAAAAAAAAA/end", ""); r.status != 404 || r.errorCode() != "not_found" {
		t.Errorf("ending an unknown call = %d %s, want 404 not_found", r.status, r.body)
	}
	if r := admin("POST", "/v1/admin/calls/"+sid+"/end", `{"reason":"x"}`); r.status != 400 {
		t.Errorf("a body with a field = %d %s, want 400", r.status, r.body)
	}
	tok, _ := app.Tokens().MintAuth("alice", "", 0)
	if r := do(t, "POST", app.URL()+"/v1/admin/calls/"+sid+"/end", "", bearer(tok)); r.status != 401 {
		t.Errorf("with a user's token = %d %s, want 401", r.status, r.body)
	}
}
