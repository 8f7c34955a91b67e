package signaling

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// listed is a Call's participants as "uid:status", and how many it omits.
func listed(c protocol.Call) string {
	var s []string
	for _, p := range c.Participants {
		s = append(s, p.UID+":"+p.Status)
	}
	return fmt.Sprintf("%s +%d", strings.Join(s, ","), c.ParticipantsOmitted)
}

// TestBigGroupCallListsWhatEachNeeds: a group call of 61 participants
// (more than protocol.MaxListedParticipants) lists, in each event, reply
// and webhook, only the initiator, the one it is sent to (or concerns)
// and whoever joined; getCall lists everyone. Before, every event to each
// member carried all 61, so a call's bytes grew with the square of its
// group (about 19 MB to the devices of a 300-member call).
func TestBigGroupCallListsWhatEachNeeds(t *testing.T) {
	rec := &recordingNotifier{}
	e := newEnvWith(t, nil, nil, func(d *Deps) { d.Notifier = rec })
	uids := []string{"alice"}
	for i := range 60 {
		uids = append(uids, fmt.Sprintf("m%02d", i))
	}
	e.group("big", uids...)
	alice := e.dial("alice")
	m00, m01, m02 := e.dial("m00"), e.dial("m01"), e.dial("m02")
	out, err := alice.InitiateCall(ctxT(t), groupCall("big"))
	if err != nil {
		t.Fatal(err)
	}
	want := func(what string, c protocol.Call, w string) {
		t.Helper()
		if got := listed(c); got != w {
			t.Fatalf("%s lists %s, want %s", what, got, w)
		}
	}
	want("initiateCall's reply", out, "alice:initiated +60")
	want("m01's incomingCall", m01.expect(protocol.EventIncomingCall).call, "alice:initiated,m01:initiated +59")
	m00.expect(protocol.EventIncomingCall)
	m02.expect(protocol.EventIncomingCall)
	want("m00's accept reply", m00.accept(out.SessionID), "alice:ongoing,m00:ongoing +59")
	want("alice's outgoingCallAccepted", alice.expect(protocol.EventOutgoingCallAccepted).call, "alice:ongoing,m00:ongoing +59")
	rej, err := m01.RejectCall(ctxT(t), out.SessionID, protocol.StatusRejected)
	if err != nil {
		t.Fatal(err)
	}
	want("m01's reject reply", rej, "alice:ongoing,m00:ongoing,m01:rejected +58")
	full, err := m02.GetCall(ctxT(t), out.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Participants) != 61 || full.ParticipantsOmitted != 0 {
		t.Fatalf("getCall lists %d participants, omits %d; want all 61", len(full.Participants), full.ParticipantsOmitted)
	}
	e.clock.Advance(2 * time.Minute) // the others miss it
	want("m02's incomingCallCancelled", m02.expect(protocol.EventIncomingCallCancelled).call, "alice:ongoing,m00:ongoing,m02:missed +58")
	// the timeout's hooks were handed over in the same turn of the hub's
	// loop as the events; a command after it waits for that turn's end
	if _, err := m00.GetCall(ctxT(t), out.SessionID); err != nil {
		t.Fatal(err)
	}

	rec.mu.Lock()
	defer rec.mu.Unlock()
	var missed int
	for _, ev := range rec.evs {
		var c protocol.Call
		if err := json.Unmarshal(ev.Call, &c); err != nil {
			t.Fatal(err)
		}
		if ev.Type == protocol.HookCallMissed && ev.UID == "m59" {
			want("m59's call.missed", c, "alice:ongoing,m00:ongoing,m59:missed +58")
		}
		if ev.Type == protocol.HookCallMissed {
			missed++
		}
	}
	if missed != 58 {
		t.Fatalf("%d call.missed, want 58", missed)
	}
}

// TestGroupCallOfFiftyListsEveryone: at protocol.MaxListedParticipants,
// events list every participant.
func TestGroupCallOfFiftyListsEveryone(t *testing.T) {
	e := newEnv(t, nil)
	uids := []string{"alice"}
	for i := range protocol.MaxListedParticipants - 1 {
		uids = append(uids, fmt.Sprintf("m%02d", i))
	}
	e.group("fifty", uids...)
	alice, m00 := e.dial("alice"), e.dial("m00")
	out, err := alice.InitiateCall(ctxT(t), groupCall("fifty"))
	if err != nil {
		t.Fatal(err)
	}
	if in := m00.expect(protocol.EventIncomingCall).call; len(in.Participants) != 50 || in.ParticipantsOmitted != 0 || len(out.Participants) != 50 {
		t.Fatalf("incomingCall lists %d (omits %d), the reply %d; want all 50", len(in.Participants), in.ParticipantsOmitted, len(out.Participants))
	}
}

