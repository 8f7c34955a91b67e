package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/server"
)

// The reconnect grace across nodes: a user leaves their calls when their
// last /v1/ws device, on whichever node, is gone for the grace and they
// are not in the call's media; a device on any node keeps them, as on one
// node.

const goneGrace = 300 * time.Millisecond

func graceCluster(t *testing.T) (n1, n2 *server.App) {
	tc := newTestClusterWith(t, func(c *server.Config) { c.Ringing.ReconnectGrace = goneGrace }, "n1", "n2")
	return tc.nodes[0], tc.nodes[1]
}

// notEnded fails if d hears callEnded within several graces.
func notEnded(t *testing.T, d *device, why string) {
	t.Helper()
	select {
	case c := <-d.ended:
		t.Fatalf("%s's call ended (%s) %s", d.uid, c.Reason, why)
	case <-time.After(7 * goneGrace):
	}
}

func endedDisconnected(t *testing.T, d *device, sid string) {
	t.Helper()
	if c := wait(t, d.ended, d.uid+"'s callEnded"); c.SessionID != sid || c.Reason != protocol.ReasonDisconnected {
		t.Fatalf("%s's callEnded %+v, want %s disconnected", d.uid, c, sid)
	}
}

// TestClusterDeviceGoneOnAnotherNode: ben (n1) calls ann (n2); n1 owns the
// call and has no device of ann. The call goes on past the grace while her
// device on n2 lives; when it goes, she has left the call after the grace,
// as on one node (ben hears callEnded disconnected), and both are free.
func TestClusterDeviceGoneOnAnotherNode(t *testing.T) {
	n1, n2 := graceCluster(t)
	ben, ann := dial(t, n1, "ben"), dial(t, n2, "ann")
	dial(t, n2, "cat")
	sid, _, _ := placeCall(t, ann, ben)
	notEnded(t, ben, "while ann's device on another node lives")
	_ = ann.c.Close()
	endedDisconnected(t, ben, sid)
	again, err := ben.c.InitiateCall(ctxT(t), audioCall("cat"))
	if err != nil || again.Status == protocol.StatusBusy {
		t.Fatalf("ben calling again after ann left: %+v %v", again, err)
	}
}

// TestClusterDeviceLeftOnTheOwnerKeepsTheCall: ann has devices on n1 (the
// call's owner) and n2 and answers on n2; her n1 device goes. She still
// has a device: the call goes on past the grace. When the n2 one goes too,
// she leaves it.
func TestClusterDeviceLeftOnTheOwnerKeepsTheCall(t *testing.T) {
	n1, n2 := graceCluster(t)
	ben, ann1, ann2 := dial(t, n1, "ben"), dial(t, n1, "ann"), dial(t, n2, "ann")
	sid, _, _ := placeCall(t, ann2, ben) // answered on n2
	_ = ann1.c.Close()
	notEnded(t, ben, "when ann's device on the owner went, her other one still there")
	_ = ann2.c.Close()
	endedDisconnected(t, ben, sid)
}

// TestClusterAnsweredOverHTTPS: ann and ben have their sockets on n2; ann
// places the call and ben answers it over HTTPS on n1, which owns it and
// has no device of either. Their sockets elsewhere keep them in the call
// past the grace; when ann's goes, she has left it.
func TestClusterAnsweredOverHTTPS(t *testing.T) {
	n1, n2 := graceCluster(t)
	ann, ben := dial(t, n2, "ann"), dial(t, n2, "ben")
	var call protocol.Call
	if status := httpsCall(t, n1, "ann", "POST", "/v1/calls", `{"receiverId":"ben","receiverType":"user","callType":"audio"}`, &call); status != http.StatusCreated {
		t.Fatalf("POST /v1/calls on n1: %d", status)
	}
	wait(t, ben.incoming, "ben's incomingCall on n2")
	if status := httpsCall(t, n1, "ben", "POST", "/v1/calls/"+call.SessionID+"/accept", `{}`, nil); status != http.StatusOK {
		t.Fatalf("accept on n1: %d", status)
	}
	notEnded(t, ann, "with both users' sockets on another node than the owner")
	_ = ben.c.Close()
	endedDisconnected(t, ann, call.SessionID)
}

// httpsCall sends uid's request to app's API and decodes a 2xx reply's
// body into out (if not nil); it returns the status.
func httpsCall(t *testing.T, app *server.App, uid, method, path, body string, out any) int {
	t.Helper()
	tok, err := app.Tokens().MintAuth(uid, uid, 0)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctxT(t), method, app.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Logf("%s %s: %d %s", method, path, resp.StatusCode, b)
	} else if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

// TestClusterAnswerOverHTTPSSoonAfterTheSocketWentElsewhere: ann's socket,
// on n2, goes (her app to the background); ben, on n1, calls her and she
// answers over HTTPS on n1 before her socket's grace ends. When it ends, n2
// tells n1 she is gone: the call she answered after the socket went is not
// hers to leave for that (it has a grace of its own from the answer, which
// ends it later: she never opens media). Before, n1 took her out at the
// end of the socket's grace, as one node did before the same fix (the
// review of the day's diff).
func TestClusterAnswerOverHTTPSSoonAfterTheSocketWentElsewhere(t *testing.T) {
	const grace = 2 * time.Second
	tc := newTestClusterWith(t, func(c *server.Config) { c.Ringing.ReconnectGrace = grace }, "n1", "n2")
	n1, n2 := tc.nodes[0], tc.nodes[1]
	ben, ann := dial(t, n1, "ben"), dial(t, n2, "ann")
	_ = ann.c.Close()
	gone := time.Now()
	time.Sleep(grace / 2)
	call, err := ben.c.InitiateCall(ctxT(t), audioCall("ann"))
	if err != nil {
		t.Fatal(err)
	}
	if status := httpsCall(t, n1, "ann", "POST", "/v1/calls/"+call.SessionID+"/accept", `{}`, nil); status != http.StatusOK {
		t.Fatalf("ann's accept over HTTPS on n1: %d", status)
	}
	answered := time.Now()
	select {
	case c := <-ben.ended:
		if time.Since(answered) < grace*3/4 {
			t.Fatalf("the call ended (%s) %v after ann's socket went, %v after she answered over HTTPS: her socket's grace took her out",
				c.Reason, time.Since(gone).Round(time.Millisecond), time.Since(answered).Round(time.Millisecond))
		}
		if c.Reason != protocol.ReasonDisconnected {
			t.Fatalf("ben's callEnded %+v, want disconnected (ann never opened media)", c)
		}
	case <-time.After(waitLimit):
		t.Fatal("ann never opened media, yet the call goes on past her grace")
	}
}
