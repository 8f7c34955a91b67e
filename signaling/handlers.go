package signaling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

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
	req, err := c.hub.prepareInitiate(c.ctx, c.uid, c.name, p)
	if err != nil {
		return err
	}
	h := c.hub
	if req.retried != nil {
		return c.ws.Reply(m.ID, req.retried)
	}
	if res, ok, err := h.glareForwarded(c.ctx, req, c.id, ""); ok {
		if err != nil {
			return err
		}
		return c.ws.Reply(m.ID, res)
	}
	return h.command(c, m.ID, func() (any, error) { return h.opInitiateClaimed(req) })
}

// InitiateCall is initiateCall by uid (display name name) without a
// socket (POST /v1/calls). Errors are *protocol.Error.
func (h *Hub) InitiateCall(ctx context.Context, uid, name, device string, p protocol.InitiateParams) (json.RawMessage, error) {
	if device != "" {
		if err := checkID("deviceId", device); err != nil {
			return nil, protocol.AsError(err)
		}
	}
	req, err := h.prepareInitiate(ctx, uid, name, p)
	if err != nil {
		return nil, protocol.AsError(err)
	}
	if req.retried != nil {
		return req.retried, nil
	}
	if res, ok, err := h.glareForwarded(ctx, req, 0, device); ok {
		if err != nil {
			return nil, protocol.AsError(err)
		}
		return res, nil
	}
	// device: the phone placing the call; if it is glare, it answered the
	// call ringing it, which then sends it no stop push
	res, err := h.commandHTTP(deviceRef{uid: uid, id: device}, true, func() (any, error) { return h.opInitiateClaimed(req) })
	if err != nil {
		return nil, protocol.AsError(err)
	}
	return res.(json.RawMessage), nil
}

// prepareInitiate validates p and resolves what the loop needs, off the loop.
func (h *Hub) prepareInitiate(ctx context.Context, uid, name string, p protocol.InitiateParams) (initiateReq, error) {
	if err := checkID("receiverId", p.ReceiverID); err != nil {
		return initiateReq{}, err
	}
	if p.CallType != protocol.CallAudio && p.CallType != protocol.CallVideo {
		return initiateReq{}, badRequest("callType must be audio or video, not %q", p.CallType)
	}
	if p.ClientRequestID != "" {
		if err := checkID("clientRequestId", p.ClientRequestID); err != nil {
			return initiateReq{}, err
		}
	}
	req := initiateReq{caller: uid, callerName: name, receiverType: p.ReceiverType,
		receiver: p.ReceiverID, callType: p.CallType, timeout: p.Timeout, requestID: p.ClientRequestID}
	if me, err := h.names.get(ctx, uid); err == nil { // cached since the caller connected
		req.callerAvatar = me.avatar
	}
	if err := h.resolveReceiver(ctx, uid, &req); err != nil {
		return req, err
	}
	req.sessionID = newSessionID(h.clock.Now())
	if err := h.refuseNewCall(uid); err != nil {
		return req, err
	}
	if err := h.claimCluster(ctx, &req); err != nil || req.retried != nil {
		return req, err
	}
	if err := h.checkReachable(ctx, &req); err != nil {
		if h.cluster != nil {
			h.cluster.Release(req.sessionID, req.users())
		}
		return req, err
	}
	return req, nil
}

// rateLimited refuses an initiateCall beyond ringing.initiate_rate: a
// token is back after wait.
func (h *Hub) rateLimited(wait time.Duration) *protocol.Error {
	return &protocol.Error{Code: protocol.CodeRateLimited, RetryAfterMs: max(wait.Milliseconds(), 1),
		Message: fmt.Sprintf("%v: at most %d initiateCall at once and %g per second", ErrRateLimited, h.cfg.InitiateBurst, h.cfg.InitiateRate)}
}

// refuseNewCall says why caller may not place a call now (nil: they may):
// this node drains, its store cannot write, or caller is disabled. Safe
// off the loop: prepareInitiate asks before a cluster's claim takes the
// caller's rate token, and the loop asks again.
func (h *Hub) refuseNewCall(caller string) error {
	if h.draining.Load() {
		return fmt.Errorf("%w: no new calls; call again in a moment (or on another server)", ErrDraining)
	}
	switch reason, _ := h.writer.Degraded(); reason {
	case ReasonStoreFailing:
		return fmt.Errorf("%w (its store cannot write); no new calls until it can, calls in progress go on", ErrStoreFailing)
	case ReasonStoreUnreachable:
		return fmt.Errorf("%w (its store cannot be reached); no new calls until it can, calls in progress go on", ErrStoreFailing)
	}
	return h.refuseLocked(caller)
}