// TestARingReachesASocketOnce: a socket that was sent a call's
// incomingCall is not sent it again by the catch-up that rings a socket
// connecting while its user's calls ring (in a cluster the catch-up of the
// calls other nodes run races the ring itself: server
// TestClusterInitiateRetry saw ben rung twice). Here the catch-up is run
// again by hand after the ring.
func TestARingReachesASocketOnce(t *testing.T) {
	e := newEnv(t, nil)
	alice, bob := e.dial("alice"), e.dial("bob")
	if _, err := alice.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "bob", ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio}); err != nil {
		t.Fatal(err)
	}
	bob.expect(protocol.EventIncomingCall)
	if err := e.hub.run(func() {
		for _, c := range e.hub.reg.byUser["bob"] {
			e.hub.ringOnConnect(c)
		}
	}); err != nil {
		t.Fatal(err)
	}
	bob.quiet()
}

// TestABigGroupRingsALateSocketListed: a member whose socket connects while
// a group call of 61 rings gets its incomingCall listed for them, as the
// ring itself is (protocol.MaxListedParticipants), not the whole group.
func TestABigGroupRingsALateSocketListed(t *testing.T) {
	e := newEnv(t, nil)
	uids := []string{"alice"}
	for i := range 60 {
		uids = append(uids, fmt.Sprintf("m%02d", i))
	}
	e.group("big", uids...)
	alice := e.dial("alice")
	if _, err := alice.InitiateCall(ctxT(t), groupCall("big")); err != nil {
		t.Fatal(err)
	}
	late := e.dial("m30")
	if got := listed(late.expect(protocol.EventIncomingCall).call); got != "alice:initiated,m30:initiated +59" {
		t.Fatalf("the late socket's incomingCall lists %s", got)
	}
}

// BenchmarkBigGroupCallBytes reports the bytes every socket of a group
// call's members receives for one call (MB/call): the caller rings n
// members, ten accept, the others reject, the ten and the caller leave. A
// report, not a test: docs/benchmarks.md has the figures.
func BenchmarkBigGroupCallBytes(b *testing.B) {
	for _, n := range []int{100, 300} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			e := newEnv(b, nil)
			uids := []string{"alice"}
			for i := range n {
				uids = append(uids, fmt.Sprintf("member-%04d", i))
			}
			e.group("big", uids...)
			var total atomic.Int64
			opts := client.DialOptions{OnFrame: func(d protocol.FrameDir, f []byte) {
				if d == protocol.FrameReceived {
					total.Add(int64(len(f)))
				}
			}}
			alice := e.dialWith("alice", opts)
			var ms []*device
			for _, u := range uids[1:] {
				ms = append(ms, e.dialWith(u, opts))
			}
			total.Store(0)
			for b.Loop() {
				out, err := alice.InitiateCall(ctxT(b), groupCall("big"))
				if err != nil {
					b.Fatal(err)
				}
				for _, d := range ms {
					d.expect(protocol.EventIncomingCall)
				}
				for _, d := range ms[:10] {
					d.accept(out.SessionID)
				}
				for _, d := range ms[10:] {
					if _, err := d.RejectCall(ctxT(b), out.SessionID, protocol.StatusRejected); err != nil {
						b.Fatal(err)
					}
				}
				for _, d := range append([]*device{alice}, ms[:10]...) {
					if _, err := d.EndCall(ctxT(b), out.SessionID); err != nil {
						b.Fatal(err)
					}
				}
				for _, d := range append([]*device{alice}, ms...) { // what they were sent of this call
					if err := d.Sync(ctxT(b)); err != nil {
						b.Fatal(err)
					}
					for len(d.events) > 0 {
						<-d.events
					}
				}
			}
			b.ReportMetric(float64(total.Load())/1e6/float64(b.N), "MB/call")
		})
	}
}
