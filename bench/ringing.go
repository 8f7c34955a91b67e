package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
)

// Ringing steps, in flow order.
var ringSteps = []string{
	"initiate (reply)", "incomingCall at callee", "accept (reply with token)",
	"callAccepted at caller (token)", "end (reply)",
}

// stamped is an event with its arrival time.
type stampedCall struct {
	call client.Call
	at   time.Time
}

// ringPair is a caller and a callee with their chat connections.
type ringPair struct {
	caller, callee *client.Client
	calleeID       string
	incoming       chan stampedCall
	accepted       chan stampedCall
}

func newRingPair(ctx context.Context, t *SwitchboardTarget, callerID, calleeID string) (*ringPair, error) {
	p := &ringPair{calleeID: calleeID, incoming: make(chan stampedCall, 8), accepted: make(chan stampedCall, 8)}
	var err error
	if p.caller, err = t.DialUser(ctx, callerID); err != nil {
		return nil, err
	}
	if p.callee, err = t.DialUser(ctx, calleeID); err != nil {
		return nil, errors.Join(err, p.caller.Close())
	}
	push := func(ch chan stampedCall) func(client.Call) {
		return func(c client.Call) {
			select {
			case ch <- stampedCall{c, time.Now()}:
			default:
			}
		}
	}
	p.callee.AddCallListener("bench", client.CallListener{OnIncomingCallReceived: push(p.incoming)})
	p.caller.AddCallListener("bench", client.CallListener{OnOutgoingCallAccepted: push(p.accepted)})
	return p, nil
}

func (p *ringPair) close() error { return errors.Join(p.caller.Close(), p.callee.Close()) }

// waitFor returns the first event on ch for sessionID (older ones are stale).
func waitFor(ctx context.Context, ch <-chan stampedCall, sessionID string) (time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for {
		select {
		case e := <-ch:
			if e.call.SessionID == sessionID {
				return e.at, nil
			}
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		}
	}
}

// flow runs one complete call flow and returns each step's latency.
func (p *ringPair) flow(ctx context.Context) ([]time.Duration, error) {
	steps := make([]time.Duration, len(ringSteps))
	t0 := time.Now()
	call, err := p.caller.InitiateCall(ctx, client.CallRequest{
		ReceiverID: p.calleeID, ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		return nil, fmt.Errorf("initiate: %w", err)
	}
	steps[0] = time.Since(t0)
	if call.Status != "initiated" {
		return nil, fmt.Errorf("initiate: call is %q, not initiated", call.Status)
	}
	at, err := waitFor(ctx, p.incoming, call.SessionID)
	if err != nil {
		return nil, fmt.Errorf("incomingCall: %w", err)
	}
	steps[1] = at.Sub(t0)
	t2 := time.Now()
	acc, err := p.callee.AcceptCall(ctx, call.SessionID)
	if err != nil || acc.CallToken == "" {
		return nil, fmt.Errorf("accept: %w (token %q)", err, acc.CallToken)
	}
	steps[2] = time.Since(t2)
	if at, err = waitFor(ctx, p.accepted, call.SessionID); err != nil {
		return nil, fmt.Errorf("callAccepted: %w", err)
	}
	steps[3] = at.Sub(t2)
	t4 := time.Now()
	if _, err := p.caller.EndCall(ctx, call.SessionID); err != nil {
		return nil, fmt.Errorf("end: %w", err)
	}
	steps[4] = time.Since(t4)
	return steps, nil
}

// flowSamples collects step latencies from many pairs.
type flowSamples struct {
	mu     sync.Mutex // guards the fields below
	steps  [][]time.Duration
	flows  int
	errors int
	first  error
}

func (s *flowSamples) add(steps []time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errors++
		if s.first == nil {
			s.first = err
		}
		return
	}
	s.flows++
	if s.steps == nil {
		s.steps = make([][]time.Duration, len(steps))
	}
	for i, d := range steps {
		s.steps[i] = append(s.steps[i], d)
	}
}

func (s *flowSamples) latencies() []StepLatency {
	out := make([]StepLatency, len(ringSteps))
	for i, name := range ringSteps {
		out[i].Step = name
		if i < len(s.steps) {
			out[i].P50MS = ms(Percentile(s.steps[i], 0.5))
			out[i].P99MS = ms(Percentile(s.steps[i], 0.99))
		}
	}
	return out
}

// RunRinging measures complete call flows: flat out (every pair loops back
// to back for d), then paced at rate flows/s for d.
func RunRinging(ctx context.Context, t *SwitchboardTarget, pairs int, d time.Duration, rate float64) (*RingingResult, error) {
	uids, err := t.CreateUsers(ctx, "ring", 2*pairs)
	if err != nil {
		return nil, err
	}
	ps := make([]*ringPair, 0, pairs)
	defer func() {
		for _, p := range ps {
			_ = p.close()
		}
	}()
	for i := range pairs {
		p, err := newRingPair(ctx, t, uids[2*i], uids[2*i+1])
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	res := &RingingResult{Pairs: pairs, PacedRate: rate}
	cpu0, err := ReadProc(t.PID())
	if err != nil {
		return nil, err
	}
	self0 := SelfCPU()
	flat := runFlows(ctx, ps, d, 0)
	self1 := SelfCPU()
	cpu1, err := ReadProc(t.PID())
	if err != nil {
		return nil, err
	}
	res.Flows, res.Errors, res.Steps = flat.flows, flat.errors, flat.latencies()
	res.FlowsPerSec = float64(flat.flows) / cpu1.At.Sub(cpu0.At).Seconds()
	res.ServerCPU = 100 * (cpu1.CPU - cpu0.CPU).Seconds() / cpu1.At.Sub(cpu0.At).Seconds()
	res.LoadCPU = 100 * (self1 - self0).Seconds() / cpu1.At.Sub(cpu0.At).Seconds()
	if rate > 0 {
		paced := runFlows(ctx, ps, d, rate)
		cpu2, err := ReadProc(t.PID())
		if err != nil {
			return nil, err
		}
		res.PacedFlows, res.PacedSteps = paced.flows, paced.latencies()
		res.Errors += paced.errors
		if paced.flows > 0 {
			res.PacedFlowsPerSec = float64(paced.flows) / cpu2.At.Sub(cpu1.At).Seconds()
			res.PacedServerCPUUS = float64((cpu2.CPU - cpu1.CPU).Microseconds()) / float64(paced.flows)
		}
	}
	if flat.first != nil {
		return res, fmt.Errorf("%w: ringing: %d failed flows, first: %w", ErrScenario, flat.errors, flat.first)
	}
	return res, nil
}

// runFlows runs every pair for d: back to back when rate is 0, else each
// pair at rate/len(ps) flows per second, staggered.
func runFlows(ctx context.Context, ps []*ringPair, d time.Duration, rate float64) *flowSamples {
	s := &flowSamples{}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var period time.Duration
			if rate > 0 {
				period = time.Duration(float64(len(ps)) / rate * float64(time.Second))
				if sleepCtx(ctx, time.Duration(float64(i)/rate*float64(time.Second))) != nil {
					return
				}
			}
			next := time.Now()
			for ctx.Err() == nil {
				steps, err := p.flow(context.WithoutCancel(ctx))
				s.add(steps, err)
				if err != nil {
					return
				}
				if period > 0 {
					next = next.Add(period)
					if sleepCtx(ctx, time.Until(next)) != nil {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	return s
}
