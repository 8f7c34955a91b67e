package signaling

import (
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

func callTo(receiver string, timeout float64) client.CallRequest {
	return client.CallRequest{ReceiverID: receiver, ReceiverType: protocol.ReceiverUser, CallType: protocol.CallAudio, Timeout: timeout}
}

func groupCall(guid string) client.CallRequest {
	return client.CallRequest{ReceiverID: guid, ReceiverType: protocol.ReceiverGroup, CallType: protocol.CallVideo}
}

// Semantic 7: a group call rings every other member, goes ongoing at the
// first accept, lets others join while ongoing, marks who never answered
// missed, and ends when the last participant leaves.
func TestGroupCallLifecycle(t *testing.T) {
	e := newEnv(t, nil)
	e.group("team", "alice", "bob", "carol", "dave")
	alice, bob, carol, dave := e.dial("alice"), e.dial("bob"), e.dial("carol"), e.dial("dave")
	out, err := alice.InitiateCall(ctxT(t), groupCall("team"))
	if err != nil || out.Receiver.GUID != "team" || out.Receiver.Name != "Group team" || len(out.Participants) != 4 {
		t.Fatalf("initiate: %+v %v", out, err)
	}
	for _, d := range []*device{bob, carol, dave} {
		d.expect(protocol.EventIncomingCall)
	}
	alice.quiet()
	bob.accept(out.SessionID)
	e.wantCallToken(alice.expect(protocol.EventOutgoingCallAccepted).call.CallToken, "alice", out.SessionID)
	e.clock.Advance(10 * time.Second)
	carol.accept(out.SessionID) // still ringing, call ongoing: joins
	alice.quiet()
	e.clock.Advance(35 * time.Second) // dave never answers
	if got := dave.expect(protocol.EventIncomingCallCancelled).call; got.Reason != protocol.ReasonUnanswered || got.Status != protocol.StatusOngoing {
		t.Fatalf("dave: %+v", got)
	}
	alice.quiet() // the call goes on: no rejection for the caller
	res, err := bob.EndCall(ctxT(t), out.SessionID)
	if err != nil || res.Status != protocol.StatusOngoing {
		t.Fatalf("bob leaves: %+v %v", res, err)
	}
	alice.quiet()
	carol.quiet()
	if _, err := alice.EndCall(ctxT(t), out.SessionID); err != nil {
		t.Fatal(err)
	}
	res, err = carol.EndCall(ctxT(t), out.SessionID)
	if err != nil || res.Status != protocol.StatusEnded {
		t.Fatalf("last one leaves: %+v %v", res, err)
	}
	want := map[string]string{"alice": protocol.StatusEnded, "bob": protocol.StatusEnded, "carol": protocol.StatusEnded, "dave": protocol.StatusMissed}
	for uid, st := range want {
		if log := e.log(uid); len(log) != 1 || log[0].Status != st {
			t.Fatalf("%s's log: %+v, want %s", uid, log, st)
		}
	}
	e.media.mu.Lock()
	removed := len(e.media.removed)
	e.media.mu.Unlock()
	if removed != 3 {
		t.Fatalf("media told of %d leaves, want 3", removed)
	}
}

// Semantic 7: nobody answers -> unanswered; all reject -> rejected; the
// caller must be a member.
func TestGroupCallOutcomes(t *testing.T) {
	e := newEnv(t, nil)
	e.group("team", "alice", "bob", "carol")
	e.users("mallory")
	alice, bob, carol, mallory := e.dial("alice"), e.dial("bob"), e.dial("carol"), e.dial("mallory")

	_, err := mallory.InitiateCall(ctxT(t), groupCall("team"))
	wantCode(t, err, "forbidden")
	_, err = mallory.InitiateCall(ctxT(t), groupCall("nope"))
	wantCode(t, err, "not_found")

	out, _ := alice.InitiateCall(ctxT(t), groupCall("team"))
	bob.expect(protocol.EventIncomingCall)
	carol.expect(protocol.EventIncomingCall)
	e.clock.Advance(45 * time.Second)
	if got := alice.expect(protocol.EventOutgoingCallRejected).call; got.Status != protocol.StatusUnanswered {
		t.Fatalf("nobody answered: %+v", got)
	}
	bob.expect(protocol.EventIncomingCallCancelled)
	carol.expect(protocol.EventIncomingCallCancelled)
	if log := e.log("bob"); log[0].SessionID != out.SessionID || log[0].Status != protocol.StatusMissed {
		t.Fatalf("bob's log: %+v", log)
	}

	out, _ = alice.InitiateCall(ctxT(t), groupCall("team"))
	bob.expect(protocol.EventIncomingCall)
	carol.expect(protocol.EventIncomingCall)
	if _, err := bob.RejectCall(ctxT(t), out.SessionID, protocol.StatusRejected); err != nil {
		t.Fatal(err)
	}
	alice.quiet() // carol still ringing
	if _, err := carol.RejectCall(ctxT(t), out.SessionID, protocol.StatusRejected); err != nil {
		t.Fatal(err)
	}
	if got := alice.expect(protocol.EventOutgoingCallRejected).call; got.Status != protocol.StatusRejected {
		t.Fatalf("all rejected: %+v", got)
	}
}

func clientReq(to, typ, kind string) client.CallRequest {
	return client.CallRequest{ReceiverID: to, ReceiverType: typ, CallType: kind}
}

// Membership is read again at each accept of a group call (the call's
// member list is a copy made when it began): a member removed from the
// group since cannot answer, nor rejoin after leaving; one added since may
// join the call; once the group is deleted nobody can join it. Before,
// the removed member answered and rejoined, and the added one was refused.
func TestGroupAcceptFollowsCurrentMembership(t *testing.T) {
	e := newEnv(t, nil)
	e.group("team", "alice", "bob", "carol", "mallory")
	e.users("erin")
	alice, bob, carol, mallory, erin := e.dial("alice"), e.dial("bob"), e.dial("carol"), e.dial("mallory"), e.dial("erin")
	out, err := alice.InitiateCall(ctxT(t), groupCall("team"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*device{bob, carol, mallory} {
		d.expect(protocol.EventIncomingCall)
	}
	bob.accept(out.SessionID)
	ctx := ctxT(t)
	if err := e.st.RemoveMember(ctx, "team", "mallory"); err != nil {
		t.Fatal(err)
	}
	_, err = mallory.AcceptCall(ctx, out.SessionID)
	wantCode(t, err, protocol.CodeForbidden) // a removed member's accept
	_, err = erin.AcceptCall(ctx, out.SessionID)
	wantCode(t, err, protocol.CodeForbidden) // a stranger's accept
	if err := e.st.AddMembers(ctx, "team", []string{"erin"}); err != nil {
		t.Fatal(err)
	}
	joined, err := erin.AcceptCall(ctx, out.SessionID)
	if err != nil || joined.CallToken == "" {
		t.Fatalf("a member added after the call began: %+v %v, want to join", joined, err)
	}
	if _, err := erin.EndCall(ctx, out.SessionID); err != nil {
		t.Fatal(err)
	}
	if err := e.st.DeleteGroup(ctx, "team"); err != nil {
		t.Fatal(err)
	}
	_, err = erin.AcceptCall(ctx, out.SessionID)
	wantCode(t, err, protocol.CodeForbidden) // rejoining a deleted group's call
	_, err = carol.AcceptCall(ctx, out.SessionID)
	wantCode(t, err, protocol.CodeForbidden) // answering a deleted group's call
}

// A member who leaves a group call and joins it again keeps the time they
// were in it before: joinedAt and leftAt are of their last time in it,
// earlierMs sums the times before, in the events, the call and the call
// log. Before, joining again dropped the earlier time (a member in the
// call 21 s, then 11 s, saw "Ended 0:11").
func TestGroupRejoinKeepsEarlierTime(t *testing.T) {
	e := newEnv(t, nil)
	e.group("team", "alice", "bob", "carol")
	alice, bob, carol := e.dial("alice"), e.dial("bob"), e.dial("carol")
	ctx := ctxT(t)
	out, err := alice.InitiateCall(ctx, groupCall("team"))
	if err != nil {
		t.Fatal(err)
	}
	bob.expect(protocol.EventIncomingCall)
	carol.expect(protocol.EventIncomingCall)
	bob.accept(out.SessionID)
	carol.accept(out.SessionID)
	step := func(d time.Duration, f func() (protocol.Call, error)) {
		t.Helper()
		e.clock.Advance(d)
		if _, err := f(); err != nil {
			t.Fatal(err)
		}
	}
	leave := func() (protocol.Call, error) { return carol.EndCall(ctx, out.SessionID) }
	join := func() (protocol.Call, error) { return carol.AcceptCall(ctx, out.SessionID) }
	step(21*time.Second, leave)
	step(5*time.Second, join)
	step(11*time.Second, leave)
	step(4*time.Second, join)
	step(3*time.Second, leave)
	carolOf := func(c protocol.Call) protocol.Participant {
		for _, p := range c.Participants {
			if p.UID == "carol" {
				return p
			}
		}
		t.Fatalf("carol is not in %+v", c.Participants)
		return protocol.Participant{}
	}
	call, err := carol.GetCall(ctx, out.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	p := carolOf(call)
	if p.EarlierMs != 32_000 || p.LeftAt-p.JoinedAt != 3_000 {
		t.Fatalf("carol = %+v, want earlierMs 32000 (21 s + 11 s) and 3 s in her last time", p)
	}
	for _, d := range []*device{bob, alice} {
		if _, err := d.EndCall(ctx, out.SessionID); err != nil {
			t.Fatal(err)
		}
	}
	logged, err := e.hub.CallLog(ctx, "carol", protocol.LogQuery{})
	if err != nil || len(logged) != 1 {
		t.Fatalf("carol's log = %+v, %v", logged, err)
	}
	if q := carolOf(logged[0]); q.EarlierMs != 32_000 || q.JoinedAt != p.JoinedAt || q.LeftAt != p.LeftAt {
		t.Fatalf("carol in her log = %+v, want %+v", q, p)
	}
}

// A group's call finds dave busy (in a 1:1 call): he is not rung, and his connection
// that subscribed hears of it (incomingCallBusy: the group's call, still ringing the
// others; dave busy in it), so his app can offer to join once his call is over. A
// subscribe naming an event the server does not know is refused whole (bad_request) and
// changes nothing: that connection still hears nothing.
func TestGroupCallTellsBusyMemberWhoSubscribed(t *testing.T) {
	e := newEnv(t, nil)
	e.users("erin")
	e.group("team", "alice", "bob", "dave")
	alice, bob, dave, erin := e.dial("alice"), e.dial("bob"), e.dial("dave"), e.dial("erin")
	ws := e.raw("dave") // dave's other device, asking for a name that does not exist
	for _, frame := range []string{`{"id":"1","method":"subscribe","params":{"events":["incomingCallBusy","callWaiting"]}}`, `{"id":"2","method":"subscribe","params":{"events":[]}}`, `{"id":"3","method":"subscribe"}`} {
		if r := roundTrip(t, ws, frame); r.Error == nil || r.Error.Code != protocol.CodeBadRequest {
			t.Fatalf("%s: %+v, want bad_request", frame, r)
		}
	}
	if err := dave.SubscribeBusyCalls(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	one := erin.call("dave")
	dave.expect(protocol.EventIncomingCall)
	dave.accept(one.SessionID)
	erin.expect(protocol.EventOutgoingCallAccepted)

	out, err := alice.InitiateCall(ctxT(t), groupCall("team"))
	if err != nil {
		t.Fatal(err)
	}
	bob.expect(protocol.EventIncomingCall)
	got := dave.expect(protocol.EventIncomingCallBusy).call
	if got.SessionID != out.SessionID || got.Status != protocol.StatusInitiated || got.Reason != protocol.ReasonBusy || got.Receiver.GUID != "team" {
		t.Fatalf("dave's incomingCallBusy: %+v, want the team's ringing call %s", got, out.SessionID)
	}
	for _, p := range got.Participants {
		if p.UID == "dave" && p.Status != protocol.StatusBusy {
			t.Errorf("dave's participant status %q, want busy", p.Status)
		}
	}
	dave.quiet()
	// the connection whose subscribe was refused heard nothing
	if err := ws.Write(ctxT(t), websocket.MessageText, []byte(`{"id":"4","method":"ping"}`)); err != nil {
		t.Fatal(err)
	}
	for {
		_, b, err := ws.Read(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		m, _ := protocol.Parse(b)
		if m.IsEvent() && m.Event == protocol.EventIncomingCallBusy {
			t.Fatalf("a connection whose subscribe was refused got %s", b)
		}
		if m.ID == "4" {
			break
		}
	}
}
