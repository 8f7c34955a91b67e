package protocol

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// A peer that stops reading is disconnected once a frame write has waited
// WriteTimeout, even though the send queue never fills: the writer is not
// stuck for ever, and Run returns.
func TestConnDropsAPeerThatStopsReading(t *testing.T) {
	served := make(chan *Conn, 1)
	ran := make(chan error, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c := NewConn(ws, Options{SendQueue: 1 << 20, WriteTimeout: 50 * time.Millisecond, PingInterval: -1})
		served <- c
		ran <- c.Run(context.Background(), func(Message) {})
	}))
	defer srv.Close()
	ws := dial(t, srv) // never reads
	c := <-served
	data := []byte(`"` + strings.Repeat("x", 60_000) + `"`)
	for sent := 0; ; sent++ { // until the socket buffers are full and a write times out
		if err := c.Send(Message{Event: "flood", Data: data}); err != nil {
			break
		}
		if sent%64 == 0 {
			select {
			case <-c.Done():
			default:
				continue
			}
			break
		}
	}
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second): // failsafe, not the thing tested
		t.Fatal("a peer that stopped reading is still connected")
	}
	select {
	case err := <-ran:
		t.Logf("Run returned %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the write timed out")
	}
	_ = ws.CloseNow()
}
