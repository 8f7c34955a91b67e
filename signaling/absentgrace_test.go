package signaling

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Glare over HTTPS (POST /v1/calls): bob, with no socket, calls alice
// who is ringing him; the glare accepts her call for him, and like any
// accept over HTTPS it gets the reconnect grace: he opens nothing, so the
// call ends. Before, no grace was armed on this path: the call stayed
// ongoing and both busy until alice hung up (the signaling review).
func TestGlareOverHTTPSGetsTheGrace(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice := e.dial("alice")
	out := alice.call("bob")
	_, err := e.hub.InitiateCall(context.Background(), "bob", "Bob", protocol.InitiateParams{ReceiverID: "alice",
		ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	alice.expect(protocol.EventOutgoingCallAccepted)
	e.clock.Advance(DefaultConfig().ReconnectGrace + time.Second)
	if err := alice.Sync(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	act, err := alice.GetActiveCall(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if act != nil && act.SessionID == out.SessionID && act.Status == protocol.StatusOngoing {
		t.Fatalf("bob (no socket, no media) answered by glare over HTTPS; %v after, the call is still ongoing", DefaultConfig().ReconnectGrace+time.Second)
	}
}

// A group member with no socket joins over HTTPS, leaves, and joins again
// 14 s after the first join: the first join's grace, ending 1 s after the
// rejoin, does nothing; the rejoin has a whole grace of its own. Before,
// it took them out (the signaling review).
func TestRejoinOverHTTPSGetsAGraceOfItsOwn(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice, carol := e.dial("alice"), e.dial("carol")
	e.group("team", "alice", "bob", "carol")
	g, err := alice.InitiateCall(ctxT(t), groupCall("team"))
	if err != nil {
		t.Fatal(err)
	}
	carol.expect(protocol.EventIncomingCall)
	carol.accept(g.SessionID)
	alice.expect(protocol.EventOutgoingCallAccepted)
	ctx := context.Background()
	if _, err := e.hub.AcceptCall(ctx, "bob", "", g.SessionID); err != nil { // t0: grace until t0+15s
		t.Fatal(err)
	}
	e.clock.Advance(3 * time.Second)
	if _, err := e.hub.EndCall(ctx, "bob", "", g.SessionID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(11 * time.Second)                                        // t0+14s
	if _, err := e.hub.AcceptCall(ctx, "bob", "", g.SessionID); err != nil { // grace until t0+29s
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Second) // t0+16s: only 2 s into bob's new grace
	raw, err := e.hub.GetCall(ctx, "bob", g.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	v := decodeCall(t, raw)
	for _, p := range v.Participants {
		if p.UID == "bob" && p.Status != protocol.StatusOngoing {
			t.Fatalf("bob rejoined 2 s ago (grace %v) and is already %s", DefaultConfig().ReconnectGrace, p.Status)
		}
	}
}

func decodeCall(t *testing.T, raw []byte) protocol.Call {
	t.Helper()
	var v protocol.Call
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}
