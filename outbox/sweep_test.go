package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/outbox"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/store/pgtest"
)

// sweepConfig sweeps every 50 ms for items 1 s past due (attempts are cut
// off after 500 ms).
func sweepConfig() outbox.Config {
	cfg := fastConfig()
	cfg.SweepEvery, cfg.StaleAfter = 50*time.Millisecond, time.Second
	return cfg
}

// startNode starts a Dispatcher delivering channel x with ch, and returns
// once its loop has gone past its start (reading the items left pending
// by an earlier run: here, every node's), so that a node started after it
// is a live node beside it.
func startNode(t *testing.T, st store.Store, cfg outbox.Config, ch outbox.Channel, memory int) *outbox.Dispatcher {
	t.Helper()
	return startNamed(t, st, cfg, ch, outbox.Deps{MemoryItems: memory})
}

// startNamed is startNode with deps' MemoryItems, Node and LiveNodes.
func startNamed(t *testing.T, st store.Store, cfg outbox.Config, ch outbox.Channel, deps outbox.Deps) *outbox.Dispatcher {
	t.Helper()
	started := make(chan struct{}, 1)
	probe := chanFunc(func(context.Context, store.OutboxItem) error { started <- struct{}{}; return nil })
	deps.Store, deps.Channels = st, map[string]outbox.Channel{"x": ch, "probe": probe}
	d, err := outbox.New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	d.Enqueue(store.OutboxItem{EventID: fmt.Sprint("probe", probes.Add(1)), Channel: "probe", Target: "t", OrderKey: "probe",
		Payload: []byte("{}"), Deadline: time.Now().Add(time.Hour)})
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the node did not start within 5 s")
	}
	return d
}

var probes atomic.Int64

// waitStored waits until n items are in the store.
func waitStored(t *testing.T, st store.Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if all, _ := st.ListOutbox(context.Background(), store.OutboxQuery{Channel: "x", Limit: 100}); len(all) == n {
			return
		}
	}
	t.Fatalf("%d items not stored within 5 s", n)
}

// twoNodes opens the stores of two nodes on one database: one SQLite
// store shared, or two PostgreSQL stores on one database (as two nodes of
// a cluster).
func twoNodes(t *testing.T, engine string) (store.Store, store.Store) {
	t.Helper()
	if engine == "sqlite" {
		st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
		return st, st
	}
	dsn := pgtest.Require(t).NewDSN(t)
	var out []store.Store
	for range 2 {
		st, err := store.Open(context.Background(), store.Config{Driver: store.DriverPostgres, DSN: dsn}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		out = append(out, st)
	}
	return out[0], out[1]
}

// TestStoppedNodesItemsTakenOver: two nodes share one database; the first
// stores items and stops before delivering them (its receiver hangs); the
// second, running all along and never restarted, delivers them, each once,
// each key's in order, within a sweep of their being StaleAfter late.
func TestStoppedNodesItemsTakenOver(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			stA, stB := twoNodes(t, engine)
			var got arrivals
			startNode(t, stB, sweepConfig(), &got, 0)
			hang := chanFunc(func(ctx context.Context, it store.OutboxItem) error { <-ctx.Done(); return ctx.Err() })
			first := startNode(t, stA, sweepConfig(), hang, 0)
			const keys, n = 3, 4
			first.Enqueue(plainItems(keys, n)...)
			waitStored(t, stA, keys*n)
			time.Sleep(1500 * time.Millisecond) // the first node is alive, past StaleAfter: nothing is taken over
			if ev := got.events(); len(ev) != 0 {
				t.Fatalf("the second node delivered %v while the first was alive and delivering", ev)
			}
			_ = first.Close()
			stopped := time.Now()
			got.wait(keys*n, 10*time.Second)
			t.Logf("delivered by the other node %v after the first stopped (StaleAfter 1 s, SweepEvery 50 ms)", time.Since(stopped).Round(time.Millisecond))
			time.Sleep(300 * time.Millisecond) // several more sweeps: nothing comes twice
			checkOrder(t, got.events(), keys, n)
		})
	}
}

