package server_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/internal/calltest"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
)

// TestClusterAnswersOnAnyNode: behind a load balancer a phone's HTTPS
// request, or a reloaded page's socket, reaches any node. ann (n1, which
// owns the call) calls ben, whose socket is on n2; ben's phone answers
// over HTTPS on n2: getCall shows the live call, ack makes ann hear
// ringing, accept returns a call token and ann hears accepted, as on the
// owner. A new socket of ben's on n2 (a reload) finds the call with
// getActiveCall and gets a token with generateToken; ben's phone ends it
// over HTTPS on n2. A second call, rejected over HTTPS on n2, reaches ann
// as rejected.
func TestClusterAnswersOnAnyNode(t *testing.T) {
	n1, n2 := graceCluster(t)
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	ringing, rejected := make(chan client.Call, 4), make(chan client.Call, 4)
	ann.c.AddCallListener("more", client.CallListener{
		OnRinging:              func(c client.Call) { ringing <- c },
		OnOutgoingCallRejected: func(c client.Call) { rejected <- c },
	})
	call, err := ann.c.InitiateCall(ctxT(t), audioCall("ben"))
	if err != nil {
		t.Fatal(err)
	}
	sid := call.SessionID
	wait(t, ben.incoming, "ben's incomingCall")

	var got protocol.Call
	if status := httpsCall(t, n2, "ben", "GET", "/v1/calls/"+sid, "", &got); status != http.StatusOK || got.Status != protocol.StatusInitiated {
		t.Fatalf("GET /v1/calls/{sid} on n2: HTTP %d, status %q; want 200 initiated", status, got.Status)
	}
	if status := httpsCall(t, n2, "ben", "POST", "/v1/calls/"+sid+"/ack", `{"deviceId":"ben-phone"}`, nil); status != http.StatusOK {
		t.Fatalf("ack on n2: HTTP %d", status)
	}
	if c := wait(t, ringing, "ann's ringing"); c.SessionID != sid {
		t.Fatalf("ann's ringing for %s, want %s", c.SessionID, sid)
	}
	var accepted protocol.AcceptResult
	if status := httpsCall(t, n2, "ben", "POST", "/v1/calls/"+sid+"/accept", `{"deviceId":"ben-phone"}`, &accepted); status != http.StatusOK || accepted.CallToken == "" {
		t.Fatalf("accept on n2: HTTP %d, token %q", status, accepted.CallToken)
	}
	wait(t, ann.accepted, "ann's outgoingCallAccepted")

	reloaded := dial(t, n2, "ben")
	active, err := reloaded.c.GetActiveCall(ctxT(t))
	if err != nil || active == nil || active.SessionID != sid || active.Status != protocol.StatusOngoing {
		t.Fatalf("getActiveCall on n2 after a reload: %+v %v; want %s ongoing", active, err, sid)
	}
	if tok, err := reloaded.c.GenerateToken(ctxT(t), sid); err != nil || tok == "" {
		t.Fatalf("generateToken on n2: %q %v", tok, err)
	}
	// ben's phone hangs up over HTTPS on n2: forwarded to the owner, as a socket's endCall
	var ended protocol.Call
	if status := httpsCall(t, n2, "ben", "POST", "/v1/calls/"+sid+"/end", `{"deviceId":"ben-phone"}`, &ended); status != http.StatusOK || ended.Status != protocol.StatusEnded {
		t.Fatalf("end on n2: HTTP %d, status %q; want 200 ended", status, ended.Status)
	}
	wait(t, ann.ended, "ann's callEnded")
	wait(t, ben.ended, "callEnded on ben's socket (another device of his)")

	again, err := ann.c.InitiateCall(ctxT(t), audioCall("ben"))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's second incomingCall")
	if status := httpsCall(t, n2, "ben", "POST", "/v1/calls/"+again.SessionID+"/reject", `{"status":"rejected","deviceId":"ben-phone"}`, nil); status != http.StatusOK {
		t.Fatalf("reject on n2: HTTP %d", status)
	}
	if c := wait(t, rejected, "ann's outgoingCallRejected"); c.SessionID != again.SessionID || c.Status != protocol.StatusRejected {
		t.Fatalf("ann heard %s %s, want %s rejected", c.SessionID, c.Status, again.SessionID)
	}
}

