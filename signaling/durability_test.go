package signaling

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// An ok to endCall, rejectCall or acceptCall means the change is in the
// database: a crash right after it (here: reading the file at once, before
// any linger could pass) finds the call as the client was told.
func TestAcknowledgedTransitionsAreCommitted(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice, bob := e.dial("alice"), e.dial("bob")
	status := func(sid string) string {
		t.Helper()
		c, err := e.st.GetCall(context.Background(), sid)
		if err != nil {
			t.Fatalf("call %s not in the store: %v", sid, err)
		}
		return c.Status
	}
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	bob.accept(out.SessionID)
	if got := status(out.SessionID); got != protocol.StatusOngoing {
		t.Fatalf("after ok to acceptCall the store says %s", got)
	}
	if _, err := alice.EndCall(ctxT(t), out.SessionID); err != nil {
		t.Fatal(err)
	}
	if got := status(out.SessionID); got != protocol.StatusEnded {
		t.Fatalf("after ok to endCall the store says %s", got)
	}
	bob.expect(protocol.EventCallEnded)
	out = alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	if _, err := bob.RejectCall(ctxT(t), out.SessionID, protocol.StatusRejected); err != nil {
		t.Fatal(err)
	}
	if got := status(out.SessionID); got != protocol.StatusRejected {
		t.Fatalf("after ok to rejectCall the store says %s", got)
	}
}

