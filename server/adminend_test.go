package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestClusterAdminEndsACallOnAnyNode: the app's backend asks any node
// (a load balancer) to end a call; the node that owns the call ends it,
// both users (on two nodes) hear callEnded ended_by_admin, and the answer
// is the ended call.
func TestClusterAdminEndsACallOnAnyNode(t *testing.T) {
	tc := newTestCluster(t, "n1", "n2")
	n1, n2 := tc.nodes[0], tc.nodes[1]
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	sid := answered(t, ann, ben)

	admin := adminToken(t, n2)
	req, _ := http.NewRequestWithContext(ctxT(t), "POST", n2.URL()+"/v1/admin/calls/"+sid+"/end", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"endReason":"ended_by_admin"`) || !strings.Contains(string(body), `"status":"ended"`) {
		t.Fatalf("admin end on the node that does not own the call: %d %s", resp.StatusCode, body)
	}
	for _, d := range []*device{ann, ben} {
		if c := wait(t, d.ended, d.uid+"'s callEnded"); c.Reason != protocol.ReasonEndedByAdmin {
			t.Fatalf("%s heard callEnded %q, want ended_by_admin", d.uid, c.Reason)
		}
	}
}
