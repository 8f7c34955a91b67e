package signaling

import (
	"context"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// drop closes d's connection and waits until the hub has started its
// reconnect grace (one more pending timer).
func (e *env) drop(d *device, timersBefore int) {
	e.t.Helper()
	_ = d.Close()
	e.waitTimers(timersBefore + 1)
}

// Semantic 9: a dropped WebSocket does not drop the call; the user comes
// back within the grace and gets the call back with getActiveCall and a
// fresh token; nobody saw anything.
func TestReconnectWithinGraceKeepsTheCall(t *testing.T) {
	e := newEnv(t, nil)
	alice, bob, out := e.answered()
	e.drop(bob, 0)
	e.clock.Advance(14 * time.Second)
	bob = e.dial("bob") // a page reload
	c, err := bob.GetActiveCall(ctxT(t))
	if err != nil || c == nil || c.SessionID != out.SessionID || c.Status != protocol.StatusOngoing {
		t.Fatalf("getActiveCall after reload: %+v %v", c, err)
	}
	tok, err := bob.GenerateToken(ctxT(t), out.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	e.wantCallToken(tok, "bob", out.SessionID)
	e.clock.Advance(time.Hour)
	alice.quiet()
	if err := e.hub.CanJoin(out.SessionID, "bob"); err != nil {
		t.Fatalf("bob can no longer join: %v", err)
	}
}

// Semantic 9: a caller gone past the grace while ringing: cancelled.
func TestCallerGonePastGraceCancels(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice, bob := e.dial("alice"), e.dial("bob")
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	e.drop(alice, 1) // the ring timer is pending
	e.clock.Advance(15 * time.Second)
	if got := bob.expect(protocol.EventIncomingCallCancelled).call; got.Reason != protocol.ReasonDisconnected || got.Status != protocol.StatusCancelled {
		t.Fatalf("bob: %+v", got)
	}
	log := e.log("alice")
	if len(log) != 1 || log[0].SessionID != out.SessionID || log[0].Status != protocol.StatusCancelled || log[0].EndReason != protocol.ReasonDisconnected {
		t.Fatalf("alice's log: %+v", log)
	}
}

// Semantic 9: a participant of an ongoing 1:1 call gone past the grace
// ends it; the other side gets callEnded.
func TestParticipantGonePastGraceEnds(t *testing.T) {
	e := newEnv(t, nil)
	alice, bob, _ := e.answered()
	e.drop(bob, 0)
	e.clock.Advance(15 * time.Second)
	if got := alice.expect(protocol.EventCallEnded).call; got.Reason != protocol.ReasonDisconnected {
		t.Fatalf("alice: %+v", got)
	}
}

// A participant whose /v1/ws dropped but whose media is still in the call
// (a phone whose signaling socket died on a network change while the call
// goes on) stays in it past the grace; when the media side says they left
// (MediaLeft, e.g. their media vanished past media.disconnect_timeout),
// the call ends as a vanished 1:1 does.
func TestParticipantInMediaStaysPastGrace(t *testing.T) {
	e := newEnv(t, nil)
	alice, bob, out := e.answered()
	e.hub.MediaJoined(out.SessionID, "bob")
	e.drop(bob, 0)
	e.clock.Advance(time.Minute)
	alice.quiet()
	if c, err := alice.GetActiveCall(ctxT(t)); err != nil || c == nil || c.SessionID != out.SessionID || c.Status != protocol.StatusOngoing {
		t.Fatalf("alice's active call after bob's socket grace: %+v %v", c, err)
	}
	if err := e.hub.CanJoin(out.SessionID, "bob"); err != nil {
		t.Fatalf("bob can no longer join his call's media: %v", err)
	}
	e.hub.MediaLeft(out.SessionID, "bob", protocol.ReasonDisconnected)
	if got := alice.expect(protocol.EventCallEnded).call; got.Reason != protocol.ReasonDisconnected {
		t.Fatalf("alice: %+v", got)
	}
}

// A callee who answers over HTTPS (woken by a push) and has no socket is
// given the reconnect grace from the accept: if their app opens neither
// /v1/ws nor the call's media by its end, they leave the call as a user
// whose device went (a 1:1 call ends, both are free). Before, the call
// stayed ongoing for good and both stayed busy. One who joins the media in
// time stays.
func TestAnswerWithoutASocketThenNothing(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice := e.dial("alice")
	out := alice.call("bob")
	e.waitTimers(1) // the ring timeout
	if _, err := e.hub.AcceptCall(ctxT(t), "bob", "iphone", out.SessionID); err != nil {
		t.Fatal(err)
	}
	alice.expect(protocol.EventOutgoingCallAccepted)
	e.waitTimers(1) // bob's grace (the ring timer stopped)
	e.clock.Advance(14 * time.Second)
	alice.quiet()
	e.clock.Advance(time.Second)
	if got := alice.expect(protocol.EventCallEnded).call; got.Reason != protocol.ReasonDisconnected || got.Status != protocol.StatusEnded {
		t.Fatalf("alice: %+v", got)
	}
	if c, err := alice.GetActiveCall(ctxT(t)); err != nil || c != nil {
		t.Fatalf("alice still in a call: %+v %v", c, err)
	}

	// carol answers the same way and joins the media: she stays
	out = alice.call("carol")
	e.waitTimers(1)
	if _, err := e.hub.AcceptCall(ctxT(t), "carol", "", out.SessionID); err != nil {
		t.Fatal(err)
	}
	alice.expect(protocol.EventOutgoingCallAccepted)
	e.hub.MediaJoined(out.SessionID, "carol")
	e.clock.Advance(time.Minute)
	alice.quiet()
	if c, err := alice.GetActiveCall(ctxT(t)); err != nil || c == nil || c.Status != protocol.StatusOngoing {
		t.Fatalf("alice's call with carol, in its media: %+v %v", c, err)
	}
}

// Presence: userOnline when a user's first device connects, userOffline
// only after the grace once the last one left; listUsers has the flags.
func TestPresence(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol")
	alice := e.dial("alice")
	users, err := alice.ListUsers(ctxT(t))
	if err != nil || len(users) != 3 {
		t.Fatalf("listUsers: %+v %v", users, err)
	}
	for _, u := range users {
		if u.Online != (u.UID == "alice") {
			t.Fatalf("listUsers: %+v", users)
		}
	}
	bob1 := e.dial("bob")
	if got := alice.expect(protocol.EventUserOnline).user; got.UID != "bob" || got.Name != "Bob" {
		t.Fatalf("userOnline: %+v", got)
	}
	bob2 := e.dial("bob")
	alice.quiet() // a second device is not news
	_ = bob2.Close()
	e.drop(bob1, 0)
	e.clock.Advance(10 * time.Second)
	bob1 = e.dial("bob") // back within the grace: no flap
	alice.quiet()
	e.drop(bob1, 0)
	e.clock.Advance(15 * time.Second)
	if got := alice.expect(protocol.EventUserOffline).user; got.UID != "bob" {
		t.Fatalf("userOffline: %+v", got)
	}
	users, _ = alice.ListUsers(ctxT(t))
	for _, u := range users {
		if u.UID == "bob" && u.Online {
			t.Fatal("bob still online")
		}
	}
	groups, err := alice.ListGroups(ctxT(t))
	if err != nil || len(groups) != 0 {
		t.Fatalf("listGroups: %+v %v", groups, err)
	}
}

func TestListGroups(t *testing.T) {
	e := newEnv(t, nil)
	e.group("team", "alice", "bob")
	e.group("other", "bob", "carol")
	alice := e.dial("alice")
	groups, err := alice.ListGroups(ctxT(t))
	if err != nil || len(groups) != 1 || groups[0].GUID != "team" || groups[0].MembersCount != 2 {
		t.Fatalf("listGroups: %+v %v", groups, err)
	}
}

// Semantic 10: a restart closes what the last run left open, and Close
// ends live calls, so the log never shows initiated or ongoing.
func TestRestartAndCloseLeaveNoOpenCall(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob", "carol", "dave")
	alice, bob, carol := e.dial("alice"), e.dial("bob"), e.dial("carol")
	e.dial("dave")
	talking := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	bob.accept(talking.SessionID)
	ringing := carol.call("dave")
	if err := e.hub.Close(); err != nil {
		t.Fatal(err)
	}
	byID := map[string]protocol.Call{}
	for _, uid := range []string{"alice", "carol"} {
		calls, err := e.hub.CallLog(context.Background(), uid, protocol.LogQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range calls {
			byID[c.SessionID] = c
		}
	}
	if c := byID[talking.SessionID]; c.Status != protocol.StatusEnded || c.EndReason != protocol.ReasonServerShutdown || c.EndedAt == 0 {
		t.Fatalf("ongoing call after Close: %+v", c)
	}
	if c := byID[ringing.SessionID]; c.Status != protocol.StatusCancelled || c.EndReason != protocol.ReasonServerShutdown {
		t.Fatalf("ringing call after Close: %+v", c)
	}

	// A crash leaves a call open in the store; the next New closes it.
	rec := (&call{id: "leftover", callType: protocol.CallAudio, receiverType: protocol.ReceiverUser, initiator: "alice",
		receiver: "bob", status: protocol.StatusOngoing, initiatedAt: e.clock.Now(), joinedAt: e.clock.Now(),
		parts: []participant{{uid: "alice", status: protocol.StatusOngoing}, {uid: "bob", status: protocol.StatusOngoing}}}).record()
	if err := e.st.SaveCall(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	h2, err := New(context.Background(), DefaultConfig(), Deps{Store: e.st, Tokens: e.iss, Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer h2.Close()
	calls, err := h2.CallLog(context.Background(), "bob", protocol.LogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calls {
		if c.Status == protocol.StatusInitiated || c.Status == protocol.StatusOngoing {
			t.Fatalf("open call after restart: %+v", c)
		}
		if c.SessionID == "leftover" && c.EndReason != protocol.ReasonServerRestart {
			t.Fatalf("leftover: %+v", c)
		}
	}
}
