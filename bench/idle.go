package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
)

// RaiseFileLimit lifts this process's open-file limit (children inherit
// it): the hard limit to fileLimitWanted when the process may (root), and
// the soft limit to the hard one. It returns the limit now in force.
func RaiseFileLimit() uint64 {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) != nil {
		return 0
	}
	if lim.Max < fileLimitWanted {
		up := syscall.Rlimit{Cur: fileLimitWanted, Max: fileLimitWanted}
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &up) == nil {
			return up.Cur
		}
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	return lim.Cur
}

// fileLimitWanted is enough for 100,000 idle connections (one fd each in
// the load process and in the server).
const fileLimitWanted = 120_000

// Loopback connections to one server port from 127.0.0.1 are limited by
// the kernel's ephemeral ports (ip_local_port_range, 28,232 by default).
// Connections past ephemeralBudget are dialed from explicit local ports
// below that range, from firstBoundPort up, skipping ports in use.
const (
	ephemeralBudget = 25_000
	firstBoundPort  = 2_000
)

// boundDialer is an HTTP client whose connections come from explicit
// 127.0.0.1 ports, for idle connections past ephemeralBudget.
func boundDialer() *http.Client {
	var next atomic.Int32
	next.Store(firstBoundPort - 1)
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		for {
			port := int(next.Add(1))
			if port >= 32768 {
				return nil, fmt.Errorf("bench: no free local port below 32768 for %s", addr)
			}
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}}
			c, err := d.DialContext(ctx, network, addr)
			if errors.Is(err, syscall.EADDRINUSE) {
				continue
			}
			return c, err
		}
	}
	return &http.Client{Transport: &http.Transport{DialContext: dial}}
}

// dialIdle dials idle connection i: from an ephemeral port, or past
// ephemeralBudget from an explicit one.
func dialIdle(ctx context.Context, t *SwitchboardTarget, uid string, i int, bound *http.Client) (*client.Client, error) {
	if i < ephemeralBudget {
		return t.DialUser(ctx, uid)
	}
	tok, err := t.Tokens.MintAuth(uid, uid, 24*time.Hour)
	if err != nil {
		return nil, err
	}
	return client.DialWith(ctx, t.Child.URL, tok, client.DialOptions{HTTPClient: bound})
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
	bound := boundDialer()
	conns := make([]*client.Client, n)
	var mu sync.Mutex // guards res.Errors and res.FirstError
	var wg sync.WaitGroup
	next := make(chan int)
	for range idleWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c, err := dialIdle(ctx, t, uids[i], i, bound)
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
