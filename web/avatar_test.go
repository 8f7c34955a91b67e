package web_test

import (
	"context"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/store"
)

// TestAvatarsComeWithTheUsers: a user's avatar (set by the app's backend)
// comes in "connected", on a call's initiator and user receiver in every
// event and reply, and in the call log, so an incoming-call screen shows it
// without another request. Before, only the ring push carried it, and the
// CometChat layer's getAvatar() was always "" (the porting audit).
func TestAvatarsComeWithTheUsers(t *testing.T) {
	app := startApp(t)
	const face = "https://cdn.example.com/alice.png"
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if _, err := app.Store().UpsertUser(ctx, store.User{UID: "alice", Name: "Alice", Avatar: face}); err != nil {
		t.Fatal(err)
	}
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob") // the token's name kept the avatar
	if got := alice.chat.User(); got.Avatar != face {
		t.Errorf("alice's connected: %+v, want avatar %s", got, face)
	}
	if got := bob.chat.User(); got.Avatar != "" {
		t.Errorf("bob's connected: %+v, want no avatar", got)
	}
	rung := make(chan client.Call, 2)
	bob.chat.AddCallListener("rung", client.CallListener{OnIncomingCallReceived: func(c client.Call) { rung <- c }})
	alice.chat.AddCallListener("rung", client.CallListener{OnIncomingCallReceived: func(c client.Call) { rung <- c }})

	placed := call(t, alice, "bob", 0)
	in := <-rung
	for what, c := range map[string]client.Call{"alice's initiateCall": placed, "bob's incomingCall": in} {
		if c.Initiator.Avatar != face || c.Receiver.Avatar != "" {
			t.Errorf("%s: initiator %+v, receiver %+v; want alice's avatar on the initiator only", what, c.Initiator, c.Receiver)
		}
	}
	if _, err := bob.chat.RejectCall(ctx, in.SessionID, client.StatusRejected); err != nil {
		t.Fatal(err)
	}
	back := call(t, bob, "alice", 0)
	if back.Receiver.Avatar != face || back.Initiator.Avatar != "" {
		t.Errorf("bob calls alice: initiator %+v, receiver %+v; want alice's avatar on the receiver", back.Initiator, back.Receiver)
	}
	<-rung
	if _, err := bob.chat.RejectCall(ctx, back.SessionID, client.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	log, err := bob.chat.ListCalls(ctx, client.LogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Receiver.Avatar != face || log[1].Initiator.Avatar != face {
		t.Errorf("bob's call log: %+v; want alice's avatar on her side of both calls", log)
	}
}
