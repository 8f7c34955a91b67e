package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

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
