package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func benchStore(b *testing.B) Store {
	b.Helper()
	s, err := Open(context.Background(), Config{Path: filepath.Join(b.TempDir(), "b.db")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// BenchmarkSaveCall: one call with two participants, each save its own
// transaction (WAL, synchronous=NORMAL).
func BenchmarkSaveCall(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	i := 0
	for b.Loop() {
		if err := s.SaveCall(ctx, oneToOne(fmt.Sprintf("s%d", i), "ann", "ben", i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkListCalls: a page of 50 from a log of 10,000 calls of the user
// (among 20,000), with participants.
func BenchmarkListCalls(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	for i := range 20000 {
		caller := "ann"
		if i%2 == 1 {
			caller = "cat"
		}
		if err := s.SaveCall(ctx, oneToOne(fmt.Sprintf("s%05d", i), caller, "ben", i)); err != nil {
			b.Fatal(err)
		}
	}
	before := t0.Add(15000 * time.Minute)
	for b.Loop() {
		calls, err := s.ListCalls(ctx, CallQuery{UID: "ann", Before: before})
		if err != nil || len(calls) != 50 {
			b.Fatalf("%d calls, %v", len(calls), err)
		}
	}
}
