package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestClusterDrainMovesIdleSockets: n1 drains with a call going on (ben on
// n1 with cat on n2). Amy, on n1 and in no call, would have her calls
// refused until n1 leaves, which waits for ben's call however long it
// lasts: her socket is closed (1001, "server draining") so she reconnects
// elsewhere, and on n2 her call goes through. Ben's socket stays; his
// call ends normally from n1. So does Eve's, on n1, rung by a call n2 runs
// (it was closed, and the ring with it: the cluster operator's audit).
func TestClusterDrainMovesIdleSockets(t *testing.T) {
	tc := newTestCluster(t, "n1", "n2")
	n1, n2 := tc.nodes[0], tc.nodes[1]
	amy, ben, cat, dan := dial(t, n1, "amy"), dial(t, n1, "ben"), dial(t, n2, "cat"), dial(t, n2, "dan")
	sid := answered(t, ben, cat)
	eve, fay := dial(t, n1, "eve"), dial(t, n2, "fay")
	ring, err := fay.c.InitiateCall(ctxT(t), audioCall("eve"))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, eve.incoming, "eve's incomingCall")

	ctx, cancel := context.WithCancel(context.Background())
	var left int
	drained := make(chan struct{})
	go func() { left, _ = n1.Drain(ctx); close(drained) }()
	defer func() { cancel(); <-drained }()

	select {
	case <-amy.c.Done():
	case <-time.After(waitLimit):
		t.Fatal("amy's socket on the draining node is still open")
	}
	if err := amy.c.Err(); websocket.CloseStatus(err) != websocket.StatusGoingAway || !strings.Contains(err.Error(), "draining") {
		t.Fatalf("amy's socket ended with %v, want 1001 saying the server is draining", err)
	}
	if _, err := ben.c.InitiateCall(ctxT(t), audioCall("dan")); !errors.Is(err, client.ErrClosed) {
		if code := protocol.AsError(err); code == nil || code.Code != protocol.CodeInvalidState {
			t.Fatalf("ben (in a call on the draining node) placing another: %v, want refused (invalid_state)", err)
		}
	} else {
		t.Fatal("ben's socket was closed, though he is in a call")
	}
	if _, err := eve.c.AcceptCall(ctxT(t), ring.SessionID); err != nil {
		t.Fatalf("eve, rung by a call n2 runs, answering on the draining node: %v (her socket was closed)", err)
	}
	if _, err := eve.c.EndCall(ctxT(t), ring.SessionID); err != nil {
		t.Fatal(err)
	}
	amy2 := dial(t, n2, "amy")
	call, err := amy2.c.InitiateCall(ctxT(t), audioCall("dan"))
	if err != nil || call.Status != protocol.StatusInitiated {
		t.Fatalf("amy calling from n2 during n1's drain: %+v %v", call, err)
	}
	wait(t, dan.incoming, "dan's incomingCall")
	if _, err := ben.c.EndCall(ctxT(t), sid); err != nil {
		t.Fatalf("ben ending his call on the draining node: %v", err)
	}
	wait(t, cat.ended, "cat's callEnded")
	select {
	case <-drained:
		if left != 0 {
			t.Fatalf("drain returned with %d calls left", left)
		}
	case <-time.After(waitLimit):
		t.Fatal("n1's drain did not end once its call had")
	}
}
