package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/server"
)

// TestClusterDisablesAUserOnAnyNode: the app's backend disables ann on n2
// while ann is on n1 in a call n1 owns: the call ends for ben (on n2)
// with ended_by_admin, and ann's socket on n1 closes (1008 "user
// disabled"); ben cannot call her. Enabled again through n1, ben (on n2,
// which had read her as disabled) can call her at once.
func TestClusterDisablesAUserOnAnyNode(t *testing.T) {
	tc := newTestCluster(t, "n1", "n2")
	n1, n2 := tc.nodes[0], tc.nodes[1]
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	patch := func(node *server.App, body string) {
		t.Helper()
		admin := adminToken(t, node)
		req, _ := http.NewRequestWithContext(ctxT(t), "PATCH", node.URL()+"/v1/admin/users/ann", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+admin)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(got), `"disabled":`+strings.TrimSuffix(strings.TrimPrefix(body, `{"disabled":`), "}")) {
			t.Fatalf("PATCH %s on %s: %d %s", body, node.URL(), resp.StatusCode, got)
		}
	}
	answered(t, ann, ben)

	patch(n2, `{"disabled":true}`)
	if c := wait(t, ben.ended, "ben's callEnded"); c.Reason != protocol.ReasonEndedByAdmin {
		t.Fatalf("ben heard callEnded %q, want ended_by_admin", c.Reason)
	}
	select {
	case <-ann.c.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("ann's socket on n1 stayed open")
	}
	if err := ann.c.Err(); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Fatalf("ann's socket ended with %v, want close 1008", err)
	}
	if _, err := ben.c.InitiateCall(ctxT(t), audioCall("ann")); protocol.AsError(err).Code != protocol.CodeForbidden {
		t.Fatalf("ben calling disabled ann = %v, want forbidden", err)
	}
	patch(n1, `{"disabled":false}`)
	ann = dial(t, n1, "ann")
	if _, err := ben.c.InitiateCall(ctxT(t), audioCall("ann")); err != nil {
		t.Fatalf("ben calling ann enabled again through the other node: %v", err)
	}
	wait(t, ann.incoming, "ann's incomingCall")
}

// TestClusterLiveCallsOnAnyNode: GET /v1/admin/calls/live on n2 lists the
// call n1 owns (the log is shared) as soon as it was answered, and not
// once it ended.
func TestClusterLiveCallsOnAnyNode(t *testing.T) {
	tc := newTestCluster(t, "n1", "n2")
	n1, n2 := tc.nodes[0], tc.nodes[1]
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	sid := answered(t, ann, ben)
	admin := adminToken(t, n2)
	live := func() string {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctxT(t), "GET", n2.URL()+"/v1/admin/calls/live", nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET /v1/admin/calls/live on n2: %d %s", resp.StatusCode, body)
		}
		return string(body)
	}
	if got := live(); !strings.Contains(got, `"sessionId":"`+sid+`"`) || !strings.Contains(got, `"status":"ongoing"`) {
		t.Fatalf("n2's live calls = %s, want n1's call %s ongoing", got, sid)
	}
	if _, err := ann.c.EndCall(ctxT(t), sid); err != nil {
		t.Fatal(err)
	}
	wait(t, ben.ended, "ben's callEnded")
	if got := live(); strings.Contains(got, sid) {
		t.Fatalf("n2's live calls after the end = %s, want it gone", got)
	}
}

// adminToken is an admin token of node's keys.
func adminToken(t *testing.T, node *server.App) string {
	t.Helper()
	tok, err := node.Tokens().MintAdmin("ops", 0)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