// Recovery after a crash writes what a clean shutdown writes (but for the
// reason): the same call and participant rows, ringing calls included.
func TestCrashRecoveryMatchesCleanShutdown(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol", "dave")
	e.group("g1", "erin", "frank", "gina")
	e.group("g2", "hank", "ivan", "judy")
	alice, carol, dave := e.dial("alice"), e.dial("carol"), e.dial("dave")
	erin, frank, hank := e.dial("erin"), e.dial("frank"), e.dial("hank")
	ringing := alice.call("bob")  // 1:1 ringing
	ongoing := carol.call("dave") // 1:1 ongoing
	dave.expect(protocol.EventIncomingCall)
	dave.accept(ongoing.SessionID)
	group, err := erin.InitiateCall(ctxT(t), groupCall("g1")) // group ongoing, gina still rung
	if err != nil {
		t.Fatal(err)
	}
	frank.expect(protocol.EventIncomingCall)
	frank.accept(group.SessionID)
	groupRinging, err := hank.InitiateCall(ctxT(t), groupCall("g2")) // group ringing
	if err != nil {
		t.Fatal(err)
	}
	if err := e.hub.writer.flush(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	sids := []string{ringing.SessionID, ongoing.SessionID, group.SessionID, groupRinging.SessionID}
	ctx := context.Background()

	// The crash: the rows as they are now, recovered in another database.
	crashed, err := store.Open(ctx, store.Config{Path: filepath.Join(t.TempDir(), "crashed.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer crashed.Close()

	for _, uid := range []string{"alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan", "judy"} {
		if _, err := crashed.UpsertUser(ctx, store.User{UID: uid, Name: uid}); err != nil {
			t.Fatal(err)
		}
	}
	for _, sid := range sids {
		c, err := e.st.GetCall(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		if err := crashed.SaveCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	at := e.clock.Now()
	if _, err := crashed.CloseOpenCalls(ctx, protocol.ReasonServerRestart, at); err != nil {
		t.Fatal(err)
	}

	// The clean shutdown, at the same time.
	_ = e.hub.Close()
	for _, sid := range sids {
		clean, err := e.st.GetCall(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		recovered, err := crashed.GetCall(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		if clean.EndReason != protocol.ReasonServerShutdown || recovered.EndReason != protocol.ReasonServerRestart {
			t.Fatalf("reasons: clean %q, recovered %q", clean.EndReason, recovered.EndReason)
		}
		recovered.EndReason = clean.EndReason
		if !reflect.DeepEqual(clean, recovered) {
			t.Errorf("call %s:\nclean shutdown %+v\nrecovered      %+v", sid, clean, recovered)
		}
	}
}

// failingStore fails call saves while failing is set (a full disk).
type failingStore struct {
	store.Store
	failing   atomic.Bool
	failUsers atomic.Bool
}

func (s *failingStore) UpsertUser(ctx context.Context, u store.User) (store.User, error) {
	if s.failUsers.Load() {
		return store.User{}, errDiskFull
	}
	return s.Store.UpsertUser(ctx, u)
}

var errDiskFull = errors.New("database or disk is full")

func (s *failingStore) SaveCall(ctx context.Context, c store.Call) error {
	if s.failing.Load() {
		return errDiskFull
	}
	return s.Store.SaveCall(ctx, c)
}

func (s *failingStore) SaveCalls(ctx context.Context, calls []store.Call) error {
	if s.failing.Load() {
		return errDiskFull
	}
	return s.Store.SaveCalls(ctx, calls)
}

// While the store cannot write: saves are kept, calls in progress go on,
// new calls are refused (unavailable), the hub says why (Degraded, for
// /healthz), a gauge is 1 and one ERROR is logged, not one per save. When
// writes work again every kept save lands and new calls are taken.
func TestStoreFailureKeepsSavesAndRefusesNewCalls(t *testing.T) {
	fs := &failingStore{}
	e := newEnvOn(t, nil, func(st store.Store) store.Store { fs.Store = st; return fs })
	e.users("alice", "bob", "carol")
	alice, bob, carol := e.dial("alice"), e.dial("bob"), e.dial("carol")
	first := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	fs.failing.Store(true)
	bob.accept(first.SessionID) // saved? no: kept
	if e.hub.Degraded() == "" {
		t.Fatal("a failed save left the hub healthy")
	}
	if value(e.hub.metrics.storeDegraded) != 1 {
		t.Fatal("degraded gauge not set")
	}
	fs.failUsers.Store(true)
	e.dial("carol") // a known user reconnects although their name cannot be recorded
	fs.failUsers.Store(false)
	_, err := carol.InitiateCall(ctxT(t), callTo("alice", 0))
	if got := protocol.AsError(err); got.Code != protocol.CodeUnavailable {
		t.Fatalf("a new call while the store fails: %v, want unavailable", err)
	}
	if _, err := alice.EndCall(ctxT(t), first.SessionID); err != nil { // calls in progress go on
		t.Fatal(err)
	}
	if n := e.errors.Load(); n != 1 {
		t.Fatalf("%d ERROR records while failing, want 1", n)
	}
	fs.failing.Store(false)
	deadline := time.After(failsafe)
	for e.hub.Degraded() != "" {
		select {
		case <-deadline:
			t.Fatal("the kept saves never landed")
		case <-time.After(10 * time.Millisecond): // polling an outcome (the retry backoff is real time)
		}
	}
	c, err := e.st.GetCall(context.Background(), first.SessionID)
	if err != nil || c.Status != protocol.StatusEnded {
		t.Fatalf("kept save: %+v %v", c.Status, err)
	}
	if value(e.hub.metrics.storeDegraded) != 0 {
		t.Fatal("degraded gauge still set")
	}
	carol.call("alice")
}

// readFailingStore fails the reads of users and groups while failing is
// set (a database that cannot be reached).
type readFailingStore struct {
	store.Store
	failing atomic.Bool
}

var errUnreachable = errors.New("failed to connect to user=switchboard database=switchboard: 127.0.0.1:15432")

func (s *readFailingStore) GetUser(ctx context.Context, uid string) (store.User, error) {
	if s.failing.Load() {
		return store.User{}, errUnreachable
	}
	return s.Store.GetUser(ctx, uid)
}

func (s *readFailingStore) GetGroup(ctx context.Context, guid string) (store.Group, error) {
	if s.failing.Load() {
		return store.Group{}, errUnreachable
	}
	return s.Store.GetGroup(ctx, guid)
}

// A callee or group that cannot be read (the database is unreachable) is
// unavailable, retry later, without the database's address in the
// message; it was internal before.
func TestUnreadableCalleeIsUnavailable(t *testing.T) {
	fs := &readFailingStore{}
	e := newEnvOn(t, nil, func(st store.Store) store.Store { fs.Store = st; return fs })
	e.users("alice", "zed")
	e.group("team", "alice", "zed")
	alice := e.dial("alice")
	fs.failing.Store(true)
	for _, req := range []client.CallRequest{callTo("zed", 0), {ReceiverID: "team", ReceiverType: protocol.ReceiverGroup, CallType: protocol.CallAudio}} {
		_, err := alice.InitiateCall(ctxT(t), req)
		if got := protocol.AsError(err); got.Code != protocol.CodeUnavailable || strings.Contains(got.Message, "15432") {
			t.Fatalf("a call to %s while the store cannot be read: %v; want unavailable without the database's address", req.ReceiverID, err)
		}
	}
}
