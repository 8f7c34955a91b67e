package store

import (
	"context"
	"fmt"
	"strings"
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

func TestOutboxEnqueuePendingFinish(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	dl := clk.Now().Add(time.Hour)
	stored, err := s.EnqueueOutbox(ctx, []OutboxItem{item("a1", "A", dl), item("b1", "B", dl), item("a2", "A", dl), item("a1", "A", dl)})
	if err != nil {
		t.Fatal(err)
	}
	if ids(stored) != "a1 b1 a2 " || stored[0].ID == 0 || stored[2].ID <= stored[1].ID || !stored[0].NextAttemptAt.Equal(clk.Now()) {
		t.Fatalf("stored = %+v, want a1 b1 a2 with ids in order (the duplicate a1 skipped)", stored)
	}
	pending, err := s.PendingOutbox(ctx, 0, 10)
	if err != nil || ids(pending) != "a1 b1 a2 " {
		t.Fatalf("pending = %q, %v", ids(pending), err)
	}
	if after, _ := s.PendingOutbox(ctx, stored[0].ID, 1); ids(after) != "b1 " {
		t.Fatalf("pending after a1, limit 1 = %q", ids(after))
	}
	retry := clk.Now().Add(time.Minute)
	if err := s.FinishOutbox(ctx, []OutboxResult{{ID: stored[0].ID, State: OutboxPending, Retry: retry, Error: "503"},
		{ID: stored[1].ID, State: OutboxDelivered, At: clk.Now()}}); err != nil {
		t.Fatal(err)
	}
	pending, _ = s.PendingOutbox(ctx, 0, 10)
	if ids(pending) != "a1 a2 " || pending[0].Attempts != 1 || pending[0].LastError != "503" || !pending[0].NextAttemptAt.Equal(retry) {
		t.Fatalf("pending after a retry = %+v", pending)
	}
	err = s.FinishOutbox(ctx, []OutboxResult{{ID: stored[0].ID, State: OutboxPending}})
	wantErr(t, err, ErrInvalid, "no retry time")
}

func TestOutboxListReplayPrune(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	dl := clk.Now().Add(time.Hour)
	var items []OutboxItem
	for i := range 3 {
		items = append(items, item(fmt.Sprint("e", i), fmt.Sprint("k", i), dl))
	}
	due, err := s.EnqueueOutbox(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.FinishOutbox(ctx, []OutboxResult{{ID: due[0].ID, State: OutboxFailed, At: clk.Now(), Error: "expired"}})
	failed, err := s.ListOutbox(ctx, OutboxQuery{State: OutboxFailed})
	if err != nil || len(failed) != 1 || failed[0].EventID != "e0" || failed[0].DoneAt.IsZero() {
		t.Fatalf("failed = %+v, %v", failed, err)
	}
	_, err = s.ReplayOutbox(ctx, due[1].ID, dl, "")
	wantErr(t, err, ErrInvalid, "still pending")
	_, err = s.ReplayOutbox(ctx, 999, dl, "")
	wantErr(t, err, ErrNotFound)
	clk.Advance(time.Second)
	re, err := s.ReplayOutbox(ctx, failed[0].ID, clk.Now().Add(time.Hour), "n2")
	if err != nil || re.State != OutboxPending || re.EventID != "e0" || !re.NextAttemptAt.Equal(clk.Now()) || re.Node != "n2" {
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

// TestOutboxNodes: each item names the node that delivers it; a node reads
// back its own pending items; a claim moves pending items (not done ones)
// to the node that takes them over.
func TestOutboxNodes(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	dl := clk.Now().Add(time.Hour)
	on := func(node string, it OutboxItem) OutboxItem { it.Node = node; return it }
	stored, err := s.EnqueueOutbox(ctx, []OutboxItem{on("n1", item("a1", "A", dl)), on("n2", item("b1", "B", dl)),
		on("n1", item("a2", "A", dl)), item("c1", "C", dl), on("n2", item("b2", "B", dl))})
	if err != nil {
		t.Fatal(err)
	}
	of := func(node string, after int64) string {
		t.Helper()
		got, err := s.PendingOutboxOf(ctx, node, after, 10)
		if err != nil {
			t.Fatal(err)
		}
		return ids(got)
	}
	if got := of("n1", 0); got != "a1 a2 " {
		t.Fatalf("n1's pending = %q, want a1 a2", got)
	}
	if got := of("", 0); got != "c1 " {
		t.Fatalf("a lone server's pending = %q, want c1", got)
	}
	if all, _ := s.PendingOutbox(ctx, 0, 10); ids(all) != "a1 b1 a2 c1 b2 " || all[1].Node != "n2" {
		t.Fatalf("every pending item = %+v", all)
	}
	_ = s.FinishOutbox(ctx, []OutboxResult{{ID: stored[1].ID, State: OutboxDelivered, At: clk.Now()}})
	if err := s.ClaimOutbox(ctx, "n1", []int64{stored[1].ID, stored[4].ID}); err != nil {
		t.Fatal(err)
	}
	if got := of("n1", stored[0].ID); got != "a2 b2 " {
		t.Fatalf("n1's pending after a1, after taking b1 (delivered) and b2 over = %q, want a2 b2", got)
	}
	if got := of("n2", 0); got != "" {
		t.Fatalf("n2's pending after the claim = %q, want none", got)
	}
	if done, _ := s.ListOutbox(ctx, OutboxQuery{State: OutboxDelivered}); len(done) != 1 || done[0].Node != "n2" {
		t.Fatalf("the delivered item = %+v, want it left to n2", done)
	}
	long := strings.Repeat("n", MaxIDLen+1)
	_, err = s.EnqueueOutbox(ctx, []OutboxItem{on(long, item("d1", "D", dl))})
	wantErr(t, err, ErrInvalid, "node")
	wantErr(t, s.ClaimOutbox(ctx, long, []int64{stored[0].ID}), ErrInvalid, "node")
}

func TestOutboxRejectsBadItems(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	good := item("ok", "k", clk.Now().Add(time.Hour))
	bad := item("bad", "k", time.Time{})
	_, err := s.EnqueueOutbox(ctx, []OutboxItem{good, bad})
	wantErr(t, err, ErrInvalid, "deadline")
	big := good
	big.Payload = make([]byte, MaxOutboxPayload+1)
	_, err = s.EnqueueOutbox(ctx, []OutboxItem{big})
	wantErr(t, err, ErrInvalid, "payload")
	if all, _ := s.ListOutbox(ctx, OutboxQuery{}); len(all) != 0 {
		t.Fatalf("outbox after rejects = %+v, want empty (all or nothing)", all)
	}
}
