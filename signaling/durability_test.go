package signaling

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
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
	// The restart: a hub on the recovered rows closes them, and hands its
	// notifier the hooks a clean shutdown's finish gives.
	rec := &recordingNotifier{}
	restarted, err := New(ctx, DefaultConfig(), Deps{Store: crashed, Tokens: e.iss, Clock: e.clock, Notifier: rec})
	if err != nil {
		t.Fatal(err)
	}
	_ = restarted.Close()
	want := map[string]string{
		ringing.SessionID:      "call.cancelled stopRinging>bob",
		ongoing.SessionID:      "call.ended participant.left>carol participant.left>dave",
		group.SessionID:        "call.ended call.missed>gina participant.left>erin participant.left>frank stopRinging>gina",
		groupRinging.SessionID: "call.cancelled stopRinging>ivan stopRinging>judy",
	}
	for sid, w := range want {
		if got := rec.of(sid, protocol.ReasonServerRestart); got != w {
			t.Errorf("hooks of %s after the restart: %q, want %q", sid, got, w)
		}
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

// recordingNotifier keeps the CallEvents it is handed.
type recordingNotifier struct {
	mu  sync.Mutex
	evs []CallEvent
}

func (r *recordingNotifier) CallEvent(ev CallEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, ev)
}

// of lists session sid's events as sorted "type>uid"; each must carry
// reason and be renumbered.
func (r *recordingNotifier) of(sid, reason string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ev := range r.evs {
		if ev.SessionID != sid {
			continue
		}
		s := ev.Type
		if ev.UID != "" {
			s += ">" + ev.UID
		}
		if ev.Reason != reason || !ev.Renumber || len(ev.Call) == 0 {
			s += "(bad: " + ev.Reason + ")"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
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
	if reason, _ := e.hub.Degraded(); reason != ReasonStoreFailing {
		t.Fatalf("a failed save: degraded %q, want %s", reason, ReasonStoreFailing)
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
	for reason, _ := e.hub.Degraded(); reason != ""; reason, _ = e.hub.Degraded() {
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

// A lost node's call, ended by a survivor from the log, gets the hooks its
// owner's finish would have given (its webhooks and stop pushes, numbered
// after the owner's): before, the survivor only saved it, and an app's
// backend never heard that the call ended.
func TestEndLostNotifies(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol", "dave")
	ctx := context.Background()
	t0 := e.clock.Now()
	calls := []store.Call{
		{SessionID: "lost-ongoing", CallType: protocol.CallAudio, ReceiverType: protocol.ReceiverUser, InitiatorUID: "alice",
			ReceiverID: "bob", Status: protocol.StatusOngoing, InitiatedAt: t0, JoinedAt: t0.Add(time.Second), Timeout: 45,
			Participants: []store.Participant{{UID: "alice", Status: protocol.StatusOngoing, JoinedAt: t0.Add(time.Second)},
				{UID: "bob", Status: protocol.StatusOngoing, JoinedAt: t0.Add(time.Second)}}},
		{SessionID: "lost-ringing", CallType: protocol.CallAudio, ReceiverType: protocol.ReceiverUser, InitiatorUID: "carol",
			ReceiverID: "dave", Status: protocol.StatusInitiated, InitiatedAt: t0, Timeout: 45,
			Participants: []store.Participant{{UID: "carol", Status: protocol.StatusInitiated}, {UID: "dave", Status: protocol.StatusInitiated}}},
	}
	for _, c := range calls {
		if err := e.st.SaveCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	rec := &recordingNotifier{}
	survivor, err := New(ctx, DefaultConfig(), Deps{Store: e.st, Tokens: e.iss, Clock: e.clock, Notifier: rec})
	if err != nil {
		t.Fatal(err)
	}
	defer survivor.Close()
	// (a hub alone closes open calls at start as server_restart: these two
	// were closed there; open them again, as a lost node leaves them)
	for _, c := range calls {
		if err := e.st.SaveCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	rec.evs = nil
	for _, c := range calls {
		if _, err := survivor.EndLost(ctx, c.SessionID, []string{c.InitiatorUID, c.ReceiverID}); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := rec.of("lost-ongoing", protocol.ReasonNodeLost), "call.ended participant.left>alice participant.left>bob"; got != want {
		t.Errorf("hooks of the ongoing call: %q, want %q", got, want)
	}
	if got, want := rec.of("lost-ringing", protocol.ReasonNodeLost), "call.cancelled stopRinging>dave"; got != want {
		t.Errorf("hooks of the ringing call: %q, want %q", got, want)
	}
}
