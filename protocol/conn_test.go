package protocol

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// echoServer replies to every request with its params and emits one event.
func echoServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c := NewConn(ws, Options{ReadLimit: 1024})
		_ = c.Run(r.Context(), func(m Message) {
			if m.Method == "bye" {
				_ = c.Emit("callEnded", map[string]string{"reason": "bye"})
				c.Close(websocket.StatusNormalClosure, "bye")
				return
			}
			_ = c.Send(Message{ID: m.ID, Result: m.Params})
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func dial(t *testing.T, srv *httptest.Server) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.CloseNow() })
	return ws
}

func roundTrip(t *testing.T, ws *websocket.Conn, frame string) Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ws.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		t.Fatal(err)
	}
	_, got, err := ws.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(got)
	if err != nil {
		t.Fatalf("server sent a malformed frame %s: %v", got, err)
	}
	return m
}

func TestConnRepliesAndSurvivesBadFrames(t *testing.T) {
	ws := dial(t, echoServer(t))
	for _, bad := range []string{`{`, `[]`, `{"id":"1"}`, `{"method":"x"}`, `{"id":"1","method":"x","bogus":1}`} {
		m := roundTrip(t, ws, bad)
		if m.Error == nil || m.Error.Code != CodeBadRequest {
			t.Fatalf("frame %s: want bad_request, got %+v", bad, m)
		}
	}
	m := roundTrip(t, ws, `{"id":"c1","method":"ping","params":{"a":1}}`)
	if m.ID != "c1" || string(m.Result) != `{"a":1}` {
		t.Fatalf("echo: got %+v", m)
	}
}

func TestConnClosesOversizedFrameWith1009(t *testing.T) {
	ws := dial(t, echoServer(t))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	big := `{"id":"1","method":"x","params":"` + strings.Repeat("a", 2048) + `"}`
	_ = ws.Write(ctx, websocket.MessageText, []byte(big))
	_, _, err := ws.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
		t.Fatalf("want close 1009, got %v (%v)", got, err)
	}
}

func TestConnFlushesQueuedEventsBeforeClose(t *testing.T) {
	ws := dial(t, echoServer(t))
	m := roundTrip(t, ws, `{"id":"b","method":"bye"}`)
	if m.Event != "callEnded" {
		t.Fatalf("want callEnded before close, got %+v", m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err := ws.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusNormalClosure {
		t.Fatalf("want normal closure, got %v (%v)", got, err)
	}
}
