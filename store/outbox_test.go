package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func item(event, key string, deadline time.Time) OutboxItem {
	return OutboxItem{EventID: event, Channel: "webhook", Target: "main", OrderKey: key,
		Payload: []byte(`{"e":"` + event + `"}`), Deadline: deadline}
}

func ids(items []OutboxItem) string {
	s := ""
	for _, it := range items {
		s += it.EventID + " "
	}
	return s
}

func TestOutboxOrderPerKey(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	dl := clk.Now().Add(time.Hour)
	if err := s.EnqueueOutbox(ctx, []OutboxItem{item("a1", "A", dl), item("b1", "B", dl), item("a2", "A", dl), item("a1", "A", dl)}); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueOutbox(ctx, clk.Now(), "webhook", 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(due); got != "a1 b1 " {
		t.Fatalf("due = %q, want the first of each key (a1 b1), the duplicate a1 skipped", got)
	}
	if due, _ := s.DueOutbox(ctx, clk.Now(), "webhook", 10, map[string]bool{"A": true}); ids(due) != "b1 " {
		t.Fatalf("due skipping A = %q", ids(due))
	}
	// a1 fails for now: a2 must wait behind it even though it is due.
	retry := clk.Now().Add(time.Minute)
	if err := s.FinishOutbox(ctx, []OutboxResult{{ID: due[0].ID, State: OutboxPending, Retry: retry, Error: "503"},
		{ID: due[1].ID, State: OutboxDelivered, At: clk.Now()}}); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueOutbox(ctx, clk.Now(), "webhook", 10, nil); len(due) != 0 {
		t.Fatalf("due = %q, want nothing while a1 waits", ids(due))
	}
	if next, _ := s.NextOutboxAttempt(ctx); !next.Equal(retry) {
		t.Fatalf("next = %v, want %v", next, retry)
	}
	clk.Advance(time.Minute)
	due, _ = s.DueOutbox(ctx, clk.Now(), "webhook", 10, nil)
	if ids(due) != "a1 " || due[0].Attempts != 1 || due[0].LastError != "503" {
		t.Fatalf("due = %+v", due)
	}
	_ = s.FinishOutbox(ctx, []OutboxResult{{ID: due[0].ID, State: OutboxFailed, At: clk.Now(), Error: "gave up"}})
	if due, _ := s.DueOutbox(ctx, clk.Now(), "webhook", 10, nil); ids(due) != "a2 " {
		t.Fatalf("due = %q, want a2 once a1 failed", ids(due))
	}
}

func TestOutboxListReplayPrune(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	dl := clk.Now().Add(time.Hour)
	var items []OutboxItem
	for i := range 3 {
		items = append(items, item(fmt.Sprint("e", i), fmt.Sprint("k", i), dl))
	}
	if err := s.EnqueueOutbox(ctx, items); err != nil {
		t.Fatal(err)
	}
	due, _ := s.DueOutbox(ctx, clk.Now(), "webhook", 10, nil)
	_ = s.FinishOutbox(ctx, []OutboxResult{{ID: due[0].ID, State: OutboxFailed, At: clk.Now(), Error: "expired"}})
	failed, err := s.ListOutbox(ctx, OutboxQuery{State: OutboxFailed})
	if err != nil || len(failed) != 1 || failed[0].EventID != "e0" || failed[0].DoneAt.IsZero() {
		t.Fatalf("failed = %+v, %v", failed, err)
	}
	_, err = s.ReplayOutbox(ctx, due[1].ID, dl)
	wantErr(t, err, ErrInvalid, "still pending")
	_, err = s.ReplayOutbox(ctx, 999, dl)
	wantErr(t, err, ErrNotFound)
	clk.Advance(time.Second)
	re, err := s.ReplayOutbox(ctx, failed[0].ID, clk.Now().Add(time.Hour))
	if err != nil || re.State != OutboxPending || re.EventID != "e0" || !re.NextAttemptAt.Equal(clk.Now()) {
		t.Fatalf("replay = %+v, %v", re, err)
	}
	_, err = s.ListOutbox(ctx, OutboxQuery{State: "weird"})
	wantErr(t, err, ErrInvalid, "outbox state")
	_ = s.FinishOutbox(ctx, []OutboxResult{{ID: due[1].ID, State: OutboxDelivered, At: clk.Now()}})
	n, err := s.PruneOutbox(ctx, clk.Now().Add(time.Millisecond))
	if err != nil || n != 1 {
		t.Fatalf("prune = %d, %v; want the one delivered item", n, err)
	}
}

func TestOutboxRejectsBadItems(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	good := item("ok", "k", clk.Now().Add(time.Hour))
	bad := item("bad", "k", time.Time{})
	wantErr(t, s.EnqueueOutbox(ctx, []OutboxItem{good, bad}), ErrInvalid, "deadline")
	big := good
	big.Payload = make([]byte, MaxOutboxPayload+1)
	wantErr(t, s.EnqueueOutbox(ctx, []OutboxItem{big}), ErrInvalid, "payload")
	if all, _ := s.ListOutbox(ctx, OutboxQuery{}); len(all) != 0 {
		t.Fatalf("outbox after rejects = %+v, want empty (all or nothing)", all)
	}
}
