package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/server"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// ongoingCall has alice call bob and bob accept; it returns both clients
// (closed at cleanup) and the session id.
func ongoingCall(t *testing.T, app *server.App) (alice, bob *client.Client, sessionID string) {
	t.Helper()
	ctx := t.Context()
	dial := func(uid string) *client.Client {
		// The hub records a user only after the upgrade; create them first
		// so that the call below cannot race the callee's connect.
		if _, err := app.Store().UpsertUser(ctx, store.User{UID: uid, Name: uid}); err != nil {
			t.Fatal(err)
		}
		tok, err := app.Tokens().MintAuth(uid, strings.ToUpper(uid[:1])+uid[1:], 0)
		if err != nil {
			t.Fatal(err)
		}
		c, err := client.DialWith(ctx, app.URL(), tok, client.DialOptions{OnFrame: protocoltest.Hook(t, protocoltest.WS)})
		if err != nil {
			t.Fatalf("dial %s: %v", uid, err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	alice, bob = dial("alice"), dial("bob")
	call, err := alice.InitiateCall(ctx, client.CallRequest{ReceiverID: "bob", ReceiverType: "user", CallType: "audio"})
	if err != nil {
		t.Fatalf("initiate: %v", err)
	}
	if _, err := bob.AcceptCall(ctx, call.SessionID); err != nil {
		t.Fatalf("accept: %v", err)
	}
	return alice, bob, call.SessionID
}

func TestCallLogEndpoint(t *testing.T) {
	app := startApp(t)
	alice, _, sid := ongoingCall(t, app)
	if _, err := alice.EndCall(t.Context(), sid); err != nil {
		t.Fatal(err)
	}
	tok, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	var r reply
	var got struct {
		Calls []struct {
			SessionID string `json:"sessionId"`
			Status    string
		}
	}
	// The hub writes the call log behind the replies: wait for "ended".
	waitFor(t, func() bool {
		r = do(t, "GET", app.URL()+"/v1/calls?limit=10&direction=outgoing", "", bearer(tok))
		r.decode(t, &got)
		return r.status != 200 || len(got.Calls) != 1 || got.Calls[0].Status == "ended"
	})
	if r.status != 200 || len(got.Calls) != 1 || got.Calls[0].SessionID != sid || got.Calls[0].Status != "ended" {
		t.Errorf("call log = %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		query, header string
		status        int
	}{
		{"", "", 401},
		{"?token=" + tok, "", 401}, // plain HTTP takes the header only
		{"?limit=500", bearer(tok), 400},
		{"?before=yesterday", bearer(tok), 400},
		{"?direction=sideways", bearer(tok), 400},
	} {
		if r := do(t, "GET", app.URL()+"/v1/calls"+tc.query, "", tc.header); r.status != tc.status {
			t.Errorf("GET /v1/calls%s = %d %s; want %d", tc.query, r.status, r.body, tc.status)
		}
	}
}

func TestRTCRefusesCallsYouCannotJoin(t *testing.T) {
	var keys map[string]string
	app := startApp(t, func(c *server.Config) { keys = c.Keys })
	_, _, sid := ongoingCall(t, app)
	carol, _ := app.Tokens().MintCall("carol", sid, 0)
	unknown, _ := app.Tokens().MintCall("alice", "no-such-call", 0)
	past, err := tokens.New(keys, "", func() time.Time { return time.Now().Add(-time.Hour) })
	if err != nil {
		t.Fatal(err)
	}
	expired, _ := past.MintCall("alice", sid, time.Minute)
	for name, tc := range map[string]struct {
		token  string
		status int
	}{
		"not a participant": {carol, 403},
		"unknown call":      {unknown, 404},
		"expired token":     {expired, 401},
	} {
		_, resp, err := websocket.Dial(t.Context(), "ws"+strings.TrimPrefix(app.URL(), "http")+"/v1/rtc?token="+tc.token, nil)
		if err == nil || resp == nil || resp.StatusCode != tc.status {
			t.Errorf("%s: err %v resp %v; want HTTP %d", name, err, resp, tc.status)
		}
	}
	bob, _ := app.Tokens().MintCall("bob", sid, 0)
	ws, _, err := websocket.Dial(t.Context(), "ws"+strings.TrimPrefix(app.URL(), "http")+"/v1/rtc?token="+bob, nil)
	if err != nil {
		t.Fatalf("bob, who accepted, cannot open /v1/rtc: %v", err)
	}
	_ = ws.Close(websocket.StatusNormalClosure, "")
}

// TestDrainWaitsForOngoingCalls: while a call is ongoing, Drain keeps
// waiting (health 503, new sockets refused, the call's media still
// reachable); it returns as soon as the call ends.
func TestDrainWaitsForOngoingCalls(t *testing.T) {
	app := startApp(t, func(c *server.Config) { c.Server.ShutdownGrace = time.Hour })
	alice, _, sid := ongoingCall(t, app)
	left := make(chan int, 1)
	go func() { n, _ := app.Drain(context.Background()); left <- n }()
	waitFor(t, func() bool { return do(t, "GET", app.URL()+"/healthz", "").status == 503 })
	tok, _ := app.Tokens().MintAuth("dave", "Dave", 0)
	if _, err := client.Dial(t.Context(), app.URL(), tok); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("new /v1/ws while draining: %v; want a 503 refusal", err)
	}
	select {
	case n := <-left:
		t.Fatalf("Drain returned %d while the call was ongoing", n)
	default:
	}
	if _, err := alice.EndCall(t.Context(), sid); err != nil {
		t.Fatalf("ending the call during the drain: %v", err)
	}
	if n := <-left; n != 0 {
		t.Errorf("Drain left %d calls", n)
	}
}

func TestDrainGivesUpAfterGrace(t *testing.T) {
	app := startApp(t, func(c *server.Config) { c.Server.ShutdownGrace = time.Millisecond })
	ongoingCall(t, app)
	if n, _ := app.Drain(context.Background()); n != 1 {
		t.Errorf("Drain after the grace left %d calls; want the 1 ongoing call", n)
	}
}

// waitFor polls cond (no timing assertion: the test's own timeout bounds it).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatal("gave up waiting")
		case <-time.After(5 * time.Millisecond):
		}
	}
}
