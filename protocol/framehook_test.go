package protocol

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestOnFrameSeesEveryFrameBothWays(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	ran := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c := NewConn(ws, Options{OnFrame: func(dir FrameDir, frame []byte) {
			mu.Lock()
			seen = append(seen, dir.String()+" "+string(frame))
			mu.Unlock()
		}})
		_ = c.Run(r.Context(), func(m Message) { _ = c.Reply(m.ID, map[string]int{"now": 1}) })
		close(ran)
	}))
	defer srv.Close()
	ws := dial(t, srv)
	if m := roundTrip(t, ws, `{`); m.Error == nil {
		t.Fatalf("want an error reply, got %+v", m)
	}
	roundTrip(t, ws, `{"id":"c1","method":"ping"}`)
	_ = ws.Close(websocket.StatusNormalClosure, "")
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("the server's Conn did not stop")
	}
	mu.Lock()
	defer mu.Unlock()
	got := strings.Join(seen, "\n")
	want := strings.Join([]string{
		`received {`,
		`sent {"error":{"code":"bad_request","message":"malformed frame: unexpected EOF"}}`,
		`received {"id":"c1","method":"ping"}`,
		`sent {"id":"c1","result":{"now":1}}`,
	}, "\n")
	if got != want {
		t.Fatalf("frames seen:\n%s\nwant:\n%s", got, want)
	}
}
