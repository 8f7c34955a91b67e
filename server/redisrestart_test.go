package server_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestClusterRedisRestarted: while Redis is down a new call is refused
// with unavailable (over HTTPS: 503); once it is back (empty) the nodes re-register and
// publish their devices again, and a call across nodes rings.
func TestClusterRedisRestarted(t *testing.T) {
	tc := newTestCluster(t, "n1", "n2")
	amy, ben := dial(t, tc.nodes[0], "amy"), dial(t, tc.nodes[1], "ben")
	tc.redis.Stop()
	req := client.CallRequest{ReceiverID: "ben", ReceiverType: client.ReceiverUser, CallType: client.CallAudio}
	deadline := time.Now().Add(waitLimit)
	for {
		_, err := amy.c.InitiateCall(ctxT(t), req)
		var pe *protocol.Error
		if errors.As(err, &pe) && pe.Code == protocol.CodeUnavailable {
			t.Logf("refused while Redis is down: %v", err)
			if status := httpsCall(t, tc.nodes[0], "amy", "POST", "/v1/calls", `{"receiverId":"ben","receiverType":"user","callType":"audio"}`, nil); status != http.StatusServiceUnavailable {
				t.Fatalf("POST /v1/calls while Redis is down: HTTP %d; want 503 (unavailable)", status)
			}
			break
		}
		if err == nil {
			t.Fatal("a call was placed while Redis is down")
		}
		if time.Now().After(deadline) {
			t.Fatalf("never refused with unavailable: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := tc.redis.Begin(); err != nil {
		t.Fatal(err)
	}
	for {
		call, err := amy.c.InitiateCall(ctxT(t), req)
		if err == nil {
			if got := wait(t, ben.incoming, "ben's incomingCall after Redis came back"); got.SessionID != call.SessionID {
				t.Fatalf("rang %s, want %s", got.SessionID, call.SessionID)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no call after Redis came back: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestClusterOwnerUnknownWhileRedisIsDown: ann (n1) rings ben (n2); Redis
// stops. ben's answers on n2, over HTTPS and on his socket, cannot find
// the node that runs the call: unavailable (HTTP 503), not "no such call".
func TestClusterOwnerUnknownWhileRedisIsDown(t *testing.T) {
	tc := newTestCluster(t, "n1", "n2")
	ann, ben := dial(t, tc.nodes[0], "ann"), dial(t, tc.nodes[1], "ben")
	call, err := ann.c.InitiateCall(ctxT(t), audioCall("ben"))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's incomingCall")
	tc.redis.Stop()
	t.Cleanup(func() { _ = tc.redis.Begin() }) // before the nodes close: their Redis clients stop dialling
	if status := httpsCall(t, tc.nodes[1], "ben", "GET", "/v1/calls/"+call.SessionID, "", nil); status != http.StatusServiceUnavailable {
		t.Fatalf("GET /v1/calls/{sid} on n2 while Redis is down: HTTP %d; want 503", status)
	}
	_, err = ben.c.AcceptCall(ctxT(t), call.SessionID)
	var pe *protocol.Error
	if !errors.As(err, &pe) || pe.Code != protocol.CodeUnavailable {
		t.Fatalf("acceptCall on n2 while Redis is down: %v; want unavailable", err)
	}
}
