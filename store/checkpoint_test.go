package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWALIsCheckpointedBesideTheWriter: a few hundred committed calls,
// far fewer WAL pages than the writer's own automatic checkpoint waits
// for, reach the database file itself within moments: the background
// checkpointer copied them, so no writer transaction had to.
func TestWALIsCheckpointedBesideTheWriter(t *testing.T) {
	defer func(d time.Duration) { checkpointEvery = d }(checkpointEvery)
	checkpointEvery = 20 * time.Millisecond
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	time.Sleep(5 * checkpointEvery) // the migrations' pages go first
	size := func() int64 {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	before := size()
	for i := range 300 {
		if err := s.SaveCalls(ctx, []Call{oneToOne(fmt.Sprintf("ck%04d", i), "ann", "bob", i)}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for size() <= before {
		if time.Now().After(deadline) {
			t.Fatalf("the database file stayed at %d bytes after 300 commits: nothing checkpointed the WAL", before)
		}
		time.Sleep(checkpointEvery)
	}
	// And the rows are all there (read through the WAL or the file alike).
	got, err := s.GetCall(ctx, "ck0299")
	if err != nil || got.SessionID != "ck0299" {
		t.Fatalf("GetCall after the checkpoints: %+v, %v", got, err)
	}
}

// TestLargeWALIsStartedOver: once the WAL has reached walRestartAt pages,
// a background pass goes on to a RESTART checkpoint, which completes, and
// every row written before and after is still there.
func TestLargeWALIsStartedOver(t *testing.T) {
	defer func(d time.Duration, n int) { checkpointEvery, walRestartAt = d, n }(checkpointEvery, walRestartAt)
	checkpointEvery = 20 * time.Millisecond
	walRestartAt = 8
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "r.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	ss, ok := s.(*sqlStore)
	if !ok || ss.ckpt == nil {
		t.Fatalf("Open gave %T without a checkpointer", s)
	}
	i := 0
	for deadline := time.Now().Add(5 * time.Second); ss.ckpt.restarts.Load() < 2; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("%d RESTART checkpoints after %d commits, want 2", ss.ckpt.restarts.Load(), i)
		}
		if err := s.SaveCalls(ctx, []Call{oneToOne(fmt.Sprintf("rs%05d", i), "ann", "bob", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for j := range i {
		id := fmt.Sprintf("rs%05d", j)
		if got, err := s.GetCall(ctx, id); err != nil || got.SessionID != id {
			t.Fatalf("GetCall(%s) after the restarts: %+v, %v", id, got, err)
		}
	}
}
