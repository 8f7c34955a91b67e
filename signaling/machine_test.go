package signaling

import (
	"errors"
	"testing"
	"time"
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
		receiver: receiver, members: members, callType: CallAudio})
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
	x.ok(x.m.accept(t0, x.initiate("s0", "dave", ReceiverUser, "bob").id, "bob"))
	x.events()
	c := x.initiate("s1", "alice", ReceiverGroup, "g", "alice", "bob", "carol")
	x.wantEvents("incomingCall>carol")
	if st := partStatus(c); st["bob"] != StatusBusy || st["carol"] != StatusInitiated {
		t.Fatalf("participants %v", st)
	}
	x.ok(x.m.reject(t0, "s1", "carol", StatusBusy))
	x.wantEvents("incomingCallCancelled>carol(rejectedElsewhere)", "outgoingCallRejected>alice(busy)")
	if c.status != StatusBusy {
		t.Fatalf("status %s", c.status)
	}
	c2 := x.initiate("s2", "erin", ReceiverGroup, "g2", "erin", "bob", "dave")
	x.wantEvents("outgoingCallRejected>erin(busy)")
	if c2.status != StatusBusy || !c2.terminal() {
		t.Fatalf("all busy: %s", c2.status)
	}
}

func TestGroupCancelRejectLeaveRejoin(t *testing.T) {
	x := newM(t)
	c := x.initiate("s1", "alice", ReceiverGroup, "g", "alice", "bob", "carol", "dave")
	x.events()
	_, err := x.m.end(t0, "s1", "bob", ReasonEnded)
	wantErr(t, err, ErrInvalidState) // not answered yet
	x.ok(x.m.accept(t0, "s1", "bob"))
	x.wantEvents("outgoingCallAccepted>alice", "incomingCallCancelled>bob(answeredElsewhere)")
	_, err = x.m.reject(t0, "s1", "alice", StatusCancelled)
	wantErr(t, err, ErrInvalidState) // ongoing: use endCall
	_, err = x.m.end(t0, "s1", "carol", ReasonEnded)
	wantErr(t, err, ErrInvalidState) // carol is still ringing, not joined
	x.ok(x.m.reject(t0, "s1", "carol", StatusRejected))
	x.wantEvents("incomingCallCancelled>carol(rejectedElsewhere)")
	x.ok(x.m.end(t0, "s1", "bob", ReasonEnded))
	x.wantEvents("callEnded>bob(ended)")
	x.ok(x.m.accept(t0, "s1", "bob")) // rejoin
	x.wantEvents()
	x.ok(x.m.accept(t0, "s1", "carol")) // changed her mind
	x.wantEvents()
	if st := partStatus(c); st["bob"] != StatusOngoing || st["carol"] != StatusOngoing || st["dave"] != StatusInitiated {
		t.Fatalf("participants %v", st)
	}
	for _, uid := range []string{"alice", "bob", "carol"} {
		x.ok(x.m.end(t0, "s1", uid, ReasonEnded))
	}
	x.wantEvents("callEnded>alice(ended)", "callEnded>bob(ended)", "callEnded>carol(ended)", "incomingCallCancelled>dave(ended)")
	if c.status != StatusEnded || partStatus(c)["dave"] != StatusMissed {
		t.Fatalf("after last leaves: %s %v", c.status, partStatus(c))
	}
}

func TestGroupCallerCancels(t *testing.T) {
	x := newM(t)
	c := x.initiate("s1", "alice", ReceiverGroup, "g", "alice", "bob", "carol")
	x.events()
	x.ok(x.m.reject(t0, "s1", "alice", StatusCancelled))
	x.wantEvents("incomingCallCancelled>bob(cancelled)", "incomingCallCancelled>carol(cancelled)")
	if st := partStatus(c); st["alice"] != StatusCancelled || st["bob"] != StatusCancelled {
		t.Fatalf("participants %v", st)
	}
}

func TestEngagedCallerCannotPlaceAnother(t *testing.T) {
	x := newM(t)
	x.initiate("s1", "alice", ReceiverUser, "bob")
	_, _, err := x.m.initiate(t0, initiateReq{sessionID: "s2", caller: "alice", receiverType: ReceiverUser, receiver: "carol"})
	wantErr(t, err, ErrInvalidState) // already calling bob
	// bob is being rung, which does not stop him calling carol (with auto
	// busy, carol is free, so she rings)
	c := x.initiate("s3", "bob", ReceiverUser, "carol")
	if c.status != StatusInitiated {
		t.Fatalf("bob's call: %s", c.status)
	}
}

func TestStaleTimerAndRetention(t *testing.T) {
	x := newM(t)
	c := x.initiate("s1", "alice", ReceiverUser, "bob")
	x.events()
	x.m.timeout(t0.Add(44*time.Second), "s1") // early: ignored
	if c.status != StatusInitiated || len(x.events()) != 0 {
		t.Fatalf("early timer changed the call: %s", c.status)
	}
	x.m.timeout(t0.Add(45*time.Second), "s1")
	if c.status != StatusUnanswered || partStatus(c)["bob"] != StatusMissed {
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
	a := x.initiate("s1", "alice", ReceiverUser, "bob")
	x.ok(x.m.accept(t0, "s1", "bob"))
	b := x.initiate("s2", "carol", ReceiverUser, "dave")
	x.m.shutdown(t0, ReasonServerShutdown)
	if a.status != StatusEnded || b.status != StatusCancelled || a.endReason != ReasonServerShutdown {
		t.Fatalf("after shutdown: %s %s", a.status, b.status)
	}
	if x.m.ringing+x.m.ongoing != 0 || len(x.m.users) != 0 {
		t.Fatal("calls still live")
	}
}

func TestViewerStatus(t *testing.T) {
	c := &call{id: "s", initiator: "alice", receiverType: ReceiverGroup, receiver: "g", parts: []participant{
		{uid: "alice", status: StatusLeft}, {uid: "bob", status: StatusLeft},
		{uid: "carol", status: StatusMissed}, {uid: "dave", status: StatusRejected}}}
	c.status = StatusEnded
	r := c.record()
	for uid, want := range map[string]string{"alice": StatusEnded, "bob": StatusEnded, "carol": StatusMissed, "dave": StatusRejected} {
		if got := viewerStatus(r, uid); got != want {
			t.Errorf("%s sees %s, want %s", uid, got, want)
		}
	}
	r.Status = StatusUnanswered
	if viewerStatus(r, "alice") != StatusUnanswered || viewerStatus(r, "bob") != StatusMissed {
		t.Error("unanswered: caller unanswered, callee missed")
	}
}
