package signaling

import (
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// After StartDrain, initiateCall is refused with invalid_state while the
// calls already ringing or ongoing carry on and end normally.
func TestStartDrainRefusesNewCallsOnly(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol", "dan", "erin")
	alice, bob, carol, dan, erin := e.dial("alice"), e.dial("bob"), e.dial("carol"), e.dial("dan"), e.dial("erin")
	ongoing := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	bob.accept(ongoing.SessionID)
	alice.expect(protocol.EventOutgoingCallAccepted)
	ringing := carol.call("dan")
	dan.expect(protocol.EventIncomingCall)

	e.hub.StartDrain()
	_, err := erin.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "alice", ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio})
	wantCode(t, err, "invalid_state")
	if !strings.Contains(err.Error(), "shutting down") {
		t.Fatalf("refusal says %q, want it to say the server is shutting down", err)
	}
	if n := e.hub.ActiveCalls(); n != 2 {
		t.Fatalf("ActiveCalls after the refusal = %d, want 2", n)
	}

	if got := dan.accept(ringing.SessionID); got.Status != protocol.StatusOngoing {
		t.Fatalf("accepting the ringing call while draining: %+v", got)
	}
	carol.expect(protocol.EventOutgoingCallAccepted)
	if _, err := dan.GenerateToken(ctxT(t), ringing.SessionID); err != nil {
		t.Fatalf("generateToken while draining: %v", err)
	}
	for _, end := range []struct {
		who  *device
		peer *device
		sid  string
	}{{alice, bob, ongoing.SessionID}, {dan, carol, ringing.SessionID}} {
		if got, err := end.who.EndCall(ctxT(t), end.sid); err != nil || got.Status != protocol.StatusEnded {
			t.Fatalf("endCall while draining: %+v, %v", got, err)
		}
		end.peer.expect(protocol.EventCallEnded)
	}
	if n := e.hub.ActiveCalls(); n != 0 {
		t.Fatalf("ActiveCalls after both ended = %d, want 0", n)
	}
	erin.quiet()
	if log := e.log("erin"); len(log) != 0 {
		t.Fatalf("erin's refused call is in her log: %+v", log)
	}
}
