package signaling

import (
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// BenchmarkCallFlow measures complete 1:1 flows through real WebSockets,
// the Go client and the SQLite call log: initiate -> incomingCall ->
// accept -> outgoingCallAccepted -> endCall -> callEnded, with 64 pairs
// of users calling in parallel. It reports flows/s.
func BenchmarkCallFlow(b *testing.B) {
	const pairs = 64
	e := newEnv(b, func(c *Config) { c.RequestRate = 0 }) // a flood by design
	type pair struct {
		alice, bob *client.Client
		bobUID     string
		incoming   chan string // session ids ringing bob
		accepted   chan struct{}
		ended      chan struct{}
	}
	ps := make([]*pair, pairs)
	for i := range ps {
		a, bb := "a"+strconv.Itoa(i), "b"+strconv.Itoa(i)
		e.users(a, bb)
		p := &pair{bobUID: bb, incoming: make(chan string, 1), accepted: make(chan struct{}, 1), ended: make(chan struct{}, 1)}
		p.alice, p.bob = e.dial(a).Client, e.dial(bb).Client
		p.alice.RemoveCallListener("rec") // nobody reads the test recorder here
		p.bob.RemoveCallListener("rec")
		p.bob.AddCallListener("b", client.CallListener{
			OnIncomingCallReceived:     func(c client.Call) { p.incoming <- c.SessionID },
			OnCallEndedMessageReceived: func(client.Call) { p.ended <- struct{}{} },
		})
		p.alice.AddCallListener("a", client.CallListener{
			OnOutgoingCallAccepted: func(client.Call) { p.accepted <- struct{}{} },
		})
		ps[i] = p
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	cpu0 := processCPU()
	for _, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := ctxT(b)
			for next.Add(1) <= int64(b.N) {
				out, err := p.alice.InitiateCall(ctx, client.CallRequest{ReceiverID: p.bobUID, ReceiverType: "user", CallType: "audio"})
				if err != nil {
					b.Error(err)
					return
				}
				sid := <-p.incoming
				if _, err := p.bob.AcceptCall(ctx, sid); err != nil {
					b.Error(err)
					return
				}
				<-p.accepted
				if _, err := p.alice.EndCall(ctx, out.SessionID); err != nil {
					b.Error(err)
					return
				}
				<-p.ended
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "flows/s")
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-us/flow")
}

// processCPU is this process's user+system CPU time (server and clients).
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMachineFlow is the pure state machine's share of a flow
// (initiate, accept, end), without I/O.
func BenchmarkMachineFlow(b *testing.B) {
	m := newMachine(DefaultConfig())
	ids := make([]string, 1024)
	for i := range ids {
		ids[i] = newSessionID(time.Now())
	}
	now := time.UnixMilli(1_700_000_000_000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		id := ids[i%len(ids)]
		delete(m.calls, id)
		if _, _, err := m.initiate(now, initiateReq{sessionID: id, caller: "alice", receiverType: protocol.ReceiverUser,
			receiver: "bob", callType: protocol.CallAudio}); err != nil {
			b.Fatal(err)
		}
		if _, err := m.accept(now, id, "bob"); err != nil {
			b.Fatal(err)
		}
		if _, err := m.end(now, id, "alice", protocol.ReasonEnded); err != nil {
			b.Fatal(err)
		}
		m.fx = m.fx[:0]
		m.prune(now.Add(endedRetention))
	}
}
