package signaling

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

func readFrame(t *testing.T, e *env, uid string) func() protocol.Message {
	ws := e.raw(uid)
	return func() protocol.Message {
		t.Helper()
		_, b, err := ws.Read(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		m, err := protocol.Parse(b)
		if err != nil {
			t.Fatalf("server sent %s: %v", b, err)
		}
		return m
	}
}

// The first frame on /v1/ws is "connected" with the user as the server
// knows them; once a client has it, a call to that user rings it at once.
func TestConnectedIsTheFirstFrameAndTheDeviceRings(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxConnectionsPerUser = 0 }) // bob's 20 sockets stay open
	e.users("alice", "bob")
	alice := e.dial("alice")
	if u := alice.User(); u.UID != "alice" || u.Name != "Alice" {
		t.Fatalf("alice's Dial says she is %+v", u)
	}
	for i := range 20 { // a reconnecting device, many times: never a miss
		next := readFrame(t, e, "bob")
		first := next()
		if first.Event != protocol.EventConnected || string(first.Data) != `{"user":{"uid":"bob","name":"Bob"}}` {
			t.Fatalf("first frame: event %q data %s", first.Event, first.Data)
		}
		call := alice.call("bob")
		if m := next(); m.Event != protocol.EventIncomingCall {
			t.Fatalf("round %d: bob's next frame is %q %s, want incomingCall", i, m.Event, m.Data)
		}
		if _, err := alice.RejectCall(ctxT(t), call.SessionID, protocol.StatusCancelled); err != nil {
			t.Fatal(err)
		}
	}
}
