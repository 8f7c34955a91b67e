package signaling

import (
	"errors"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

var t0 = time.UnixMilli(1_700_000_000_000)

type mtest struct {
	t *testing.T
	m *machine
}

func newM(t *testing.T) *mtest { return &mtest{t: t, m: newMachine(DefaultConfig())} }

// events returns and clears the pending events as "event>uid(reason)".
func (x *mtest) events() []string {
	var out []string
	for _, e := range x.m.fx {
		if e.kind == fxEvent {
			s := e.event + ">" + e.uid
			if e.reason != "" {
				s += "(" + e.reason + ")"
			}
			out = append(out, s)
		}
	}
	x.m.fx = x.m.fx[:0]
	return out
}

func (x *mtest) wantEvents(want ...string) {
	x.t.Helper()
	got := x.events()
	if len(got) != len(want) {
		x.t.Fatalf("events %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			x.t.Fatalf("events %v, want %v", got, want)
		}
	}
}

func (x *mtest) initiate(id, caller, typ, receiver string, members ...string) *call {
	x.t.Helper()
	c, _, err := x.m.initiate(t0, initiateReq{sessionID: id, caller: caller, receiverType: typ,
		receiver: receiver, members: members, callType: protocol.CallAudio})
	if err != nil {
		x.t.Fatal(err)
	}
	return c
}

func (x *mtest) ok(_ *call, err error) {
	x.t.Helper()
	if err != nil {
		x.t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, sentinel error) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("want %v, got %v", sentinel, err)
	}
}

func partStatus(c *call) map[string]string {
	out := map[string]string{}
	for _, p := range c.parts {
		out[p.uid] = p.status
	}
	return out
}

func TestGroupSkipsBusyMembersAndAllBusyIsBusy(t *testing.T) {
	x := newM(t)
	x.ok(x.m.accept(t0, x.initiate("s0", "dave", protocol.ReceiverUser, "bob").id, "bob"))
	x.events()
	c := x.initiate("s1", "alice", protocol.ReceiverGroup, "g", "alice", "bob", "carol")
	x.wantEvents("incomingCallBusy>bob(busy)", "incomingCall>carol") // bob is told, not rung
	if st := partStatus(c); st["bob"] != protocol.StatusBusy || st["carol"] != protocol.StatusInitiated {
		t.Fatalf("participants %v", st)
	}
	x.ok(x.m.reject(t0, "s1", "carol", protocol.StatusBusy))
	x.wantEvents("incomingCallCancelled>carol(rejectedElsewhere)", "outgoingCallRejected>alice(busy)")
	if c.status != protocol.StatusBusy {
		t.Fatalf("status %s", c.status)
	}
	c2 := x.initiate("s2", "erin", protocol.ReceiverGroup, "g2", "erin", "bob", "dave")
	x.wantEvents("incomingCallBusy>bob(busy)", "incomingCallBusy>dave(busy)", "outgoingCallRejected>erin(busy)")
	if c2.status != protocol.StatusBusy || !c2.terminal() {
		t.Fatalf("all busy: %s", c2.status)
	}
}

