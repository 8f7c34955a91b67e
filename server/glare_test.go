package server_test

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestClusterGlare: B's initiateCall to A while A is ringing B accepts A's
// call, exactly as on one node (signaling TestGlareAcceptsTheRingingCall):
// one call, ongoing, a call token for each, whether A and B are on two
// nodes (the accept is forwarded to the owner) or on one node of a cluster.
func TestClusterGlare(t *testing.T) {
	tc := newTestCluster(t, "n1", "n2")
	n1, n2 := tc.nodes[0], tc.nodes[1]
	for _, pair := range [][2]*device{
		{dial(t, n1, "ann"), dial(t, n2, "ben")}, // across nodes
		{dial(t, n2, "cat"), dial(t, n2, "dan")}, // one node of the cluster
	} {
		a, b := pair[0], pair[1]
		out, err := a.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: b.uid, ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
		if err != nil {
			t.Fatal(err)
		}
		wait(t, b.incoming, "incomingCall for "+b.uid)
		back, err := b.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: a.uid, ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
		if err != nil || back.SessionID != out.SessionID || back.Status != protocol.StatusOngoing || back.CallToken == "" {
			t.Fatalf("%s calls %s back while ringing: %+v %v, want %s ongoing with a token", b.uid, a.uid, back, err, out.SessionID)
		}
		if got := wait(t, a.accepted, "outgoingCallAccepted for "+a.uid); got.SessionID != out.SessionID || got.CallToken == "" {
			t.Fatalf("%s heard accepted %+v", a.uid, got)
		}
		if _, err := a.c.EndCall(ctxT(t), out.SessionID); err != nil {
			t.Fatal(err)
		}
		wait(t, b.ended, "callEnded for "+b.uid)
	}
}
