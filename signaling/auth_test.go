package signaling

import (
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Semantic 8: authorization comes from the token. Every refused request
// changes nothing: the call still rings and bob can still accept it.
func TestOnlyTheRightPartyMayAct(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice, bob, carol := e.dial("alice"), e.dialBadInput("bob"), e.dial("carol")
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	sid := out.SessionID
	ctx := ctxT(t)
	for _, tc := range []struct {
		name string
		do   func() error
		code string
	}{
		{"stranger accepts", func() error { _, err := carol.AcceptCall(ctx, sid); return err }, "forbidden"},
		{"caller accepts own call", func() error { _, err := alice.AcceptCall(ctx, sid); return err }, "forbidden"},
		{"callee cancels", func() error { _, err := bob.RejectCall(ctx, sid, protocol.StatusCancelled); return err }, "forbidden"},
		{"caller rejects", func() error { _, err := alice.RejectCall(ctx, sid, protocol.StatusRejected); return err }, "forbidden"},
		{"stranger rejects", func() error { _, err := carol.RejectCall(ctx, sid, protocol.StatusBusy); return err }, "forbidden"},
		{"stranger cancels", func() error { _, err := carol.RejectCall(ctx, sid, protocol.StatusCancelled); return err }, "forbidden"},
		{"stranger ends", func() error { _, err := carol.EndCall(ctx, sid); return err }, "forbidden"},
		{"stranger wants a token", func() error { _, err := carol.GenerateToken(ctx, sid); return err }, "forbidden"},
		{"end before answer", func() error { _, err := alice.EndCall(ctx, sid); return err }, "invalid_state"},
		{"token before answer", func() error { _, err := alice.GenerateToken(ctx, sid); return err }, "invalid_state"},
		{"unknown session", func() error { _, err := bob.AcceptCall(ctx, "nosuchsession"); return err }, "not_found"},
		{"bad status", func() error { _, err := bob.RejectCall(ctx, sid, "maybe"); return err }, "bad_request"},
		{"bad session id", func() error { _, err := bob.AcceptCall(ctx, "no spaces/allowed"); return err }, "bad_request"},
	} {
		wantCode(t, tc.do(), tc.code)
	}
	alice.quiet()
	bob.quiet()
	carol.quiet()
	if got := bob.accept(sid); got.Status != protocol.StatusOngoing {
		t.Fatalf("after refused requests: %+v", got)
	}
	alice.expect(protocol.EventOutgoingCallAccepted)
	tok, err := alice.GenerateToken(ctx, sid)
	if err != nil {
		t.Fatal(err)
	}
	e.wantCallToken(tok, "alice", sid)
	if _, err := bob.EndCall(ctx, sid); err != nil {
		t.Fatal(err)
	}
	_, err = bob.AcceptCall(ctx, sid)
	wantCode(t, err, "invalid_state")
	_, err = alice.RejectCall(ctx, sid, protocol.StatusCancelled)
	wantCode(t, err, "invalid_state")
	_, err = carol.AcceptCall(ctx, sid)
	wantCode(t, err, "forbidden")
}

// An ended call the hub has forgotten is still invalid_state (from the log).
func TestForgottenCallIsInvalidState(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice, bob := e.dial("alice"), e.dial("bob")
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	if _, err := alice.RejectCall(ctxT(t), out.SessionID, protocol.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(endedRetention + time.Second)
	alice.call("bob") // any command prunes
	_, err := bob.AcceptCall(ctxT(t), out.SessionID)
	wantCode(t, err, "invalid_state")
}

// Semantic 8: initiateCall is rate-limited per user, across devices.
func TestInitiateIsRateLimited(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.InitiateRate, c.InitiateBurst = 1, 2 })
	e.users("alice", "bob", "carol")
	a1, a2 := e.dial("alice"), e.dial("alice")
	for _, d := range []*device{a1, a2} {
		out := d.call("bob")
		if _, err := d.RejectCall(ctxT(t), out.SessionID, protocol.StatusCancelled); err != nil {
			t.Fatal(err)
		}
	}
	_, err := a1.InitiateCall(ctxT(t), callTo("bob", 0))
	wantCode(t, err, "rate_limited")
	if ms := protocol.AsError(err).RetryAfterMs; ms != 1000 { // the bucket is empty: one token a second
		t.Errorf("retryAfterMs %d, want 1000", ms)
	}
	carol := e.dial("carol") // another user is not limited by alice's calls
	carol.call("bob")
	e.clock.Advance(time.Second)
	if res, err := a2.InitiateCall(ctxT(t), callTo("carol", 0)); err != nil || res.Status != protocol.StatusBusy {
		t.Fatalf("after a second: %+v %v", res, err) // carol is calling bob: busy
	}
}

func TestInitiateBadParams(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice := e.dialBadInput("alice")
	ctx := ctxT(t)
	for _, tc := range []struct {
		to, typ, kind, code string
	}{
		{"bob", "user", "hologram", "bad_request"},
		{"bob", "planet", "audio", "bad_request"},
		{"", "user", "audio", "bad_request"},
		{"alice", "user", "audio", "bad_request"},
		{"ghost", "user", "audio", "not_found"},
	} {
		_, err := alice.InitiateCall(ctx, clientReq(tc.to, tc.typ, tc.kind))
		wantCode(t, err, tc.code)
	}
	if n := e.hub.ActiveCalls(); n != 0 {
		t.Fatalf("%d calls after bad requests", n)
	}
}
