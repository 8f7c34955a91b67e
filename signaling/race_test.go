package signaling

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// ringingMachine returns a machine with alice ringing bob (30 s timeout).
func ringingMachine(t0 time.Time) (*machine, *call) {
	m := newMachine(DefaultConfig())
	c, _, err := m.initiate(t0, initiateReq{sessionID: "s1", caller: "alice", receiverType: protocol.ReceiverUser,
		receiver: "bob", callType: protocol.CallAudio, timeout: 30})
	if err != nil {
		panic(err)
	}
	m.fx = m.fx[:0]
	return m, c
}

// Semantic 11: accept, cancel and timeout at the same instant, in every
// order: the first one decides, the others are refused or do nothing, and
// the call has exactly one outcome.
func TestSameInstantRacesHaveOneOutcome(t *testing.T) {
	t0 := time.UnixMilli(1_700_000_000_000)
	at := t0.Add(30 * time.Second) // the timeout is due now
	ops := map[string]func(m *machine) error{
		"accept": func(m *machine) error { _, err := m.accept(at, "s1", "bob"); return err },
		"cancel": func(m *machine) error { _, err := m.reject(at, "s1", "alice", protocol.StatusCancelled); return err },
		"reject": func(m *machine) error { _, err := m.reject(at, "s1", "bob", protocol.StatusRejected); return err },
		"timeout": func(m *machine) error {
			m.timeout(at, "s1")
			return nil
		},
	}
	want := map[string]string{"accept": protocol.StatusOngoing, "cancel": protocol.StatusCancelled, "reject": protocol.StatusRejected, "timeout": protocol.StatusUnanswered}
	for _, order := range permutations([]string{"accept", "cancel", "reject", "timeout"}) {
		m, c := ringingMachine(t0)
		terminal := 0
		for i, name := range order {
			err := ops[name](m)
			if i > 0 && err != nil && !errors.Is(err, ErrInvalidState) {
				t.Fatalf("%v: %s after the first: %v", order, name, err)
			}
			for _, e := range m.fx {
				if e.kind == fxTerminal {
					terminal++
				}
			}
			m.fx = m.fx[:0]
		}
		if c.status != want[order[0]] {
			t.Fatalf("%v: status %s, want %s", order, c.status, want[order[0]])
		}
		if wantTerm := map[bool]int{true: 1, false: 0}[order[0] != "accept"]; terminal != wantTerm {
			t.Fatalf("%v: %d terminal transitions", order, terminal)
		}
		if m.ringing+m.ongoing != map[bool]int{true: 1, false: 0}[order[0] == "accept"] {
			t.Fatalf("%v: counts ringing=%d ongoing=%d", order, m.ringing, m.ongoing)
		}
	}
}

func permutations(xs []string) [][]string {
	if len(xs) <= 1 {
		return [][]string{append([]string(nil), xs...)}
	}
	var out [][]string
	for i := range xs {
		rest := append(append([]string(nil), xs[:i]...), xs[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]string{xs[i]}, p...))
		}
	}
	return out
}

// Semantic 11 through the hub: accept, cancel and the timer fire
// concurrently (run under -race); exactly one wins each time.
func TestConcurrentAcceptCancelTimeout(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice, bob := e.dial("alice"), e.dial("bob")
	for i := 0; i < 20; i++ {
		out := alice.call("bob")
		bob.expect(protocol.EventIncomingCall)
		var acceptErr, cancelErr error
		var wg sync.WaitGroup
		wg.Add(3)
		go func() { defer wg.Done(); _, acceptErr = bob.AcceptCall(ctxT(t), out.SessionID) }()
		go func() {
			defer wg.Done()
			_, cancelErr = alice.RejectCall(ctxT(t), out.SessionID, protocol.StatusCancelled)
		}()
		go func() { defer wg.Done(); e.clock.Advance(45 * time.Second) }()
		wg.Wait()
		_ = alice.Sync(ctxT(t))
		_ = bob.Sync(ctxT(t))
		log := e.log("alice")
		status := log[0].Status
		switch {
		case acceptErr == nil:
			wantCode(t, cancelErr, "invalid_state")
			if status != protocol.StatusOngoing {
				t.Fatalf("accept won but status %s", status)
			}
			if _, err := alice.EndCall(ctxT(t), out.SessionID); err != nil {
				t.Fatal(err)
			}
		case cancelErr == nil:
			wantCode(t, acceptErr, "invalid_state")
			if status != protocol.StatusCancelled {
				t.Fatalf("cancel won but status %s", status)
			}
		default:
			wantCode(t, acceptErr, "invalid_state")
			wantCode(t, cancelErr, "invalid_state")
			if status != protocol.StatusUnanswered {
				t.Fatalf("timeout won but status %s", status)
			}
		}
		drain(alice)
		drain(bob)
	}
	if e.hub.ActiveCalls() != 0 {
		t.Fatalf("%d calls left active", e.hub.ActiveCalls())
	}
}

// drain discards the events already delivered to d.
func drain(d *device) {
	_ = d.Sync(ctxT(d.t))
	for {
		select {
		case <-d.events:
		default:
			return
		}
	}
}
