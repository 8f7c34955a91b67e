package sfu

import (
	"testing"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// A room whose last participant leaves is out of the room map at once: a
// join queued in the same batch (or while the batch ends) gets a new room,
// not this one, which would refuse it as ended though the call goes on.
func TestJoinAfterTheLastLeaveGetsANewRoom(t *testing.T) {
	srv, _ := loopbackServer(t)
	defer srv.Close()
	conn, _ := newEmitted(t)
	got := make(chan [2]*room, 1)
	srv.enqueue("call", true, func(r *room) {
		p := newParticipant(Participant{UID: "ann"}, conn)
		p.joined = true
		r.parts["ann"] = p
		srv.stats.participants.Add(1)
		r.remove(p, protocol.ReasonLeft, websocket.StatusNormalClosure, false)
		next := srv.enqueue("call", true, func(*room) {})
		got <- [2]*room{r, next}
	})
	rs := <-got
	if rs[1] == nil || rs[1] == rs[0] {
		t.Fatalf("the join after the last leave went to %p, the emptied room is %p: want a new room", rs[1], rs[0])
	}
	if n := srv.stats.rooms.Load(); n != 1 {
		t.Errorf("%d rooms counted, want 1 (the new one)", n)
	}
}
