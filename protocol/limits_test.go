package protocol

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// limitServer serves one Conn with opts, echoing each request's params.
func limitServer(t *testing.T, opts Options) (*httptest.Server, <-chan *Conn) {
	t.Helper()
	served := make(chan *Conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c := NewConn(ws, opts)
		served <- c
		_ = c.Run(r.Context(), func(m Message) { _ = c.Send(Message{ID: m.ID, Result: m.Params}) })
	}))
	t.Cleanup(srv.Close)
	return srv, served
}

// A client that pipelines 2,000 requests and reads its replies (a little
// more slowly than the server writes them) gets every reply and keeps its
// socket: the reader waits for room in the send queue instead of letting
// replies overflow it.
func TestConnPipelinedBurstKeepsAReadingClient(t *testing.T) {
	srv, _ := limitServer(t, Options{SendQueue: 16, RequestRate: -1, PingInterval: -1})
	ws := dial(t, srv)
	ws.SetReadLimit(1 << 20)
	const n = 2000
	pad := strings.Repeat("x", 300)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < n; i++ {
			frame := fmt.Sprintf(`{"id":"%d","method":"ping","params":{"pad":%q}}`, i, pad)
			if ws.Write(ctx, websocket.MessageText, []byte(frame)) != nil {
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		_, frame, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("after %d replies: %v (close status %d)", i, err, websocket.CloseStatus(err))
		}
		m, err := Parse(frame)
		if err != nil || m.ID != fmt.Sprint(i) || m.Error != nil {
			t.Fatalf("reply %d: %s (%v)", i, frame, err)
		}
		if i%50 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	wg.Wait()
}

// Requests beyond the token bucket get rate_limited with retryAfterMs and
// are not handled; the bucket refills with time.
func TestConnRateLimitsRequests(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, _ := limitServer(t, Options{RequestRate: 10, RequestBurst: 3, Now: clock, PingInterval: -1})
	ws := dial(t, srv)
	for i := 0; i < 3; i++ {
		if m := roundTrip(t, ws, fmt.Sprintf(`{"id":"%d","method":"x","params":{}}`, i)); m.Error != nil {
			t.Fatalf("request %d within the burst: %+v", i, m.Error)
		}
	}
	m := roundTrip(t, ws, `{"id":"3","method":"x","params":{}}`)
	if m.ID != "3" || m.Error == nil || m.Error.Code != CodeRateLimited || m.Error.RetryAfterMs != 100 {
		t.Fatalf("request over the burst: got %+v", m)
	}
	mu.Lock()
	now = now.Add(100 * time.Millisecond)
	mu.Unlock()
	if m := roundTrip(t, ws, `{"id":"4","method":"x","params":{}}`); m.Error != nil {
		t.Fatalf("after the refill: %+v", m.Error)
	}
}

// What waits for a peer that does not read is bounded in bytes: Send
// refuses (and closes 1008) long before megabytes pile up, however many
// frames the queue may hold.
func TestConnSendQueueIsBoundedByBytes(t *testing.T) {
	srv, served := limitServer(t, Options{SendQueue: 1 << 20, MaxQueueBytes: 256 << 10, PingInterval: -1})
	ws := dial(t, srv) // never reads
	c := <-served
	data := []byte(`"` + strings.Repeat("x", 16<<10) + `"`)
	var err error
	sent := 0
	for ; sent < 2000 && err == nil; sent++ { // 32 MB if nothing stopped it
		err = c.Send(Message{Event: "flood", Data: data})
	}
	if err != ErrSlow {
		t.Fatalf("after %d frames of 16 KiB to a peer that does not read: err %v, want ErrSlow", sent, err)
	}
	_ = ws.CloseNow()
}

// retryAfterMs is part of the error object on the wire, and only when set.
func TestErrorRetryAfterOnTheWire(t *testing.T) {
	b, err := Marshal(Message{ID: "1", Error: &Error{Code: CodeRateLimited, Message: "slow down", RetryAfterMs: 250}})
	if err != nil || string(b) != `{"id":"1","error":{"code":"rate_limited","message":"slow down","retryAfterMs":250}}` {
		t.Fatalf("got %s, %v", b, err)
	}
	b, _ = Marshal(Message{ID: "1", Error: &Error{Code: CodeNotFound, Message: "x"}})
	if string(b) != `{"id":"1","error":{"code":"not_found","message":"x"}}` {
		t.Fatalf("got %s", b)
	}
	m, err := Parse([]byte(`{"id":"1","error":{"code":"rate_limited","message":"m","retryAfterMs":7}}`))
	if err != nil || m.Error.RetryAfterMs != 7 {
		t.Fatalf("parse: %+v %v", m, err)
	}
}