// TestClusterInitiateRetry: a retried initiateCall with the same
// clientRequestId answers the call it placed, in a cluster as on one
// node: on the same node's socket, and over HTTPS on another node (a
// phone whose answer was lost, retrying through the load balancer). The
// accept that follows answers the call as it is then.
func TestClusterInitiateRetry(t *testing.T) {
	n1, n2 := graceCluster(t)
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	req := audioCall("ben")
	req.ClientRequestID = "req-1"
	first, err := ann.c.InitiateCall(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's incomingCall")
	again, err := ann.c.InitiateCall(ctxT(t), req)
	if err != nil || again.SessionID != first.SessionID {
		t.Fatalf("retry on n1's socket: %+v %v; want the call %s", again, err, first.SessionID)
	}
	var viaN2 protocol.Call
	body := `{"receiverId":"ben","receiverType":"user","callType":"audio","clientRequestId":"req-1"}`
	if status := httpsCall(t, n2, "ann", "POST", "/v1/calls", body, &viaN2); status != http.StatusCreated || viaN2.SessionID != first.SessionID {
		t.Fatalf("retry over HTTPS on n2: HTTP %d, call %q; want 201 and %s", status, viaN2.SessionID, first.SessionID)
	}
	video := `{"receiverId":"ben","receiverType":"user","callType":"video","clientRequestId":"req-1"}`
	if status := httpsCall(t, n2, "ann", "POST", "/v1/calls", video, nil); status != http.StatusConflict {
		t.Fatalf("the same clientRequestId for a video call over HTTPS on n2: HTTP %d; want 409 (it placed an audio call)", status)
	}
	req.ClientRequestID = "req-2"
	if _, err := ann.c.InitiateCall(ctxT(t), req); err == nil {
		t.Fatal("a new clientRequestId placed a second call while the first rings")
	}
	// the call as rendered for the retries is not served again once it changed
	if acc, err := ben.c.AcceptCall(ctxT(t), first.SessionID); err != nil || acc.Status != protocol.StatusOngoing {
		t.Fatalf("accept after the retries: %s %v; want ongoing", acc.Status, err)
	}
	select {
	case c := <-ben.incoming:
		t.Fatalf("ben rang again: %s (the call: %s)", c.SessionID, first.SessionID)
	default:
	}
}

// TestClusterRetryAfterTheCallEnded: a retry that comes after the call it
// placed ended (ben declined at once), through the load balancer onto
// another node, answers that call as one node does (within its ring
// window), and rings nobody again; past the window the same id places a
// new call. It placed a second call before the claim recorded the id.
func TestClusterRetryAfterTheCallEnded(t *testing.T) {
	n1, n2 := graceCluster(t)
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	req := audioCall("ben")
	req.ClientRequestID = "req-1"
	req.Timeout = 2
	first, err := ann.c.InitiateCall(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's incomingCall")
	if _, err := ben.c.RejectCall(ctxT(t), first.SessionID, protocol.StatusRejected); err != nil {
		t.Fatal(err)
	}
	body := `{"receiverId":"ben","receiverType":"user","callType":"audio","timeout":2,"clientRequestId":"req-1"}`
	for i, n := range []*server.App{n2, n1} {
		var again protocol.Call
		if status := httpsCall(t, n, "ann", "POST", "/v1/calls", body, &again); status != http.StatusCreated ||
			again.SessionID != first.SessionID || again.Status != protocol.StatusRejected {
			t.Fatalf("retry over HTTPS on n%d after the call ended: HTTP %d, call %q %s; want 201 and %s rejected",
				2-i, status, again.SessionID, again.Status, first.SessionID)
		}
	}
	select {
	case c := <-ben.incoming:
		t.Fatalf("ben rang again: %s (the call: %s)", c.SessionID, first.SessionID)
	case <-time.After(200 * time.Millisecond):
	}
	time.Sleep(2 * time.Second) // past the first call's ring window
	var later protocol.Call
	if status := httpsCall(t, n2, "ann", "POST", "/v1/calls", body, &later); status != http.StatusCreated || later.SessionID == first.SessionID {
		t.Fatalf("the same id past the ring window: HTTP %d, call %q; want 201 and a new call", status, later.SessionID)
	}
	if c := wait(t, ben.incoming, "ben's second incomingCall"); c.SessionID != later.SessionID {
		t.Fatalf("ben rang for %s; want %s", c.SessionID, later.SessionID)
	}
}

// TestClusterLiveSocketAcknowledgesTheRing: a ring delivered to a live
// socket on another node than the call's owner is acknowledged there (the
// owner is told): the caller hears ringing. A device that connects on
// another node while a call rings its user gets that call's incomingCall
// and acknowledges it. Before, neither happened.
func TestClusterLiveSocketAcknowledgesTheRing(t *testing.T) {
	n1, n2 := graceCluster(t)
	ann := dial(t, n1, "ann")
	ben := dial(t, n2, "ben")
	first, err := ann.c.InitiateCall(ctxT(t), audioCall("ben"))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's incomingCall")
	if r := wait(t, ann.ringing, "ringing for ben's socket on n2"); r.SessionID != first.SessionID || r.Participants[1].AckedAt == 0 {
		t.Fatalf("ringing %+v; want ben acknowledged", r)
	}
	if _, err := ann.c.RejectCall(ctxT(t), first.SessionID, protocol.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	if _, err := n1.Store().UpsertUser(ctxT(t), store.User{UID: "cat", Name: "Cat"}); err != nil {
		t.Fatal(err)
	}
	second, err := ann.c.InitiateCall(ctxT(t), audioCall("cat"))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 8)
	_ = calltest.SignIn(t, n2, n2.URL(), "cat", client.DialOptions{OnFrame: func(dir protocol.FrameDir, frame []byte) {
		var m protocol.Message
		if dir == protocol.FrameReceived && json.Unmarshal(frame, &m) == nil && m.Event == protocol.EventIncomingCall {
			got <- sessionOfData(m.Data)
		}
	}})
	select {
	case sid := <-got:
		if sid != second.SessionID {
			t.Fatalf("cat rang for %s; want %s", sid, second.SessionID)
		}
	case <-time.After(waitLimit):
		t.Fatal("cat connected on n2 during the ring and never rang")
	}
	if r := wait(t, ann.ringing, "ringing once cat connected"); r.SessionID != second.SessionID {
		t.Fatalf("ringing for %s", r.SessionID)
	}
}

// TestClusterShutdownTellsOtherNodes: a node that stops with calls still
// live (its drain's grace ran out) ends them server_shutdown; its own
// sockets close with 1001, and the participants' devices on other nodes
// hear it: callEnded for the one in an ongoing call, incomingCallCancelled
// for one still ringing. Before, they heard nothing and kept the call.
func TestClusterShutdownTellsOtherNodes(t *testing.T) {
	n1, n2 := graceCluster(t)
	ann := dial(t, n1, "ann")
	ben, cat := dial(t, n2, "ben"), dial(t, n2, "cat")
	dan := dial(t, n1, "dan")
	talk, err := ann.c.InitiateCall(ctxT(t), audioCall("ben"))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's incomingCall")
	if _, err := ben.c.AcceptCall(ctxT(t), talk.SessionID); err != nil {
		t.Fatal(err)
	}
	ring, err := dan.c.InitiateCall(ctxT(t), audioCall("cat"))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, cat.incoming, "cat's incomingCall")
	if err := n1.Close(); err != nil {
		t.Fatal(err)
	}
	if c := wait(t, ben.ended, "ben's callEnded"); c.SessionID != talk.SessionID || c.Reason != protocol.ReasonServerShutdown {
		t.Fatalf("ben heard %+v; want callEnded server_shutdown", c)
	}
	if c := wait(t, cat.cancelled, "cat's incomingCallCancelled"); c.SessionID != ring.SessionID || c.Reason != protocol.ReasonServerShutdown {
		t.Fatalf("cat heard %+v; want incomingCallCancelled server_shutdown", c)
	}
}

func sessionOfData(data json.RawMessage) string {
	var c protocol.Call
	_ = json.Unmarshal(data, &c)
	return c.SessionID
}

func audioCall(to string) client.CallRequest {
	return client.CallRequest{ReceiverID: to, ReceiverType: client.ReceiverUser, CallType: client.CallAudio}
}
