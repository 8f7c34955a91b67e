package signaling

import (
	"fmt"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Hooks: what must leave the server about a call besides socket events
// (pushes and webhooks). The machine appends them as fxHook effects when
// m.hooks is on; the hub hands them to the Notifier.

// Hook types that are not webhook events: they drive pushes.
const (
	HookRing        = "ring"        // a callee starts ringing (push on ring)
	HookStopRinging = "stopRinging" // the call stopped ringing for a callee (stop push)
)

// hook appends a hook effect (nothing when hooks are off).
func (m *machine) hook(typ string, c *call, uid, reason string) {
	if !m.hooks || c.takenOver {
		return
	}
	seq := 0
	if typ != HookRing && typ != HookStopRinging { // webhook events are numbered 1, 2, ... per call
		c.seq++
		seq = c.seq
	}
	m.fx = append(m.fx, effect{kind: fxHook, event: typ, call: c, uid: uid, reason: reason, seq: seq})
}

// finishHooks are the hooks of a call reaching status: one call-level
// event, participant.left for those who were joined, call.missed for
// callees who were still ringing. Called by finish before participants
// get their final status.
func (m *machine) finishHooks(c *call, status, reason string) {
	if !m.hooks {
		return
	}
	for i, p := range c.parts {
		switch {
		case p.status == protocol.StatusOngoing:
			m.hook(protocol.HookParticipantLeft, c, p.uid, reason)
		case i > 0 && p.status == protocol.StatusInitiated && finalStatus(status, false) == protocol.StatusMissed:
			m.hook(protocol.HookCallMissed, c, p.uid, reason)
		}
	}
	switch status {
	case protocol.StatusBusy:
		m.hook(protocol.HookCallBusy, c, "", reason)
	case protocol.StatusRejected:
		m.hook(protocol.HookCallRejected, c, "", reason)
	case protocol.StatusCancelled:
		m.hook(protocol.HookCallCancelled, c, "", reason)
	case protocol.StatusUnanswered:
		m.hook(protocol.HookCallUnanswered, c, "", reason)
	case protocol.StatusEnded:
		m.hook(protocol.HookCallEnded, c, "", reason)
	}
}

// ack is a ringing callee's device saying it has the call: the first ack
// of each callee is call.ringing, and tells the caller "ringing" (1:1; a
// group call only at its first member's ack while nobody has answered);
// later ones change nothing. uid must be a callee still ringing.
func (m *machine) ack(now time.Time, sessionID, uid string) (*call, error) {
	c, err := m.lookup(sessionID)
	if err != nil {
		return nil, err
	}
	p := c.part(uid)
	switch {
	case p == nil || uid == c.initiator:
		return nil, fmt.Errorf("%w: only a callee may acknowledge call %s", ErrForbidden, c.id)
	case c.terminal():
		return nil, fmt.Errorf("%w: call %s is %s", ErrInvalidState, c.id, c.status)
	case p.status != protocol.StatusInitiated:
		return nil, fmt.Errorf("%w: call %s is no longer ringing you (you are %s)", ErrInvalidState, c.id, p.status)
	case !p.ackedAt.IsZero():
		return c, nil
	}
	// The caller's screen goes from "Calling" to "Ringing" once. In a group call a ringing event
	// per member, each carrying the whole call, was quadratic on the caller's socket: 200
	// members' acks were 4 MB, past max_queue_bytes, and the socket was closed as too slow.
	tell := !c.isGroup() || (c.status == protocol.StatusInitiated && !c.acked())
	p.ackedAt = now
	if tell {
		m.emit(c.initiator, protocol.EventRinging, c, "", false)
	}
	m.hook(protocol.HookCallRinging, c, uid, "")
	return c, nil
}

// requestKey is the idempotency key of an initiateCall with a client
// request id.
func requestKey(caller, id string) string { return caller + "\x00" + id }

// repeated returns the call placed earlier by the same caller with the
// same client request id, while it is within its ring window.
func (m *machine) repeated(now time.Time, caller, id string) *call {
	if id == "" {
		return nil
	}
	c := m.requests[requestKey(caller, id)]
	if c == nil || !now.Before(c.deadline) {
		return nil
	}
	return c
}

// sameAs refuses a retry whose clientRequestId placed a call to another
// receiver, or of another type: the id was reused by mistake, and
// answering with that call would hide it.
func (r *initiateReq) sameAs(receiverType, receiver, callType string) error {
	if r.receiverType == receiverType && r.receiver == receiver && r.callType == callType {
		return nil
	}
	return fmt.Errorf("%w: clientRequestId %q already placed a %s call to %s %q; use a new id for another call", ErrConflict,
		r.requestID, callType, receiverType, receiver)
}

// remember records c under its client request id.
func (m *machine) remember(c *call, caller, id string) {
	if id == "" {
		return
	}
	c.reqKey = requestKey(caller, id)
	m.requests[c.reqKey] = c
}

// rememberGlare records c under the client request id of the initiateCall
// that accepted it by glare: a retry of it is answered as it was.
func (m *machine) rememberGlare(c *call, caller, id string) {
	if id == "" {
		return
	}
	c.glareKey = requestKey(caller, id)
	m.requests[c.glareKey] = c
}

// glareRetry reports whether c was found under caller's id as the call its
// initiateCall accepted by glare.
func (c *call) glareRetry(caller, id string) bool {
	return c.glareKey != "" && c.glareKey == requestKey(caller, id)
}

// forget drops c's client request ids (c is pruned).
func (m *machine) forget(c *call) {
	for _, k := range []string{c.reqKey, c.glareKey} {
		if k != "" && m.requests[k] == c {
			delete(m.requests, k)
		}
	}
}
