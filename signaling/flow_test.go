package signaling

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Semantics 1 and 5: every device of the callee rings; the first accept
// wins and gets its token in the reply, the caller gets its own in
// outgoingCallAccepted, the other device is told answeredElsewhere, and a
// second accept is an error, not a second call.
func TestOneToOneAcceptOnEveryDevice(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice, bob1, bob2 := e.dial("alice"), e.dial("bob"), e.dial("bob")

	out := alice.call("bob")
	if out.Status != protocol.StatusInitiated || out.Initiator.UID != "alice" || out.Initiator.Name != "Alice" ||
		out.Receiver.UID != "bob" || out.Receiver.Name != "Bob" || out.Timeout != 45 || out.InitiatedAt == 0 || out.JoinedAt != 0 {
		t.Fatalf("initiateCall result: %+v", out)
	}
	for _, d := range []*device{bob1, bob2} {
		if got := d.expect(protocol.EventIncomingCall).call; got.SessionID != out.SessionID || got.Initiator.UID != "alice" {
			t.Fatalf("incomingCall: %+v", got)
		}
	}
	acc := bob1.accept(out.SessionID)
	if acc.Status != protocol.StatusOngoing || acc.JoinedAt == 0 {
		t.Fatalf("acceptCall result: %+v", acc)
	}
	e.wantCallToken(acc.CallToken, "bob", out.SessionID)
	got := alice.expect(protocol.EventOutgoingCallAccepted).call
	if got.Status != protocol.StatusOngoing {
		t.Fatalf("outgoingCallAccepted: %+v", got)
	}
	e.wantCallToken(got.CallToken, "alice", out.SessionID)
	if c := bob2.expect(protocol.EventIncomingCallCancelled).call; c.Reason != protocol.ReasonAnsweredElsewhere {
		t.Fatalf("other device: reason %q", c.Reason)
	}
	_, err := bob2.AcceptCall(ctxT(t), out.SessionID)
	wantCode(t, err, "conflict")
	for _, uid := range []string{"alice", "bob"} {
		if err := e.hub.CanJoin(out.SessionID, uid); err != nil {
			t.Fatalf("CanJoin(%s): %v", uid, err)
		}
	}
	wantCode(t, e.hub.CanJoin(out.SessionID, "carol"), "forbidden")
	if n := e.hub.ActiveCalls(); n != 1 {
		t.Fatalf("ActiveCalls = %d, want 1", n)
	}
	alice.quiet()
	bob1.quiet()
}

func (e *env) wantCallToken(tok, uid, sid string) {
	e.t.Helper()
	c, err := e.iss.VerifyCall(tok)
	if err != nil || c.UID != uid || c.SessionID != sid {
		e.t.Fatalf("call token for %s/%s: %+v, %v", uid, sid, c, err)
	}
}

// Semantic 2: reject and busy reach the caller as outgoingCallRejected with
// that status; the callee's other devices stop ringing.
func TestRejectAndBusyReachTheCaller(t *testing.T) {
	for _, status := range []string{protocol.StatusRejected, protocol.StatusBusy} {
		t.Run(status, func(t *testing.T) {
			e := newEnv(t, nil)
			e.users("alice", "bob")
			alice, bob1, bob2 := e.dial("alice"), e.dial("bob"), e.dial("bob")
			out := alice.call("bob")
			bob1.expect(protocol.EventIncomingCall)
			bob2.expect(protocol.EventIncomingCall)
			res, err := bob1.RejectCall(ctxT(t), out.SessionID, status)
			if err != nil || res.Status != status {
				t.Fatalf("rejectCall: %+v %v", res, err)
			}
			if got := alice.expect(protocol.EventOutgoingCallRejected).call; got.Status != status || got.EndedAt == 0 {
				t.Fatalf("outgoingCallRejected: %+v", got)
			}
			bob2.expect(protocol.EventIncomingCallCancelled)
			if log := e.log("alice"); len(log) != 1 || log[0].Status != status {
				t.Fatalf("alice's log: %+v", log)
			}
			if e.hub.ActiveCalls() != 0 {
				t.Fatal("call still active")
			}
		})
	}
}

// Semantic 2: the caller cancels; every callee device is told cancelled,
// and so is every other device of the caller (the one that placed the
// call kept "Calling..." when another device cancelled it).
func TestCallerCancels(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice, bob1, bob2 := e.dial("alice"), e.dial("bob"), e.dial("bob")
	alice2 := e.dial("alice")
	out := alice.call("bob")
	bob1.expect(protocol.EventIncomingCall)
	bob2.expect(protocol.EventIncomingCall)
	res, err := alice.RejectCall(ctxT(t), out.SessionID, protocol.StatusCancelled)
	if err != nil || res.Status != protocol.StatusCancelled {
		t.Fatalf("cancel: %+v %v", res, err)
	}
	for _, d := range []*device{bob1, bob2} {
		if got := d.expect(protocol.EventIncomingCallCancelled).call; got.Reason != protocol.ReasonCancelled || got.Status != protocol.StatusCancelled {
			t.Fatalf("incomingCallCancelled: %+v", got)
		}
	}
	if got := alice2.expect(protocol.EventOutgoingCallRejected).call; got.Reason != protocol.ReasonCancelled || got.Status != protocol.StatusCancelled {
		t.Fatalf("the caller's other device: outgoingCallRejected %+v", got)
	}
	for _, uid := range []string{"alice", "bob"} {
		if log := e.log(uid); len(log) != 1 || log[0].Status != protocol.StatusCancelled {
			t.Fatalf("%s's log: %+v", uid, log)
		}
	}
	alice.quiet()
}

