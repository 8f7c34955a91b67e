package web_test

import (
	"context"
	"fmt"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/server"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
)

// BenchmarkRingingPushWebhooks runs complete ringing flows (initiate,
// incomingCall, accept, outgoingCallAccepted, end) on 16 caller/callee pairs
// in parallel, with pushes and webhooks off, then on against the local
// fakes (every callee has an apns-voip device, policy always: each flow
// sends a ring push and 7 webhooks; no stop push, as the device that
// answers is the one rung). It reports flows/s and, with
// them on, the p99 from event to delivery at the fakes (webhook: the event's
// createdAt to its arrival; ring push: the call's initiatedAt to its
// arrival). The fakes and the clients run in this process and share its
// CPU; their goroutines carry the pprof label side=fakes or side=clients
// (the server's have none), so a CPU profile tells the server's share:
//
//	go test ./web/ -run '^$' -bench RingingPushWebhooks -benchtime 4000x -count 3
//	go test -c -o /tmp/web.test ./web/ && cd web &&
//	  /tmp/web.test -test.run '^$' -test.bench 'RingingPushWebhooks/on$' -test.benchtime 2000x -test.cpuprofile /tmp/on.pprof &&
//	  go tool pprof -tags /tmp/web.test /tmp/on.pprof   # side: clients / fakes; the rest is the server (and GC)
func BenchmarkRingingPushWebhooks(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(map[bool]string{false: "off", true: "on"}[on], func(b *testing.B) {
			benchRinging(b, on, 0)
		})
	}
	// Paced: the delivery latency when the outbox keeps up (flat out, the
	// latency is mostly the backlog).
	b.Run("on-paced-100", func(b *testing.B) { benchRinging(b, true, 100) })
	b.Run("on-paced-20", func(b *testing.B) { benchRinging(b, true, 20) })
}

// benchRinging runs b.N flows; rate > 0 paces them to rate flows/s in all.
func benchRinging(b *testing.B, on bool, rate float64) {
	var app *server.App
	var p *providers
	noLimit := func(cfg *server.Config) { cfg.Ringing.InitiateRate, cfg.Ringing.RequestRate = 0, 0 }
	if on {
		as(sideFakes, func() { p = newProviders(b) })
		app = startPushAppWith(b, p, noLimit, func(cfg *server.Config) { cfg.Push.Policy = push.PolicyAlways })
	} else {
		app = startApp(b, noLimit)
	}
	// The clients' goroutines (and those they start) are labelled too.
	var start time.Time
	var cpu0 time.Duration
	as(sideClients, func() { start, cpu0 = benchFlows(b, app, on, rate) })
	if on {
		waitDeliveries(b, p, start, cpu0)
	}
}

// Goroutine labels of what is not the server (pprof -tags shows the split).
var (
	sideFakes   = pprof.Labels("side", "fakes")
	sideClients = pprof.Labels("side", "clients")
)

// as runs f with labels; goroutines f starts inherit them.
func as(l pprof.LabelSet, f func()) { pprof.Do(context.Background(), l, func(context.Context) { f() }) }

// benchFlows runs b.N flows on 16 pairs and reports flows/s (and, off, CPU
// per flow); it returns when and at what CPU time the flows started.
func benchFlows(b *testing.B, app *server.App, on bool, rate float64) (time.Time, time.Duration) {
	const pairs = 16
	type pair struct {
		caller, callee *client.Client
		calleeID       string
		incoming       chan string
		accepted       chan string
	}
	ctx := context.Background()
	ps := make([]*pair, pairs)
	for i := range ps {
		pr := &pair{calleeID: fmt.Sprint("callee", i), incoming: make(chan string, 4), accepted: make(chan string, 4)}
		pr.caller = dialB(b, app, fmt.Sprint("caller", i))
		pr.callee = dialB(b, app, pr.calleeID)
		pr.callee.AddCallListener("b", client.CallListener{OnIncomingCallReceived: func(c client.Call) { pr.incoming <- c.SessionID }})
		pr.caller.AddCallListener("b", client.CallListener{OnOutgoingCallAccepted: func(c client.Call) { pr.accepted <- c.SessionID }})
		if on {
			if _, err := pr.callee.RegisterDevice(ctx, client.DeviceParams{DeviceID: "phone", Kind: client.DeviceAPNsVoIP,
				Token: fmt.Sprintf("%064x", i), AppID: "com.example.calls"}); err != nil {
				b.Fatal(err)
			}
		}
		ps[i] = pr
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, pairs)
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	for _, pr := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tick *time.Ticker
			if rate > 0 {
				tick = time.NewTicker(time.Duration(float64(pairs) / rate * float64(time.Second)))
				defer tick.Stop()
			}
			for next.Add(1) <= int64(b.N) {
				if tick != nil {
					<-tick.C
				}
				c, err := pr.caller.InitiateCall(ctx, client.CallRequest{ReceiverID: pr.calleeID, ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
				if err != nil {
					errs <- err
					return
				}
				<-pr.incoming
				if _, err := pr.callee.AcceptCall(ctx, c.SessionID); err != nil {
					errs <- err
					return
				}
				<-pr.accepted
				if _, err := pr.caller.EndCall(ctx, c.SessionID); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "flows/s")
	if !on {
		b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-us/flow")
	}
	return start, cpu0
}

// waitDeliveries waits for every delivery of the flows started at start
// (CPU time cpu0), then reports the latencies seen at the fakes and CPU
// per flow including the drain.
func waitDeliveries(b *testing.B, p *providers, start time.Time, cpu0 time.Duration) {
	wantHooks, wantPushes := 7*b.N, b.N // the ring; no stop push to the device that answered
	deadline := time.Now().Add(2 * time.Minute)
	for (p.hook.Count() < wantHooks || p.apns.Count() < wantPushes) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	hooks, pushes := p.hook.Delays(), ringDelays(p.apns.Requests())
	if len(hooks) < wantHooks || len(pushes) < b.N {
		b.Fatalf("delivered %d/%d webhooks, %d/%d ring pushes", len(hooks), wantHooks, len(pushes), b.N)
	}
	b.ReportMetric(p99(hooks).Seconds()*1000, "hook-p99-ms")
	b.ReportMetric(p99(pushes).Seconds()*1000, "ringpush-p99-ms")
	b.ReportMetric(float64(time.Since(start))/float64(time.Second), "drained-s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-us/flow")
}

func p99(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)*99/100]
}

// dialB signs uid in on /v1/ws.
func dialB(b *testing.B, app *server.App, uid string) *client.Client {
	b.Helper()
	tok, err := app.Tokens().MintAuth(uid, uid, 0)
	if err != nil {
		b.Fatal(err)
	}
	c, err := client.Dial(context.Background(), app.URL(), tok)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	return c
}

// ringDelays is, per ring push, its arrival minus the call's initiatedAt
// (ringDeadline minus the default 45 s ring timeout).
func ringDelays(reqs []pushtest.Request) []time.Duration {
	var out []time.Duration
	for _, r := range reqs {
		m := sb(r)
		if m["type"] != "ring" {
			continue
		}
		deadline, _ := m["ringDeadline"].(float64)
		initiated := time.UnixMilli(int64(deadline)).Add(-45 * time.Second)
		out = append(out, r.At.Sub(initiated))
	}
	return out
}

// cpuTime is this process's user+system CPU time (server, clients and fakes).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
