package outbox_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/outbox"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/webhook"
)

// committer stands for the call writer: on each ready it takes the queued
// items into a transaction of its own (with no calls) through the store,
// or fails the transaction when failing is set.
type committer struct {
	d     *outbox.Dispatcher
	st    store.Store
	ready chan struct{}
	done  chan struct{}

	// mu guards took and failing.
	mu      sync.Mutex
	took    int
	failing bool
}

func newCommitter(d *outbox.Dispatcher, st store.Store) *committer {
	c := &committer{d: d, st: st, ready: make(chan struct{}, 1), done: make(chan struct{})}
	go c.run()
	d.CommitWith(func() {
		select {
		case c.ready <- struct{}{}:
		default:
		}
	})
	return c
}

func (c *committer) run() {
	defer close(c.done)
	for range c.ready {
		items := c.d.TakeOutbox()
		if items == nil {
			continue
		}
		c.mu.Lock()
		failing := c.failing
		c.took += len(items)
		c.mu.Unlock()
		if failing {
			c.d.OutboxStored(items, nil, errors.New("disk on fire"))
			continue
		}
		stored, err := c.st.SaveCallsOutbox(context.Background(), nil, items)
		c.d.OutboxStored(items, stored, err)
	}
}

func (c *committer) stop() {
	c.d.CommitWith(nil)
	close(c.ready)
	<-c.done
}

func (c *committer) taken() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.took
}

// Items stored by a committer's transactions are delivered complete and in
// order; when its transaction fails, or it stops taking, the Dispatcher
// stores them itself and nothing is lost or reordered.
func TestCommitterStoresItems(t *testing.T) {
	for _, mode := range []string{"commits", "fails", "gone"} {
		t.Run(mode, func(t *testing.T) {
			rcv, srv := receiver(t)
			cfg := webhookConfig(srv.URL, time.Hour)
			ws, err := webhook.New(cfg, webhook.Deps{TLS: pushtest.ClientTLS(srv)})
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
			d := start(t, st, map[string]outbox.Channel{webhook.Channel: ws})
			c := newCommitter(d, st)
			defer c.stop()
			switch mode {
			case "fails":
				c.mu.Lock()
				c.failing = true
				c.mu.Unlock()
			case "gone": // set, but never takes anything
				d.CommitWith(func() {})
			}
			all := events(t, cfg, 4, 10)
			for i := 0; i < len(all); i += 5 { // several batches
				d.Enqueue(all[i : i+5]...)
			}
			inOrder(t, rcv.WaitEvents(40, 10*time.Second), 4, 10)
			switch took := c.taken(); {
			case mode == "gone" && took != 0:
				t.Fatalf("the committer took %d items after it was replaced", took)
			case mode != "gone" && took == 0:
				t.Fatal("the committer took nothing")
			}
			pending, err := st.ListOutbox(context.Background(), store.OutboxQuery{State: store.OutboxPending})
			if err != nil {
				t.Fatal(err)
			}
			// Outcomes are recorded behind the deliveries: wait for the record.
			for deadline := time.Now().Add(5 * time.Second); len(pending) > 0 && time.Now().Before(deadline); {
				time.Sleep(20 * time.Millisecond)
				pending, _ = st.ListOutbox(context.Background(), store.OutboxQuery{State: store.OutboxPending})
			}
			if len(pending) != 0 {
				t.Fatalf("%d items still pending after delivery", len(pending))
			}
			if n := len(rcv.Events()); n != 40 {
				t.Fatalf("%d events delivered, want 40 (each once)", n)
			}
		})
	}
}

// A batch the committer holds keeps its place: items queued after it are
// not stored before it (by the Dispatcher's writer, after handoffWait), so
// ids, and delivery order, follow the queue.
func TestCommitterBatchKeepsItsPlace(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "sb.db"))
	hang := chanFunc(func(ctx context.Context, it store.OutboxItem) error { <-ctx.Done(); return ctx.Err() })
	d := start(t, st, map[string]outbox.Channel{webhook.Channel: hang})
	d.CommitWith(func() {}) // the test takes by hand
	// Long enough that the writer cannot store the first two before the
	// test takes them, however slow this machine is today...
	outbox.SetHandoffWait(d, time.Hour)
	all := events(t, webhookConfig("https://127.0.0.1:1/hook", time.Hour), 1, 4)
	d.Enqueue(all[:2]...)
	held := d.TakeOutbox()
	if len(held) != 2 {
		t.Fatalf("took %d items, want 2", len(held))
	}
	d.Enqueue(all[2:]...)
	// ...then none: the writer would store the newer ones at once, but the
	// held batch keeps its place.
	outbox.SetHandoffWait(d, 0)
	time.Sleep(150 * time.Millisecond)
	ctx := context.Background()
	if got, _ := st.ListOutbox(ctx, store.OutboxQuery{}); len(got) != 0 {
		t.Fatalf("%d items stored while an older batch was held", len(got))
	}
	stored, err := st.SaveCallsOutbox(ctx, nil, held)
	d.OutboxStored(held, stored, err)
	var got []store.OutboxItem
	for deadline := time.Now().Add(5 * time.Second); len(got) < 4 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		got, _ = st.ListOutbox(ctx, store.OutboxQuery{})
	}
	if len(got) != 4 {
		t.Fatalf("%d items stored, want 4", len(got))
	}
	for i, it := range got { // ListOutbox is in id order
		if it.EventID != all[i].EventID {
			t.Fatalf("item %d by id is %s, want %s (queue order)", i, it.EventID, all[i].EventID)
		}
	}
}
