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
	}
	if m := h.media.Load(); m != nil {
		m.EndCall(sid, protocol.ReasonNodeLost)
	}
	view := protocol.Call{SessionID: sid, EndReason: protocol.ReasonNodeLost}
	if r.SessionID != "" {
		names := newNameCache(h.st)
		view = logView(r, "", names.user(ctx, r.InitiatorUID), names.receiver(ctx, r.ReceiverType, r.ReceiverID))
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
