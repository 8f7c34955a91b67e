package server_test

import (
	"context"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// TestClusterGroupMemberWhoLeavesIsFree: in a group call across three
// nodes, a member who rejects and a member who leaves while the call goes
// on are free again on every node at once (the shared busy index), as on
// one node: each can be called from another node and rings.
func TestClusterGroupMemberWhoLeavesIsFree(t *testing.T) {
	tc := newTestCluster(t, "n1", "n2", "n3")
	n1, n2, n3 := tc.nodes[0], tc.nodes[1], tc.nodes[2]
	ann, ben, cat, dan, eve := dial(t, n1, "ann"), dial(t, n2, "ben"), dial(t, n3, "cat"), dial(t, n3, "dan"), dial(t, n1, "eve")
	ctx := context.Background()
	if _, err := n1.Store().CreateGroup(ctx, store.Group{GUID: "team", Name: "Team"}); err != nil {
		t.Fatal(err)
	}
	if err := n1.Store().AddMembers(ctx, "team", []string{"ann", "ben", "cat", "dan"}); err != nil {
		t.Fatal(err)
	}
	call, err := ann.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "team", ReceiverType: client.ReceiverGroup, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*device{ben, cat, dan} {
		wait(t, d.incoming, "incomingCall for "+d.uid)
	}
	if _, err := dan.c.RejectCall(ctxT(t), call.SessionID, protocol.StatusRejected); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*device{ben, cat} {
		if _, err := d.c.AcceptCall(ctxT(t), call.SessionID); err != nil {
			t.Fatalf("%s accepts: %v", d.uid, err)
		}
	}
	if _, err := cat.c.EndCall(ctxT(t), call.SessionID); err != nil {
		t.Fatal(err)
	}
	for _, who := range []*device{dan, cat} {
		got, err := eve.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: who.uid, ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
		if err != nil || got.Status != protocol.StatusInitiated {
			t.Fatalf("calling %s (out of the group call, which goes on): %+v %v, want initiated", who.uid, got, err)
		}
		wait(t, who.incoming, "incomingCall for "+who.uid+" from eve")
		if _, err := eve.c.RejectCall(ctxT(t), got.SessionID, protocol.StatusCancelled); err != nil {
			t.Fatal(err)
		}
	}
	busy, err := eve.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "ben", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil || busy.Status != protocol.StatusBusy {
		t.Fatalf("calling ben, still in the group call: %+v %v, want busy", busy, err)
	}
}
