package signaling

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// savingStore records saves; only the call-saving methods are implemented.
type savingStore struct {
	store.Store

	// mu guards saved, txs and failID.
	mu     sync.Mutex
	saved  []string // "session:status" in save order
	txs    int
	failID string
}

func (s *savingStore) SaveCall(_ context.Context, c store.Call) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.txs++
	if c.SessionID == s.failID {
		return errors.New("disk on fire")
	}
	s.saved = append(s.saved, c.SessionID+":"+c.Status)
	return nil
}

func (s *savingStore) SaveCalls(_ context.Context, calls []store.Call) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range calls {
		if c.SessionID == s.failID {
			return errors.New("disk on fire")
		}
	}
	s.txs++
	for _, c := range calls {
		s.saved = append(s.saved, c.SessionID+":"+c.Status)
	}
	return nil
}

func (s *savingStore) got() ([]string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.saved...), s.txs
}

// The writer keeps order, writes only the last snapshot of a call queued
// several times before a flush, and a flush waits for what came before it.
func TestCallWriterOrderDedupeFlush(t *testing.T) {
	ss := &savingStore{}
	errs := 0
	w := newCallWriter(ss, slog.New(slog.NewTextHandler(io.Discard, nil)), func() { errs++ }, nil)
	// Hold the writer: queue everything before it runs by pushing
	// under its lock.
	w.mu.Lock()
	w.queue = append(w.queue,
		writeItem{call: store.Call{SessionID: "a", Status: "initiated"}},
		writeItem{call: store.Call{SessionID: "b", Status: "initiated"}},
		writeItem{call: store.Call{SessionID: "a", Status: "ongoing"}},
	)
	w.mu.Unlock()
	if err := w.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, _ := ss.got()
	if len(got) != 2 || got[0] != "b:initiated" || got[1] != "a:ongoing" {
		t.Fatalf("saved %v", got)
	}
	ss.mu.Lock()
	ss.failID = "bad"
	ss.mu.Unlock()
	w.save(store.Call{SessionID: "a", Status: "ended"})
	w.save(store.Call{SessionID: "bad", Status: "ended"})
	w.save(store.Call{SessionID: "c", Status: "busy"})
	w.stop()
	got, _ = ss.got()
	want := map[string]bool{"a:ended": true, "c:busy": true}
	for _, s := range got[2:] {
		delete(want, s)
	}
	if len(want) != 0 || errs == 0 {
		t.Fatalf("after a failing call saved %v, %d errors", got, errs)
	}
}

// A marker that names its call takes only that call's snapshots: another
// call's fresh snapshot lingers on, so a ringing call's "initiated" is not
// written on its own in the transaction of another call's reply but
// together with its own next state; a flush takes everything.
func TestCallWriterMarkerTakesItsCalls(t *testing.T) {
	ss := &savingStore{}
	w := newCallWriter(ss, slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}, nil)
	defer w.stop()
	w.mu.Lock()
	w.lingerFor = time.Hour // only markers write here
	w.mu.Unlock()
	w.save(store.Call{SessionID: "a", Status: "initiated"})
	w.save(store.Call{SessionID: "b", Status: "initiated"})
	w.save(store.Call{SessionID: "a", Status: "ongoing"})
	<-w.commit("a")
	if got, txs := ss.got(); len(got) != 1 || got[0] != "a:ongoing" || txs != 1 {
		t.Fatalf("after a's marker: saved %v in %d transactions, want [a:ongoing] in 1", got, txs)
	}
	w.save(store.Call{SessionID: "b", Status: "ongoing"})
	w.save(store.Call{SessionID: "c", Status: "initiated"})
	<-w.commit("b")
	if got, txs := ss.got(); len(got) != 2 || got[1] != "b:ongoing" || txs != 2 {
		t.Fatalf("after b's marker: saved %v in %d transactions, want [a:ongoing b:ongoing] in 2", got, txs)
	}
	if err := w.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := ss.got(); len(got) != 3 || got[2] != "c:initiated" {
		t.Fatalf("after a flush: saved %v, want c:initiated last", got)
	}
}

// Snapshots left by a marker's batch are still written once they have
// lingered their time, without a marker or a flush.
func TestCallWriterLeftSnapshotsLand(t *testing.T) {
	ss := &notifyingStore{landed: make(chan struct{}, 8)}
	w := newCallWriter(ss, slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}, nil)
	defer w.stop()
	w.save(store.Call{SessionID: "b", Status: "initiated"})
	w.save(store.Call{SessionID: "a", Status: "ongoing"})
	<-w.commit("a")
	for {
		select {
		case <-ss.landed: // the writer's own linger timer writes b
		case <-time.After(10 * time.Second):
			t.Fatal("b was never written")
		}
		if got, _ := ss.got(); len(got) == 2 {
			if got[1] != "b:initiated" {
				t.Fatalf("saved %v", got)
			}
			return
		}
	}
}

// notifyingStore is a savingStore that says when a transaction landed.
type notifyingStore struct {
	savingStore
	landed chan struct{}
}

func (s *notifyingStore) SaveCalls(ctx context.Context, calls []store.Call) error {
	err := s.savingStore.SaveCalls(ctx, calls)
	select {
	case s.landed <- struct{}{}:
	default:
	}
	return err
}
