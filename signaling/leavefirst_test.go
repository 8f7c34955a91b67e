package signaling

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// CometChat's newer Calls SDK page ends a call by leaving the session first,
// then calling endCall. Leaving ends a 1:1 call (or takes you out of a group
// call); the endCall that follows finds it done and answers ok with the call
// as it is, instead of invalid_state, and changes nothing. Someone who was
// never in the call is still refused.
func TestEndCallAfterLeaving(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice, bob, carol := e.dial("alice"), e.dial("bob"), e.dial("carol")
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	bob.accept(out.SessionID)
	alice.expect(protocol.EventOutgoingCallAccepted)
	e.hub.MediaLeft(out.SessionID, "bob", protocol.ReasonEnded) // bob left the session
	alice.expect(protocol.EventCallEnded)
	bob.expect(protocol.EventCallEnded)
	got, err := bob.EndCall(ctxT(t), out.SessionID)
	if err != nil {
		t.Fatalf("endCall after leaving a 1:1 call: %v, want ok", err)
	}
	if got.Status != protocol.StatusEnded {
		t.Errorf("endCall after leaving answers status %q, want ended", got.Status)
	}
	if _, err := alice.EndCall(ctxT(t), out.SessionID); err != nil {
		t.Errorf("endCall by the other side of a 1:1 call that ended: %v, want ok", err)
	}
	_, err = carol.EndCall(ctxT(t), out.SessionID)
	wantCode(t, err, "forbidden")

	// A call that was never answered still cannot be "ended".
	out2 := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	if _, err := bob.RejectCall(ctxT(t), out2.SessionID, protocol.StatusRejected); err != nil {
		t.Fatal(err)
	}
	alice.expect(protocol.EventOutgoingCallRejected)
	_, err = alice.EndCall(ctxT(t), out2.SessionID)
	wantCode(t, err, "invalid_state")

	// Group: bob leaves, then ends: ok, and the call goes on for the others.
	g := e.groupJoined(alice, bob, carol)
	e.hub.MediaLeft(g.SessionID, "bob", protocol.ReasonEnded)
	bob.expect(protocol.EventCallEnded)
	if _, err := bob.EndCall(ctxT(t), g.SessionID); err != nil {
		t.Fatalf("endCall after leaving a group call: %v, want ok", err)
	}
	if err := e.hub.CanJoin(g.SessionID, "carol"); err != nil {
		t.Fatalf("carol can no longer join after bob's second end: %v", err)
	}
	alice.quiet()
	bob.quiet()
	carol.quiet()
}

// A group member's media leave (MediaLeft, posted by the SFU just before it
// answers the client's leave) is in the call log the client reads next,
// with no wait: CallLog applies what the loop was told before it.
func TestCallLogShowsAMediaLeaveAtOnce(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice, bob, carol := e.dial("alice"), e.dial("bob"), e.dial("carol")
	g := e.groupJoined(alice, bob, carol)
	for range 50 {
		e.hub.MediaLeft(g.SessionID, "bob", protocol.ReasonEnded)
		calls := e.log("bob")
		if len(calls) == 0 || calls[0].SessionID != g.SessionID {
			t.Fatalf("bob's log: %+v, want the group call first", calls)
		}
		for _, p := range calls[0].Participants {
			if p.UID == "bob" && p.Status != protocol.StatusLeft {
				t.Fatalf("bob's log right after his media left says he is %q, want left", p.Status)
			}
		}
		bob.expect(protocol.EventCallEnded)
		bob.accept(g.SessionID) // back in, for the next round
	}
	alice.quiet()
	carol.quiet()
}
