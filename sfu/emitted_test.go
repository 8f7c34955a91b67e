package sfu

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// emitted is a participant's socket for tests that call the room's code
// directly: a real WebSocket to a local server that reads and drops
// everything, with the events the server side sent recorded in order.
type emitted struct {
	mu     sync.Mutex
	events []protocol.Message
}

// newEmitted returns a Conn whose sent events e records; closed at the
// test's end.
func newEmitted(t *testing.T) (*protocol.Conn, *emitted) {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer func() { _ = ws.CloseNow() }()
		for {
			if _, _, err := ws.Read(r.Context()); err != nil {
				return
			}
		}
	}))
	ws, _, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(hs.URL, "http"), nil)
	if err != nil {
		hs.Close()
		t.Fatal(err)
	}
	e := &emitted{}
	c := protocol.NewConn(ws, protocol.Options{OnFrame: func(dir protocol.FrameDir, frame []byte) {
		var m protocol.Message
		if dir == protocol.FrameSent && json.Unmarshal(frame, &m) == nil && m.Event != "" {
			e.mu.Lock()
			e.events = append(e.events, m)
			e.mu.Unlock()
		}
	}})
	t.Cleanup(func() {
		_ = ws.CloseNow()
		hs.Close()
	})
	return c, e
}

// take returns the events named event recorded since the last take or
// all, and forgets every event recorded.
func (e *emitted) take(event string) []protocol.Message {
	var out []protocol.Message
	for _, m := range e.all() {
		if m.Event == event {
			out = append(out, m)
		}
	}
	return out
}

// all returns every event recorded, in order, and forgets them.
func (e *emitted) all() []protocol.Message {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.events
	e.events = nil
	return out
}
