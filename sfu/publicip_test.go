package sfu_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// With media.public_ip set (NAT 1:1), the server announces that address in
// its candidates instead of the host's own.
func TestPublicIPIsAnnouncedInsteadOfTheHostAddress(t *testing.T) {
	cfg := sfu.DefaultConfig()
	cfg.BindAddress, cfg.UDPPort, cfg.TCPPort = "127.0.0.1", 0, 0
	cfg.IncludeLoopback, cfg.DisableMDNS = true, true
	cfg.PublicIP = "203.0.113.7"
	srv, err := sfu.New(cfg, sfu.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ws, err := websocket.Accept(w, r, nil); err == nil {
			srv.Serve(r.Context(), ws, sfu.Participant{SessionID: "call", UID: "alice"})
		}
	}))
	defer hs.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // reaching it fails the test
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(hs.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ws.CloseNow() }()
	for {
		_, frame, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("no server candidate arrived: %v", err)
		}
		m, err := protocol.Parse(frame)
		if err != nil || m.Event != "trickle" {
			continue
		}
		c := string(m.Data)
		if strings.Contains(c, "127.0.0.1") {
			t.Fatalf("the host address leaked into a candidate: %s", c)
		}
		if strings.Contains(c, "203.0.113.7") {
			return
		}
	}
}
