package web_test

// End-to-end through the real front door: ringing on /v1/ws hands out call
// tokens, the tokens open /v1/rtc, media flows, and teardown on either
// endpoint reaches the other one and the call log.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboard-rtc/switchboard/server"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// waitLimit bounds every wait; reaching it is a failure, not a timing claim.
const waitLimit = 20 * time.Second

// person is one signed-in user: a /v1/ws client and the events it saw.
type person struct {
	uid   string
	chat  *client.Client
	ended chan client.Call // callEnded events
}

func signIn(t *testing.T, app *server.App, uid, name string) *person {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if _, err := app.Store().UpsertUser(ctx, store.User{UID: uid, Name: name}); err != nil {
		t.Fatal(err)
	}
	tok, err := app.Tokens().MintAuth(uid, name, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.DialWith(ctx, app.URL(), tok, client.DialOptions{OnFrame: protocoltest.Hook(t, protocoltest.WS)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	p := &person{uid: uid, chat: c, ended: make(chan client.Call, 4)}
	c.AddCallListener("test", client.CallListener{
		OnCallEndedMessageReceived: func(call client.Call) { p.ended <- call },
	})
	return p // Dial returned: the hub has registered this device
}

// connectCall rings callee from caller, accepts, and returns both call tokens.
func connectCall(t *testing.T, caller, callee *person) (sessionID, callerToken, calleeToken string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	accepted := make(chan client.Call, 1)
	caller.chat.AddCallListener("accepted", client.CallListener{
		OnOutgoingCallAccepted: func(c client.Call) { accepted <- c },
	})
	defer caller.chat.RemoveCallListener("accepted")
	call, err := caller.chat.InitiateCall(ctx, client.CallRequest{
		ReceiverID: callee.uid, ReceiverType: client.ReceiverUser, CallType: client.CallVideo,
	})
	if err != nil {
		t.Fatal(err)
	}
	answer, err := callee.chat.AcceptCall(ctx, call.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-accepted:
		return call.SessionID, c.CallToken, answer.CallToken
	case <-ctx.Done():
		t.Fatal("the caller never heard the call was accepted")
	}
	return "", "", ""
}

// join opens the media session of token, publishing Opus and VP8.
func join(t *testing.T, app *server.App, token string, events chan<- client.MediaEvent) *client.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	s, err := client.JoinSession(ctx, app.URL(), token, client.MediaOptions{
		Audio: true, Video: "vp8", Loopback: true,
		OnFrame: protocoltest.Hook(t, protocoltest.RTC),
		OnEvent: func(e client.MediaEvent) {
			if events != nil {
				select {
				case events <- e:
				default:
				}
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// flowUntilReceived writes RTP on every local track of the senders until
// each receiver has packets from both of its remote tracks.
func flowUntilReceived(t *testing.T, senders []*client.Session, receivers ...*client.Session) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		for _, s := range senders {
			for _, lt := range s.LocalTracks() {
				_ = lt.Write([]byte{0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a}, 3000, true)
			}
		}
		if allReceiving(receivers) {
			return
		}
		time.Sleep(10 * time.Millisecond) // media pacing, not a wait for an outcome
	}
	t.Fatal("media did not arrive on every expected track")
}

func allReceiving(receivers []*client.Session) bool {
	for _, r := range receivers {
		tracks := r.RemoteTracks()
		if len(tracks) < 2 {
			return false
		}
		for _, rt := range tracks {
			if rt.Packets() == 0 {
				return false
			}
		}
	}
	return true
}

func waitEnded(t *testing.T, what string, s *client.Session) client.MediaEvent {
	t.Helper()
	select {
	case <-s.Done():
	case <-time.After(waitLimit):
		t.Fatalf("%s: media session never ended", what)
	}
	e, ok := s.Ended()
	if !ok {
		t.Fatalf("%s: media session closed without callEnded", what)
	}
	return e
}

func waitCallEnded(t *testing.T, p *person) client.Call {
	t.Helper()
	select {
	case c := <-p.ended:
		return c
	case <-time.After(waitLimit):
		t.Fatalf("%s never got callEnded on /v1/ws", p.uid)
	}
	return client.Call{}
}

func logStatus(t *testing.T, p *person, sessionID string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	calls, err := p.chat.ListCalls(ctx, client.LogQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calls {
		if c.SessionID == sessionID {
			return c.Status
		}
	}
	return "(not in log)"
}

func TestCallTokensOpenMediaAndLeaveEndsTheCall(t *testing.T) {
	app := startApp(t)
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	sid, aliceTok, bobTok := connectCall(t, alice, bob)

	aliceEvents := make(chan client.MediaEvent, 64)
	a := join(t, app, aliceTok, aliceEvents)
	b := join(t, app, bobTok, nil)
	if got := b.Info().Participants; len(got) != 1 || got[0].UID != "alice" || got[0].Name != "Alice" {
		t.Errorf("bob's joined lists %+v, want Alice by name", got)
	}
	flowUntilReceived(t, []*client.Session{a, b}, a, b)

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := b.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	if e := waitEnded(t, "alice", a); e.Type != client.MediaCallEnded {
		t.Errorf("alice's media ended with %+v", e)
	}
	// OnEvent runs on a goroutine of its own and may still be handing over
	// events the session queued before its end; Close returns once it has.
	a.Close()
	sawLeft := false
	for len(aliceEvents) > 0 {
		if e := <-aliceEvents; e.Type == client.MediaUserLeft && e.UID == "bob" {
			sawLeft = true
		}
	}
	if !sawLeft {
		t.Error("alice never saw userLeft for bob")
	}
	waitCallEnded(t, alice)
	waitCallEnded(t, bob)
	for _, p := range []*person{alice, bob} {
		if got := logStatus(t, p, sid); got != "ended" {
			t.Errorf("%s's log says %q, want ended", p.uid, got)
		}
	}
	// The call is over: its tokens open nothing any more.
	if _, err := client.JoinSession(ctx, app.URL(), aliceTok, client.MediaOptions{Loopback: true}); httpStatus(err) != http.StatusForbidden {
		t.Errorf("token of an ended call: got %v, want HTTP 403", err)
	}
}

func TestEndCallOnRingingSideClosesMedia(t *testing.T) {
	app := startApp(t)
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	sid, aliceTok, bobTok := connectCall(t, alice, bob)
	a, b := join(t, app, aliceTok, nil), join(t, app, bobTok, nil)
	flowUntilReceived(t, []*client.Session{a, b}, a, b)

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if _, err := alice.chat.EndCall(ctx, sid); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*client.Session{"alice": a, "bob": b} {
		if e := waitEnded(t, name, s); e.Type != client.MediaCallEnded {
			t.Errorf("%s's media ended with %+v", name, e)
		}
	}
	if c := waitCallEnded(t, bob); c.SessionID != sid {
		t.Errorf("bob's callEnded is for %q, want %q", c.SessionID, sid)
	}
}

func TestEndCallOnMediaSideEndsRinging(t *testing.T) {
	app := startApp(t)
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	sid, aliceTok, bobTok := connectCall(t, alice, bob)
	a, b := join(t, app, aliceTok, nil), join(t, app, bobTok, nil)

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := b.EndCall(ctx); err != nil {
		t.Fatal(err)
	}
	waitEnded(t, "alice", a)
	waitCallEnded(t, alice)
	if got := logStatus(t, bob, sid); got != "ended" {
		t.Errorf("bob's log says %q, want ended", got)
	}
}

func TestRejoinWithGeneratedTokenReplacesTheSession(t *testing.T) {
	app := startApp(t)
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	sid, aliceTok, bobTok := connectCall(t, alice, bob)
	aliceEvents := make(chan client.MediaEvent, 64)
	a := join(t, app, aliceTok, aliceEvents)
	old := join(t, app, bobTok, nil)
	flowUntilReceived(t, []*client.Session{a, old}, a, old)

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	fresh, err := bob.chat.GenerateToken(ctx, sid) // as a page does after a reload
	if err != nil {
		t.Fatal(err)
	}
	b := join(t, app, fresh, nil)
	select {
	case <-old.Done():
	case <-time.After(waitLimit):
		t.Fatal("the replaced session was never closed")
	}
	flowUntilReceived(t, []*client.Session{a, b}, b)
	if n := len(a.RemoteTracks()); n > 4 {
		t.Errorf("alice has %d remote tracks after bob's rejoin", n)
	}
	for len(aliceEvents) > 0 {
		if e := <-aliceEvents; e.Type == client.MediaUserLeft {
			t.Errorf("a rejoin told alice %+v", e)
		}
	}
	if got := logStatus(t, alice, sid); got != "ongoing" {
		t.Errorf("after a rejoin the call is %q, want ongoing", got)
	}
}

func TestCallTokenOpensOnlyItsOwnCall(t *testing.T) {
	var keys map[string]string
	app := startApp(t, func(c *server.Config) { keys = c.Keys })
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	sid, _, _ := connectCall(t, alice, bob)

	stale, err := tokens.New(keys, "", func() time.Time { return time.Now().Add(-time.Hour) })
	if err != nil {
		t.Fatal(err)
	}
	expired, _ := stale.MintCall("bob", sid, time.Minute)
	carolsTok, _ := app.Tokens().MintCall("carol", sid, 0)
	otherCall, _ := app.Tokens().MintCall("bob", "no-such-call", 0)
	authTok, _ := app.Tokens().MintAuth("bob", "Bob", 0)

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"expired call token", expired, http.StatusUnauthorized},
		{"an auth token", authTok, http.StatusUnauthorized},
		{"another user's token for this call", carolsTok, http.StatusForbidden},
		{"a token for another call", otherCall, http.StatusNotFound},
	} {
		_, err := client.JoinSession(ctx, app.URL(), tc.token, client.MediaOptions{Loopback: true})
		if got := httpStatus(err); got != tc.status {
			t.Errorf("%s: got %v, want HTTP %d", tc.name, err, tc.status)
		}
	}
	if n := app.SFU().Participants(); n != 0 {
		t.Errorf("refused tokens left %d media participants", n)
	}
}

func httpStatus(err error) int {
	var he *client.HTTPError
	if errors.As(err, &he) {
		return he.Status
	}
	return 0
}

// TestResumeOutlivesTheCallToken: a call token's expiry bounds joining,
// not a session already joined. Clients resume /v1/rtc with the token they
// joined with (docs/protocol.md), which after ringing.call_token_ttl (2
// min) has expired: the resume is taken while the server holds the
// session, and refused (unauthorized, close 1008) when there is none to
// resume; a join with it is still refused with 401.
func TestResumeOutlivesTheCallToken(t *testing.T) {
	var keys map[string]string
	app := startApp(t, func(c *server.Config) { keys = c.Keys })
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	sid, aliceTok, bobTok := connectCall(t, alice, bob)
	stale, err := tokens.New(keys, "", func() time.Time { return time.Now().Add(-time.Hour) })
	if err != nil {
		t.Fatal(err)
	}
	expired, _ := stale.MintCall("bob", sid, time.Minute) // expired 59 minutes ago
	a := join(t, app, aliceTok, nil)

	// bob has no media session yet: nothing to resume
	first, ws := openRTC(t, app, "resume=1", expired)
	if first.Event != "error" || first.Data.Code != "unauthorized" || !strings.Contains(first.Data.Message, "generateToken") {
		t.Fatalf("resume with an expired token and no session: first frame %+v; want error unauthorized naming generateToken", first)
	}
	if _, _, err := ws.Read(ctxT(t)); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Fatalf("then: %v; want close 1008", err)
	}

	b := join(t, app, bobTok, nil)
	flowUntilReceived(t, []*client.Session{a, b}, a, b)
	got, ws := openRTC(t, app, "resume=1", expired)
	if got.Event != "joined" || !got.Data.Resumed {
		t.Fatalf("resume with the expired token of a held session: first frame %+v; want joined, resumed", got)
	}
	_ = ws.Close(websocket.StatusNormalClosure, "")
	if _, err := client.JoinSession(ctxT(t), app.URL(), expired, client.MediaOptions{Loopback: true}); httpStatus(err) != http.StatusUnauthorized {
		t.Fatalf("a join with the expired token: %v; want HTTP 401", err)
	}
}

// rtcFrame is the part of a /v1/rtc event these tests read.
type rtcFrame struct {
	Event string `json:"event"`
	Data  struct {
		Resumed bool   `json:"resumed"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"data"`
}

// openRTC opens /v1/rtc?query with token and returns its first frame.
func openRTC(t *testing.T, app *server.App, query, token string) (rtcFrame, *websocket.Conn) {
	t.Helper()
	ws, _, err := websocket.Dial(ctxT(t), strings.Replace(app.URL(), "http", "ws", 1)+"/v1/rtc?"+query,
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}})
	if err != nil {
		t.Fatalf("open /v1/rtc?%s: %v", query, err)
	}
	t.Cleanup(func() { _ = ws.CloseNow() })
	_, b, err := ws.Read(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var f rtcFrame
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f, ws
}

// ctxT is a context bounded by waitLimit, cancelled when t ends.
func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	t.Cleanup(cancel)
	return ctx
}