// Semantic 7 (1:1 half): endCall by either side ends it for both.
func TestOneToOneEndCallEndsForBoth(t *testing.T) {
	e := newEnv(t, nil)
	alice, bob, out := e.answered()
	e.clock.Advance(90e9)
	res, err := bob.EndCall(ctxT(t), out.SessionID)
	if err != nil || res.Status != protocol.StatusEnded || res.EndedAt-res.JoinedAt != 90_000 {
		t.Fatalf("endCall: %+v %v", res, err)
	}
	if got := alice.expect(protocol.EventCallEnded).call; got.Status != protocol.StatusEnded {
		t.Fatalf("callEnded: %+v", got)
	}
	bob.quiet()
	if got := e.media.endedCalls(); len(got) != 1 || got[0] != out.SessionID+"/ended" {
		t.Fatalf("media told %v", got)
	}
	log := e.log("bob")
	if len(log) != 1 || log[0].Status != protocol.StatusEnded || len(log[0].Participants) != 2 {
		t.Fatalf("bob's log: %+v", log)
	}
	for _, p := range log[0].Participants {
		if p.Status != protocol.StatusLeft || p.JoinedAt == 0 || p.LeftAt == 0 {
			t.Fatalf("participant: %+v", p)
		}
	}
	// Ending again (CometChat's "leave the session, then endCall") is ok and changes nothing.
	again, err := alice.EndCall(ctxT(t), out.SessionID)
	if err != nil || again.Status != protocol.StatusEnded || again.EndedAt != res.EndedAt {
		t.Fatalf("a second endCall: %+v %v, want the ended call unchanged", again, err)
	}
	bob.quiet()
}

// Semantic 6: glare. B's initiateCall to A while A is ringing B accepts
// A's call; both get tokens; there is one call.
func TestGlareAcceptsTheRingingCall(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice, bob := e.dial("alice"), e.dial("bob")
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	back := bob.call("alice")
	if back.SessionID != out.SessionID || back.Status != protocol.StatusOngoing {
		t.Fatalf("glare result: %+v", back)
	}
	e.wantCallToken(back.CallToken, "bob", out.SessionID)
	e.wantCallToken(alice.expect(protocol.EventOutgoingCallAccepted).call.CallToken, "alice", out.SessionID)
	alice.quiet()
	if log := e.log("alice"); len(log) != 1 {
		t.Fatalf("want one call, log has %d", len(log))
	}
}

// Semantic 4: calling someone in a call (or ringing) is answered busy at
// once, and only their connections that subscribed hear of it
// (incomingCallBusy); with auto_busy off it rings.
func TestAutoBusy(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol", "dave")
	alice, bob, carol, dave := e.dial("alice"), e.dial("bob"), e.dial("carol"), e.dial("dave")
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	// bob is ringing: carol gets busy
	res := carol.call("bob")
	if res.Status != protocol.StatusBusy {
		t.Fatalf("ringing callee: %+v", res)
	}
	carol.expect(protocol.EventOutgoingCallRejected)
	bob.accept(out.SessionID)
	// bob is in a call: dave gets busy too; bob hears nothing
	if res := dave.call("bob"); res.Status != protocol.StatusBusy {
		t.Fatalf("callee in call: %+v", res)
	}
	if got := dave.expect(protocol.EventOutgoingCallRejected).call; got.Status != protocol.StatusBusy {
		t.Fatalf("outgoingCallRejected: %+v", got)
	}
	bob.quiet()
	log := e.log("dave")
	if len(log) != 1 || log[0].Status != protocol.StatusBusy {
		t.Fatalf("dave's log: %+v", log)
	}

	// bob's second device asks for busy calls ("call waiting"): it hears of the next one, the
	// first device (which did not ask) still hears nothing, nor does anyone rung
	bobPhone := e.dial("bob")
	if err := bobPhone.SubscribeBusyCalls(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	res = carol.call("bob")
	carol.expect(protocol.EventOutgoingCallRejected)
	if got := bobPhone.expect(protocol.EventIncomingCallBusy).call; got.SessionID != res.SessionID || got.Status != protocol.StatusBusy || got.Reason != protocol.ReasonBusy || got.Initiator.UID != "carol" {
		t.Fatalf("incomingCallBusy: %+v, want carol's call %s, busy", got, res.SessionID)
	}
	bob.quiet()
	bobPhone.quiet()

	off := newEnv(t, func(c *Config) { c.AutoBusy = false })
	off.users("alice", "bob", "carol")
	a, b, c := off.dial("alice"), off.dial("bob"), off.dial("carol")
	a.call("bob")
	b.expect(protocol.EventIncomingCall)
	if res := c.call("bob"); res.Status != protocol.StatusInitiated {
		t.Fatalf("auto_busy off: %+v", res)
	}
	b.expect(protocol.EventIncomingCall)
}

func TestGetActiveCall(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice, bob := e.dial("alice"), e.dial("bob")
	if c, err := alice.GetActiveCall(ctxT(t)); err != nil || c != nil {
		t.Fatalf("idle: %+v %v", c, err)
	}
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	for _, d := range []*device{alice, bob} {
		c, err := d.GetActiveCall(ctxT(t))
		if err != nil || c == nil || c.SessionID != out.SessionID || c.Status != protocol.StatusInitiated {
			t.Fatalf("%s ringing: %+v %v", d.uid, c, err)
		}
	}
	_ = client.Call{}
}
