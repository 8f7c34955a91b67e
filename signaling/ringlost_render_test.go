package signaling

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// A ring pushed because the callee's socket went while the call rang it
// (ringLost, outside any command) rendered the call; the next command about
// that call changed it and got that rendering back: Alice's cancel was
// answered with the call still "initiated", and so was the call.cancelled
// webhook (the signaling review).
func TestCommandAfterARingPushedMidRingRendersAfresh(t *testing.T) {
	rec := &recordingNotifier{}
	e := newEnvWith(t, nil, nil, func(d *Deps) {
		d.Notifier = rec
		d.PushOffline = true
		d.PushKinds = func(string) bool { return true }
	})
	e.users("alice", "bob")
	alice, bob := e.dial("alice"), e.dial("bob")
	if _, err := bob.RegisterDevice(ctxT(t), client.DeviceParams{DeviceID: "bob-phone", Kind: client.DeviceAPNsVoIP,
		Token: strings.Repeat("ab", 32), AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	if err := alice.Sync(ctxT(t)); err != nil { // the ring's ack has run
		t.Fatal(err)
	}
	_ = bob.Close() // the phone's socket goes while the call rings it: its device is pushed (ringLost)
	deadline := time.Now().Add(failsafe)
	for {
		rec.mu.Lock()
		pushed := false
		for _, ev := range rec.evs {
			pushed = pushed || (ev.Type == HookRing && ev.Device == "bob-phone")
		}
		rec.mu.Unlock()
		if pushed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the ring was never pushed to bob-phone")
		}
		time.Sleep(5 * time.Millisecond) // polling an outcome
	}
	got, err := alice.RejectCall(ctxT(t), out.SessionID, protocol.StatusCancelled)
	if err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	var hookStatus string
	for _, ev := range rec.evs {
		if ev.Type == protocol.HookCallCancelled {
			var v struct{ Status string }
			_ = json.Unmarshal(ev.Call, &v)
			hookStatus = v.Status
		}
	}
	rec.mu.Unlock()
	if got.Status != protocol.StatusCancelled || hookStatus != protocol.StatusCancelled {
		t.Fatalf("after a cancel: the reply says %q, the call.cancelled hook %q; want cancelled for both", got.Status, hookStatus)
	}
}