// opInitiate places the call, on the loop.
func (h *Hub) opInitiate(req initiateReq) (any, error) {
	if err := h.refuseNewCall(req.caller); err != nil {
		return nil, err
	}
	if req.receiverType == protocol.ReceiverUser && h.isLocked(req.receiver) {
		return nil, fmt.Errorf("%w: user %q is disabled", ErrForbidden, req.receiver)
	}
	// a member disabled since the members were read is not rung (and, in a
	// cluster, no longer linked to the call claimed for them)
	req.members = slices.DeleteFunc(req.members, func(uid string) bool {
		locked := uid != req.caller && h.isLocked(uid)
		if locked && h.cluster != nil {
			h.cluster.Unlink(req.sessionID, uid)
		}
		return locked
	})
	now := h.clock.Now()
	if call := h.m.repeated(now, req.caller, req.requestID); call != nil {
		if call.glareRetry(req.caller, req.requestID) { // it accepted the call ringing the caller
			if err := req.sameAs(protocol.ReceiverUser, call.initiator, req.callType); err != nil {
				return nil, err
			}
			return h.glareReply(call, req.caller), nil
		}
		if err := req.sameAs(call.receiverType, call.receiver, call.callType); err != nil {
			return nil, err
		}
		return h.renderFor(call, req.caller), nil // a retry: the call it placed, not another
	}
	if h.cluster == nil { // a cluster's claim took the token, for every node together
		if ok, wait := h.lim.take(req.caller, now); !ok {
			return nil, h.rateLimited(wait)
		}
	}
	call, glare, err := h.m.initiate(now, req)
	if err != nil {
		return nil, err
	}
	if call.isGroup() && !call.terminal() {
		h.groupOf.Store(call.id, call.receiver)
	}
	if glare {
		h.watchAbsent(call) // an accept: one over HTTPS gets the grace of one
		return h.glareReply(call, req.caller), nil
	}
	return h.renderFor(call, req.caller), nil
}

// glareReply answers an initiateCall that accepted call, ringing caller, by
// glare: the call with caller's call token, as an accept's reply.
func (h *Hub) glareReply(call *call, caller string) json.RawMessage {
	return withFields(h.renderFor(call, caller), "callToken", h.mintToken(caller, call.id), "mediaUrl", call.mediaURL)
}

// resolveReceiver checks the receiver exists and fills in its name (and a
// group's members, of which the caller must be one).
func (h *Hub) resolveReceiver(ctx context.Context, uid string, req *initiateReq) error {
	switch req.receiverType {
	case protocol.ReceiverUser:
		if req.receiver == uid {
			return badRequest("you cannot call yourself")
		}
		callee, err := h.names.get(ctx, req.receiver)
		if errors.Is(err, store.ErrNotFound) {
			return protocol.Errorf(protocol.CodeNotFound, "no user %q", req.receiver)
		}
		if callee.disabled {
			return fmt.Errorf("%w: user %q is disabled", ErrForbidden, req.receiver)
		}
		req.receiverName, req.receiverAvatar = callee.name, callee.avatar
		return h.storeRead("the callee", err)
	case protocol.ReceiverGroup:
		g, err := h.st.GetGroup(ctx, req.receiver)
		if errors.Is(err, store.ErrNotFound) {
			return protocol.Errorf(protocol.CodeNotFound, "no group %q", req.receiver)
		}
		if err != nil {
			return h.storeRead("the group", err)
		}
		members, err := h.st.ListMembers(ctx, req.receiver)
		if err != nil {
			return h.storeRead("the group's members", err)
		}
		req.receiverName = g.Name
		in := false
		for _, u := range members {
			in = in || u.UID == uid
			if !u.Disabled { // a disabled member is not rung
				req.members = append(req.members, u.UID)
			}
		}
		if !in {
			return fmt.Errorf("%w: you are not a member of group %q", ErrForbidden, req.receiver)
		}
		return nil
	}
	return badRequest("receiverType must be user or group, not %q", req.receiverType)
}

// storeRead is a failed read of what (nil: none) as the client gets it:
// the store cannot be read (unavailable, retry later), not an internal
// error; the cause (a database address, perhaps) goes to the log only.
func (h *Hub) storeRead(what string, err error) error {
	if err == nil {
		return nil
	}
	h.log.Error("store: a read for initiateCall failed", "what", what, "err", err)
	if store.Unavailable(err) {
		h.probe.check()
	}
	return fmt.Errorf("%w: %s could not be read; try again in a moment", ErrStoreFailing, what)
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
	mem := h.membership(c.ctx, c.uid, sid)
	return h.callCommand(c, m, sid, afterCommit, func() (any, error) { return h.opAccept(c.uid, sid, mem) })
}

// acceptReply renders {"call":CALL,"callToken":"...","mediaUrl":"..."}
// (mediaUrl only when set).
func acceptReply(callJSON []byte, token, mediaURL string) json.RawMessage {
	b := make([]byte, 0, len(callJSON)+len(token)+len(mediaURL)+48)
	b = append(b, `{"call":`...)
	b = append(b, callJSON...)
	b = protocol.AppendString(append(b, `,"callToken":`...), token)
	if mediaURL != "" {
		b = protocol.AppendString(append(b, `,"mediaUrl":`...), mediaURL)
	}
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
	if err := checkRejectStatus(p.Status); err != nil {
		return err
	}
	return c.hub.callCommand(c, m, p.SessionID, afterCommit, func() (any, error) { return c.hub.opReject(c.uid, p.SessionID, p.Status) })
}

