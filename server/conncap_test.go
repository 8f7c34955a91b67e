package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
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
