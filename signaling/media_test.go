package signaling

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// The media side's hooks: endCall on /v1/rtc ends a 1:1 call for both
// (every device hears callEnded); leaving the media for good is the same
// as endCall; strangers are refused.
func TestMediaHooks(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice, bob := e.dial("alice"), e.dial("bob")
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	bob.accept(out.SessionID)
	alice.expect(protocol.EventOutgoingCallAccepted)
	wantCode(t, e.hub.MediaEndCall(out.SessionID, "carol"), "forbidden")
	wantCode(t, e.hub.MediaEndCall("nosuchcall", "bob"), "not_found")
	if err := e.hub.MediaEndCall(out.SessionID, "bob"); err != nil {
		t.Fatal(err)
	}
	alice.expect(protocol.EventCallEnded)
	bob.expect(protocol.EventCallEnded) // the request came from bob's media, not this device
	wantCode(t, e.hub.CanJoin(out.SessionID, "bob"), "invalid_state")

	carol := e.dial("carol")
	g := e.groupJoined(alice, bob, carol)
	e.hub.MediaLeft(g.SessionID, "bob", protocol.ReasonEnded) // bob's media dropped for good
	bob.expect(protocol.EventCallEnded)
	wantCode(t, e.hub.CanJoin(g.SessionID, "bob"), "forbidden")
	if err := e.hub.CanJoin(g.SessionID, "carol"); err != nil {
		t.Fatalf("carol: %v", err)
	}
	alice.quiet()
	carol.quiet()
}

// After Close, the hooks answer at once instead of waiting for a loop
// that is gone.
func TestHooksAfterClose(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.hub.Close(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if err := e.hub.CanJoin("s", "u"); err == nil {
			t.Fatal("CanJoin after Close succeeded")
		}
		e.hub.MediaLeft("s", "u", protocol.ReasonDisconnected)
	}
	if err := e.hub.MediaEndCall("s", "u"); err == nil {
		t.Fatal("MediaEndCall after Close succeeded")
	}
	if _, err := e.hub.CallLog(ctxT(t), "u", protocol.LogQuery{}); err != nil {
		t.Fatalf("CallLog after Close: %v", err)
	}
}

// Work posted to the loop (the SFU's MediaJoined and MediaLeft, timers) runs
// in the order it was posted, also when the loop is busy and more waits than
// its channel holds: a leave never overtakes the join before it.
func TestPostsKeepTheirOrderWhenTheLoopIsBusy(t *testing.T) {
	e := newEnv(t, nil)
	release := make(chan struct{})
	e.hub.post(func() { <-release }) // the loop is busy
	const n = 3000                   // more than the channel holds
	var got []int
	for i := range n {
		e.hub.post(func() { got = append(got, i) })
	}
	var joined []int // run waits behind every post before it
	ran := make(chan error, 1)
	go func() { ran <- e.hub.run(func() { joined = append(joined, len(got)) }) }()
	close(release)
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	if len(got) != n || len(joined) != 1 || joined[0] != n {
		t.Fatalf("ran %d posts, then run saw %v; want %d, then [%d]", len(got), joined, n, n)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("post %d ran as number %d: out of order", v, i)
		}
	}
}
