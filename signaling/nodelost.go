package signaling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// EndLost ends call sid, which a lost node owned (a survivor runs it once
// per call, off the loop): the log says cancelled (never answered) or
// ended with endReason node_lost, every participant's devices here get
// callEnded (node_lost) and the returned message is what the caller must
// hand to the users' devices on other nodes. Media this node hosts for it
// ends too. A call the log does not have (it never reached the store) is
// still announced to its users.
func (h *Hub) EndLost(ctx context.Context, sid string, users []string) (protocol.Message, error) {
	now := h.clock.Now()
	r, err := h.st.GetCall(ctx, sid)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return protocol.Message{}, fmt.Errorf("signaling: node_lost %s: %w", sid, err)
	}
	if err == nil && r.EndedAt.IsZero() {
		closeLost(&r, now)
		if err := h.st.SaveCall(ctx, r); err != nil {
			return protocol.Message{}, fmt.Errorf("signaling: node_lost %s: %w", sid, err)
		}
		h.notifyClosed(ctx, r)
	}
	if m := h.media.Load(); m != nil {
		m.EndCall(sid, protocol.ReasonNodeLost)
	}
	view := protocol.Call{SessionID: sid, EndReason: protocol.ReasonNodeLost}
	if r.SessionID != "" {
		names := newNameCache(h.st)
		view = names.view(ctx, r, "")
	}
	data, _ := json.Marshal(view)
	msg := protocol.Message{Event: protocol.EventCallEnded, Data: withFields(data, "reason", protocol.ReasonNodeLost)}
	for _, u := range users {
		h.reg.toUser(u, msg, 0)
	}
	h.log.Warn("call ended: its node was lost", "session", sid, "reason", protocol.ReasonNodeLost)
	return msg, nil
}

// closeLost ends a stored call as CloseOpenCalls would, with node_lost.
func closeLost(r *store.Call, now time.Time) {
	r.EndedAt, r.EndReason = now, protocol.ReasonNodeLost
	answered := !r.JoinedAt.IsZero()
	r.Status = protocol.StatusCancelled
	if answered {
		r.Status = protocol.StatusEnded
	}
	for i := range r.Participants {
		p := &r.Participants[i]
		switch {
		case p.Status == protocol.StatusOngoing:
			p.Status, p.LeftAt = protocol.StatusLeft, now
		case p.Status == protocol.StatusInitiated && !answered:
			p.Status = protocol.StatusCancelled
		case p.Status == protocol.StatusInitiated:
			p.Status = protocol.StatusMissed
		}
	}
}

// notifyClosed hands the Notifier the hooks of a call this node closed
// from its log (r as closed: a lost node's call, or one left open by the
// run before a crash), as the machine's finish would have: participant.left
// for each participant that was in it, a stop push and (in an answered
// call) call.missed for each callee still ringing, then the call's own
// event. Their numbers follow the call's last event in the outbox.
func (h *Hub) notifyClosed(ctx context.Context, r store.Call) {
	if h.notifier == nil {
		return
	}
	names := newNameCache(h.st)
	init, recv := names.user(ctx, r.InitiatorUID), names.receiver(ctx, r.ReceiverType, r.ReceiverID)
	view := logView(r, "", init, recv)
	data, _ := json.Marshal(view)
	base := CallEvent{At: r.EndedAt, SessionID: r.SessionID, Reason: r.EndReason, Call: data, CallType: r.CallType,
		ReceiverType: r.ReceiverType, Caller: init,
		RingDeadline: r.InitiatedAt.Add(time.Duration(r.Timeout) * time.Second), Renumber: true}
	if r.ReceiverType == protocol.ReceiverGroup {
		base.Group = recv
	}
	event := func(typ, uid string) {
		ev := base
		ev.Type, ev.UID = typ, uid
		if len(view.Participants) > protocol.MaxListedParticipants {
			ev.Call, _ = json.Marshal(view.ListedFor(uid))
		}
		if typ == protocol.HookCallEnded && !r.JoinedAt.IsZero() {
			ev.Duration = r.EndedAt.Sub(r.JoinedAt)
		}
		h.notifier.CallEvent(ev)
	}
	for i, p := range r.Participants {
		switch {
		case p.Status == protocol.StatusLeft && !p.JoinedAt.IsZero() && p.LeftAt.Equal(r.EndedAt):
			event(protocol.HookParticipantLeft, p.UID)
		case i > 0 && p.JoinedAt.IsZero() && (p.Status == protocol.StatusMissed || p.Status == protocol.StatusCancelled):
			event(HookStopRinging, p.UID)
			if p.Status == protocol.StatusMissed {
				event(protocol.HookCallMissed, p.UID)
			}
		}
	}
	if r.Status == protocol.StatusEnded {
		event(protocol.HookCallEnded, "")
	} else {
		event(protocol.HookCallCancelled, "")
	}
}
