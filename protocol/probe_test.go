package protocol

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Probe: a peer that reads answers the ping and is kept (Heard moves); a
// peer whose socket is open but which reads nothing (a suspended app: its
// system still acknowledges the TCP segments) gets no pong back, and the
// Conn is closed once the timeout passes, without waiting for a close
// handshake that will not come.
func TestProbeTellsAnAsleepPeerFromAnAwakeOne(t *testing.T) {
	served := make(chan *Conn, 1)
	ran := make(chan error, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c := NewConn(ws, Options{PingInterval: -1})
		served <- c
		ran <- c.Run(context.Background(), func(Message) {})
	}))
	defer srv.Close()

	awake := dial(t, srv)
	readCtx, stopReading := context.WithCancel(context.Background())
	defer stopReading()
	go func() { _, _, _ = awake.Read(readCtx) }() // a reader answers pings
	c := <-served
	was := c.Heard()
	time.Sleep(10 * time.Millisecond)
	if err := c.Probe(5 * time.Second); err != nil {
		t.Fatalf("a peer that reads: %v", err)
	}
	if !c.Heard().After(was) {
		t.Errorf("Heard %v after the pong, not after %v", c.Heard(), was)
	}
	select {
	case <-c.Done():
		t.Fatal("the awake peer's Conn was closed")
	default:
	}
	c.Close(websocket.StatusNormalClosure, "")
	t.Logf("the awake peer's Run returned %v", <-ran)

	asleep := dial(t, srv) // never reads
	c = <-served
	start := time.Now()
	if err := c.Probe(200 * time.Millisecond); err == nil {
		t.Fatal("a peer that reads nothing answered the ping")
	}
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Errorf("Probe gave up after %v, before its timeout", took)
	}
	select {
	case err := <-ran:
		t.Logf("the asleep peer's Run returned %v", err)
	case <-time.After(3 * time.Second): // failsafe: the close handshake's own wait is 5 s
		t.Fatal("the asleep peer's Conn was not closed")
	}
	_ = asleep.CloseNow()
}
