package signaling

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

func badRequest(format string, args ...any) error {
	return protocol.Errorf(protocol.CodeBadRequest, format, args...)
}

func checkID(what, id string) error {
	if err := store.ValidateID(what, id); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	return nil
}

func handleInitiate(c *conn, m protocol.Message) error {
	var p protocol.InitiateParams
	if err := protocol.DecodeParams(m.Params, &p); err != nil {
		return err
	}
	if err := checkID("receiverId", p.ReceiverID); err != nil {
		return err
	}
	if p.CallType != protocol.CallAudio && p.CallType != protocol.CallVideo {
		return badRequest("callType must be audio or video, not %q", p.CallType)
	}
	req := initiateReq{caller: c.uid, callerName: c.name, receiverType: p.ReceiverType,
		receiver: p.ReceiverID, callType: p.CallType, timeout: p.Timeout}
	if err := c.hub.resolveReceiver(c, &req); err != nil {
		return err
	}
	req.sessionID = newSessionID(c.hub.clock.Now())
	h := c.hub
	return h.command(c, m.ID, func() (any, error) {
		if h.draining.Load() {
			return nil, fmt.Errorf("%w: no new calls; call again in a moment (or on another server)", ErrDraining)
		}
		if reason := h.writer.Degraded(); reason != "" {
			return nil, fmt.Errorf("%w (its store cannot write); no new calls until it can, calls in progress go on", ErrStoreFailing)
		}
		now := h.clock.Now()
		if !h.lim.allow(c.uid, now) {
			return nil, fmt.Errorf("%w: at most %d initiateCall at once and %g per second", ErrRateLimited, h.cfg.InitiateBurst, h.cfg.InitiateRate)
		}
		call, glare, err := h.m.initiate(now, req)
		if err != nil {
			return nil, err
		}
		if glare { // the caller answered the call ringing them: it needs a token
			return withFields(h.render(call), "callToken", h.mintToken(c.uid, call.id)), nil
		}
		return h.render(call), nil
	})
}

// resolveReceiver checks the receiver exists and fills in its name (and a
// group's members, of which the caller must be one).
func (h *Hub) resolveReceiver(c *conn, req *initiateReq) error {
	switch req.receiverType {
	case protocol.ReceiverUser:
		if req.receiver == c.uid {
			return badRequest("you cannot call yourself")
		}
		name, err := h.names.get(c.ctx, req.receiver)
		if errors.Is(err, store.ErrNotFound) {
			return protocol.Errorf(protocol.CodeNotFound, "no user %q", req.receiver)
		}
		req.receiverName = name
		return err
	case protocol.ReceiverGroup:
		g, err := h.st.GetGroup(c.ctx, req.receiver)
		if errors.Is(err, store.ErrNotFound) {
			return protocol.Errorf(protocol.CodeNotFound, "no group %q", req.receiver)
		}
		if err != nil {
			return err
		}
		members, err := h.st.ListMembers(c.ctx, req.receiver)
		if err != nil {
			return err
		}
		req.receiverName = g.Name
		in := false
		for _, u := range members {
			req.members = append(req.members, u.UID)
			in = in || u.UID == c.uid
		}
		if !in {
			return protocol.Errorf(protocol.CodeForbidden, "you are not a member of group %q", req.receiver)
		}
		return nil
	}
	return badRequest("receiverType must be user or group, not %q", req.receiverType)
}

func decodeSession(m protocol.Message) (string, error) {
	var p protocol.SessionParams
	if err := protocol.DecodeParams(m.Params, &p); err != nil {
		return "", err
	}
	return p.SessionID, checkID("sessionId", p.SessionID)
}

func handleAccept(c *conn, m protocol.Message) error {
	sid, err := decodeSession(m)
	if err != nil {
		return err
	}
	h := c.hub
	err = h.durableCommand(c, m.ID, func() (any, error) {
		call, err := h.m.accept(h.clock.Now(), sid, c.uid)
		if err != nil {
			return nil, err
		}
		return acceptReply(h.render(call), h.mintToken(c.uid, call.id)), nil
	})
	return h.explainMissing(c, sid, err)
}

// acceptReply renders {"call":CALL,"callToken":"..."}.
func acceptReply(callJSON []byte, token string) json.RawMessage {
	b := make([]byte, 0, len(callJSON)+len(token)+32)
	b = append(b, `{"call":`...)
	b = append(b, callJSON...)
	b = protocol.AppendString(append(b, `,"callToken":`...), token)
	return append(b, '}')
}

func handleReject(c *conn, m protocol.Message) error {
	var p protocol.RejectParams
	if err := protocol.DecodeParams(m.Params, &p); err != nil {
		return err
	}
	if err := checkID("sessionId", p.SessionID); err != nil {
		return err
	}
	switch p.Status {
	case protocol.StatusRejected, protocol.StatusBusy, protocol.StatusCancelled:
	default:
		return badRequest("status must be rejected, busy or cancelled, not %q", p.Status)
	}
	h := c.hub
	err := h.durableCommand(c, m.ID, func() (any, error) {
		call, err := h.m.reject(h.clock.Now(), p.SessionID, c.uid, p.Status)
		if err != nil {
			return nil, err
		}
		return h.render(call), nil
	})
	return h.explainMissing(c, p.SessionID, err)
}

func handleEnd(c *conn, m protocol.Message) error {
	sid, err := decodeSession(m)
	if err != nil {
		return err
	}
	h := c.hub
	err = h.durableCommand(c, m.ID, func() (any, error) {
		call, err := h.m.end(h.clock.Now(), sid, c.uid, protocol.ReasonEnded)
		if err != nil {
			return nil, err
		}
		return h.render(call), nil
	})
	return h.explainMissing(c, sid, err)
}

func handleGenerateToken(c *conn, m protocol.Message) error {
	sid, err := decodeSession(m)
	if err != nil {
		return err
	}
	h := c.hub
	err = h.command(c, m.ID, func() (any, error) {
		if err := h.m.canJoin(sid, c.uid); err != nil {
			return nil, err
		}
		return map[string]string{"callToken": h.mintToken(c.uid, sid)}, nil
	})
	return h.explainMissing(c, sid, err)
}

func handleGetActiveCall(c *conn, m protocol.Message) error {
	if err := protocol.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	h := c.hub
	return h.command(c, m.ID, func() (any, error) {
		if call := h.m.active(c.uid); call != nil {
			return h.render(call), nil
		}
		return nil, nil
	})
}

// explainMissing turns not_found for a call the loop has forgotten but the
// log has into invalid_state (or forbidden for someone not in it).
func (h *Hub) explainMissing(c *conn, sid string, err error) error {
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	if ferr := h.writer.flush(c.ctx); ferr != nil {
		return err
	}
	r, gerr := h.st.GetCall(c.ctx, sid)
	if gerr != nil {
		return err
	}
	for _, p := range r.Participants {
		if p.UID == c.uid {
			return fmt.Errorf("%w: call %s is %s", ErrInvalidState, sid, r.Status)
		}
	}
	return fmt.Errorf("%w: you are not a participant of call %s", ErrForbidden, sid)
}
