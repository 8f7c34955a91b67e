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

// holdServer runs script on the server side of one connection, then closes it.
func holdServer(t *testing.T, script func(c *Conn)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c := NewConn(ws, Options{})
		go script(c)
		_ = c.Run(r.Context(), func(Message) {})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// readAll reads frames until the close, as "event" or "reply:id".
func readAll(t *testing.T, ws *websocket.Conn) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got []string
	for {
		_, frame, err := ws.Read(ctx)
		if err != nil {
			return got
		}
		m, err := Parse(frame)
		if err != nil {
			t.Fatalf("malformed frame %s", frame)
		}
		if m.Event != "" {
			got = append(got, m.Event)
		} else {
			got = append(got, "reply:"+m.ID)
		}
	}
}

// A held place keeps its order: frames sent after a Hold wait for its
// reply, holds release in order whichever is given first, and Close lets
// what waits behind a reply never given go (before the close frame).
func TestHoldKeepsTheReplysPlace(t *testing.T) {
	srv := holdServer(t, func(c *Conn) {
		_ = c.Emit("a", nil)
		first := c.Hold()
		_ = c.Emit("b", nil)
		second := c.Hold()
		_ = c.Emit("c", nil)
		_ = second.Reply("2", struct{}{}) // given first: still waits for the first
		time.Sleep(50 * time.Millisecond) // nothing more may go out meanwhile
		_ = first.Reply("1", struct{}{})
		never := c.Hold()
		_ = c.Emit("d", nil)
		c.Close(websocket.StatusNormalClosure, "done")
		if err := never.Reply("3", struct{}{}); err != ErrClosed {
			t.Errorf("a reply given after Close: %v, want ErrClosed", err)
		}
	})
	got := strings.Join(readAll(t, dial(t, srv)), " ")
	if want := "a reply:1 b reply:2 c d"; got != want {
		t.Fatalf("frames %q, want %q", got, want)
	}
}
