package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"golang.org/x/sys/unix"
)

// RaiseFileLimit lifts this process's open-file soft limit to its hard
// limit (children inherit it) and returns the limit now in force.
func RaiseFileLimit() uint64 {
	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &lim) != nil {
		return 0
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		_ = unix.Setrlimit(unix.RLIMIT_NOFILE, &lim)
	}
	return lim.Cur
}

// idleMetrics are read from the server before and after.
var idleMetrics = []string{"go_memstats_heap_inuse_bytes", "go_memstats_stack_inuse_bytes", "go_goroutines"}

// idleWorkers is how many connections are opened at once.
const idleWorkers = 16

// RunIdle opens n signaling connections (one user each), holds them, and
// reports how many the server kept and the RSS they cost it.
func RunIdle(ctx context.Context, t *SwitchboardTarget, n int) (*IdleResult, error) {
	uids, err := t.CreateUsers(ctx, "idle", n)
	if err != nil {
		return nil, err
	}
	before, err := ReadProc(t.PID())
	if err != nil {
		return nil, err
	}
	mBefore, err := readMetrics(ctx, t.Child.URL+"/metrics", idleMetrics...)
	if err != nil {
		return nil, err
	}
	res := &IdleResult{Wanted: n}
	conns := make([]*client.Client, n)
	var mu sync.Mutex // guards res.Errors and res.FirstError
	var wg sync.WaitGroup
	next := make(chan int)
	for range idleWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c, err := t.DialUser(ctx, uids[i])
				if err != nil {
					mu.Lock()
					res.Errors++
					if res.FirstError == "" {
						res.FirstError = err.Error()
					}
					mu.Unlock()
					continue
				}
				conns[i] = c
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	defer func() {
		for _, c := range conns {
			if c != nil {
				_ = c.Close()
			}
		}
	}()
	if err := sleepCtx(ctx, time.Second); err != nil { // let the server settle
		return nil, err
	}
	for _, c := range conns {
		if c == nil {
			continue
		}
		select {
		case <-c.Done():
		default:
			res.Held++
		}
	}
	// One round trip on a sample proves the held connections still answer.
	for i := 0; i < len(conns); i += max(1, len(conns)/20) {
		if c := conns[i]; c != nil {
			if err := c.Ping(ctx); err != nil {
				return res, fmt.Errorf("%w: idle connection %d does not answer: %w", ErrScenario, i, err)
			}
		}
	}
	after, err := ReadProc(t.PID())
	if err != nil {
		return nil, err
	}
	mAfter, err := readMetrics(ctx, t.Child.URL+"/metrics", idleMetrics...)
	if err != nil {
		return nil, err
	}
	res.RSSDeltaMB = float64(after.RSS-before.RSS) / (1 << 20)
	if h := float64(res.Held); h > 0 {
		res.KBPerConn = float64(after.RSS-before.RSS) / 1024 / h
		delta := func(name string) float64 { return (mAfter[name] - mBefore[name]) / h }
		res.HeapKBPerConn = delta(idleMetrics[0]) / 1024
		res.StackKBPerConn = delta(idleMetrics[1]) / 1024
		res.GoroutinesPerConn = delta(idleMetrics[2])
	}
	return res, nil
}
