package signaling

import "testing"

// The media side's hooks: endCall on /v1/rtc ends a 1:1 call for both
// (every device hears callEnded); leaving the media for good is the same
// as endCall; strangers are refused.
func TestMediaHooks(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice, bob := e.dial("alice"), e.dial("bob")
	out := alice.call("bob")
	bob.expect(EvIncomingCall)
	bob.accept(out.SessionID)
	alice.expect(EvOutgoingCallAccepted)
	wantCode(t, e.hub.MediaEndCall(out.SessionID, "carol"), "forbidden")
	wantCode(t, e.hub.MediaEndCall("nosuchcall", "bob"), "not_found")
	if err := e.hub.MediaEndCall(out.SessionID, "bob"); err != nil {
		t.Fatal(err)
	}
	alice.expect(EvCallEnded)
	bob.expect(EvCallEnded) // the request came from bob's media, not this device
	wantCode(t, e.hub.CanJoin(out.SessionID, "bob"), "invalid_state")

	e.group("team", "alice", "bob", "carol")
	carol := e.dial("carol")
	g, err := alice.InitiateCall(ctxT(t), groupCall("team"))
	if err != nil {
		t.Fatal(err)
	}
	bob.expect(EvIncomingCall)
	carol.expect(EvIncomingCall)
	bob.accept(g.SessionID)
	alice.expect(EvOutgoingCallAccepted)
	carol.accept(g.SessionID)
	e.hub.MediaLeft(g.SessionID, "bob") // bob's media dropped for good
	bob.expect(EvCallEnded)
	wantCode(t, e.hub.CanJoin(g.SessionID, "bob"), "forbidden")
	if err := e.hub.CanJoin(g.SessionID, "carol"); err != nil {
		t.Fatalf("carol: %v", err)
	}
	alice.quiet()
	carol.quiet()
}
