package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/sfu"
)

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var we *protocol.Error
	if !errors.As(err, &we) || we.Code != code {
		t.Errorf("%s: got %v, want error code %s", what, err, code)
	}
}

func TestBadInputGetsErrorsAndLeavesTheCallAlone(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.RequestRate = 0 }) // the candidate cap is tested here, not the rate
	alice := ts.join(t, "alice", "bad", MediaOptions{Audio: true, Video: "vp8"})
	bob := ts.join(t, "bob", "bad", MediaOptions{Audio: true})
	// mallory sends bad requests on purpose: only the server's frames are checked.
	mallory := ts.join(t, "mallory", "bad", MediaOptions{OnFrame: protocoltest.HookServerFrames(t, protocoltest.RTC)})
	pump(t, alice, bob)
	mallory.receiving(t, "alice", "video", 5) // its subscriber offer is answered
	ctx := context.Background()

	wantCode(t, "garbage SDP", mallory.Call(ctx, "publishOffer", map[string]string{"sdp": "v=0 garbage\r\n"}, nil), "bad_request")
	huge := "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" + strings.Repeat("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n", 500)
	wantCode(t, "500 m-lines", mallory.Call(ctx, "publishOffer", map[string]string{"sdp": huge}, nil), "too_large")
	wantCode(t, "answer with no offer pending", mallory.Call(ctx, "subscriberAnswer", map[string]string{"sdp": "v=0\r\n"}, nil), "invalid_state")
	wantCode(t, "unknown method", mallory.Call(ctx, "dance", nil, nil), "unknown_method")
	wantCode(t, "bad kind", mallory.Call(ctx, "mute", map[string]any{"kind": "smell", "muted": true}, nil), "bad_request")
	wantCode(t, "unknown field", mallory.Call(ctx, "mute", map[string]any{"kind": "audio", "muted": true, "x": 1}, nil), "bad_request")
	wantCode(t, "uid in mute", mallory.Call(ctx, "mute", map[string]any{"kind": "audio", "muted": true, "uid": "alice"}, nil), "bad_request")
	wantCode(t, "bad target", mallory.Call(ctx, "trickle", map[string]any{"target": "nobody", "candidate": map[string]string{"candidate": ""}}, nil), "bad_request")

	cand := map[string]any{"target": "publisher", "candidate": map[string]any{
		"candidate": "candidate:1 1 udp 2130706431 127.0.0.1 9 typ host", "sdpMid": "0",
	}}
	accepted, refused := 0, 0
	for range 10000 {
		err := mallory.Call(ctx, "trickle", cand, nil)
		var we *protocol.Error
		switch {
		case err == nil:
			accepted++
		case errors.As(err, &we) && we.Code == "too_large":
			refused++
		default:
			t.Fatalf("trickle flood: %v", err)
		}
	}
	if accepted != sfu.DefaultConfig().MaxRemoteCandidates || refused != 10000-accepted {
		t.Errorf("10,000 candidates: %d accepted, %d refused; want the first %d accepted", accepted, refused, sfu.DefaultConfig().MaxRemoteCandidates)
	}

	// Everyone is still in the call and media still flows.
	if err := mallory.Mute(ctx, "audio", true); err != nil {
		t.Fatalf("mallory's connection broke: %v", err)
	}
	if ev := alice.waitEvent(t, MediaMuteChanged, "mallory"); !ev.Muted || ev.Kind != "audio" {
		t.Errorf("muteChanged %+v", ev)
	}
	tr := bob.receiving(t, "alice", "video", 1)
	n := tr.Packets()
	eventually(t, "alice's video keeps reaching bob", func() bool { return tr.Packets() > n+20 })
}

func TestCallFullRefusedWithErrorEvent(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.MaxParticipants = 2 })
	ts.join(t, "a", "full", MediaOptions{})
	ts.join(t, "b", "full", MediaOptions{})
	_, err := ts.tryJoin("c", "full", MediaOptions{})
	wantCode(t, "third participant", err, "too_large")

	ws := dialRaw(t, ts, "d@full")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	// A request sent before any "joined": it must not be served.
	_ = ws.Write(ctx, websocket.MessageText, []byte(`{"id":"1","method":"publishOffer","params":{"sdp":"v=0"}}`))
	sawError := false
	for {
		_, frame, err := ws.Read(ctx)
		if err != nil {
			if got := websocket.CloseStatus(err); got != websocket.StatusPolicyViolation {
				t.Errorf("close status %v, want 1008", got)
			}
			break
		}
		m, _ := protocol.Parse(frame)
		switch {
		case m.Event == "error":
			sawError = true
		case m.Event == "joined" || m.Result != nil:
			t.Fatalf("refused connection was served: %s", frame)
		}
	}
	if !sawError {
		t.Error("no error event before the close")
	}
}

