package signaling

import (
	"encoding/json"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Notifier hears about calls for what must leave the server: pushes to
// devices without a socket and webhooks to the application's backend.
// CallEvent is called on the hub loop, in the order of the call's hooks:
// it must return at once (queue the work, never do I/O).
type Notifier interface {
	CallEvent(ev CallEvent)
}

// CallEvent is one hook of a call.
type CallEvent struct {
	Type      string    // a protocol.Hook* webhook type, HookRing or HookStopRinging
	Seq       int       // 1, 2, ... per call
	At        time.Time // when it happened
	SessionID string
	UID       string // the participant concerned (callee rung, stopped, missed; participant joined/left)
	Reason    string
	// Device is, for HookStopRinging, the uid's device whose request stopped
	// the ringing (answered or declined on it; "" if unknown): it needs no
	// stop push, which would end the call CallKit just answered. For
	// HookRing it is the one device to push, because its socket went while
	// the call rang it ("": every device without a live socket).
	Device string
	// Call is the Call object after the command that caused the hook, as
	// sent to UID (a call of more than protocol.MaxListedParticipants lists
	// only those protocol.Listed keeps).
	Call json.RawMessage
	// What a push needs without parsing Call.
	CallType     string
	ReceiverType string
	Caller       protocol.Party // uid, name
	Group        protocol.Party // guid, name (group calls)
	RingDeadline time.Time
	// Duration is call.ended's: from the first answer to the end (0 if never answered).
	Duration time.Duration
	// Renumber: Seq is not known here (the call's events were numbered by
	// a node that is gone, or by the run before a crash): the Notifier
	// numbers it after the call's last event in the outbox.
	Renumber bool
}

// notify hands one fxHook effect to the Notifier.
func (h *Hub) notify(e *effect) {
	n := h.notifier
	if n == nil {
		return
	}
	c := e.call
	ev := CallEvent{
		Type: e.event, Seq: e.seq, At: h.clock.Now(), SessionID: c.id, UID: e.uid, Reason: e.reason,
		Call: h.renderFor(c, e.uid), CallType: c.callType, ReceiverType: c.receiverType,
		Caller: protocol.Party{UID: c.initiator, Name: c.initName, Avatar: c.initAvatar}, RingDeadline: c.deadline,
	}
	if e.event == HookStopRinging && h.originDevice.uid == e.uid {
		ev.Device = h.originDevice.id
	}
	if e.device != "" {
		ev.Device = e.device
	}
	if c.isGroup() {
		ev.Group = protocol.Party{GUID: c.receiver, Name: c.recvName}
	}
	if e.event == protocol.HookCallEnded && !c.joinedAt.IsZero() {
		ev.Duration = c.endedAt.Sub(c.joinedAt)
	}
	n.CallEvent(ev)
}

// UserOnline reports whether uid has any live /v1/ws socket here.
func (h *Hub) UserOnline(uid string) bool { return h.reg.hasUser(uid) }
