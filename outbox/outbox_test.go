package outbox_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/outbox"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/store/pgtest"
	"github.com/switchboard-rtc/switchboard/webhook"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if helperMain() {
		return
	}
	goleak.VerifyTestMain(pgtest.Main(m))
}

const secret = "0123456789abcdef-secret"

func openStore(t *testing.T, path string) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// receiver runs a webhook.Receiver behind a real HTTP/2 TLS server.
func receiver(t *testing.T) (*webhook.Receiver, *httptest.Server) {
	r := webhook.NewReceiver(secret)
	srv := httptest.NewUnstartedServer(r)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return r, srv
}

func webhookConfig(url string, maxAge time.Duration) webhook.Config {
	cfg := webhook.DefaultConfig()
	cfg.MaxAge = maxAge
	cfg.Timeout = 5 * time.Second
	cfg.Endpoints = []webhook.Endpoint{{Name: "app", URL: url, Secret: secret}}
	return cfg
}

func fastConfig() outbox.Config {
	cfg := outbox.DefaultConfig()
	cfg.MinBackoff, cfg.MaxBackoff = 10*time.Millisecond, 40*time.Millisecond
	return cfg
}

func start(t *testing.T, st store.Store, chans map[string]outbox.Channel) *outbox.Dispatcher {
	t.Helper()
	d, err := outbox.New(fastConfig(), outbox.Deps{Store: st, Channels: chans})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// events builds n events for each of calls, interleaved.
func events(t *testing.T, cfg webhook.Config, calls, n int) []store.OutboxItem {
	var items []store.OutboxItem
	now := time.Now()
	for i := 1; i <= n; i++ {
		for c := range calls {
			its, err := cfg.Items(webhook.Event{ID: fmt.Sprintf("evt_%d_%d", c, i), Type: webhook.CallRinging,
				SessionID: fmt.Sprint("call", c), Seq: i, CreatedAt: now.UnixMilli(), Data: []byte(`{}`)}, now)
			if err != nil {
				t.Fatal(err)
			}
			items = append(items, its...)
		}
	}
	return items
}

// inOrder checks every call's events arrived complete, once, in order.
func inOrder(t *testing.T, evs []webhook.Event, calls, n int) {
	t.Helper()
	last := map[string]int{}
	for _, ev := range evs {
		if ev.Seq != last[ev.SessionID]+1 {
			t.Fatalf("call %s: event seq %d after %d", ev.SessionID, ev.Seq, last[ev.SessionID])
		}
		last[ev.SessionID] = ev.Seq
	}
	for c := range calls {
		if got := last[fmt.Sprint("call", c)]; got != n {
			t.Fatalf("call%d: got %d events, want %d", c, got, n)
		}
	}
}

func TestReceiverDownThenEverythingInOrder(t *testing.T) {
	rcv, srv := receiver(t)
	var down atomic.Bool
	down.Store(true)
	rcv.Fail = func(webhook.Event) int {
		if down.Load() {
			return http.StatusServiceUnavailable
		}
		return 0
	}
	cfg := webhookConfig(srv.URL, time.Hour)
	ws, err := webhook.New(cfg, webhook.Deps{TLS: pushtest.ClientTLS(srv)})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	d := start(t, st, map[string]outbox.Channel{webhook.Channel: ws})
	d.Enqueue(events(t, cfg, 3, 5)...)
	time.Sleep(300 * time.Millisecond) // several failed rounds
	if n := len(rcv.Events()); n != 0 {
		t.Fatalf("%d events accepted while down", n)
	}
	down.Store(false)
	evs := rcv.WaitEvents(15, 10*time.Second)
	inOrder(t, evs, 3, 5)
	if refused := rcv.Refused(); len(refused) != 0 {
		t.Fatalf("signatures refused: %v", refused)
	}
}

func TestFailedAfterMaxAgeThenReplay(t *testing.T) {
	rcv, srv := receiver(t)
	var down atomic.Bool
	down.Store(true)
	rcv.Fail = func(webhook.Event) int {
		if down.Load() {
			return http.StatusInternalServerError
		}
		return 0
	}
	cfg := webhookConfig(srv.URL, time.Second)
	ws, _ := webhook.New(cfg, webhook.Deps{TLS: pushtest.ClientTLS(srv)})
	defer ws.Close()
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	d := start(t, st, map[string]outbox.Channel{webhook.Channel: ws})
	d.Enqueue(events(t, cfg, 1, 2)...)
	ctx := context.Background()
	var failed []store.OutboxItem
	for deadline := time.Now().Add(5 * time.Second); len(failed) < 2 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		failed, _ = st.ListOutbox(ctx, store.OutboxQuery{State: store.OutboxFailed})
	}
	if len(failed) != 2 || failed[0].Attempts < 3 || failed[0].LastError == "" {
		t.Fatalf("failed = %+v, want both events failed after retries", failed)
	}
	down.Store(false)
	for _, it := range failed {
		if _, err := d.Replay(ctx, it.ID, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	inOrder(t, rcv.WaitEvents(2, 5*time.Second), 1, 2)
}

// chanFunc is a Channel from a function (the dispatcher's own behaviour
// under test; providers are tested against real servers elsewhere).
type chanFunc func(ctx context.Context, it store.OutboxItem) error

func (f chanFunc) Deliver(ctx context.Context, it store.OutboxItem) error { return f(ctx, it) }

func TestSlowWebhookReceiverDoesNotDelayPushes(t *testing.T) {
	rcv, srv := receiver(t)
	rcv.Delay = 10 * time.Second
	cfg := webhookConfig(srv.URL, time.Hour)
	ws, _ := webhook.New(cfg, webhook.Deps{TLS: pushtest.ClientTLS(srv)})
	defer ws.Close()
	var mu sync.Mutex
	var pushedAfter []time.Duration
	began := time.Now()
	pushes := chanFunc(func(ctx context.Context, it store.OutboxItem) error {
		mu.Lock()
		pushedAfter = append(pushedAfter, time.Since(began))
		mu.Unlock()
		return nil
	})
	_ = began
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	d := start(t, st, map[string]outbox.Channel{webhook.Channel: ws, "push": pushes})
	d.Enqueue(events(t, cfg, 100, 1)...) // 100 calls: more than the webhook channel's room
	time.Sleep(50 * time.Millisecond)
	var items []store.OutboxItem
	for i := range 20 {
		items = append(items, store.OutboxItem{EventID: fmt.Sprint("push", i), Channel: "push", Target: "bob/phone",
			OrderKey: fmt.Sprint("push/bob/", i), Payload: []byte(`{}`), Deadline: time.Now().Add(time.Minute)})
	}
	mu.Lock()
	began = time.Now()
	mu.Unlock()
	d.Enqueue(items...)
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(pushedAfter)
		mu.Unlock()
		if n == 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 20 pushes sent within 5 s while the webhook receiver takes 10 s per event", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	t.Logf("pushes sent after %v (webhook receiver answering in 10 s)", pushedAfter[len(pushedAfter)-1])
	mu.Unlock()
}

func TestCloseLeavesUndeliveredPending(t *testing.T) {
	block := make(chan struct{})
	slow := chanFunc(func(ctx context.Context, it store.OutboxItem) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-block:
			return nil
		}
	})
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	d, err := outbox.New(fastConfig(), outbox.Deps{Store: st, Channels: map[string]outbox.Channel{"x": slow}})
	if err != nil {
		t.Fatal(err)
	}
	d.Enqueue(store.OutboxItem{EventID: "e1", Channel: "x", Target: "t", OrderKey: "k", Payload: []byte("1"), Deadline: time.Now().Add(time.Hour)})
	time.Sleep(100 * time.Millisecond)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	close(block)
	items, _ := st.ListOutbox(context.Background(), store.OutboxQuery{})
	if len(items) != 1 || items[0].State != store.OutboxPending {
		t.Fatalf("after Close: %+v, want the item still pending", items)
	}
}

