package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
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
	started := make(chan struct{}, 1)
	probe := chanFunc(func(context.Context, store.OutboxItem) error { started <- struct{}{}; return nil })
	d, err := outbox.New(cfg, outbox.Deps{Store: st, Channels: map[string]outbox.Channel{"x": ch, "probe": probe}, MemoryItems: memory})
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
