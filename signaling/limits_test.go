package signaling

import (
	"fmt"
	"testing"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// One user's connections are capped: one more is refused before the
// upgrade (Admit: rate_limited) and, if it races past that, closed with
// 1008; closing a device frees its place.
func TestConnectionsPerUserAreCapped(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxConnectionsPerUser = 2 })
	e.users("alice", "bob")
	first := e.dial("alice")
	e.dial("alice")
	if got := protocol.AsError(e.hub.Admit("alice")); got.Code != protocol.CodeRateLimited {
		t.Fatalf("Admit: want rate_limited, got %v", got)
	}
	if err := e.hub.Admit("bob"); err != nil {
		t.Fatalf("bob has no connection yet: %v", err)
	}
	ws := e.raw("alice")
	_, _, err := ws.Read(ctxT(t))
	if websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Fatalf("third connection of alice: want close 1008, got %v", err)
	}
	_ = first.Close()
	deadlineCtx := ctxT(t)
	for e.hub.Admit("alice") != nil {
		select {
		case <-deadlineCtx.Done():
			t.Fatal("closing a device did not free its place")
		default:
		}
	}
	e.dial("alice")
}

// A client that pipelines 2,000 pings and reads its replies keeps its
// socket: every ping is answered, ok or rate_limited with retryAfterMs.
func TestPipelinedPingsKeepTheSocket(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice")
	ws := e.raw("alice")
	ctx := ctxT(t)
	const n = 2000
	go func() {
		for i := 0; i < n; i++ {
			if ws.Write(ctx, websocket.MessageText, fmt.Appendf(nil, `{"id":"%d","method":"ping"}`, i)) != nil {
				return
			}
		}
	}()
	ok, limited := 0, 0
	for ok+limited < n {
		_, b, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("after %d replies: %v", ok+limited, err)
		}
		m, err := protocol.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case m.IsEvent():
		case m.Error == nil:
			ok++
		case m.Error.Code == protocol.CodeRateLimited && m.Error.RetryAfterMs > 0:
			limited++
		default:
			t.Fatalf("reply %s", b)
		}
	}
	if ok < DefaultConfig().RequestBurst || limited == 0 {
		t.Fatalf("%d ok, %d rate_limited: want the burst answered and the rest limited", ok, limited)
	}
	t.Logf("%d ok, %d rate_limited", ok, limited)
}

// A reply that cannot go out because the client is gone (an expected
// disconnect: "protocol: connection closed") is not an ERROR.
func TestRepliesToAGoneClientAreNotErrors(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice")
	e.dial("alice")
	e.hub.reg.mu.RLock()
	c := e.hub.reg.byUser["alice"][0]
	e.hub.reg.mu.RUnlock()
	c.ws.Close(websocket.StatusGoingAway, "gone")
	for _, method := range []string{protocol.MethodPing, protocol.MethodListUsers, protocol.MethodListCalls, protocol.MethodListGroups} {
		c.handle(protocol.Message{ID: "1", Method: method})
	}
	if n := e.errors.Load(); n != 0 {
		t.Fatalf("%d ERROR records for replies to a closed connection", n)
	}
}
