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
