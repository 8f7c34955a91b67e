package store

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestSpareProcessorIsLentAndGivenBack: with one processor a second is
// there while fn runs, and goes back only when the last of two
// overlapping calls returns; with more, nothing changes.
func TestSpareProcessorIsLentAndGivenBack(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	lent := spare.lent.Load()

	inner := make(chan struct{})
	innerDone := make(chan int)
	withSpareProcessor(func() {
		if n := runtime.GOMAXPROCS(0); n != 2 {
			t.Errorf("inside, GOMAXPROCS is %d, want 2", n)
		}
		go withSpareProcessor(func() {
			<-inner
			innerDone <- runtime.GOMAXPROCS(0)
		})
		// The goroutine above has not necessarily entered yet; wait
		// until it has.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
			spare.mu.Lock()
			users := spare.users
			spare.mu.Unlock()
			if users == 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the overlapping call never started")
			}
		}
	})
	if n := runtime.GOMAXPROCS(0); n != 2 {
		t.Errorf("with an overlapping call still running, GOMAXPROCS is %d, want 2", n)
	}
	close(inner)
	if n := <-innerDone; n != 2 {
		t.Errorf("inside the overlapping call, GOMAXPROCS is %d, want 2", n)
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.GOMAXPROCS(0) != 1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after both calls, GOMAXPROCS is %d, want 1 again", runtime.GOMAXPROCS(0))
		}
	}
	if got := spare.lent.Load() - lent; got != 1 {
		t.Errorf("a processor was lent %d times for two overlapping calls, want 1", got)
	}

	runtime.GOMAXPROCS(3)
	withSpareProcessor(func() {
		if n := runtime.GOMAXPROCS(0); n != 3 {
			t.Errorf("with 3 processors, inside GOMAXPROCS is %d, want 3", n)
		}
	})
	if n := runtime.GOMAXPROCS(0); n != 3 {
		t.Errorf("with 3 processors, after GOMAXPROCS is %d, want 3", n)
	}
	if got := spare.lent.Load() - lent; got != 1 {
		t.Errorf("a processor was lent with 3 there already (%d times in all)", got)
	}
}

// TestCheckpointGetsASpareProcessor: on a one-processor process the
// background checkpoint (whose fsync blocks in the kernel) runs with a
// processor lent, and the process is back on one afterwards.
func TestCheckpointGetsASpareProcessor(t *testing.T) {
	defer func(d time.Duration) { checkpointEvery = d }(checkpointEvery)
	checkpointEvery = 20 * time.Millisecond
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	lent := spare.lent.Load()
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "c.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := s.SaveCalls(ctx, []Call{oneToOne(fmt.Sprintf("sp%04d", i), "ann", "bob", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); spare.lent.Load() == lent; time.Sleep(checkpointEvery) {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint ran with a processor lent in 5 s")
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Errorf("after the store closed, GOMAXPROCS is %d, want 1", n)
	}
}