func TestGroupCancelRejectLeaveRejoin(t *testing.T) {
	x := newM(t)
	c := x.initiate("s1", "alice", protocol.ReceiverGroup, "g", "alice", "bob", "carol", "dave")
	x.events()
	_, err := x.m.end(t0, "s1", "bob", protocol.ReasonEnded)
	wantErr(t, err, ErrInvalidState) // not answered yet
	x.ok(x.m.accept(t0, "s1", "bob"))
	x.wantEvents("outgoingCallAccepted>alice", "incomingCallCancelled>bob(answeredElsewhere)")
	_, err = x.m.reject(t0, "s1", "alice", protocol.StatusCancelled)
	wantErr(t, err, ErrInvalidState) // ongoing: use endCall
	_, err = x.m.end(t0, "s1", "carol", protocol.ReasonEnded)
	wantErr(t, err, ErrInvalidState) // carol is still ringing, not joined
	x.ok(x.m.reject(t0, "s1", "carol", protocol.StatusRejected))
	x.wantEvents("incomingCallCancelled>carol(rejectedElsewhere)")
	x.ok(x.m.end(t0, "s1", "bob", protocol.ReasonEnded))
	x.wantEvents("callEnded>bob(ended)")
	x.ok(x.m.accept(t0, "s1", "bob")) // rejoin
	x.wantEvents()
	x.ok(x.m.accept(t0, "s1", "carol")) // changed her mind
	x.wantEvents()
	if st := partStatus(c); st["bob"] != protocol.StatusOngoing || st["carol"] != protocol.StatusOngoing || st["dave"] != protocol.StatusInitiated {
		t.Fatalf("participants %v", st)
	}
	for _, uid := range []string{"alice", "bob", "carol"} {
		x.ok(x.m.end(t0, "s1", uid, protocol.ReasonEnded))
	}
	x.wantEvents("callEnded>alice(ended)", "callEnded>bob(ended)", "callEnded>carol(ended)", "incomingCallCancelled>dave(ended)")
	if c.status != protocol.StatusEnded || partStatus(c)["dave"] != protocol.StatusMissed {
		t.Fatalf("after last leaves: %s %v", c.status, partStatus(c))
	}
}

func TestGroupCallerCancels(t *testing.T) {
	x := newM(t)
	c := x.initiate("s1", "alice", protocol.ReceiverGroup, "g", "alice", "bob", "carol")
	x.events()
	x.ok(x.m.reject(t0, "s1", "alice", protocol.StatusCancelled))
	x.wantEvents("incomingCallCancelled>bob(cancelled)", "incomingCallCancelled>carol(cancelled)", "outgoingCallRejected>alice(cancelled)")
	if st := partStatus(c); st["alice"] != protocol.StatusCancelled || st["bob"] != protocol.StatusCancelled {
		t.Fatalf("participants %v", st)
	}
}

func TestEngagedCallerCannotPlaceAnother(t *testing.T) {
	x := newM(t)
	x.initiate("s1", "alice", protocol.ReceiverUser, "bob")
	_, _, err := x.m.initiate(t0, initiateReq{sessionID: "s2", caller: "alice", receiverType: protocol.ReceiverUser, receiver: "carol"})
	wantErr(t, err, ErrInvalidState) // already calling bob
	// bob is being rung, which does not stop him calling carol (with auto
	// busy, carol is free, so she rings)
	c := x.initiate("s3", "bob", protocol.ReceiverUser, "carol")
	if c.status != protocol.StatusInitiated {
		t.Fatalf("bob's call: %s", c.status)
	}
}

func TestStaleTimerAndRetention(t *testing.T) {
	x := newM(t)
	c := x.initiate("s1", "alice", protocol.ReceiverUser, "bob")
	x.events()
	x.m.timeout(t0.Add(44*time.Second), "s1") // early: ignored
	if c.status != protocol.StatusInitiated || len(x.events()) != 0 {
		t.Fatalf("early timer changed the call: %s", c.status)
	}
	x.m.timeout(t0.Add(45*time.Second), "s1")
	if c.status != protocol.StatusUnanswered || partStatus(c)["bob"] != protocol.StatusMissed {
		t.Fatalf("timeout: %s %v", c.status, partStatus(c))
	}
	_, err := x.m.accept(t0.Add(46*time.Second), "s1", "bob")
	wantErr(t, err, ErrInvalidState)
	x.m.prune(t0.Add(45*time.Second + endedRetention))
	_, err = x.m.accept(t0, "s1", "bob")
	wantErr(t, err, ErrNotFound)
	if len(x.m.users) != 0 || x.m.ringing != 0 || x.m.ongoing != 0 {
		t.Fatalf("leftovers: users=%v ringing=%d ongoing=%d", x.m.users, x.m.ringing, x.m.ongoing)
	}
}

