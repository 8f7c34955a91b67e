package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/server"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
)

// A /v1/ws connection outlives its HTTP handler (the hub serves it on a
// goroutine of its own) yet still counts as open until it closes: the
// gauge goes up and back down, and Close with a client still connected
// returns (the socket is closed and accounted for, goleak checks the rest).
func TestWSConnectionCountsUntilItCloses(t *testing.T) {
	app := startApp(t)
	open := func() string {
		for _, line := range strings.Split(do(t, "GET", app.URL()+"/metrics", "").body, "\n") {
			if strings.HasPrefix(line, `switchboard_websockets_open{endpoint="ws"}`) {
				return strings.TrimSpace(strings.TrimPrefix(line, `switchboard_websockets_open{endpoint="ws"}`))
			}
		}
		return ""
	}
	dial := func(uid string) *client.Client {
		tok, _ := app.Tokens().MintAuth(uid, uid, 0)
		c, err := client.DialWith(t.Context(), app.URL(), tok, client.DialOptions{OnFrame: protocoltest.Hook(t, protocoltest.WS)})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	alice, bob := dial("alice"), dial("bob")
	if got := open(); got != "2" {
		t.Fatalf("open /v1/ws sockets with two clients = %q, want 2", got)
	}
	if err := alice.Ping(t.Context()); err != nil {
		t.Fatalf("a connection whose handler returned does not answer: %v", err)
	}
	_ = alice.Close()
	waitFor(t, func() bool { return open() == "1" })
	if err := app.Close(); err != nil { // bob still connected
		t.Fatal(err)
	}
	<-bob.Done()
}

// One connection more than ringing.max_connections_per_user is refused
// before the upgrade: HTTP 429 rate_limited.
func TestWSConnectionsPerUserCapped(t *testing.T) {
	app := startApp(t, func(c *server.Config) { c.Ringing.MaxConnectionsPerUser = 1 })
	tok, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, app.URL(), tok)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := do(t, "GET", app.URL()+"/v1/ws?token="+tok, "", "Connection: Upgrade", "Upgrade: websocket",
		"Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")
	if r.status != 429 || r.errorCode() != "rate_limited" {
		t.Fatalf("second connection of alice: %d %s, want 429 rate_limited", r.status, r.body)
	}
}

// A browser cannot set headers on a WebSocket: the JS SDK offers its token
// as the subprotocol "bearer.TOKEN" beside "switchboard", which the server
// answers, so the token is in no URL (proxies' access logs, the browser's
// console). A bad token there is refused as in a header, before the
// upgrade; plain HTTP endpoints do not read it.
func TestTokenAsWebSocketSubprotocol(t *testing.T) {
	app := startApp(t)
	tok, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	ws, _, err := websocket.Dial(t.Context(), "ws"+strings.TrimPrefix(app.URL(), "http")+"/v1/ws",
		&websocket.DialOptions{Subprotocols: []string{"switchboard", "bearer." + tok}})
	if err != nil {
		t.Fatalf("dial with the token as a subprotocol: %v", err)
	}
	defer func() { _ = ws.CloseNow() }()
	if got := ws.Subprotocol(); got != "switchboard" {
		t.Errorf("the server answered subprotocol %q, want switchboard", got)
	}
	if err := ws.Write(t.Context(), websocket.MessageText, []byte(`{"id":"1","method":"ping"}`)); err != nil {
		t.Fatal(err)
	}
	for {
		_, frame, err := ws.Read(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(frame), `"id":"1"`) {
			if !strings.Contains(string(frame), `"result"`) {
				t.Fatalf("ping over a socket opened with the subprotocol token: %s", frame)
			}
			break
		}
	}

	upgrade := []string{"Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="}
	r := do(t, "GET", app.URL()+"/v1/ws", "", append(upgrade, "Sec-WebSocket-Protocol: switchboard, bearer.not-a-token")...)
	if r.status != 401 || r.errorCode() != "unauthorized" || !strings.Contains(r.body, "invalid auth token") {
		t.Errorf("a bad token as a subprotocol: %d %s, want 401 invalid auth token", r.status, r.body)
	}
	r = do(t, "GET", app.URL()+"/v1/ws", "", append(upgrade, "Sec-WebSocket-Protocol: switchboard")...)
	if r.status != 401 || !strings.Contains(r.body, "bearer.TOKEN") {
		t.Errorf("no token: %d %s, want 401 naming the subprotocol among the ways", r.status, r.body)
	}
	r = do(t, "GET", app.URL()+"/v1/calls", "", "Sec-WebSocket-Protocol: bearer."+tok)
	if r.status != 401 {
		t.Errorf("GET /v1/calls with the token only as a subprotocol: %d %s, want 401 (HTTP endpoints read the header)", r.status, r.body)
	}
}
