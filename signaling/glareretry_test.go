package signaling

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// protocol.md, clientRequestId: "A retry after a dropped reply is safe."
// When the first attempt was glare (it accepted the call ringing the
// caller), the retry gets that call again, with a call token, as the first
// reply had it. Before, nothing was remembered under the id: the retry found
// the caller in a call and was refused invalid_state, so a client that lost
// the reply never got the call's token (the signaling review).
func TestRetryOfAGlareInitiateGetsTheCall(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice, bob := e.dial("alice"), e.dial("bob")
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	req := client.CallRequest{ReceiverID: "alice", ReceiverType: protocol.ReceiverUser, CallType: protocol.CallVideo, ClientRequestID: "retry-1"}
	first, err := bob.InitiateCall(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if first.SessionID != out.SessionID {
		t.Fatalf("glare placed another call")
	}
	again, err := bob.InitiateCall(ctxT(t), req) // the reply was lost: the same request again
	if err != nil {
		t.Fatalf("a retry (same clientRequestId) of a glare initiateCall: %v; want the call it joined", err)
	}
	if again.SessionID != out.SessionID || again.CallToken == "" || again.Status != protocol.StatusOngoing {
		t.Fatalf("retry answered call %s (%s, token %t), want %s ongoing with a call token", again.SessionID, again.Status, again.CallToken != "", out.SessionID)
	}
	req.ReceiverID = "carol" // the same id for another call: refused
	if _, err := bob.InitiateCall(ctxT(t), req); protocol.AsError(err).Code != protocol.CodeConflict {
		t.Fatalf("the glare's clientRequestId reused for a call to carol: %v, want conflict", err)
	}
}
