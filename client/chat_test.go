package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/signaling"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
	"go.uber.org/goleak"
)

// chatServer is a ringing hub behind an httptest server that verifies the
// auth token the way web does.
func chatServer(t *testing.T, uids ...string) (url string, token func(uid string) string) {
	t.Helper()
	t.Cleanup(func() { goleak.VerifyNone(t, goleak.IgnoreCurrent()) })
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{Path: filepath.Join(t.TempDir(), "c.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, uid := range uids {
		if _, err := st.UpsertUser(ctx, store.User{UID: uid, Name: uid}); err != nil {
			t.Fatal(err)
		}
	}
	iss, err := tokens.New(map[string]string{"k": strings.Repeat("x", 32)}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := signaling.DefaultConfig()
	cfg.InitiateRate = 0
	hub, err := signaling.New(ctx, cfg, signaling.Deps{Store: st, Tokens: iss})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, err := iss.VerifyAuth(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		if err != nil { // as web answers it: a JSON error body
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": protocol.Errorf(protocol.CodeUnauthorized, "invalid auth token: %v", err)})
			return
		}
		ws, err := websocket.Accept(w, r, nil)
		if err == nil {
			hub.Serve(r.Context(), ws, claims)
		}
	}))
	t.Cleanup(func() {
		srv.CloseClientConnections()
		_ = hub.Close()
		srv.Close()
		_ = st.Close()
	})
	return srv.URL, func(uid string) string {
		tok, err := iss.MintAuth(uid, "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
}

func dial(t *testing.T, url, token string) *client.Client {
	t.Helper()
	c, err := client.DialWith(context.Background(), url, token, client.DialOptions{OnFrame: protocoltest.Hook(t, protocoltest.WS)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// A listener that answers the call from inside OnIncomingCallReceived (a
// request that needs the reader) does not deadlock, and the caller's
// listener gets its token.
func TestListenerMayCallTheClient(t *testing.T) {
	url, token := chatServer(t, "alice", "bob")
	alice, bob := dial(t, url, token("alice")), dial(t, url, token("bob"))
	answered := make(chan client.Call, 1)
	bob.AddCallListener("auto", client.CallListener{OnIncomingCallReceived: func(c client.Call) {
		acc, err := bob.AcceptCall(context.Background(), c.SessionID)
		if err != nil {
			t.Error(err)
		}
		answered <- acc
	}})
	accepted := make(chan client.Call, 1)
	alice.AddCallListener("l", client.CallListener{OnOutgoingCallAccepted: func(c client.Call) { accepted <- c }})
	out, err := alice.InitiateCall(context.Background(), client.CallRequest{ReceiverID: "bob", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	if acc := <-answered; acc.SessionID != out.SessionID || acc.CallToken == "" || acc.Status != "ongoing" {
		t.Fatalf("bob's accept: %+v", acc)
	}
	if got := <-accepted; got.CallToken == "" || got.SessionID != out.SessionID {
		t.Fatalf("alice's event: %+v", got)
	}
	active, err := alice.GetActiveCall(context.Background())
	if err != nil || active == nil || active.SessionID != out.SessionID {
		t.Fatalf("active call: %+v %v", active, err)
	}
}

// A removed listener hears nothing; Sync delivers everything before it.
func TestRemoveCallListenerAndSync(t *testing.T) {
	url, token := chatServer(t, "alice", "bob")
	alice, bob := dial(t, url, token("alice")), dial(t, url, token("bob"))
	var heard []string
	bob.AddCallListener("keep", client.CallListener{OnIncomingCallReceived: func(c client.Call) { heard = append(heard, "keep") }})
	bob.AddCallListener("gone", client.CallListener{OnIncomingCallReceived: func(c client.Call) { heard = append(heard, "gone") }})
	bob.RemoveCallListener("gone")
	if _, err := alice.InitiateCall(context.Background(), client.CallRequest{ReceiverID: "bob", ReceiverType: "user", CallType: "video"}); err != nil {
		t.Fatal(err)
	}
	if err := bob.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(heard) != 1 || heard[0] != "keep" {
		t.Fatalf("heard %v", heard)
	}
}

// A refused Dial is an *HTTPError that carries the server's JSON error:
// its code and message, also as a *protocol.Error.
func TestDialWithABadTokenIs401(t *testing.T) {
	url, _ := chatServer(t)
	_, err := client.Dial(context.Background(), url, "not-a-token")
	var he *client.HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusUnauthorized {
		t.Fatalf("want HTTP 401, got %v", err)
	}
	if he.Code != protocol.CodeUnauthorized || !strings.Contains(he.Message, "token is malformed") {
		t.Errorf("HTTPError code %q message %q, want the server's: unauthorized, token is malformed", he.Code, he.Message)
	}
	if !strings.Contains(err.Error(), "token is malformed") || !strings.Contains(err.Error(), "unauthorized") {
		t.Errorf("error text %q does not say what the server said", err)
	}
	if pe := protocol.AsError(err); pe.Code != protocol.CodeUnauthorized {
		t.Errorf("protocol.AsError gives %v, want the server's unauthorized", pe)
	}
}

// A call already ringing bob when he dials is sent right after
// "connected"; listeners passed in DialOptions.Listeners hear it, every
// time.
func TestListenersFromDialHearTheCallAlreadyRinging(t *testing.T) {
	url, token := chatServer(t, "alice", "bob")
	alice := dial(t, url, token("alice"))
	out, err := alice.InitiateCall(context.Background(), client.CallRequest{ReceiverID: "bob", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		rung := make(chan string, 4)
		bob, err := client.DialWith(context.Background(), url, token("bob"), client.DialOptions{
			OnFrame: protocoltest.Hook(t, protocoltest.WS),
			Listeners: map[string]client.CallListener{"ring": {
				OnIncomingCallReceived: func(c client.Call) { rung <- c.SessionID },
			}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := bob.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		select {
		case sid := <-rung:
			if sid != out.SessionID {
				t.Fatalf("dial %d: incomingCall for %s, want %s", i, sid, out.SessionID)
			}
		default:
			t.Fatalf("dial %d: OnIncomingCallReceived never ran for the call ringing bob", i)
		}
		_ = bob.Close()
	}
}

// Err is nil while connected; after Close it is ErrClosed; after the
// server closed the connection it says how (its close status).
func TestClientErrSaysWhyTheConnectionEnded(t *testing.T) {
	url, token := chatServer(t, "alice")
	c := dial(t, url, token("alice"))
	if err := c.Err(); err != nil {
		t.Fatalf("Err of an open client = %v, want nil", err)
	}
	_ = c.Close()
	<-c.Done()
	if err := c.Err(); err != client.ErrClosed {
		t.Fatalf("Err after Close = %v, want ErrClosed", err)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer func() { _ = ws.CloseNow() }()
		_ = ws.Write(r.Context(), websocket.MessageText, []byte(`{"event":"connected","data":{"user":{"uid":"bob","name":"Bob"}}}`))
		_ = ws.Close(websocket.StatusGoingAway, "restarting")
	}))
	defer srv.Close()
	bob, err := client.Dial(context.Background(), srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = bob.Close() }()
	<-bob.Done()
	err = bob.Err()
	if !errors.Is(err, client.ErrClosed) || websocket.CloseStatus(err) != websocket.StatusGoingAway || !strings.Contains(err.Error(), "restarting") {
		t.Fatalf("Err after the server closed with 1001 = %v, want ErrClosed wrapping the close (1001, restarting)", err)
	}
}

// Calls on a closed client fail instead of hanging.
func TestClosedClientFails(t *testing.T) {
	url, token := chatServer(t, "alice")
	c := dial(t, url, token("alice"))
	_ = c.Close()
	<-c.Done()
	if err := c.Ping(context.Background()); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("want ErrClosed, got %v", err)
	}
}

// Dial returns only once the server has registered the device (its
// "connected" event): a server that upgrades but never registers gives no
// Client, and the user comes from that event.
func TestDialWaitsForConnected(t *testing.T) {
	// Each upgraded connection hands the test a channel: the frame to send
	// next ("" closes without registering).
	upgraded := make(chan chan string)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer func() { _ = ws.CloseNow() }()
		send := make(chan string)
		upgraded <- send
		frame := <-send
		if frame == "" {
			_ = ws.Close(websocket.StatusInternalError, "user lookup failed")
			return
		}
		_ = ws.Write(r.Context(), websocket.MessageText, []byte(frame))
		_, _, _ = ws.Read(r.Context()) // until the client closes
	}))
	defer srv.Close()
	dialed := func(ctx context.Context) chan error {
		ch := make(chan error, 1)
		go func() {
			c, err := client.Dial(ctx, srv.URL, "tok")
			if err == nil {
				if u := c.User(); u.UID != "bob" || u.Name != "Bob" {
					err = errors.New("Dial's user is " + u.UID + "/" + u.Name)
				}
				_ = c.Close()
			}
			ch <- err
		}()
		return ch
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := dialed(ctx)
	send := <-upgraded
	cancel() // never registered: Dial gives up with the context
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Dial to a server that never registers = %v, want context.Canceled", err)
	}
	send <- ""

	done = dialed(context.Background())
	(<-upgraded) <- "" // the server gives up before registering
	if err := <-done; !errors.Is(err, client.ErrClosed) {
		t.Fatalf("Dial closed before connected = %v, want ErrClosed", err)
	}

	done = dialed(context.Background())
	(<-upgraded) <- `{"event":"connected","data":{"user":{"uid":"bob","name":"Bob"}}}`
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
