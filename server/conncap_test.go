package server_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/redis/go-redis/v9"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/server"
)

// TestClusterConnectionCapCountsEveryNode: ringing.max_connections_per_user
// is the user's, not each node's. With a cap of 2 and two devices of ann on
// n1, a third on n2 is refused before the upgrade (HTTP 429, as on one
// node); once one of the two leaves, n2 takes it.
func TestClusterConnectionCapCountsEveryNode(t *testing.T) {
	tc := newTestClusterWith(t, func(c *server.Config) { c.Ringing.MaxConnectionsPerUser = 2 }, "n1", "n2")
	n1, n2 := tc.nodes[0], tc.nodes[1]
	first, _ := dial(t, n1, "ann"), dial(t, n1, "ann")
	tok, err := n2.Tokens().MintAuth("ann", "ann", 0)
	if err != nil {
		t.Fatal(err)
	}
	third := func() (*websocket.Conn, int, error) {
		ws, resp, err := websocket.Dial(ctxT(t), "ws"+strings.TrimPrefix(n2.URL(), "http")+"/v1/ws",
			&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + tok}}})
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return ws, status, err
	}
	if ws, status, err := third(); err == nil || status != http.StatusTooManyRequests {
		if ws != nil {
			_ = ws.CloseNow()
		}
		t.Fatalf("ann's third device, on n2: status %d (%v), want 429", status, err)
	}
	_ = first.c.Close()
	deadline := time.Now().Add(waitLimit)
	for {
		ws, status, err := third()
		if err == nil {
			_ = ws.CloseNow()
			break
		}
		if status != http.StatusTooManyRequests || time.Now().After(deadline) {
			t.Fatalf("ann's device on n2 after one on n1 left: status %d (%v)", status, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestClusterInitiateRateCountsEveryNode: ringing.initiate_rate limits a
// user's new calls on the nodes together, as on one node: two devices of
// ann's on two nodes share one burst of 2 (calls a draining node refused
// took none of it); the third call, from either node and over either door
// (/v1/ws or POST /v1/calls), is refused rate_limited with how long to
// wait, and rings nobody.
func TestClusterInitiateRateCountsEveryNode(t *testing.T) {
	tc := newTestClusterWith(t, func(c *server.Config) { c.Ringing.InitiateRate, c.Ringing.InitiateBurst = 0.1, 2 }, "n1", "n2", "n3")
	n1, n2, n3 := tc.nodes[0], tc.nodes[1], tc.nodes[2]
	onN1, onN2, ben := dial(t, n1, "ann"), dial(t, n2, "ann"), dial(t, n2, "ben")
	// a call the node refuses (n3 drains) spends nothing, as on one node
	if left, _ := n3.Drain(ctxT(t)); left != 0 {
		t.Fatalf("n3 drained with %d calls left", left)
	}
	body := `{"receiverId":"ben","receiverType":"user","callType":"audio"}`
	for range 3 {
		if status := httpsCall(t, n3, "ann", "POST", "/v1/calls", body, nil); status/100 == 2 || status == http.StatusTooManyRequests {
			t.Fatalf("ann's call over HTTPS on the draining n3: HTTP %d; want it refused for the drain", status)
		}
	}
	for _, d := range []*device{onN1, onN2} {
		call, err := d.c.InitiateCall(ctxT(t), audioCall("ben"))
		if err != nil {
			t.Fatalf("a call of the burst: %v", err)
		}
		wait(t, ben.incoming, "ben's incomingCall")
		if _, err := d.c.RejectCall(ctxT(t), call.SessionID, protocol.StatusCancelled); err != nil {
			t.Fatal(err)
		}
		wait(t, ben.cancelled, "ben's incomingCallCancelled")
		// the release reaches Redis through the owner's queue: a call from the
		// other node at once could find ann still busy (docs/cluster.md)
		rdb := redis.NewClient(tc.redis.Options())
		for n, _ := rdb.Exists(ctxT(t), "sb:ucalls:ann").Result(); n > 0; n, _ = rdb.Exists(ctxT(t), "sb:ucalls:ann").Result() {
			time.Sleep(5 * time.Millisecond)
		}
		_ = rdb.Close()
	}
	_, err := onN1.c.InitiateCall(ctxT(t), audioCall("ben"))
	var pe *protocol.Error
	if !errors.As(err, &pe) || pe.Code != protocol.CodeRateLimited || pe.RetryAfterMs < 1000 || pe.RetryAfterMs > 10000 {
		t.Fatalf("ann's third call, on n1: %v; want rate_limited, a token back within 10 s", err)
	}
	if status := httpsCall(t, n2, "ann", "POST", "/v1/calls", body, nil); status != http.StatusTooManyRequests {
		t.Fatalf("ann's third call over HTTPS on n2: HTTP %d; want 429", status)
	}
	select {
	case c := <-ben.incoming:
		t.Fatalf("a refused call rang ben: %s", c.SessionID)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := ben.c.InitiateCall(ctxT(t), audioCall("ann")); err != nil { // ben's bucket is his own
		t.Fatalf("ben's first call: %v", err)
	}
}
