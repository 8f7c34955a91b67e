package signaling

import (
	"encoding/json"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
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
	_, err = e.hub.InitiateCall(ctx, "carol", "Carol", "", protocol.InitiateParams{ReceiverID: "dave", ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio})
	wantCode(t, err, protocol.CodeForbidden)
	_, err = e.hub.InitiateCall(ctx, "dave", "Dave", "", protocol.InitiateParams{ReceiverID: "carol", ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio})
	wantCode(t, err, protocol.CodeForbidden)
	_, err = e.hub.RegisterDevice(ctx, "carol", protocol.RegisterDeviceParams{DeviceID: "phone", Kind: "fcm", Token: "t", AppID: "com.example.app"})
	wantCode(t, err, protocol.CodeForbidden)
	if devs, _ := e.st.ListDevices(ctx, "carol"); len(devs) != 0 {
		t.Fatalf("carol's push targets = %+v, want none", devs)
	}
	var p protocol.Call
	raw, err := e.hub.InitiateCall(ctx, "dave", "Dave", "", protocol.InitiateParams{ReceiverID: "team", ReceiverType: protocol.ReceiverGroup, CallType: protocol.CallAudio})
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

// A node that missed an EnableUser (it could not be reached: the admin
// API answered 503) reads the store again for each user it holds locked
// out, every rereadLocked, and lets them back in once the store says they
// are not disabled; one the store still says is disabled stays out. Before,
// the node refused them until it restarted.
func TestLockedUserLetInWhenTheStoreSaysEnabled(t *testing.T) {
	e := newEnv(t, nil)
	ctx := ctxT(t)
	e.users("alice", "bob", "carol")
	disabled := true
	if _, err := e.st.UpdateUser(ctx, "carol", store.UserEdit{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	// Both disabled through the admin API; bob's enable never reached this node.
	for _, uid := range []string{"bob", "carol"} {
		if err := e.hub.DisableUser(ctx, uid); err != nil {
			t.Fatal(err)
		}
		if err := e.hub.DisableUser(ctx, uid); err != nil { // again: one store check a lockout
			t.Fatal(err)
		}
	}
	call := func(to string) error {
		_, err := e.hub.InitiateCall(ctx, "alice", "Alice", "", protocol.InitiateParams{ReceiverID: to, ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio})
		return err
	}
	wantCode(t, call("bob"), protocol.CodeForbidden)
	e.clock.Advance(rereadLocked)
	if e.hub.isLocked("bob") {
		t.Fatal("bob, enabled in the store, is still locked out")
	}
	if !e.hub.isLocked("carol") {
		t.Fatal("carol, disabled in the store, was let in")
	}
	wantCode(t, call("carol"), protocol.CodeForbidden)
	if err := call("bob"); err != nil {
		t.Fatalf("calling bob once the store says he is enabled: %v", err)
	}
	e.clock.Advance(rereadLocked) // carol's check reads again, and again keeps her out
	if !e.hub.isLocked("carol") {
		t.Fatal("carol let in on the second read")
	}
}