// retryLater fails every attempt with a Retry-After of 10 minutes.
type retryLater struct{ attempts atomic.Int64 }

func (r *retryLater) Deliver(context.Context, store.OutboxItem) error {
	r.attempts.Add(1)
	return retryAfterErr{}
}

type retryAfterErr struct{}

func (retryAfterErr) Error() string             { return "503 Service Unavailable" }
func (retryAfterErr) RetryAfter() time.Duration { return 10 * time.Minute }

// TestLiveNodesKeysNotTakenOver: a live node's key whose oldest item waits
// for a retry is not taken over, although the items behind it are long
// past their first due time.
func TestLiveNodesKeysNotTakenOver(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	var got arrivals
	startNode(t, st, sweepConfig(), &got, 0)
	var later retryLater
	owner := startNode(t, st, sweepConfig(), &later, 0)
	owner.Enqueue(plainItems(2, 3)...)
	waitStored(t, st, 6)
	time.Sleep(1500 * time.Millisecond)
	if ev := got.events(); len(ev) != 0 {
		t.Fatalf("another node delivered %v of a live node's keys", ev)
	}
	if a := later.attempts.Load(); a != 2 {
		t.Fatalf("%d attempts, want one per key (the head, then its retry in 10 min)", a)
	}
}

// TestSweepLeavesOwnItems: a node sweeping often, with little memory and
// a receiver failing for a while, delivers its own items once each: its
// sweeps do not take back what it holds, finished or reads back itself.
func TestSweepLeavesOwnItems(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	var got arrivals
	var down atomic.Bool
	down.Store(true)
	flaky := chanFunc(func(ctx context.Context, it store.OutboxItem) error {
		if down.Load() {
			return errors.New("502 Bad Gateway")
		}
		return got.Deliver(ctx, it)
	})
	cfg := sweepConfig()
	cfg.SweepEvery, cfg.StaleAfter = 10*time.Millisecond, 40*time.Millisecond
	d := startNode(t, st, cfg, flaky, 4)
	const keys, n = 3, 10
	all := plainItems(keys, n)
	for i := 0; i < len(all); i += 5 {
		d.Enqueue(all[i : i+5]...)
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	down.Store(false)
	got.wait(keys*n, 10*time.Second)
	time.Sleep(200 * time.Millisecond)
	checkOrder(t, got.events(), keys, n)
}

// liveSet is a cluster's registry as a test sets it: the nodes alive, or
// an error (Redis cannot be read).
type liveSet struct {
	mu    sync.Mutex
	nodes map[string]bool
	err   error
}

func (l *liveSet) set(err error, nodes ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.nodes, l.err = map[string]bool{}, err
	for _, n := range nodes {
		l.nodes[n] = true
	}
}

func (l *liveSet) read(context.Context) (map[string]bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.nodes), l.err
}

// TestRestartedNodeLeavesLiveNodesItems: n2 holds items its receiver
// answers "retry in 10 minutes"; n1 restarts beside it and delivers none
// of them (before, a start read every node's pending items back and sent
// them again at once).
func TestRestartedNodeLeavesLiveNodesItems(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			st1, st2 := twoNodes(t, engine)
			var live liveSet
			live.set(nil, "n1", "n2")
			cfg := sweepConfig()
			cfg.StaleAfter = time.Hour
			var later retryLater
			n2 := startNamed(t, st2, cfg, &later, outbox.Deps{Node: "n2", LiveNodes: live.read})
			n2.Enqueue(plainItems(2, 3)...)
			waitStored(t, st2, 6)
			var got arrivals
			n1 := startNamed(t, st1, cfg, &got, outbox.Deps{Node: "n1", LiveNodes: live.read})
			time.Sleep(300 * time.Millisecond) // six sweeps
			if ev := got.events(); len(ev) != 0 {
				t.Fatalf("the restarted node delivered %v, items of a live node", ev)
			}
			_ = n1.Close()
			mine, err := st2.PendingOutboxOf(context.Background(), "n2", 0, 100)
			if err != nil || len(mine) != 6 {
				t.Fatalf("n2's pending items = %d, %v; want its 6", len(mine), err)
			}
		})
	}
}

