package signaling

import (
	"context"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// unreachableDB is a database server that stops answering while down is
// set: its pings and its users' reads fail as a refused connection does.
type unreachableDB struct {
	store.Store
	down  atomic.Bool
	pings atomic.Int32
}

var errRefused = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}

func (s *unreachableDB) ping(context.Context) error {
	s.pings.Add(1)
	if s.down.Load() {
		return errRefused
	}
	return nil
}

func (s *unreachableDB) GetUser(ctx context.Context, uid string) (store.User, error) {
	if s.down.Load() {
		return store.User{}, errRefused
	}
	return s.Store.GetUser(ctx, uid)
}

// settle polls cond (a ping runs on a goroutine of its own) until it holds;
// advance, if set, moves the clock on between polls (the next ping).
func settle(t *testing.T, e *env, what string, advance time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(failsafe)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		if advance > 0 {
			e.clock.Advance(advance)
		}
		time.Sleep(5 * time.Millisecond) // polling an outcome
	}
}

// TestUnreachableStoreDegradesTheHub: a database of its own (PostgreSQL:
// StorePing set) that stops answering makes the hub degraded although no
// call save failed: reason store_unreachable, the gauge, new calls
// refused, one ERROR; at the next ping, or at once when a read finds it
// down. Once a ping answers it is healthy again and takes calls.
func TestUnreachableStoreDegradesTheHub(t *testing.T) {
	for _, tc := range []struct {
		name    string
		noticed func(e *env, db *unreachableDB, alice *device)
	}{
		{"by the periodic ping", func(e *env, db *unreachableDB, _ *device) { e.clock.Advance(probeEvery) }},
		{"by a failed read", func(e *env, db *unreachableDB, alice *device) {
			_, err := alice.InitiateCall(ctxT(t), callTo("carol", 0)) // carol's name is not cached: read, refused
			if got := protocol.AsError(err); got.Code != protocol.CodeUnavailable {
				t.Fatalf("a call while the database is down: %v, want unavailable", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := &unreachableDB{}
			e := newEnvWith(t, nil, func(st store.Store) store.Store { db.Store = st; return db },
				func(d *Deps) { d.StorePing = db.ping })
			e.users("alice", "bob", "carol")
			alice, _ := e.dial("alice"), e.dial("bob")
			if reason, _ := e.hub.Degraded(); reason != "" {
				t.Fatalf("healthy store: degraded %q", reason)
			}
			db.down.Store(true)
			tc.noticed(e, db, alice)
			settle(t, e, "degraded", 0, func() bool { r, _ := e.hub.Degraded(); return r == ReasonStoreUnreachable })
			if _, detail := e.hub.Degraded(); detail != "store unreachable: "+errRefused.Error() {
				t.Errorf("detail %q", detail)
			}
			if value(e.hub.metrics.storeDegraded) != 1 {
				t.Error("switchboard_store_degraded is not 1")
			}
			_, err := alice.InitiateCall(ctxT(t), callTo("bob", 0))
			if got := protocol.AsError(err); got.Code != protocol.CodeUnavailable {
				t.Fatalf("a new call while the database is unreachable: %v, want unavailable", err)
			}
			before := db.pings.Load()
			settle(t, e, "pings go on while it is down", probeRetry, func() bool { return db.pings.Load() >= before+4 })
			db.down.Store(false)
			settle(t, e, "healthy again", probeRetry, func() bool { r, _ := e.hub.Degraded(); return r == "" })
			if value(e.hub.metrics.storeDegraded) != 0 {
				t.Error("switchboard_store_degraded is not 0 again")
			}
			if _, err := alice.InitiateCall(ctxT(t), callTo("bob", 0)); err != nil {
				t.Fatalf("a call once the database answers: %v", err)
			}
			wantErrors := int32(1) // "the store cannot be reached"
			if tc.name == "by a failed read" {
				wantErrors = 2 // and the read's own
			}
			if n := e.errors.Load(); n != wantErrors {
				t.Errorf("%d ERROR records, want %d", n, wantErrors)
			}
		})
	}
}
