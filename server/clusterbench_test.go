package server_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/cluster/redistest"
	"github.com/switchboard-rtc/switchboard/internal/calltest"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/store/pgtest"
)

// BenchmarkClusterRinging runs complete 1:1 ringing flows (initiateCall,
// incomingCall, acceptCall, outgoingCallAccepted, endCall, callEnded) from
// 8 caller/callee pairs at once on: one node with SQLite, one node with
// PostgreSQL and Redis, and three nodes (each pair's caller and callee on
// different nodes); then three nodes with 8 pairs each (24 in all: each
// node carries what the single node did, as when nodes are added for
// load, and batches its writes as much). It reports flows/s, the p99 of each step, the process
// CPU per flow (every node runs in this process, the clients too),
// redis-server's and PostgreSQL's own CPU per flow, their total, and
// Redis commands per flow (renewals excluded: keepalive 1 min). Figures:
// docs/benchmarks.md.
func BenchmarkClusterRinging(b *testing.B) {
	for _, setup := range []struct {
		name  string
		nodes int
		redis bool
		pairs int
	}{{"1node-sqlite", 1, false, 8}, {"1node-pg-redis", 1, true, 8}, {"3nodes", 3, true, 8}, {"3nodes-8each", 3, true, 24}} {
		b.Run(setup.name, func(b *testing.B) {
			nodes, rdb, pg := benchNodes(b, setup.nodes, setup.redis)
			runFlows(b, nodes, rdb, pg, setup.pairs)
		})
	}
}

func benchNodes(b *testing.B, n int, withRedis bool) ([]*server.App, *redis.Client, *pgtest.Server) {
	var rd *redistest.Server
	var pg *pgtest.Server
	var dsn string
	var keys map[string]string
	if withRedis {
		rd, pg = redistest.Start(b), pgtest.Require(b)
		dsn = pg.NewDSN(b)
	}
	var apps []*server.App
	for i := range n {
		cfg := server.LocalConfig(filepath.Join(b.TempDir(), "sb.db"))
		cfg.Ringing.InitiateRate, cfg.Ringing.RequestRate = 0, 0
		if withRedis {
			if keys == nil {
				keys = cfg.Keys
			}
			cfg.Keys = keys
			cfg.Store.Driver, cfg.Store.DSN = store.DriverPostgres, dsn
			cfg.Cluster.Redis, cfg.Cluster.NodeID = rd.URL(), fmt.Sprint("b", i+1)
			cfg.Cluster.Keepalive, cfg.Cluster.Expiry = time.Minute, 3*time.Minute
		}
		app, err := server.Start(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = app.Close() })
		apps = append(apps, app)
	}
	if rd == nil {
		return apps, nil, nil
	}
	rdb := redis.NewClient(rd.Options())
	b.Cleanup(func() { _ = rdb.Close() })
	return apps, rdb, pg
}

// benchPair is a caller and a callee with the events they wait for.
type benchPair struct {
	caller, callee          *client.Client
	calleeUID               string
	incoming, accepted, end chan string
	retries                 atomic.Int64 // initiateCall refused busy by the previous flow's pending release
}

// steps of a flow, timed on the client side.
var benchSteps = []string{"initiate", "ring", "accept", "accepted", "end", "ended"}

func runFlows(b *testing.B, nodes []*server.App, rdb *redis.Client, pg *pgtest.Server, pairs int) {
	var ps []*benchPair
	for i := range pairs {
		cn, en := nodes[i%len(nodes)], nodes[(i+1)%len(nodes)]
		p := &benchPair{calleeUID: fmt.Sprint("callee", i), incoming: make(chan string, 4), accepted: make(chan string, 4), end: make(chan string, 4)}
		p.caller = calltest.SignIn(b, cn, cn.URL(), fmt.Sprint("caller", i), client.DialOptions{})
		p.callee = calltest.SignIn(b, en, en.URL(), p.calleeUID, client.DialOptions{})
		p.callee.AddCallListener("b", client.CallListener{
			OnIncomingCallReceived:     func(c client.Call) { p.incoming <- c.SessionID },
			OnCallEndedMessageReceived: func(c client.Call) { p.end <- c.SessionID },
		})
		p.caller.AddCallListener("b", client.CallListener{OnOutgoingCallAccepted: func(c client.Call) { p.accepted <- c.SessionID }})
		ps = append(ps, p)
	}
	var mu sync.Mutex
	durs := make(map[string][]time.Duration)
	var left atomic.Int64
	left.Store(int64(b.N))
	cmds0, cpu0, rcpu0, pcpu0 := redisCommands(b, rdb), cpuTime(), redisCPU(b, rdb), pgCPU(b, pg)
	stats0, reads0 := commandStats(b, rdb), redisStat(b, rdb, "total_reads_processed")
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				d, err := p.flow()
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				for i, s := range benchSteps {
					durs[s] = append(durs[s], d[i])
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "flows/s")
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/flow")
	total := cpu
	if rdb != nil {
		waitReleased(b, rdb)
		b.ReportMetric(float64(redisCommands(b, rdb)-cmds0-3)/float64(b.N), "redis-cmds/flow")
		rcpu, pcpu := redisCPU(b, rdb)-rcpu0, pgCPU(b, pg)-pcpu0
		total += rcpu + pcpu
		b.ReportMetric(float64(rcpu.Microseconds())/float64(b.N), "redis-cpu-µs/flow")
		b.ReportMetric(float64(pcpu.Microseconds())/float64(b.N), "pg-cpu-µs/flow")
		logCommandStats(b, stats0, commandStats(b, rdb))
		b.ReportMetric(float64(redisStat(b, rdb, "total_reads_processed")-reads0)/float64(b.N), "redis-reads/flow")
	}
	// Everything the setup costs: this process (servers, SQLite, clients),
	// redis-server and PostgreSQL's processes.
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "total-cpu-µs/flow")
	for _, s := range benchSteps {
		b.ReportMetric(float64(p99(durs[s]).Microseconds())/1000, "p99-"+s+"-ms")
	}
	var retries int64
	for _, p := range ps {
		retries += p.retries.Load()
	}
	b.ReportMetric(float64(retries)/float64(b.N), "busy-retries/flow")
}

