package client

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// wantRefusal checks a bad_request whose message says all of parts.
func wantRefusal(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	var we *protocol.Error
	if !errors.As(err, &we) || we.Code != "bad_request" {
		t.Errorf("%s: got %v, want bad_request", what, err)
		return
	}
	for _, p := range parts {
		if !strings.Contains(we.Message, p) {
			t.Errorf("%s: message %q does not say %q", what, we.Message, p)
		}
	}
}

// pionOffer is a valid publisher offer with one Opus track.
func pionOffer(t *testing.T) string {
	t.Helper()
	pc, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = pc.Close() }()
	if _, err := pc.AddTransceiverFromKind(webrtc.RTPCodecTypeAudio, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
		t.Fatal(err)
	}
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	return offer.SDP
}

func TestRefusedDescriptionsNameTheLineAndCanBeRetried(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "refuse", MediaOptions{Audio: true, Video: "vp8"})
	pump(t, alice)

	// bob's first answer with video in it names H265 instead of the
	// offered VP8; the server refuses it, and the same offer stays pending.
	var mu sync.Mutex
	var good string
	bob := ts.join(t, "bob", "refuse", MediaOptions{answerSDP: func(s string) string {
		mu.Lock()
		defer mu.Unlock()
		if good == "" && strings.Contains(s, "VP8/90000") {
			good = s
			return strings.Replace(s, "VP8/90000", "H265/90000", 1)
		}
		return s
	}})
	ev := bob.waitEvent(t, MediaError, "")
	wantRefusal(t, "answer with another codec", ev.Error, "m-line", "video", "answers codec H265/90000", "VP8/90000")
	mu.Lock()
	retry := good
	mu.Unlock()
	ctx := context.Background()
	if err := bob.Call(ctx, "subscriberAnswer", map[string]string{"sdp": retry}, nil); err != nil {
		t.Fatalf("the corrected answer was refused: %v", err)
	}
	bob.receiving(t, "alice", "video", 20)

	// Offers the server cannot receive.
	h265 := "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 49\r\nc=IN IP4 0.0.0.0\r\na=mid:v\r\na=rtpmap:49 H265/90000\r\na=sendonly\r\n"
	wantRefusal(t, "H.265 offer", bob.Call(ctx, "publishOffer", map[string]string{"sdp": h265}, nil), `m-line 0 (mid "v", video)`, "H265/90000", "VP8")
	wantRefusal(t, "garbage offer", bob.Call(ctx, "publishOffer", map[string]string{"sdp": "v=0\r\nm=audio 9\r\nx"}, nil), "session description")
	var answer struct{ SDP string }
	if err := bob.Call(ctx, "publishOffer", map[string]string{"sdp": pionOffer(t)}, &answer); err != nil || !strings.Contains(answer.SDP, "a=recvonly") {
		t.Fatalf("a correct offer after refused ones: %v %q", err, answer.SDP)
	}

	// Candidates: one that does not parse, one of another ICE session.
	bad := map[string]any{"target": "subscriber", "candidate": map[string]any{"candidate": "candidate:1 1 udp"}}
	wantRefusal(t, "short candidate", bob.Call(ctx, "trickle", bad, nil), `candidate "candidate:1 1 udp"`)
	other := map[string]any{"target": "subscriber", "candidate": map[string]any{
		"candidate": "candidate:1 1 udp 2130706431 127.0.0.1 9 typ host", "usernameFragment": "notyours"}}
	wantRefusal(t, "foreign ufrag", bob.Call(ctx, "trickle", other, nil), `ufrag "notyours"`)
	for _, end := range []any{nil, map[string]any{"candidate": ""}, map[string]any{"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}} {
		if err := bob.Call(ctx, "trickle", map[string]any{"target": "subscriber", "candidate": end}, nil); err != nil {
			t.Errorf("end of candidates %v: %v", end, err)
		}
	}
	bob.receiving(t, "alice", "audio", 20) // still in the call

	logs := ts.logs.String()
	for _, want := range []string{"refused subscriberAnswer", "refused publishOffer", "refused trickle", "H265/90000", "notyours"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the server's warn log does not say %q:\n%s", want, logs)
		}
	}
}

