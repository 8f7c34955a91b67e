package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/outbox"
	"github.com/switchboard-rtc/switchboard/store"
)

// flakyStore refuses to store outbox items while down, as PostgreSQL does
// while it is stopped.
type flakyStore struct {
	store.Store
	down    atomic.Bool
	refused atomic.Int64
}

var errDown = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (f *flakyStore) EnqueueOutbox(ctx context.Context, items []store.OutboxItem) ([]store.OutboxItem, error) {
	if f.down.Load() {
		f.refused.Add(1)
		return nil, errDown
	}
	return f.Store.EnqueueOutbox(ctx, items)
}

func (f *flakyStore) SaveCallsOutbox(ctx context.Context, calls []store.Call, items []store.OutboxItem) ([]store.OutboxItem, error) {
	if f.down.Load() {
		f.refused.Add(1)
		return nil, errDown
	}
	return f.Store.SaveCallsOutbox(ctx, calls, items)
}

// arrivals records what a channel was handed, in order.
type arrivals struct {
	mu  sync.Mutex
	got []string // event ids
}

func (a *arrivals) Deliver(_ context.Context, it store.OutboxItem) error {
	a.mu.Lock()
	a.got = append(a.got, it.EventID)
	a.mu.Unlock()
	return nil
}

func (a *arrivals) events() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.got...)
}

// wait waits up to timeout for n arrivals and returns what arrived.
func (a *arrivals) wait(n int, timeout time.Duration) []string {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if got := a.events(); len(got) >= n {
			return got
		}
	}
	return a.events()
}

// plainItems builds n events for each of keys, interleaved: event k<key>-<i>.
func plainItems(keys, n int) []store.OutboxItem {
	var items []store.OutboxItem
	for i := 1; i <= n; i++ {
		for k := range keys {
			items = append(items, store.OutboxItem{EventID: fmt.Sprintf("k%d-%d", k, i), Channel: "x", Target: "t",
				OrderKey: fmt.Sprint("k", k), Payload: []byte("{}"), Deadline: time.Now().Add(time.Hour)})
		}
	}
	return items
}

// checkOrder checks got holds every event of plainItems(keys, n) once and
// each key's in order.
func checkOrder(t *testing.T, got []string, keys, n int) {
	t.Helper()
	if len(got) != keys*n {
		t.Fatalf("%d events delivered, want %d (each once): %v", len(got), keys*n, got)
	}
	next := map[string]int{}
	for _, ev := range got {
		var k, i int
		if _, err := fmt.Sscanf(ev, "k%d-%d", &k, &i); err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprint("k", k)
		if i != next[key]+1 {
			t.Fatalf("%s: event %d after %d: %v", key, i, next[key], got)
		}
		next[key] = i
	}
}

