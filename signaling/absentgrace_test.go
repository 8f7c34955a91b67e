package signaling

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Glare over HTTPS (POST /v1/calls): bob, with no socket, calls alice
// who is ringing him; the glare accepts her call for him, and like any
// accept over HTTPS it gets the reconnect grace: he opens nothing, so the
// call ends. Before, no grace was armed on this path: the call stayed
// ongoing and both busy until alice hung up (the signaling review).
func TestGlareOverHTTPSGetsTheGrace(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice := e.dial("alice")
	out := alice.call("bob")
	_, err := e.hub.InitiateCall(context.Background(), "bob", "Bob", "", protocol.InitiateParams{ReceiverID: "alice",
		ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	alice.expect(protocol.EventOutgoingCallAccepted)
	e.clock.Advance(DefaultConfig().ReconnectGrace + time.Second)
	if err := alice.Sync(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	act, err := alice.GetActiveCall(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if act != nil && act.SessionID == out.SessionID && act.Status == protocol.StatusOngoing {
		t.Fatalf("bob (no socket, no media) answered by glare over HTTPS; %v after, the call is still ongoing", DefaultConfig().ReconnectGrace+time.Second)
	}
}

// A group member with no socket joins over HTTPS, leaves, and joins again
// 14 s after the first join: the first join's grace, ending 1 s after the
// rejoin, does nothing; the rejoin has a whole grace of its own. Before,
// it took them out (the signaling review).
func TestRejoinOverHTTPSGetsAGraceOfItsOwn(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice, carol := e.dial("alice"), e.dial("carol")
	e.group("team", "alice", "bob", "carol")
	g, err := alice.InitiateCall(ctxT(t), groupCall("team"))
	if err != nil {
		t.Fatal(err)
	}
	carol.expect(protocol.EventIncomingCall)
	carol.accept(g.SessionID)
	alice.expect(protocol.EventOutgoingCallAccepted)
	ctx := context.Background()
	if _, err := e.hub.AcceptCall(ctx, "bob", "", g.SessionID); err != nil { // t0: grace until t0+15s
		t.Fatal(err)
	}
	e.clock.Advance(3 * time.Second)
	if _, err := e.hub.EndCall(ctx, "bob", "", g.SessionID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(11 * time.Second)                                        // t0+14s
	if _, err := e.hub.AcceptCall(ctx, "bob", "", g.SessionID); err != nil { // grace until t0+29s
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Second) // t0+16s: only 2 s into bob's new grace
	raw, err := e.hub.GetCall(ctx, "bob", g.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	v := decodeCall(t, raw)
	for _, p := range v.Participants {
		if p.UID == "bob" && p.Status != protocol.StatusOngoing {
			t.Fatalf("bob rejoined 2 s ago (grace %v) and is already %s", DefaultConfig().ReconnectGrace, p.Status)
		}
	}
}

func decodeCall(t *testing.T, raw []byte) protocol.Call {
	t.Helper()
	var v protocol.Call
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// A phone closes its socket as it goes to the background; 12 s later a
// call rings it (push) and it answers over HTTPS 1 s after. The answer
// gets the whole reconnect grace to open /v1/rtc; before, the grace of the
// socket that went (3 s left) took bob out of the call he had just
// answered (disconnected, 1.5 s after the accept), and a call placed over
// HTTPS 10 s after the socket went was cancelled 5 s later (the push
// integration audit).
func TestAnswerOverHTTPSSoonAfterTheSocketWentGetsAWholeGrace(t *testing.T) {
	grace := DefaultConfig().ReconnectGrace
	for _, who := range []string{"callee answers", "caller places"} {
		t.Run(who, func(t *testing.T) {
			e := newEnv(t, nil)
			e.users("alice", "bob")
			alice, bob := e.dial("alice"), e.dial("bob")
			e.drop(bob, 0) // bob's app goes to the background
			e.clock.Advance(grace - 3*time.Second)
			ctx := context.Background()
			var sid string
			if who == "callee answers" {
				sid = alice.call("bob").SessionID
				e.clock.Advance(time.Second)
				if _, err := e.hub.AcceptCall(ctx, "bob", "bob-iphone", sid); err != nil {
					t.Fatal(err)
				}
			} else {
				raw, err := e.hub.InitiateCall(ctx, "bob", "Bob", "", protocol.InitiateParams{ReceiverID: "alice",
					ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio})
				if err != nil {
					t.Fatal(err)
				}
				sid = decodeCall(t, raw).SessionID
				alice.expect(protocol.EventIncomingCall)
				alice.accept(sid)
			}
			e.clock.Advance(grace - time.Second) // the old grace is long over; the new one is not
			raw, err := e.hub.GetCall(ctx, "alice", sid)
			if err != nil {
				t.Fatal(err)
			}
			if v := decodeCall(t, raw); v.Status != protocol.StatusOngoing {
				t.Fatalf("%s over HTTPS %v after bob's socket went; %v later the call is %s (%s), want ongoing",
					who, grace-3*time.Second, grace-time.Second, v.Status, v.EndReason)
			}
			e.clock.Advance(2 * time.Second) // and the new grace ends it: bob never opened media
			raw, err = e.hub.GetCall(ctx, "alice", sid)
			if err != nil {
				t.Fatal(err)
			}
			if v := decodeCall(t, raw); v.Status == protocol.StatusOngoing {
				t.Fatalf("bob never opened media; the call is still ongoing after his grace")
			}
		})
	}
}

// bob's phone has a socket bound to its push target (registerDevice) and
// answers the ring it shows over HTTPS, naming that device: its socket
// is not told the call was answered (or rejected) elsewhere, as its other
// devices are. Before, it was, and an app that ends the CallKit call on
// that reason hung up the call it had just answered (the push
// integration audit).
func TestAnsweringDevicesOwnSocketIsNotToldElsewhere(t *testing.T) {
	for _, answer := range []string{"accept", "reject"} {
		t.Run(answer, func(t *testing.T) {
			e := newEnvWith(t, nil, nil, func(d *Deps) { d.PushKinds = func(string) bool { return true } })
			e.users("alice", "bob")
			alice, phone, laptop := e.dial("alice"), e.dial("bob"), e.dial("bob")
			if _, err := phone.RegisterDevice(ctxT(t), client.DeviceParams{DeviceID: "bob-iphone", Kind: client.DeviceAPNsVoIP,
				Token: strings.Repeat("ab", 32), AppID: "com.example.calls"}); err != nil {
				t.Fatal(err)
			}
			sid := alice.call("bob").SessionID
			phone.expect(protocol.EventIncomingCall)
			laptop.expect(protocol.EventIncomingCall)
			var err error
			if answer == "accept" {
				_, err = e.hub.AcceptCall(context.Background(), "bob", "bob-iphone", sid)
			} else {
				_, err = e.hub.RejectCall(context.Background(), "bob", "bob-iphone", sid, protocol.StatusRejected)
			}
			if err != nil {
				t.Fatal(err)
			}
			laptop.expect(protocol.EventIncomingCallCancelled) // answered or rejected elsewhere
			if answer == "accept" {
				alice.expect(protocol.EventOutgoingCallAccepted)
			} else {
				alice.expect(protocol.EventOutgoingCallRejected)
			}
			phone.quiet()
		})
	}
}

// The phone that hangs up over HTTPS naming its deviceId (as mobile.md
// says) still hears callEnded on a socket bound to that device: only an
// answer spares it the "elsewhere" event (the review of the day's diff:
// the first version spared it every event of the request).
func TestEndOverHTTPSStillTellsTheBoundSocket(t *testing.T) {
	e := newEnvWith(t, nil, nil, func(d *Deps) { d.PushKinds = func(string) bool { return true } })
	e.users("alice", "bob")
	alice, phone := e.dial("alice"), e.dial("bob")
	if _, err := phone.RegisterDevice(ctxT(t), client.DeviceParams{DeviceID: "bob-iphone", Kind: client.DeviceAPNsVoIP,
		Token: strings.Repeat("ab", 32), AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	sid := alice.call("bob").SessionID
	phone.expect(protocol.EventIncomingCall)
	phone.accept(sid)
	alice.expect(protocol.EventOutgoingCallAccepted)
	if _, err := e.hub.EndCall(context.Background(), "bob", "bob-iphone", sid); err != nil {
		t.Fatal(err)
	}
	alice.expect(protocol.EventCallEnded)
	phone.expect(protocol.EventCallEnded)
}
