package signaling

import (
	"encoding/json"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Requests of a user already past the store's check when the user was
// disabled (here: straight to the hub, whose store was never told): once
// DisableUser has run, the hub refuses their calls, answers and push
// targets, a call to them, and does not ring them in a group call;
// EnableUser lets them back.
func TestDisabledUsersRequestsUnderWayAreRefused(t *testing.T) {
	e := newEnv(t, nil)
	ctx := ctxT(t)
	e.users("alice", "bob", "carol", "dave")
	e.group("team", "alice", "bob", "carol", "dave")
	alice, bob := e.dial("alice"), e.dial("bob")
	g, err := alice.InitiateCall(ctx, groupCall("team"))
	if err != nil {
		t.Fatal(err)
	}
	bob.expect(protocol.EventIncomingCall)
	bob.accept(g.SessionID)

	if err := e.hub.DisableUser(ctx, "carol"); err != nil {
		t.Fatal(err)
	}
	_, err = e.hub.AcceptCall(ctx, "carol", "", g.SessionID)
	wantCode(t, err, protocol.CodeForbidden)
	_, err = e.hub.AckCall(ctx, "carol", "", g.SessionID)
	wantCode(t, err, protocol.CodeForbidden)
	_, err = e.hub.InitiateCall(ctx, "carol", "Carol", protocol.InitiateParams{ReceiverID: "dave", ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio})
	wantCode(t, err, protocol.CodeForbidden)
	_, err = e.hub.InitiateCall(ctx, "dave", "Dave", protocol.InitiateParams{ReceiverID: "carol", ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio})
	wantCode(t, err, protocol.CodeForbidden)
	_, err = e.hub.RegisterDevice(ctx, "carol", protocol.RegisterDeviceParams{DeviceID: "phone", Kind: "fcm", Token: "t", AppID: "com.example.app"})
	wantCode(t, err, protocol.CodeForbidden)
	if devs, _ := e.st.ListDevices(ctx, "carol"); len(devs) != 0 {
		t.Fatalf("carol's push targets = %+v, want none", devs)
	}
	var p protocol.Call
	raw, err := e.hub.InitiateCall(ctx, "dave", "Dave", protocol.InitiateParams{ReceiverID: "team", ReceiverType: protocol.ReceiverGroup, CallType: protocol.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	for _, q := range p.Participants {
		if q.UID == "carol" {
			t.Fatalf("dave's group call rings disabled carol: %+v", p.Participants)
		}
	}

	if err := e.hub.EnableUser(ctx, "carol"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.hub.AcceptCall(ctx, "carol", "", g.SessionID); err != nil {
		t.Fatalf("carol enabled again, accepting: %v", err)
	}
}
