package signaling

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// A group call of 200 members: every member's device acknowledges the
// ring and answers. The caller hears "ringing" once (the first member's
// device has the call) and the accept, and keeps its socket. Before, each
// member's ack sent the caller the whole call again: 4 MB of ringing
// events, past max_queue_bytes, and the caller's socket was closed as too
// slow before the accept reached it.
func TestBigGroupCallRingsTheCallerOnce(t *testing.T) {
	e := newEnv(t, nil)
	const members = 200
	uids := []string{"alice"}
	for i := range members {
		uids = append(uids, fmt.Sprintf("m%03d", i))
	}
	e.group("big", uids...)
	alice := e.dialWith("alice", client.DialOptions{}) // (frames unvalidated: 200 sockets)
	var rings atomic.Int32
	alice.AddCallListener("rings", client.CallListener{OnRinging: func(client.Call) { rings.Add(1) }})
	var ms []*device
	for _, u := range uids[1:] {
		ms = append(ms, e.dialWith(u, client.DialOptions{}))
	}
	out, err := alice.InitiateCall(ctxT(t), groupCall("big"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ms {
		d.expect(protocol.EventIncomingCall) // handed to a live socket: acknowledged
	}
	for _, d := range ms {
		d.accept(out.SessionID)
	}
	if err := alice.Sync(ctxT(t)); err != nil {
		t.Fatalf("the caller's socket: %v", err)
	}
	alice.expect(protocol.EventOutgoingCallAccepted)
	alice.quiet()
	if n := rings.Load(); n != 1 {
		t.Fatalf("the caller heard ringing %d times, want once", n)
	}
	got, err := alice.GetCall(ctxT(t), out.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got.Participants[1:] {
		if p.AckedAt == 0 {
			t.Fatalf("%s's ack not kept: %+v", p.UID, p)
		}
	}
}

// TestGroupCallFullRefusesTheNextAccept: with room for three (the media's
// max_participants), the third member's accept is refused too_large while
// the caller and two members are in the call; the caller keeps a seat
// (before, every accept was taken and the media refused whoever joined
// it last, the caller included, while the call log and busy counted them
// in). When someone leaves, the refused member accepts.
func TestGroupCallFullRefusesTheNextAccept(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxCallParticipants = 3 })
	e.group("team", "alice", "bob", "carol", "dave")
	alice, bob, carol, dave := e.dial("alice"), e.dial("bob"), e.dial("carol"), e.dial("dave")
	out, err := alice.InitiateCall(ctxT(t), groupCall("team"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*device{bob, carol, dave} {
		d.expect(protocol.EventIncomingCall)
	}
	bob.accept(out.SessionID)
	alice.expect(protocol.EventOutgoingCallAccepted)
	carol.accept(out.SessionID)
	_, err = dave.AcceptCall(ctxT(t), out.SessionID)
	wantCode(t, err, protocol.CodeTooLarge)
	if err != nil && !strings.Contains(err.Error(), "max_participants") {
		t.Fatalf("the refusal does not say why: %v", err)
	}
	if res, err := bob.EndCall(ctxT(t), out.SessionID); err != nil || res.Status != protocol.StatusOngoing {
		t.Fatalf("bob leaves: %+v %v", res, err)
	}
	dave.accept(out.SessionID) // a seat is free again
}