func TestShutdownEndsEverything(t *testing.T) {
	x := newM(t)
	a := x.initiate("s1", "alice", protocol.ReceiverUser, "bob")
	x.ok(x.m.accept(t0, "s1", "bob"))
	b := x.initiate("s2", "carol", protocol.ReceiverUser, "dave")
	x.m.shutdown(t0, protocol.ReasonServerShutdown)
	if a.status != protocol.StatusEnded || b.status != protocol.StatusCancelled || a.endReason != protocol.ReasonServerShutdown {
		t.Fatalf("after shutdown: %s %s", a.status, b.status)
	}
	if x.m.ringing+x.m.ongoing != 0 || len(x.m.users) != 0 {
		t.Fatal("calls still live")
	}
}

func TestViewerStatus(t *testing.T) {
	c := &call{id: "s", initiator: "alice", receiverType: protocol.ReceiverGroup, receiver: "g", parts: []participant{
		{uid: "alice", status: protocol.StatusLeft}, {uid: "bob", status: protocol.StatusLeft},
		{uid: "carol", status: protocol.StatusMissed}, {uid: "dave", status: protocol.StatusRejected}}}
	c.status = protocol.StatusEnded
	r := c.record()
	for uid, want := range map[string]string{"alice": protocol.StatusEnded, "bob": protocol.StatusEnded, "carol": protocol.StatusMissed, "dave": protocol.StatusRejected} {
		if got := viewerStatus(r, uid); got != want {
			t.Errorf("%s sees %s, want %s", uid, got, want)
		}
	}
	r.Status = protocol.StatusUnanswered
	if viewerStatus(r, "alice") != protocol.StatusUnanswered || viewerStatus(r, "bob") != protocol.StatusMissed {
		t.Error("unanswered: caller unanswered, callee missed")
	}
}

// A user disabled by the app's backend in each place of a group call: a
// member still ringing stops ringing (as a decline), a joined one leaves
// (the call goes on), the caller of a call still ringing cancels it; all
// with ended_by_admin where a reason is given.
func TestGroupDisabledMember(t *testing.T) {
	x := newM(t)
	c := x.initiate("s1", "alice", protocol.ReceiverGroup, "g", "alice", "bob", "carol", "dave")
	x.events()
	x.ok(x.m.accept(t0, "s1", "bob"))
	x.events()
	x.m.disabled(t0, c, "carol") // ringing
	x.wantEvents("incomingCallCancelled>carol(ended_by_admin)")
	x.m.disabled(t0, c, "bob") // joined
	removed := false
	for _, e := range x.m.fx {
		removed = removed || (e.kind == fxMediaRemove && e.uid == "bob" && e.reason == protocol.ReasonEndedByAdmin)
	}
	if !removed {
		t.Fatalf("bob's media is not removed with ended_by_admin: %+v", x.m.fx)
	}
	x.wantEvents("callEnded>bob(ended_by_admin)")
	if st := partStatus(c); c.status != protocol.StatusOngoing || st["carol"] != protocol.StatusRejected ||
		st["bob"] != protocol.StatusLeft || st["dave"] != protocol.StatusInitiated || st["alice"] != protocol.StatusOngoing {
		t.Fatalf("after carol and bob were disabled: %s %v", c.status, st)
	}
	x.m.disabled(t0, c, "erin") // not in it
	x.wantEvents()

	c2 := x.initiate("s2", "erin", protocol.ReceiverGroup, "g2", "erin", "frank")
	x.events()
	x.m.disabled(t0, c2, "erin") // the caller, still ringing
	x.wantEvents("incomingCallCancelled>frank(ended_by_admin)", "callEnded>erin(ended_by_admin)")
	if c2.status != protocol.StatusCancelled || c2.endReason != protocol.ReasonEndedByAdmin {
		t.Fatalf("the call erin placed: %s %s", c2.status, c2.endReason)
	}
}
