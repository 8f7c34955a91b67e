package signaling

import (
	"context"
	"encoding/json"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// A ring that reaches a live socket is acknowledged by it, as ackCall
// does: the callee's participant gets ackedAt and the caller hears
// "ringing" (protocol.md, "Transitions"). A socket that connects while a
// call rings its user gets that call's incomingCall after "connected"
// (the app was opened, or came back, during the ring), and acknowledges
// it the same way.

// ackDelivered: the ring of call sid, which this node runs, reached a live
// socket of uid here; acknowledged in a turn of its own, after the events
// of the turn that rang. On the loop or off it.
func (h *Hub) ackDelivered(uid, sid string) {
	h.post(func() {
		if _, err := h.m.ack(h.clock.Now(), sid, uid); err == nil {
			h.apply()
		}
	})
}

// ackElsewhere: the ring of call sid, which another node runs, reached a
// live socket of uid here: its owner is told, as an ackCall that needs no
// answer (it goes out with this node's next batch of writes). Never
// blocks.
func (h *Hub) ackElsewhere(uid, sid string) {
	h.cluster.Tell(Command{Method: protocol.MethodAckCall, UID: uid, SessionID: sid})
}

// ringOnConnect sends c the incomingCall of each call this node runs that
// rings c's user now, and acknowledges it. On the loop, after "connected".
func (h *Hub) ringOnConnect(c *conn) {
	for _, call := range h.m.users[c.uid] {
		if !ringsCallee(call, c.uid) {
			continue
		}
		if c.ring(call.id, protocol.Message{Event: protocol.EventIncomingCall, Data: viewJSONFor(call, c.uid)}) {
			h.ackDelivered(c.uid, call.id) // it connects now: it runs
		}
	}
}

// ringsCallee reports whether call rings uid, a callee, now.
func ringsCallee(call *call, uid string) bool {
	p := call.part(uid)
	return !call.terminal() && call.initiator != uid && p != nil && p.status == protocol.StatusInitiated
}

// ringFromElsewhere is ringOnConnect for the calls other nodes run: each
// call of the user's busy index is asked of its owner. Off the loop.
func (h *Hub) ringFromElsewhere(ctx context.Context, c *conn) {
	sids, err := h.cluster.CallsOf(ctx, c.uid)
	if err != nil {
		h.log.Warn("cluster: the calls ringing a user who connected could not be read", "uid", c.uid, "err", err)
		return
	}
	for _, sid := range sids {
		params, _ := json.Marshal(protocol.SessionParams{SessionID: sid})
		res, owned, err := h.cluster.Forward(ctx, Command{Method: protocol.MethodGetCall, UID: c.uid, SessionID: sid, Params: params})
		if !owned || err != nil {
			continue // this node's own calls were rung on the loop
		}
		var v protocol.Call
		if json.Unmarshal(res, &v) != nil || !viewRings(v, c.uid) {
			continue
		}
		if len(v.Participants) > protocol.MaxListedParticipants { // getCall lists everyone; a ring does not
			if res, err = json.Marshal(v.ListedFor(c.uid)); err != nil {
				continue
			}
		}
		if c.ring(sid, protocol.Message{Event: protocol.EventIncomingCall, Data: res}) {
			h.ackElsewhere(c.uid, sid)
		}
	}
}

// viewRings is ringsCallee for a rendered call.
func viewRings(v protocol.Call, uid string) bool {
	if v.Initiator.UID == uid || (v.Status != protocol.StatusInitiated && v.Status != protocol.StatusOngoing) {
		return false
	}
	for _, p := range v.Participants {
		if p.UID == uid {
			return p.Status == protocol.StatusInitiated
		}
	}
	return false
}

// sessionOf reads the sessionId of a call event's data.
func sessionOf(data json.RawMessage) string {
	var v struct {
		SessionID string `json:"sessionId"`
	}
	_ = json.Unmarshal(data, &v)
	return v.SessionID
}