// TestGoneNodesItemsTakenOverAtOnce: n1 stores items and stops before
// delivering them; n2 takes them over at its next sweep, not StaleAfter
// (an hour) later, delivers each once in order, and the store names it as
// their node. While the live nodes cannot be read, only StaleAfter counts.
func TestGoneNodesItemsTakenOverAtOnce(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			st1, st2 := twoNodes(t, engine)
			var live liveSet
			live.set(nil, "n1", "n2")
			cfg := sweepConfig()
			cfg.StaleAfter = time.Hour
			hang := chanFunc(func(ctx context.Context, it store.OutboxItem) error { <-ctx.Done(); return ctx.Err() })
			n1 := startNamed(t, st1, cfg, hang, outbox.Deps{Node: "n1", LiveNodes: live.read})
			const keys, n = 3, 4
			n1.Enqueue(plainItems(keys, n)...)
			waitStored(t, st1, keys*n)
			_ = n1.Close()

			var attempts atomic.Int64 // n2's receiver hangs too: its items stay due
			hang2 := chanFunc(func(ctx context.Context, it store.OutboxItem) error {
				attempts.Add(1)
				<-ctx.Done()
				return ctx.Err()
			})
			n2 := startNamed(t, st2, cfg, hang2, outbox.Deps{Node: "n2", LiveNodes: live.read})
			live.set(errors.New("redis: connection refused"))
			time.Sleep(300 * time.Millisecond)
			if a := attempts.Load(); a != 0 {
				t.Fatalf("%d attempts while the live nodes were unknown and nothing was an hour late", a)
			}
			live.set(nil, "n2")
			deadline := time.Now().Add(5 * time.Second)
			for attempts.Load() < keys && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if a := attempts.Load(); a != keys {
				t.Fatalf("%d attempts after n1 was gone, want one per key (each key's head)", a)
			}
			var theirs []store.OutboxItem
			for ; time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if theirs, _ = st2.PendingOutboxOf(context.Background(), "n2", 0, 100); len(theirs) == keys*n {
					break
				}
			}
			if len(theirs) != keys*n {
				t.Fatalf("n2's pending items = %d, want the %d it took over", len(theirs), keys*n)
			}
			_ = n2.Close()

			var got arrivals // n2 restarts with the same name: they are its own
			startNamed(t, st2, cfg, &got, outbox.Deps{Node: "n2", LiveNodes: live.read})
			got.wait(keys*n, 5*time.Second)
			checkOrder(t, got.events(), keys, n)
		})
	}
}

// TestSweepSoonAfterLiveNodesUnknown: a node whose first sweep cannot read
// the live nodes (a cluster node settles for a few seconds after it
// starts) sweeps again after Resettle, not SweepEvery (an hour here), and
// takes over what a gone node (its own last run, under another name) left.
func TestSweepSoonAfterLiveNodesUnknown(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	var live liveSet
	live.set(nil, "old")
	cfg := sweepConfig()
	cfg.SweepEvery, cfg.StaleAfter, cfg.Resettle = time.Hour, time.Hour, 300*time.Millisecond
	hang := chanFunc(func(ctx context.Context, it store.OutboxItem) error { <-ctx.Done(); return ctx.Err() })
	old := startNamed(t, st, cfg, hang, outbox.Deps{Node: "old", LiveNodes: live.read})
	old.Enqueue(plainItems(2, 2)...)
	waitStored(t, st, 4)
	_ = old.Close()

	live.set(errors.New("settling"))
	var got arrivals
	startNamed(t, st, cfg, &got, outbox.Deps{Node: "new", LiveNodes: live.read})
	time.Sleep(100 * time.Millisecond) // the first sweep has run, not knowing
	live.set(nil, "new")
	started := time.Now()
	checkOrder(t, got.wait(4, 5*time.Second), 2, 2)
	t.Logf("taken over %v after the live nodes were known (Resettle 300 ms)", time.Since(started).Round(time.Millisecond))
}

