package web_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
)

// eventsOf dials uid with a hook that hands every event the socket
// receives to the returned channel, from its first frame on.
func eventsOf(t *testing.T, app *server.App, uid string) (*client.Client, chan protocol.Message) {
	t.Helper()
	tok, err := app.Tokens().MintAuth(uid, uid, 0)
	if err != nil {
		t.Fatal(err)
	}
	evs := make(chan protocol.Message, 32)
	check := protocoltest.Hook(t, protocoltest.WS)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	c, err := client.DialWith(ctx, app.URL(), tok, client.DialOptions{OnFrame: func(dir protocol.FrameDir, frame []byte) {
		check(dir, frame)
		var m protocol.Message
		if dir == protocol.FrameReceived && json.Unmarshal(frame, &m) == nil && m.Event != "" {
			evs <- m
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, evs
}

// next is the next event of evs other than presence, or a failure.
func next(t *testing.T, evs chan protocol.Message, what string) protocol.Message {
	t.Helper()
	for {
		select {
		case m := <-evs:
			switch m.Event {
			case protocol.EventUserOnline, protocol.EventUserOffline, protocol.EventUserBusy:
				continue
			}
			return m
		case <-time.After(waitLimit):
			t.Fatalf("no %s", what)
			return protocol.Message{}
		}
	}
}

// quiet fails if evs has a non-presence event within a moment.
func quiet(t *testing.T, evs chan protocol.Message, what string) {
	t.Helper()
	deadline := time.After(300 * time.Millisecond)
	for {
		select {
		case m := <-evs:
			if m.Event != protocol.EventUserOnline && m.Event != protocol.EventUserOffline && m.Event != protocol.EventUserBusy {
				t.Fatalf("%s: got %s %s", what, m.Event, m.Data)
			}
		case <-deadline:
			return
		}
	}
}

func callOf(t *testing.T, m protocol.Message) protocol.Call {
	t.Helper()
	var c protocol.Call
	if err := json.Unmarshal(m.Data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLiveSocketAcknowledgesTheRing: a ring that reaches a live socket is
// acknowledged by it (protocol.md, Transitions): the caller hears ringing
// once per callee without any ackCall, and the call shows ackedAt. A
// device that connects while the call rings it (the app opened during the
// ring) gets the call's incomingCall after connected; a callee who had no
// socket at the ring is acknowledged when one connects. Before, the caller
// heard nothing until an explicit ackCall, and a device that connected
// mid-ring never rang but was sent incomingCallCancelled at the end.
func TestLiveSocketAcknowledgesTheRing(t *testing.T) {
	app, p := startPushApp(t)
	if _, err := app.Store().UpsertUser(context.Background(), store.User{UID: "carl", Name: "Carl"}); err != nil {
		t.Fatal(err)
	}
	alice, aliceEvs := eventsOf(t, app, "alice")
	_, bobEvs := eventsOf(t, app, "bob")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if m := next(t, aliceEvs, "alice's connected"); m.Event != protocol.EventConnected {
		t.Fatalf("first event %s", m.Event)
	}
	next(t, bobEvs, "bob's connected")

	c, err := alice.InitiateCall(ctx, client.CallRequest{ReceiverID: "bob", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	if m := next(t, bobEvs, "bob's incomingCall"); m.Event != protocol.EventIncomingCall {
		t.Fatalf("bob got %s", m.Event)
	}
	m := next(t, aliceEvs, "alice's ringing")
	if rc := callOf(t, m); m.Event != protocol.EventRinging || rc.SessionID != c.SessionID || rc.Participants[1].AckedAt == 0 {
		t.Fatalf("alice got %s %s; want ringing with bob's ackedAt", m.Event, m.Data)
	}
	// bob's second device opens during the ring: it rings too; nobody hears ringing again
	_, tabEvs := eventsOf(t, app, "bob")
	next(t, tabEvs, "the tab's connected")
	if m := next(t, tabEvs, "the tab's incomingCall"); m.Event != protocol.EventIncomingCall || callOf(t, m).SessionID != c.SessionID {
		t.Fatalf("the tab that connected mid-ring got %s %s; want incomingCall", m.Event, m.Data)
	}
	quiet(t, aliceEvs, "a second device's ring heard again")
	got, err := alice.GetCall(ctx, c.SessionID)
	if err != nil || got.Participants[1].AckedAt == 0 {
		t.Fatalf("getCall: %+v %v; want bob's ackedAt", got, err)
	}
	if _, err := alice.RejectCall(ctx, c.SessionID, protocol.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	for _, evs := range []chan protocol.Message{bobEvs, tabEvs} {
		if m := next(t, evs, "incomingCallCancelled"); m.Event != protocol.EventIncomingCallCancelled {
			t.Fatalf("got %s", m.Event)
		}
	}

	// carl has no socket when the call rings; his app opens during the ring
	c2, err := alice.InitiateCall(ctx, client.CallRequest{ReceiverID: "carl", ReceiverType: client.ReceiverUser, CallType: client.CallAudio, Timeout: 30})
	if err != nil {
		t.Fatal(err)
	}
	quiet(t, aliceEvs, "ringing heard with no device of carl's")
	_, carlEvs := eventsOf(t, app, "carl")
	next(t, carlEvs, "carl's connected")
	if m := next(t, carlEvs, "carl's incomingCall"); m.Event != protocol.EventIncomingCall || callOf(t, m).SessionID != c2.SessionID {
		t.Fatalf("carl connected mid-ring and got %s %s; want incomingCall", m.Event, m.Data)
	}
	if m := next(t, aliceEvs, "ringing once carl connected"); m.Event != protocol.EventRinging {
		t.Fatalf("alice got %s; want ringing", m.Event)
	}
	n := map[string]int{}
	for _, ev := range p.hook.WaitEvents(5, waitLimit) {
		n[ev.Type]++
	}
	if n["call.ringing"] != 2 || n["call.initiated"] != 2 || n["call.cancelled"] != 1 {
		t.Fatalf("webhooks %v; want call.ringing once per call, with its call.initiated, and one call.cancelled", n)
	}
}
