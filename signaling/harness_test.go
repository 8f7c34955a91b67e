package signaling

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// failsafe bounds every wait in these tests; it is never the thing tested.
const failsafe = 10 * time.Second

// env is a hub on a real SQLite store behind an httptest server whose
// handler does what web does: verify the auth token, upgrade, Serve.
type env struct {
	t      testing.TB
	errors atomic.Int32 // ERROR records the hub logged
	hub    *Hub
	st     store.Store
	iss    *tokens.Issuer
	clock  *fakeClock
	srv    *httptest.Server
	media  *fakeMedia
}

func newEnv(t testing.TB, tune func(*Config)) *env {
	t.Helper()
	return newEnvOn(t, tune, nil)
}

// newEnvOn is newEnv with the hub's store wrapped by wrap (nil: as is);
// env.st stays the real store.
func newEnvOn(t testing.TB, tune func(*Config), wrap func(store.Store) store.Store) *env {
	t.Helper()
	return newEnvWith(t, tune, wrap, nil)
}

// newEnvWith is newEnvOn with more of the hub's Deps set by deps.
func newEnvWith(t testing.TB, tune func(*Config), wrap func(store.Store) store.Store, deps func(*Deps)) *env {
	t.Helper()
	cfg := DefaultConfig()
	cfg.InitiateRate = 0
	if tune != nil {
		tune(&cfg)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{Path: filepath.Join(t.TempDir(), "sb.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, st: st, clock: newFakeClock(), media: &fakeMedia{}}
	var clock Clock = e.clock
	if _, bench := t.(*testing.B); bench {
		clock = realClock{} // fake timers are never collected without Advance
	}
	e.iss, err = tokens.New(map[string]string{"k1": strings.Repeat("s", 32)}, "", e.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	hubStore := store.Store(st)
	if wrap != nil {
		hubStore = wrap(st)
	}
	d := Deps{Store: hubStore, Tokens: e.iss, Clock: clock, Media: e.media, Log: e.logger()}
	if deps != nil {
		deps(&d)
	}
	e.hub, err = New(ctx, cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serveWS))
	t.Cleanup(func() {
		e.srv.CloseClientConnections()
		_ = e.hub.Close()
		e.srv.Close()
		_ = st.Close()
	})
	return e
}

// logger counts the hub's ERROR records (and discards everything).
func (e *env) logger() *slog.Logger {
	return slog.New(countingHandler{slog.DiscardHandler, &e.errors})
}

type countingHandler struct {
	slog.Handler
	errors *atomic.Int32
}

func (h countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h countingHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		h.errors.Add(1)
	}
	return nil
}
func (h countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h countingHandler) WithGroup(string) slog.Handler      { return h }

func (e *env) serveWS(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok == "" {
		tok = r.URL.Query().Get("token")
	}
	claims, err := e.iss.VerifyAuth(tok)
	if err != nil {
		http.Error(w, `{"error":{"code":"unauthorized"}}`, http.StatusUnauthorized)
		return
	}
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	e.hub.Serve(r.Context(), ws, claims)
}

func (e *env) token(uid string) string {
	tok, err := e.iss.MintAuth(uid, strings.ToUpper(uid[:1])+uid[1:], time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// users creates users (name: uid capitalized) without connecting them.
func (e *env) users(uids ...string) {
	for _, uid := range uids {
		if _, err := e.st.UpsertUser(context.Background(), store.User{UID: uid, Name: strings.ToUpper(uid[:1]) + uid[1:]}); err != nil {
			e.t.Fatal(err)
		}
	}
}

func (e *env) group(guid string, members ...string) {
	ctx := context.Background()
	e.users(members...)
	if _, err := e.st.CreateGroup(ctx, store.Group{GUID: guid, Name: "Group " + guid}); err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.AddMembers(ctx, guid, members); err != nil {
		e.t.Fatal(err)
	}
}

// ev is one event a device received.
type ev struct {
	name string
	call client.Call
	user client.User
}

// device is one connected client of a user, recording its events.
type device struct {
	*client.Client
	t      testing.TB
	uid    string
	events chan ev
}

// dial connects a device of uid. Every frame it sends or receives is
// checked against docs/protocol.schema.json (not in benchmarks).
func (e *env) dial(uid string) *device {
	e.t.Helper()
	var opts client.DialOptions
	if _, bench := e.t.(*testing.B); !bench { // validating frames would skew benchmarks
		opts.OnFrame = protocoltest.Hook(e.t, protocoltest.WS)
	}
	return e.dialWith(uid, opts)
}

// dialBadInput is dial for a device that sends invalid requests on
// purpose: only the frames the server sends are checked.
func (e *env) dialBadInput(uid string) *device {
	e.t.Helper()
	return e.dialWith(uid, client.DialOptions{OnFrame: protocoltest.HookServerFrames(e.t, protocoltest.WS)})
}

func (e *env) dialWith(uid string, opts client.DialOptions) *device {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), failsafe)
	defer cancel()
	d := &device{t: e.t, uid: uid, events: make(chan ev, 256)}
	rec := func(name string) func(client.Call) {
		return func(call client.Call) { d.events <- ev{name: name, call: call} }
	}
	// registered before the first event (DialOptions.Listeners): a call
	// ringing the user is sent right after "connected"
	opts.Listeners = map[string]client.CallListener{"rec": {
		OnIncomingCallReceived:     rec(protocol.EventIncomingCall),
		OnOutgoingCallAccepted:     rec(protocol.EventOutgoingCallAccepted),
		OnOutgoingCallRejected:     rec(protocol.EventOutgoingCallRejected),
		OnIncomingCallCancelled:    rec(protocol.EventIncomingCallCancelled),
		OnCallEndedMessageReceived: rec(protocol.EventCallEnded),
		OnIncomingCallBusy:         rec(protocol.EventIncomingCallBusy),
		OnUserOnline:               func(u client.User) { d.events <- ev{name: protocol.EventUserOnline, user: u} },
		OnUserOffline:              func(u client.User) { d.events <- ev{name: protocol.EventUserOffline, user: u} },
	}}
	c, err := client.DialWith(ctx, e.srv.URL, e.token(uid), opts)
	if err != nil {
		e.t.Fatal(err)
	}
	d.Client = c
	e.t.Cleanup(func() { _ = c.Close() }) // Dial returned: registered for events
	return d
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), failsafe)
	t.Cleanup(cancel)
	return ctx
}