func TestOversizedFrameClosesWith1009(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.MaxFrameBytes = 4096 })
	ws := dialRaw(t, ts, "a@big")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	_ = ws.Write(ctx, websocket.MessageText, []byte(`{"id":"1","method":"publishOffer","params":{"sdp":"`+strings.Repeat("a", 8000)+`"}}`))
	for {
		if _, _, err := ws.Read(ctx); err != nil {
			if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
				t.Fatalf("close status %v (%v), want 1009", got, err)
			}
			return
		}
	}
}

func dialRaw(t *testing.T, ts *testSFU, token string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.url, "http")+"/v1/rtc", &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.CloseNow() })
	return ws
}

// TestMissingParamsAreRefused: params without a field the schema requires
// are refused with bad_request naming it, change nothing (a mute without
// "muted" does not unmute; a candidate-less trickle is not taken as the end
// of candidates nor counted against the limit), and the session goes on.
// The documented ends of candidates still work.
func TestMissingParamsAreRefused(t *testing.T) {
	const limit = 3
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.MaxRemoteCandidates = limit })
	alice := ts.join(t, "alice", "missing", MediaOptions{Audio: true})
	mallory := ts.join(t, "mallory", "missing", MediaOptions{OnFrame: protocoltest.HookServerFrames(t, protocoltest.RTC)})
	ctx := context.Background()
	if err := mallory.Mute(ctx, "audio", true); err != nil {
		t.Fatal(err)
	}
	alice.waitEvent(t, MediaMuteChanged, "mallory")

	for _, tc := range []struct {
		method string
		params any
		field  string
	}{
		{"mute", map[string]any{"kind": "audio"}, `"muted"`},
		{"mute", map[string]any{"kind": "audio", "muted": nil}, `"muted"`},
		{"mute", map[string]any{"muted": false}, `"kind"`},
		{"trickle", map[string]any{"target": "publisher"}, `"candidate"`},
		{"trickle", map[string]any{"target": "publisher", "candidate": map[string]any{}}, `"candidate.candidate"`},
		{"trickle", map[string]any{"target": "publisher", "candidate": map[string]any{"sdpMid": "0"}}, `"candidate.candidate"`},
		{"trickle", map[string]any{"candidate": nil}, `"target"`},
		{"publishOffer", map[string]any{"sources": map[string]string{}}, `"sdp"`},
		{"publishOffer", nil, `"sdp"`},
		{"subscriberAnswer", map[string]any{}, `"sdp"`},
		{"trackSettings", map[string]any{"paused": true}, `"trackId"`},
	} {
		err := mallory.Call(ctx, tc.method, tc.params, nil)
		wantCode(t, fmt.Sprintf("%s %v", tc.method, tc.params), err, "bad_request")
		if err != nil && !strings.Contains(err.Error(), tc.field+" is required") && !strings.Contains(err.Error(), tc.field+" must be") {
			t.Errorf("%s %v: %v does not name %s", tc.method, tc.params, err, tc.field)
		}
	}

	// Nothing of it was applied: someone joining now sees mallory muted, and
	// the documented ends of candidates are still within the limit (mallory,
	// a watcher, has no publisher connection: its candidates are held).
	bob := ts.join(t, "bob", "missing", MediaOptions{})
	for _, q := range bob.Info().Participants {
		if q.UID == "mallory" && !q.Muted["audio"] {
			t.Errorf("mallory is shown unmuted after mutes that were refused: %+v", q)
		}
	}
	for i, c := range []any{nil, map[string]any{"candidate": ""}, map[string]any{"candidate": "", "sdpMid": nil, "sdpMLineIndex": nil, "usernameFragment": nil}} {
		if err := mallory.Call(ctx, "trickle", map[string]any{"target": "publisher", "candidate": c}, nil); err != nil {
			t.Errorf("end of candidates #%d (%v): %v", i+1, c, err)
		}
	}
	wantCode(t, "a candidate over the limit", mallory.Call(ctx, "trickle", map[string]any{"target": "publisher", "candidate": nil}, nil), "too_large")
}

// TestRTCPingAnswersTheClock: ping on /v1/rtc answers the server's clock,
// as on /v1/ws (a client pings to learn whether its socket still works).
func TestRTCPingAnswersTheClock(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "ping", MediaOptions{})
	var res struct {
		Now int64 `json:"now"`
	}
	before := time.Now().UnixMilli()
	if err := alice.Call(context.Background(), "ping", nil, &res); err != nil {
		t.Fatalf("ping: %v", err)
	}
	if res.Now < before-1000 || res.Now > time.Now().UnixMilli()+1000 {
		t.Errorf("ping's now = %d, want about %d", res.Now, before)
	}
}