// outage is a Dispatcher on a store the test can take down (st.down), the
// deliveries it makes and its log; it is closed at the end of the test.
func outage(t *testing.T) (*flakyStore, *outbox.Dispatcher, *arrivals, *logbuf.Buffer) {
	t.Helper()
	st := &flakyStore{Store: openStore(t, filepath.Join(t.TempDir(), "sb.db"))}
	got, logs := &arrivals{}, &logbuf.Buffer{}
	d, err := outbox.New(fastConfig(), outbox.Deps{Store: st, Channels: map[string]outbox.Channel{"x": got},
		Log: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return st, d, got, logs
}

// TestStoreOutageLosesNothing: while the store refuses to store items (a
// stopped PostgreSQL) for far longer than the old three attempts, the
// Dispatcher keeps them and retries; once the store is back every item is
// delivered once, each key's in order, whether the Dispatcher's writer or a
// committer (the call writer) stores them.
func TestStoreOutageLosesNothing(t *testing.T) {
	for _, mode := range []string{"writer", "committer"} {
		t.Run(mode, func(t *testing.T) {
			st, d, got, logs := outage(t)
			if mode == "committer" {
				c := newCommitter(d, st)
				defer c.stop()
			}
			st.down.Store(true)
			const keys, n = 3, 8
			all := plainItems(keys, n)
			for i := 0; i < len(all); i += 4 { // several batches, spread over the outage
				d.Enqueue(all[i : i+4]...)
				time.Sleep(60 * time.Millisecond)
			}
			time.Sleep(300 * time.Millisecond)
			if ev := got.events(); len(ev) != 0 {
				t.Fatalf("delivered %v while the store was down (not stored first)", ev)
			}
			if r := st.refused.Load(); r < 4 {
				t.Fatalf("the store was asked %d times in %v of outage, want retries", r, 800*time.Millisecond)
			}
			st.down.Store(false)
			checkOrder(t, got.wait(keys*n, 10*time.Second), keys, n)
			if l := logs.String(); strings.Contains(l, "lost") || !strings.Contains(l, "keeping them") {
				t.Fatalf("logs:\n%s\nwant the items kept and none lost", l)
			}
		})
	}
}

// TestStoreOutageBound: beyond the bound on items waiting to be stored,
// the oldest are dropped (and logged with how many); the newest are
// delivered once the store is back.
func TestStoreOutageBound(t *testing.T) {
	st, d, got, logs := outage(t)
	outbox.SetMaxQueued(d, 10)
	st.down.Store(true)
	all := plainItems(1, 25)
	for i := 0; i < len(all); i += 5 {
		d.Enqueue(all[i : i+5]...)
		time.Sleep(30 * time.Millisecond)
	}
	st.down.Store(false)
	got.wait(10, 10*time.Second)
	time.Sleep(100 * time.Millisecond) // nothing more comes
	if ev := got.events(); len(ev) != 10 || ev[0] != "k0-16" || ev[9] != "k0-25" {
		t.Fatalf("delivered %v, want the newest 10 (k0-16..k0-25) in order", ev)
	}
	dropped := 0
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "the oldest are lost") {
			var n int
			if _, err := fmt.Sscanf(line[strings.Index(line, "items="):], "items=%d", &n); err != nil {
				t.Fatal(err)
			}
			dropped += n
		}
	}
	if dropped != 15 {
		t.Fatalf("logs say %d dropped, want 15:\n%s", dropped, logs.String())
	}
}

// TestInvalidItemDoesNotTakeItsBatch: an item the store refuses as invalid
// is dropped at once; the valid items of its batch are delivered.
func TestInvalidItemDoesNotTakeItsBatch(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	var got arrivals
	d, err := outbox.New(fastConfig(), outbox.Deps{Store: st, Channels: map[string]outbox.Channel{"x": &got}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	all := plainItems(1, 3)
	all[1].Deadline = time.Time{} // invalid: no deadline
	d.Enqueue(all...)
	if ev := got.wait(2, 5*time.Second); len(ev) != 2 || ev[0] != "k0-1" || ev[1] != "k0-3" {
		t.Fatalf("delivered %v, want k0-1 and k0-3", ev)
	}
}

// TestCloseDuringOutage: Close returns promptly while the store refuses
// items, after one last attempt, and logs how many are lost.
func TestCloseDuringOutage(t *testing.T) {
	st, d, _, logs := outage(t)
	st.down.Store(true)
	d.Enqueue(plainItems(2, 3)...)
	time.Sleep(200 * time.Millisecond)
	before := st.refused.Load()
	began := time.Now()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took > 10*time.Second { // it would wait out the outage: minutes
		t.Fatalf("Close took %v during the outage", took)
	}
	if st.refused.Load() == before {
		t.Fatal("Close made no last attempt")
	}
	if l := logs.String(); !strings.Contains(l, "failed at close; they are lost") || !strings.Contains(l, "items=6") {
		t.Fatalf("logs:\n%s\nwant the 6 lost items logged", l)
	}
}