func handleEnd(c *conn, m protocol.Message) error {
	return onCall(c, m, afterCommit, func(h *Hub, sid string) (any, error) { return h.opEnd(c.uid, sid) })
}

// Whether a socket method's reply waits for its change to be committed
// (accept, reject and end: see commandWith).
const (
	afterCommit = true
	atOnce      = false
)

// onCall runs a socket method whose params are {sessionId} on that call:
// see callCommand.
func onCall(c *conn, m protocol.Message, durable bool, op func(h *Hub, sid string) (any, error)) error {
	sid, err := decodeSession(m)
	if err != nil {
		return err
	}
	h := c.hub
	return h.callCommand(c, m, sid, durable, func() (any, error) { return op(h, sid) })
}

// callCommand runs op on the loop for a socket method on call sid: on the
// node that owns the call (forwarded there if another does), its reply sent
// once the change is committed if durable, and not_found for a call the
// loop has forgotten explained from the log.
func (h *Hub) callCommand(c *conn, m protocol.Message, sid string, durable bool, op func() (any, error)) error {
	if ok, err := h.forwarded(c, m, sid); ok {
		return err
	}
	return h.explainMissing(c, sid, h.commandWith(c, m.ID, durable, op))
}

func handleGenerateToken(c *conn, m protocol.Message) error {
	sid, err := decodeSession(m)
	if err != nil {
		return err
	}
	h := c.hub
	if ok, err := h.forwarded(c, m, sid); ok {
		return err
	}
	err = h.command(c, m.ID, func() (any, error) { return h.tokenFor(c.uid, sid) })
	return h.explainMissing(c, sid, err)
}

// tokenFor is generateToken's result for uid in call sid (on the loop).
func (h *Hub) tokenFor(uid, sid string) (any, error) {
	if err := h.m.canJoin(sid, uid); err != nil {
		return nil, err
	}
	return tokenResult(h.mintToken(uid, sid), h.mediaURL(sid)), nil
}

// generateTokenHere is generateToken forwarded by another node.
func (h *Hub) generateTokenHere(uid, sid string) (json.RawMessage, error) {
	var res any
	var err error
	if e := h.run(func() { res, err = h.tokenFor(uid, sid) }); e != nil {
		err = e
	}
	if err != nil {
		return nil, protocol.AsError(err)
	}
	return json.Marshal(res)
}

func handleGetActiveCall(c *conn, m protocol.Message) error {
	if err := protocol.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	h := c.hub
	if h.cluster != nil { // the call may run on another node
		here := false
		if err := h.run(func() { here = h.m.active(c.uid) != nil }); err != nil {
			return err
		}
		if !here {
			if res := h.activeCallElsewhere(c.ctx, c.uid); res != nil {
				return c.ws.Reply(m.ID, res)
			}
		}
	}
	return h.command(c, m.ID, func() (any, error) {
		if call := h.m.active(c.uid); call != nil {
			return h.renderFor(call, c.uid), nil
		}
		return nil, nil
	})
}

// activeCallElsewhere is uid's active call when another node runs it
// (nil if none): each call of the busy index is asked of its owner.
func (h *Hub) activeCallElsewhere(ctx context.Context, uid string) json.RawMessage {
	sids, err := h.cluster.CallsOf(ctx, uid)
	if err != nil {
		h.log.Warn("cluster: a user's calls on other nodes could not be read", "uid", uid, "err", err)
		return nil
	}
	for _, sid := range sids {
		res, owned, err := h.cluster.Forward(ctx, Command{Method: protocol.MethodGetActiveCall, UID: uid, SessionID: sid})
		if owned && err == nil && len(res) > 0 && string(res) != "null" {
			return res
		}
	}
	return nil
}

// activeCallHere answers getActiveCall forwarded by another node: call
// sid if it is uid's active call here, else null.
func (h *Hub) activeCallHere(uid, sid string) (json.RawMessage, error) {
	res := json.RawMessage("null")
	if err := h.run(func() {
		if call := h.m.active(uid); call != nil && call.id == sid {
			res = viewJSONFor(call, uid)
		}
	}); err != nil {
		return nil, protocol.AsError(err)
	}
	return res, nil
}

// explainMissing is explainMissingFor c's user.
func (h *Hub) explainMissing(c *conn, sid string, err error) error {
	return h.explainMissingFor(c.ctx, c.uid, sid, err)
}

// mayBeUnreachable: req is a 1:1 call whose callee has no live socket
// here (so it may have none at all), and unreachable calls are marked.
func (h *Hub) mayBeUnreachable(req initiateReq) bool {
	return h.devices != nil && req.receiverType == protocol.ReceiverUser && !h.reg.hasUser(req.receiver)
}

// checkReachable marks a 1:1 call unreachable when the callee has no live
// socket here and no push target (read from the store off the loop).
// In a cluster the claim looked at the other nodes' devices (after it).
func (h *Hub) checkReachable(ctx context.Context, req *initiateReq) error {
	if !h.mayBeUnreachable(*req) || req.devicesElsewhere {
		return nil
	}
	has, err := h.devices(ctx, req.receiver)
	if err != nil {
		return err
	}
	req.unreachable = !has
	return nil
}
