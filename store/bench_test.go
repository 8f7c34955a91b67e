package store

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
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

// BenchmarkSaveFlow is the call writer's load in the ringing bench: 1:1
// flows among 400 users in batches of 16 per transaction. "twice": each
// call saved ongoing at accept and ended at end (as durable replies commit
// them), each batch holding 16 new calls and the 16 of the batch before
// ending; "once": each call saved once, ended (what a writer that lingers
// over a whole flow writes); "twice-1": twice, one flow per transaction
// (each accept and end committed nearly alone, as at a moderate rate: the
// difference to "twice" is the fixed cost of a commit). Reported per flow.
func BenchmarkSaveFlow(b *testing.B) {
	b.Run("twice", func(b *testing.B) { benchSaveFlow(b, true, 16) })
	b.Run("once", func(b *testing.B) { benchSaveFlow(b, false, 16) })
	b.Run("twice-1", func(b *testing.B) { benchSaveFlow(b, true, 1) })
}

func benchSaveFlow(b *testing.B, twice bool, batch int) {
	ctx := context.Background()
	s := benchStore(b)
	var prev []Call
	n := 0
	cpu0 := cpuTime()
	w0, c0 := procWrites()
	for b.Loop() {
		cur := make([]Call, 0, batch)
		calls := make([]Call, 0, 2*batch)
		for range batch {
			caller, callee := fmt.Sprintf("u%03d", n%200), fmt.Sprintf("u%03d", 200+n%200)
			c := oneToOne(fmt.Sprintf("s%09d", n), caller, callee, n/1000)
			c.Status, c.JoinedAt = CallOngoing, c.InitiatedAt.Add(time.Second)
			c.Participants[0].Status, c.Participants[1].Status = "ongoing", "ongoing"
			c.Participants[1].JoinedAt = c.JoinedAt
			cur = append(cur, c)
			n++
		}
		if !twice {
			prev, cur = cur, nil
		}
		for _, c := range prev {
			c.Status, c.EndedAt, c.EndReason = CallEnded, c.JoinedAt.Add(time.Second), "ended"
			c.Participants = []Participant{c.Participants[0], c.Participants[1]}
			for i := range c.Participants {
				c.Participants[i].Status, c.Participants[i].LeftAt = "ended", c.EndedAt
			}
			calls = append(calls, c)
		}
		calls = append(calls, cur...)
		if err := s.SaveCalls(ctx, calls); err != nil {
			b.Fatal(err)
		}
		prev = cur
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "us/flow")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(n), "cpu-us/flow")
	w1, c1 := procWrites()
	b.ReportMetric(float64(w1-w0)/1024/float64(n), "KiB-written/flow")
	b.ReportMetric(float64(c1-c0)/float64(n), "writes/flow")
}

// cpuTime is this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