// TestUnnamedItemsOfAnOlderNodeWaitUntilStale: a rolling upgrade from a
// build older than migration 0005, whose node stores items with no node.
// While that node is alive and retrying them, a new node beside it (whose
// live nodes are read from the cluster) leaves them; once the old node
// stops, they are taken over StaleAfter past due, each delivered once, in
// order. Before, the new node took them for a gone node's at once and both
// sent them (the upgrade audit: every webhook of a call twice).
func TestUnnamedItemsOfAnOlderNodeWaitUntilStale(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			stOld, stNew := twoNodes(t, engine)
			var live liveSet
			live.set(nil, "new")
			var got arrivals
			startNamed(t, stNew, sweepConfig(), &got, outbox.Deps{Node: "new", LiveNodes: live.read})
			hang := chanFunc(func(ctx context.Context, it store.OutboxItem) error { <-ctx.Done(); return ctx.Err() })
			old := startNode(t, stOld, sweepConfig(), hang, 0) // names no node
			const keys, n = 2, 3
			old.Enqueue(plainItems(keys, n)...)
			waitStored(t, stOld, keys*n)
			time.Sleep(1500 * time.Millisecond) // alive, and past StaleAfter: nothing is taken over
			if ev := got.events(); len(ev) != 0 {
				t.Fatalf("the new node delivered %v while the old one was alive and delivering", ev)
			}
			_ = old.Close()
			got.wait(keys*n, 10*time.Second)
			time.Sleep(300 * time.Millisecond)
			checkOrder(t, got.events(), keys, n)
		})
	}
}

// TestTakenOverItemsGoBeforeTheKeysLaterOnes: node A stores two events of a
// call while the receiver is down, and is lost; B, which ends the call
// (node_lost), stores the call's third event in the same order key, which
// fails too. When the receiver is back it gets the three in order. Before,
// the sweep left a key B held to B: B's event went first, A's two after it
// (the outbox review).
func TestTakenOverItemsGoBeforeTheKeysLaterOnes(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			stA, stB := twoNodes(t, engine)
			var aAlive, up atomic.Bool
			aAlive.Store(true)
			live := func(context.Context) (map[string]bool, error) {
				return map[string]bool{"A": aAlive.Load(), "B": true}, nil
			}
			var got arrivals
			receiver := chanFunc(func(ctx context.Context, it store.OutboxItem) error {
				if !up.Load() {
					return errors.New("503")
				}
				return got.Deliver(ctx, it)
			})
			cfg := sweepConfig()
			b := startNamed(t, stB, cfg, receiver, outbox.Deps{Node: "B", LiveNodes: live})
			a := startNamed(t, stA, cfg, receiver, outbox.Deps{Node: "A", LiveNodes: live})
			item := func(id string) store.OutboxItem {
				return store.OutboxItem{EventID: id, Channel: "x", Target: "t", OrderKey: "webhook/t/call1",
					Payload: []byte("{}"), Deadline: time.Now().Add(time.Hour)}
			}
			a.Enqueue(item("call1-1"), item("call1-2"))
			waitStored(t, stA, 2)
			aAlive.Store(false)
			_ = a.Close()                       // A is lost
			b.Enqueue(item("call1-3"))          // B ends the call (node_lost); the receiver is still down
			time.Sleep(2500 * time.Millisecond) // past StaleAfter: B's sweeps take A's two over
			up.Store(true)
			if ev := got.wait(3, 10*time.Second); !slices.Equal(ev, []string{"call1-1", "call1-2", "call1-3"}) {
				t.Fatalf("the receiver got %v; want call1-1, call1-2, call1-3 (one call's events in order)", ev)
			}
		})
	}
}
