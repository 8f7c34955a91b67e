package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// The app's backend disables a user with PATCH /v1/admin/users/{uid}
// {"disabled":true}: the 1:1 call they are in ends for the other side with
// ended_by_admin, their socket closes (1008 "user disabled"), their tokens
// are refused everywhere (/v1/ws, /v1/rtc, the HTTPS API: 403 naming it),
// listUsers leaves them out, nobody can call them, and a group call rings
// the other members only.
// {"disabled":false} lets them back.
func TestAdminDisablesAUser(t *testing.T) {
	app, admin := adminApp(t)
	ctx := context.Background()
	for _, uid := range []string{"alice", "bob", "carol"} {
		if _, err := app.Store().UpsertUser(ctx, store.User{UID: uid, Name: uid}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := app.Store().CreateGroup(ctx, store.Group{GUID: "team", Name: "Team"}); err != nil {
		t.Fatal(err)
	}
	if err := app.Store().AddMembers(ctx, "team", []string{"alice", "bob", "carol"}); err != nil {
		t.Fatal(err)
	}
	alice, aliceEvs := eventsOf(t, app, "alice")
	bob, bobEvs := eventsOf(t, app, "bob")
	c, err := alice.InitiateCall(ctx, client.CallRequest{ReceiverID: "bob", ReceiverType: "user", CallType: "audio"})
	if err != nil {
		t.Fatal(err)
	}
	for m := next(t, bobEvs, "incomingCall"); m.Event != protocol.EventIncomingCall; m = next(t, bobEvs, "incomingCall") {
	}
	accepted, err := bob.AcceptCall(ctx, c.SessionID)
	if err != nil {
		t.Fatal(err)
	}

	r := admin("PATCH", "/v1/admin/users/bob", `{"disabled":true}`)
	var u store.User
	r.decode(t, &u)
	if r.status != 200 || !u.Disabled || u.DisabledAt.IsZero() {
		t.Fatalf("disable = %d %s, want 200 and the user disabled", r.status, r.body)
	}
	for {
		m := next(t, aliceEvs, "callEnded")
		if m.Event != protocol.EventCallEnded {
			continue // ringing, outgoingCallAccepted
		}
		var d struct{ Reason string }
		_ = json.Unmarshal(m.Data, &d)
		if d.Reason != protocol.ReasonEndedByAdmin {
			t.Fatalf("alice's callEnded %s, want reason ended_by_admin", m.Data)
		}
		break
	}
	select {
	case <-bob.Done():
	case <-time.After(waitLimit):
		t.Fatal("bob's socket stayed open")
	}
	if err := bob.Err(); websocket.CloseStatus(err) != websocket.StatusPolicyViolation || !strings.Contains(err.Error(), "user disabled") {
		t.Fatalf("bob's socket ended with %v, want close 1008 \"user disabled\"", err)
	}

	// Every door refuses bob's tokens, naming why.
	tok, _ := app.Tokens().MintAuth("bob", "bob", 0)
	_, err = client.Dial(ctx, app.URL(), tok)
	var he *client.HTTPError
	if !errors.As(err, &he) || he.Status != 403 || he.Code != protocol.CodeForbidden || !strings.Contains(he.Message, "disabled") {
		t.Fatalf("bob dialling /v1/ws = %v, want 403 forbidden naming disabled", err)
	}
	for _, path := range []string{"/v1/calls", "/v1/devices", "/v1/calls/" + c.SessionID} {
		if r := do(t, "GET", app.URL()+path, "", bearer(tok)); r.status != 403 || r.errorCode() != "forbidden" || !strings.Contains(r.body, "bob is disabled") {
			t.Errorf("GET %s as bob = %d %s, want 403 forbidden naming bob disabled", path, r.status, r.body)
		}
	}
	if r := do(t, "GET", app.URL()+"/v1/rtc?token="+accepted.CallToken, ""); r.status != 403 || !strings.Contains(r.body, "disabled") {
		t.Errorf("GET /v1/rtc with bob's call token = %d %s, want 403", r.status, r.body)
	}

	// Nobody lists or calls bob; a group call rings carol, not bob.
	users, err := alice.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.UID == "bob" {
			t.Fatalf("listUsers shows disabled bob: %+v", users)
		}
	}
	if _, err := alice.InitiateCall(ctx, client.CallRequest{ReceiverID: "bob", ReceiverType: "user", CallType: "audio"}); protocol.AsError(err).Code != protocol.CodeForbidden || !strings.Contains(err.Error(), "disabled") {
		t.Fatalf("calling bob = %v, want forbidden: disabled", err)
	}
	g, err := alice.InitiateCall(ctx, client.CallRequest{ReceiverID: "team", ReceiverType: "group", CallType: "audio"})
	if err != nil {
		t.Fatal(err)
	}
	var rung []string
	for _, p := range g.Participants {
		rung = append(rung, p.UID)
	}
	if strings.Join(rung, ",") != "alice,carol" {
		t.Fatalf("the group call's participants = %v, want alice and carol (bob is disabled)", rung)
	}
	if r := admin("POST", "/v1/admin/calls/"+g.SessionID+"/end", ""); r.status != 200 {
		t.Fatalf("ending the group call = %d %s", r.status, r.body)
	}

	// Bad input changes nothing; enabled again, bob connects and is called.
	if r := admin("PATCH", "/v1/admin/users/bob", `{"disabled":"no"}`); r.status != 400 || !strings.Contains(r.body, "disabled") {
		t.Errorf(`disabled:"no" = %d %s, want 400 naming disabled`, r.status, r.body)
	}
	r = admin("PATCH", "/v1/admin/users/bob", `{"disabled":false}`)
	u = store.User{}
	r.decode(t, &u)
	if r.status != 200 || u.Disabled || !u.DisabledAt.IsZero() {
		t.Fatalf("enable = %d %s", r.status, r.body)
	}
	_, bobEvs = eventsOf(t, app, "bob")
	if _, err := alice.InitiateCall(ctx, client.CallRequest{ReceiverID: "bob", ReceiverType: "user", CallType: "audio"}); err != nil {
		t.Fatalf("calling bob once enabled: %v", err)
	}
	for m := next(t, bobEvs, "incomingCall"); m.Event != protocol.EventIncomingCall; m = next(t, bobEvs, "incomingCall") {
	}
}

// An account deleted in the app: DELETE /v1/admin/users/{uid} forgets the
// user's name, avatar, push targets and group memberships, closes their
// socket, and leaves the uid disabled, so their unexpired token opens
// nothing; unknown and malformed uids are refused.
func TestAdminDeletesAUser(t *testing.T) {
	app, admin := adminApp(t)
	ctx := context.Background()
	if r := admin("POST", "/v1/admin/users", `{"uid":"gail","name":"Gail G","avatar":"https://x.test/g.png"}`); r.status != 201 {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	admin("POST", "/v1/admin/users", `{"uid":"hank","name":"Hank"}`)
	admin("POST", "/v1/admin/groups", `{"guid":"crew","name":"Crew"}`)
	if r := admin("POST", "/v1/admin/groups/crew/members", `{"uids":["gail","hank"]}`); r.status/100 != 2 {
		t.Fatalf("add members = %d %s", r.status, r.body)
	}
	tok, _ := app.Tokens().MintAuth("gail", "Gail G", 0)
	// (this server sends no pushes, so /v1/devices would refuse the kind)
	if _, err := app.Store().PutDevice(ctx, store.Device{UID: "gail", DeviceID: "phone", Kind: store.DeviceFCM, Token: "fcm-token-gail", AppID: "com.example.app"}); err != nil {
		t.Fatal(err)
	}
	gail, _ := eventsOf(t, app, "gail")

	r := admin("DELETE", "/v1/admin/users/gail", "")
	var u store.User
	r.decode(t, &u)
	if r.status != 200 || u.Name != "gail" || u.Avatar != "" || !u.Disabled {
		t.Fatalf("delete = %d %s, want 200 and the user left nameless and disabled", r.status, r.body)
	}
	select {
	case <-gail.Done():
	case <-time.After(waitLimit):
		t.Fatal("gail's socket stayed open")
	}
	if devs, err := app.Store().ListDevices(ctx, "gail"); err != nil || len(devs) != 0 {
		t.Fatalf("gail's push targets = %+v, %v; want none", devs, err)
	}
	if members, err := app.Store().ListMembers(ctx, "crew"); err != nil || len(members) != 1 || members[0].UID != "hank" {
		t.Fatalf("crew = %+v, %v; want hank only", members, err)
	}
	if r := do(t, "GET", app.URL()+"/v1/devices", "", bearer(tok)); r.status != 403 || !strings.Contains(r.body, "disabled") {
		t.Errorf("gail's old token = %d %s, want 403 disabled", r.status, r.body)
	}
	if _, err := client.Dial(ctx, app.URL(), tok); err == nil {
		t.Error("gail's old token opened /v1/ws")
	}
	if got, _ := app.Store().GetUser(ctx, "gail"); got.Name != "gail" || !got.Disabled {
		t.Errorf("after a connect attempt with the old token's name: %+v", got)
	}
	if r := admin("DELETE", "/v1/admin/users/nobody", ""); r.status != 404 || r.errorCode() != "not_found" {
		t.Errorf("deleting an unknown user = %d %s, want 404", r.status, r.body)
	}
	if r := admin("DELETE", "/v1/admin/users/bad%20uid", ""); r.status != 400 {
		t.Errorf("deleting a malformed uid = %d %s, want 400", r.status, r.body)
	}
}
