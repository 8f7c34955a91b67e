package signaling

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
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

// slowStore holds each call save back while hold is set (a store slow to
// commit), so that a durable reply waits.
type slowStore struct {
	store.Store
	hold atomic.Bool
}

func (s *slowStore) SaveCalls(ctx context.Context, calls []store.Call) error {
	if s.hold.Load() {
		time.Sleep(300 * time.Millisecond)
	}
	return s.Store.SaveCalls(ctx, calls)
}

// The drain ends when the last call ends, and the server then closes every
// socket: the end's reply, which goes out once the end is committed, still
// reaches the one who hung up (it was cut, and the client saw "connection
// closed" for an end that happened: CI run 169).
func TestCloseRightAfterTheLastEndStillRepliesToIt(t *testing.T) {
	ss := &slowStore{}
	e := newEnvOn(t, nil, func(st store.Store) store.Store { ss.Store = st; return ss })
	e.users("alice", "bob")
	alice, _, call := e.answered()
	e.hub.StartDrain()
	ss.hold.Store(true)
	ended := make(chan error, 1)
	go func() {
		_, err := alice.EndCall(ctxT(t), call.SessionID)
		ended <- err
	}()
	for e.hub.ActiveCalls() != 0 { // what the drain waits for
		time.Sleep(time.Millisecond) // polling an outcome, not timing logic
	}
	_ = e.hub.Close()
	if err := <-ended; err != nil {
		t.Fatalf("alice's endCall, the last call's end, when the hub closed right after it: %v", err)
	}
}
