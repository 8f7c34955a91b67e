package signaling

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/switchboard-rtc/switchboard/store"
)

// outboxStore records SaveCallsOutbox transactions as "calls/items".
type outboxStore struct {
	savingStore
	txs  []string
	fail bool
}

func (s *outboxStore) SaveCallsOutbox(_ context.Context, calls []store.Call, items []store.OutboxItem) ([]store.OutboxItem, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return nil, errors.New("disk on fire")
	}
	tx := ""
	for _, c := range calls {
		tx += c.SessionID + ":" + c.Status + " "
	}
	tx += "/"
	for _, it := range items {
		tx += " " + it.EventID
	}
	s.txs = append(s.txs, tx)
	return items, nil
}

// fakeOutbox is an OutboxQueue holding items until the writer takes them.
type fakeOutbox struct {
	mu     sync.Mutex
	queue  []store.OutboxItem
	ready  func()
	stored []string
	back   []string // items handed back after a failed transaction
}

func (o *fakeOutbox) CommitWith(ready func()) { o.mu.Lock(); o.ready = ready; o.mu.Unlock() }

func (o *fakeOutbox) enqueue(ids ...string) {
	o.mu.Lock()
	for _, id := range ids {
		o.queue = append(o.queue, store.OutboxItem{EventID: id})
	}
	ready := o.ready
	o.mu.Unlock()
	ready()
}

func (o *fakeOutbox) TakeOutbox() []store.OutboxItem {
	o.mu.Lock()
	defer o.mu.Unlock()
	q := o.queue
	o.queue = nil
	return q
}

func (o *fakeOutbox) OutboxStored(taken, stored []store.OutboxItem, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, it := range stored {
		o.stored = append(o.stored, it.EventID)
	}
	if err != nil {
		for _, it := range taken {
			o.back = append(o.back, it.EventID)
		}
	}
}

// The call writer stores the outbox's items in the transaction of the call
// snapshots a reply waits for; items queued on their own are written at
// once (not after the snapshots' linger); a failed transaction hands the
// items back and still saves the calls; a stopped writer gives the queue
// back to the outbox (CommitWith(nil)).
func TestCallWriterStoresOutboxItems(t *testing.T) {
	ss := &outboxStore{}
	w := newCallWriter(ss, slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}, nil)
	ob := &fakeOutbox{}
	w.storeOutbox(ob)

	// Hold the writer: the snapshot, its reply's marker and the items are
	// all queued before it runs.
	w.mu.Lock()
	ob.queue = append(ob.queue, store.OutboxItem{EventID: "evt_a_1"}, store.OutboxItem{EventID: "push_1"})
	replied := make(chan struct{})
	w.queue = append(w.queue, writeItem{call: store.Call{SessionID: "a", Status: "ongoing"}},
		writeItem{flushed: replied, calls: []string{"a"}})
	w.urgent = true
	w.mu.Unlock()
	w.signal()
	<-replied
	ob.enqueue("evt_a_2") // no call queued: written at once all the same
	<-w.commit("none")    // a marker behind it: the items' transaction has ended
	ss.mu.Lock()
	got := append([]string(nil), ss.txs...)
	ss.fail = true
	ss.mu.Unlock()
	if len(got) != 2 || got[0] != "a:ongoing / evt_a_1 push_1" || got[1] != "/ evt_a_2" {
		t.Fatalf("transactions %q", got)
	}

	ob.enqueue("evt_b_1")
	w.mu.Lock()
	w.queue = append(w.queue, writeItem{call: store.Call{SessionID: "b", Status: "ended"}})
	w.mu.Unlock()
	<-w.commit("b")
	saved, _ := ss.got() // SaveCalls still works
	ob.mu.Lock()
	back := append([]string(nil), ob.back...)
	ob.mu.Unlock()
	if len(back) != 1 || back[0] != "evt_b_1" || len(saved) != 1 || saved[0] != "b:ended" {
		t.Fatalf("after a failed transaction: items handed back %v, calls saved %v", back, saved)
	}
	w.stop()
	ob.mu.Lock()
	defer ob.mu.Unlock()
	if ob.ready != nil {
		t.Fatal("the stopped writer did not give the outbox's items back")
	}
}