// expect returns the device's next event, which must be name.
func (d *device) expect(name string) ev {
	d.t.Helper()
	select {
	case got := <-d.events:
		if got.name != name {
			d.t.Fatalf("%s: want event %s, got %s %+v", d.uid, name, got.name, got)
		}
		return got
	case <-time.After(failsafe):
		d.t.Fatalf("%s: no %s event", d.uid, name)
	}
	return ev{}
}

// quiet asserts the device received no event: everything the server sent
// before answering a ping has been delivered by then.
func (d *device) quiet() {
	d.t.Helper()
	if err := d.Sync(ctxT(d.t)); err != nil {
		d.t.Fatal(err)
	}
	select {
	case got := <-d.events:
		d.t.Fatalf("%s: want no event, got %s %+v", d.uid, got.name, got)
	default:
	}
}

func (d *device) call(receiver string) client.Call {
	d.t.Helper()
	call, err := d.InitiateCall(ctxT(d.t), client.CallRequest{ReceiverID: receiver, ReceiverType: protocol.ReceiverUser, CallType: protocol.CallVideo})
	if err != nil {
		d.t.Fatalf("%s calls %s: %v", d.uid, receiver, err)
	}
	return call
}

func (d *device) accept(sid string) client.Call {
	d.t.Helper()
	call, err := d.AcceptCall(ctxT(d.t), sid)
	if err != nil {
		d.t.Fatalf("%s accepts: %v", d.uid, err)
	}
	return call
}

// wantCode asserts err is a wire error with code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	var we *protocol.Error
	if !errors.As(err, &we) || we.Code != code {
		t.Fatalf("want error %s, got %v", code, err)
	}
}

// answered is the 1:1 call most tests start from: alice calls bob, who
// accepts; both have heard it.
func (e *env) answered() (alice, bob *device, out client.Call) {
	e.t.Helper()
	e.users("alice", "bob")
	alice, bob = e.dial("alice"), e.dial("bob")
	out = alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	bob.accept(out.SessionID)
	alice.expect(protocol.EventOutgoingCallAccepted)
	return alice, bob, out
}

// groupJoined is the group call tests start from: alice calls team (alice,
// bob and carol, who must exist and be dialled), bob accepts, then carol.
func (e *env) groupJoined(alice, bob, carol *device) client.Call {
	e.t.Helper()
	e.group("team", "alice", "bob", "carol")
	g, err := alice.InitiateCall(ctxT(e.t), groupCall("team"))
	if err != nil {
		e.t.Fatal(err)
	}
	bob.expect(protocol.EventIncomingCall)
	carol.expect(protocol.EventIncomingCall)
	bob.accept(g.SessionID)
	alice.expect(protocol.EventOutgoingCallAccepted)
	carol.accept(g.SessionID)
	return g
}

// log returns uid's call log through the hub.
func (e *env) log(uid string) []protocol.Call {
	e.t.Helper()
	calls, err := e.hub.CallLog(ctxT(e.t), uid, protocol.LogQuery{})
	if err != nil {
		e.t.Fatal(err)
	}
	return calls
}

// waitTimers waits until n timers are pending on the fake clock.
func (e *env) waitTimers(n int) {
	e.t.Helper()
	deadline := time.After(failsafe)
	for {
		got, changed := e.clock.pending()
		if got >= n {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			e.t.Fatalf("want %d pending timers, have %d", n, got)
		}
	}
}

// fakeMedia records what the hub tells the media side.
type fakeMedia struct {
	// mu guards removed and ended.
	mu      sync.Mutex
	removed []string
	ended   []string
}

func (f *fakeMedia) RemoveParticipant(sessionID, uid, _ string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.removed = append(f.removed, sessionID+"/"+uid)
}

func (f *fakeMedia) EndCall(sessionID, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ended = append(f.ended, sessionID+"/"+reason)
}

func (f *fakeMedia) endedCalls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.ended...)
}
