package sfu_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/rtp"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// A server bound to all interfaces (the default: one mux socket per
// address, written through batched sockets) forwards media: here with the
// candidates narrowed to 127.0.0.1.
func TestForwardsWhenBoundToAllInterfaces(t *testing.T) {
	cfg := sfu.DefaultConfig()
	cfg.BindAddress, cfg.UDPPort, cfg.TCPPort = "", 0, 0
	cfg.IncludeLoopback, cfg.DisableMDNS, cfg.IPs = true, true, []string{"127.0.0.1"}
	srv, err := sfu.New(cfg, sfu.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uid, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ws, err := websocket.Accept(w, r, nil); err == nil {
			srv.Serve(r.Context(), ws, sfu.Participant{SessionID: "call", UID: uid})
		}
	}))
	defer hs.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // reaching it fails the test
	defer cancel()

	var got atomic.Int64
	arrived := make(chan struct{})
	sub, err := client.JoinSession(ctx, hs.URL, "watcher", client.MediaOptions{Loopback: true,
		OnFrame: protocoltest.Hook(t, protocoltest.RTC),
		OnPacket: func(_ *client.RemoteTrack, p *rtp.Packet, _ time.Time) {
			if len(p.Payload) == 1000 && got.Add(1) == 50 {
				close(arrived)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	pub, err := client.JoinSession(ctx, hs.URL, "camera", client.MediaOptions{Video: "vp8", Loopback: true,
		OnFrame: protocoltest.Hook(t, protocoltest.RTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	payload := make([]byte, 1000)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-arrived:
			return
		case <-ctx.Done():
			t.Fatalf("the watcher received %d packets of the camera's video, want 50", got.Load())
		case <-tick.C:
			_ = pub.LocalTracks()[0].Write(payload, 3000, i%5 == 4)
		}
	}
}
