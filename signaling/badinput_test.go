package signaling

import (
	"context"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// raw is a bare WebSocket to the hub, for frames the client never sends.
func (e *env) raw(uid string) *websocket.Conn {
	e.t.Helper()
	ctx := ctxT(e.t)
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.srv.URL, "http"), &websocket.DialOptions{
		HTTPHeader: map[string][]string{"Authorization": {"Bearer " + e.token(uid)}}})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = ws.CloseNow() })
	return ws
}

func roundTrip(t *testing.T, ws *websocket.Conn, frame string) protocol.Message {
	t.Helper()
	ctx := ctxT(t)
	if err := ws.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		t.Fatal(err)
	}
	for {
		_, b, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("after %s: %v", frame, err)
		}
		m, err := protocol.Parse(b)
		if err != nil {
			t.Fatalf("server sent %s: %v", b, err)
		}
		if !m.IsEvent() {
			return m
		}
	}
}

// Bad input: every malformed request gets a clear error reply and the
// connection, and a call in progress on it, carry on.
func TestBadFramesGetErrorsAndChangeNothing(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	bob := e.dial("bob")
	ws := e.raw("alice")
	call := roundTrip(t, ws, `{"id":"1","method":"initiateCall","params":{"receiverId":"bob","receiverType":"user","callType":"audio"}}`)
	if call.Error != nil {
		t.Fatal(call.Error)
	}
	bob.expect(protocol.EventIncomingCall)
	for _, tc := range []struct{ frame, id, code string }{
		{`{not json`, "", "bad_request"},
		{`{"id":"2","method":"teleport"}`, "2", "unknown_method"},
		{`{"id":"3","method":"acceptCall"}`, "3", "bad_request"},
		{`{"id":"4","method":"acceptCall","params":{"sessionId":42}}`, "4", "bad_request"},
		{`{"id":"5","method":"initiateCall","params":{"receiverId":"bob","receiverType":"user","callType":"audio","timeout":"soon"}}`, "5", "bad_request"},
		{`{"id":"6","method":"initiateCall","params":{"receiverId":"bob","extra":1}}`, "6", "bad_request"},
		{`{"id":"7","method":"endCall","params":{"sessionId":"doesnotexist"}}`, "7", "not_found"},
		{`{"id":"8","method":"listCalls","params":{"limit":1000}}`, "8", "bad_request"},
		{`{"id":"9","method":"listCalls","params":{"direction":"sideways"}}`, "9", "bad_request"},
		{`{"id":"10","result":{}}`, "10", "bad_request"},
		{`{"id":"11","method":"ping","params":[1]}`, "11", "bad_request"},
		{`{"id":"12","method":"getActiveCall","params":"x"}`, "12", "bad_request"},
	} {
		m := roundTrip(t, ws, tc.frame)
		if m.ID != tc.id || m.Error == nil || m.Error.Code != tc.code || m.Error.Message == "" {
			t.Fatalf("%s: got %+v, want %s", tc.frame, m, tc.code)
		}
	}
	m := roundTrip(t, ws, `{"id":"p","method":"getActiveCall"}`)
	if m.Error != nil || !strings.Contains(string(m.Result), `"status":"initiated"`) {
		t.Fatalf("the call after bad frames: %s %+v", m.Result, m.Error)
	}
	bob.quiet()
}

// Bad input: a frame over the limit closes that connection with 1009 and
// leaves everyone else's calls alone.
func TestOversizedFrameCloses1009(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxFrameBytes = 1024 })
	e.users("alice", "bob", "carol")
	alice, bob := e.dial("alice"), e.dial("bob")
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	ws := e.raw("carol")
	ctx := context.Background()
	_ = ws.Write(ctx, websocket.MessageText, []byte(`{"id":"1","method":"ping","params":{"x":"`+strings.Repeat("a", 2048)+`"}}`))
	var err error
	for err == nil { // "connected" first, then the close
		_, _, err = ws.Read(ctxT(t))
	}
	if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
		t.Fatalf("want close 1009, got %v (%v)", got, err)
	}
	if got := bob.accept(out.SessionID); got.Status != protocol.StatusOngoing {
		t.Fatalf("other call: %+v", got)
	}
	alice.expect(protocol.EventOutgoingCallAccepted)
}

// On one connection the reply comes before the events its request caused:
// initiateCall to a busy user answers busy, then outgoingCallRejected.
func TestReplyPrecedesItsEvents(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	carol, bob := e.dial("carol"), e.dial("bob")
	carol.call("bob")
	bob.expect(protocol.EventIncomingCall)
	ws := e.raw("alice")
	ctx := ctxT(t)
	frame := `{"id":"x","method":"initiateCall","params":{"receiverId":"bob","receiverType":"user","callType":"audio"}}`
	if err := ws.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for len(got) < 2 {
		_, b, err := ws.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := protocol.Parse(b)
		if m.Event == protocol.EventConnected || m.Event == protocol.EventUserOnline || m.Event == protocol.EventUserOffline {
			continue
		}
		got = append(got, m.ID+m.Event)
		if m.ID == "x" && !strings.Contains(string(m.Result), `"status":"busy"`) {
			t.Fatalf("reply: %s", m.Result)
		}
	}
	if got[0] != "x" || got[1] != protocol.EventOutgoingCallRejected {
		t.Fatalf("frames in order %v, want the reply then %s", got, protocol.EventOutgoingCallRejected)
	}
}