// flow runs one complete flow and returns each step's duration.
func (p *benchPair) flow() ([]time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	d := make([]time.Duration, 0, len(benchSteps))
	t0 := time.Now()
	var call client.Call
	var err error
	for {
		call, err = p.caller.InitiateCall(ctx, client.CallRequest{ReceiverID: p.calleeUID, ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
		// The previous flow's release reaches Redis after callEnded (it is
		// queued): until then the caller is still busy there. Counted.
		if err == nil || !strings.Contains(err.Error(), "already in a call") || ctx.Err() != nil {
			break
		}
		p.retries.Add(1)
		time.Sleep(time.Millisecond)
	}
	if err != nil {
		return nil, err
	}
	d = append(d, time.Since(t0))
	if err := waitSID(ctx, p.incoming, call.SessionID); err != nil {
		return nil, fmt.Errorf("incomingCall: %w", err)
	}
	d = append(d, time.Since(t0))
	t1 := time.Now()
	if _, err := p.callee.AcceptCall(ctx, call.SessionID); err != nil {
		return nil, err
	}
	d = append(d, time.Since(t1))
	if err := waitSID(ctx, p.accepted, call.SessionID); err != nil {
		return nil, fmt.Errorf("outgoingCallAccepted: %w", err)
	}
	d = append(d, time.Since(t1))
	t2 := time.Now()
	if _, err := p.caller.EndCall(ctx, call.SessionID); err != nil {
		return nil, err
	}
	d = append(d, time.Since(t2))
	if err := waitSID(ctx, p.end, call.SessionID); err != nil {
		return nil, fmt.Errorf("callEnded: %w", err)
	}
	return append(d, time.Since(t2)), nil
}

func waitSID(ctx context.Context, ch chan string, sid string) error {
	for {
		select {
		case got := <-ch:
			if got == sid {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func p99(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)*99)/100-boolInt(len(s)*99%100 == 0 && len(s) > 0)]
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pgCPU is PostgreSQL's own CPU time (all its processes, from /proc).
func pgCPU(b *testing.B, pg *pgtest.Server) time.Duration {
	if pg == nil {
		return 0
	}
	d, err := pg.CPU()
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// redisCPU is redis-server's own CPU time (INFO cpu).
func redisCPU(b *testing.B, rdb *redis.Client) time.Duration {
	if rdb == nil {
		return 0
	}
	var total float64
	for k, v := range redistest.Info(b, rdb, "cpu") {
		if k == "used_cpu_sys" || k == "used_cpu_user" {
			f, _ := strconv.ParseFloat(v, 64)
			total += f
		}
	}
	return time.Duration(total * float64(time.Second))
}

// waitReleased waits until the queued releases have reached Redis (no
// call left), so they count.
func waitReleased(b *testing.B, rdb *redis.Client) {
	deadline := time.Now().Add(waitLimit)
	for {
		keys, err := rdb.Keys(context.Background(), "sb:call:*").Result()
		if err == nil && len(keys) == 0 {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("calls never released: %v %v", keys, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// commandStats is Redis's calls per command (INFO commandstats; commands
// run inside scripts count under their own names too).
func commandStats(b *testing.B, rdb *redis.Client) map[string]int64 {
	if rdb == nil {
		return nil
	}
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	out := make(map[string]int64)
	for _, line := range strings.Split(info, "\r\n") {
		name, rest, ok := strings.Cut(strings.TrimPrefix(line, "cmdstat_"), ":calls=")
		if !ok {
			continue
		}
		calls, _, _ := strings.Cut(rest, ",")
		out[name], _ = strconv.ParseInt(calls, 10, 64)
	}
	return out
}

// logCommandStats logs the Redis commands per flow, by command, largest
// first (docs/benchmarks.md's table of them).
func logCommandStats(b *testing.B, before, after map[string]int64) {
	type kind struct {
		name string
		n    int64
	}
	var ks []kind
	for name, n := range after {
		if d := n - before[name]; d > 0 && name != "info" && name != "keys" {
			ks = append(ks, kind{name, d})
		}
	}
	slices.SortFunc(ks, func(x, y kind) int { return int(y.n - x.n) })
	var sb strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&sb, " %s=%.2f", k.name, float64(k.n)/float64(b.N))
	}
	b.Logf("redis commands per flow (N=%d):%s", b.N, sb.String())
}

// redisStat is one counter of INFO stats; total_reads_processed counts the
// reads of client requests redis-server made: about one per round trip (a
// pipeline's commands arrive in one).
func redisStat(b testing.TB, rdb *redis.Client, name string) int64 {
	if rdb == nil {
		return 0
	}
	info, err := rdb.Info(context.Background(), "stats").Result()
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	b.Fatalf("no %s in INFO stats", name)
	return 0
}
