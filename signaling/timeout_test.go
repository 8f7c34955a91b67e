package signaling

import (
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Semantic 3: the timeout rules.
func TestRingTimeoutRules(t *testing.T) {
	cfg := DefaultConfig() // 45 s default, 120 s cap
	for _, tc := range []struct {
		in   float64
		want time.Duration
	}{
		{0, 45 * time.Second},
		{-3, 45 * time.Second},
		{0.9, 45 * time.Second}, // truncates to 0, which means the default
		{30.7, 30 * time.Second},
		{1, time.Second},
		{120, 120 * time.Second},
		{121, 120 * time.Second},
		{1e300, 120 * time.Second},
	} {
		if got := ringTimeout(cfg, tc.in); got != tc.want {
			t.Errorf("ringTimeout(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// Semantic 3: the server enforces the timeout: the caller gets
// outgoingCallRejected unanswered, every callee device incomingCallCancelled;
// the logs say unanswered to the caller and missed to the callee.
func TestTimeoutIsEnforcedByTheServer(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice, bob1, bob2 := e.dial("alice"), e.dial("bob"), e.dial("bob")
	out, err := alice.InitiateCall(ctxT(t), callTo("bob", 30.7))
	if err != nil || out.Timeout != 30 {
		t.Fatalf("initiate: %+v %v", out, err)
	}
	bob1.expect(protocol.EventIncomingCall)
	bob2.expect(protocol.EventIncomingCall)
	e.clock.Advance(29 * time.Second)
	alice.quiet()
	bob1.quiet()
	e.clock.Advance(time.Second)
	if got := alice.expect(protocol.EventOutgoingCallRejected).call; got.Status != protocol.StatusUnanswered {
		t.Fatalf("caller: %+v", got)
	}
	for _, d := range []*device{bob1, bob2} {
		if got := d.expect(protocol.EventIncomingCallCancelled).call; got.Reason != protocol.ReasonUnanswered {
			t.Fatalf("callee: %+v", got)
		}
	}
	if log := e.log("alice"); len(log) != 1 || log[0].Status != protocol.StatusUnanswered {
		t.Fatalf("alice's log: %+v", log)
	}
	if log := e.log("bob"); len(log) != 1 || log[0].Status != protocol.StatusMissed {
		t.Fatalf("bob's log: %+v", log)
	}
	missed, err := e.hub.CallLog(ctxT(t), "bob", protocol.LogQuery{Status: protocol.StatusMissed, Direction: "incoming"})
	if err != nil || len(missed) != 1 {
		t.Fatalf("bob's missed calls: %+v %v", missed, err)
	}
}

// Semantic 3: accept, reject or cancel stops the timer.
func TestAnswerStopsTheTimer(t *testing.T) {
	for _, how := range []string{"accept", protocol.StatusRejected, protocol.StatusCancelled} {
		t.Run(how, func(t *testing.T) {
			e := newEnv(t, nil)
			e.users("alice", "bob")
			alice, bob := e.dial("alice"), e.dial("bob")
			out := alice.call("bob")
			bob.expect(protocol.EventIncomingCall)
			var want string
			switch how {
			case "accept":
				bob.accept(out.SessionID)
				alice.expect(protocol.EventOutgoingCallAccepted)
				want = protocol.StatusOngoing
			case protocol.StatusRejected:
				if _, err := bob.RejectCall(ctxT(t), out.SessionID, how); err != nil {
					t.Fatal(err)
				}
				alice.expect(protocol.EventOutgoingCallRejected)
				want = protocol.StatusRejected
			default:
				if _, err := alice.RejectCall(ctxT(t), out.SessionID, how); err != nil {
					t.Fatal(err)
				}
				bob.expect(protocol.EventIncomingCallCancelled)
				want = protocol.StatusCancelled
			}
			e.clock.Advance(time.Hour)
			alice.quiet()
			bob.quiet()
			if log := e.log("alice"); log[0].Status != want {
				t.Fatalf("status %s, want %s", log[0].Status, want)
			}
		})
	}
}