// TestMoreThanMemoryHolds: with room for 4 items in memory, 45 events of 3
// calls still all arrive, each call's in order (the rest are read back from
// the store in id order).
func TestMoreThanMemoryHolds(t *testing.T) {
	rcv, srv := receiver(t)
	var down atomic.Bool
	down.Store(true)
	rcv.Fail = func(webhook.Event) int {
		if down.Load() {
			return http.StatusBadGateway
		}
		return 0
	}
	cfg := webhookConfig(srv.URL, time.Hour)
	ws, _ := webhook.New(cfg, webhook.Deps{TLS: pushtest.ClientTLS(srv)})
	defer ws.Close()
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	d, err := outbox.New(fastConfig(), outbox.Deps{Store: st, Channels: map[string]outbox.Channel{webhook.Channel: ws}, MemoryItems: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	all := events(t, cfg, 3, 15)
	for i := 0; i < len(all); i += 5 { // several writer batches
		d.Enqueue(all[i : i+5]...)
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	down.Store(false)
	inOrder(t, rcv.WaitEvents(45, 15*time.Second), 3, 15)
}

// TestCloseRecordsEveryOutcome: outcomes are written in batches behind the
// deliveries; Close writes the last of them, so after it the store says
// delivered (one attempt) for every item that arrived.
func TestCloseRecordsEveryOutcome(t *testing.T) {
	var arrived atomic.Int64
	ok := chanFunc(func(ctx context.Context, it store.OutboxItem) error {
		arrived.Add(1)
		return nil
	})
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	d, err := outbox.New(fastConfig(), outbox.Deps{Store: st, Channels: map[string]outbox.Channel{"x": ok}})
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	for i := range n {
		d.Enqueue(store.OutboxItem{EventID: fmt.Sprint("e", i), Channel: "x", Target: "t", OrderKey: fmt.Sprint("k", i%5),
			Payload: []byte("1"), Deadline: time.Now().Add(time.Hour)})
	}
	for deadline := time.Now().Add(10 * time.Second); arrived.Load() < n && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	items, _ := st.ListOutbox(context.Background(), store.OutboxQuery{Limit: 100})
	if len(items) != n {
		t.Fatalf("%d items stored, want %d", len(items), n)
	}
	for _, it := range items {
		if it.State != store.OutboxDelivered || it.Attempts != 1 {
			t.Fatalf("after Close: %s is %s after %d attempts, want delivered after 1", it.EventID, it.State, it.Attempts)
		}
	}
}