// A raw /v1/rtc client reads the server's trickle events as documented.
// It answers the subscriber offer, as a client does: the server's
// subscriber candidates come after the answer.
func TestTrickleShapeAndEndOfCandidates(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	ws := dialRaw(t, ts, "raw@trickle")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	pc, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = pc.Close() }()
	var ufrag string
	for {
		_, frame, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("no end of candidates: %v", err)
		}
		var m struct {
			Event string
			Data  struct {
				SDP       string
				Target    string
				Candidate map[string]any
			}
		}
		if err := json.Unmarshal(frame, &m); err != nil {
			t.Fatal(err)
		}
		switch m.Event {
		case "subscriberOffer":
			_, rest, _ := strings.Cut(m.Data.SDP, "a=ice-ufrag:")
			ufrag, _, _ = strings.Cut(rest, "\r\n")
			answerRaw(t, ctx, ws, pc, m.Data.SDP)
		case "trickle":
			keys := make([]string, 0, 4)
			for k, v := range m.Data.Candidate {
				keys = append(keys, k)
				if v == nil {
					t.Errorf("trickle %s has a null %s", frame, k)
				}
			}
			slices.Sort(keys)
			if !slices.Equal(keys, []string{"candidate", "sdpMLineIndex", "sdpMid", "usernameFragment"}) || m.Data.Target != "subscriber" {
				t.Errorf("trickle %s: fields %v", frame, keys)
			}
			if m.Data.Candidate["usernameFragment"] != ufrag || m.Data.Candidate["sdpMid"] != "0" {
				t.Errorf("trickle %s: want usernameFragment %q (the offer's) and sdpMid \"0\"", frame, ufrag)
			}
			if m.Data.Candidate["candidate"] == "" {
				return // the end of candidates
			}
		}
	}
}

// answerRaw answers a subscriber offer on a raw socket with pc.
func answerRaw(t *testing.T, ctx context.Context, ws *websocket.Conn, pc *webrtc.PeerConnection, offer string) {
	t.Helper()
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		t.Fatal(err)
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := pc.SetLocalDescription(answer); err != nil {
		t.Fatal(err)
	}
	frame, _ := json.Marshal(map[string]any{"id": "a1", "method": "subscriberAnswer", "params": map[string]string{"sdp": answer.SDP}})
	if err := ws.Write(ctx, websocket.MessageText, frame); err != nil {
		t.Fatal(err)
	}
}

// Replies, including those to malformed frames, come in request order.
func TestRepliesComeInRequestOrder(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	ws := dialRaw(t, ts, "raw@order")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	frames := []string{
		`{"id":"1","method":"publishOffer","params":{"sdp":"v=0 garbage"}}`,
		`{"id":`,
		`{"id":"2","method":"mute","params":{"kind":"audio","muted":true}}`,
		`{"id":"3","method":"trickle","params":{"target":"publisher","candidate":null}}`,
		`{"event":"nonsense"}`,
		`{"id":"4","method":"dance"}`,
		`{"id":"5","method":"trickle","params":{"target":"subscriber","candidate":{"candidate":"candidate:1 1 udp 2130706431 127.0.0.1 9 typ host"}}}`,
	}
	for _, f := range frames {
		if err := ws.Write(ctx, websocket.MessageText, []byte(f)); err != nil {
			t.Fatal(err)
		}
	}
	_ = ws.Write(ctx, websocket.MessageBinary, []byte{1})
	_ = ws.Write(ctx, websocket.MessageText, []byte(`{"id":"6","method":"mute","params":{"kind":"video","muted":true}}`))
	want := []string{"1", "", "2", "3", "", "4", "5", "", "6"}
	var got []string
	for len(got) < len(want) {
		_, frame, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("after replies %q: %v", got, err)
		}
		m, err := protocol.Parse(frame)
		if err == nil && m.Event == "" {
			got = append(got, m.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("reply ids %q, want %q", got, want)
	}
}
