package server_test

import (
	"net/http"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestClusterInitiateRetry: a retried initiateCall with the same
// clientRequestId answers the call it placed, in a cluster as on one
// node: on the same node's socket, and over HTTPS on another node (a
// phone whose answer was lost, retrying through the load balancer).
func TestClusterInitiateRetry(t *testing.T) {
	n1, n2 := graceCluster(t)
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	req := audioCall("ben")
	req.ClientRequestID = "req-1"
	first, err := ann.c.InitiateCall(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's incomingCall")
	again, err := ann.c.InitiateCall(ctxT(t), req)
	if err != nil || again.SessionID != first.SessionID {
		t.Fatalf("retry on n1's socket: %+v %v; want the call %s", again, err, first.SessionID)
	}
	var viaN2 protocol.Call
	body := `{"receiverId":"ben","receiverType":"user","callType":"audio","clientRequestId":"req-1"}`
	if status := httpsCall(t, n2, "ann", "POST", "/v1/calls", body, &viaN2); status != http.StatusCreated || viaN2.SessionID != first.SessionID {
		t.Fatalf("retry over HTTPS on n2: HTTP %d, call %q; want 201 and %s", status, viaN2.SessionID, first.SessionID)
	}
	req.ClientRequestID = "req-2"
	if _, err := ann.c.InitiateCall(ctxT(t), req); err == nil {
		t.Fatal("a new clientRequestId placed a second call while the first rings")
	}
	select {
	case c := <-ben.incoming:
		t.Fatalf("ben rang again: %s", c.SessionID)
	default:
	}
}
