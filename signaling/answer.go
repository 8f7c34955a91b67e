package signaling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// Answering without a socket (POST /v1/calls/{sid}/ack|accept|reject, GET
// /v1/calls/{sid}): the same transitions as the socket methods, run on the
// hub loop, so every race between a socket and HTTPS has one outcome.
// Errors are *protocol.Error.

// commandHTTP runs fn on the loop for a request that came without a socket
// (every socket of the user hears the events). Like a durable commandWith,
// it returns only once the change is committed. device is the deviceId the
// request names ("" if none): no stop push goes to the device that
// answered. answers: the request answers a ring on that device (accept,
// reject, glare's initiate): a socket bound to it is not told the call was
// answered elsewhere (it made the request and has its answer over HTTPS);
// every other event (callEnded of its /end) still reaches it.
func (h *Hub) commandHTTP(device deviceRef, answers bool, fn func() (any, error)) (any, error) {
	var res any
	var err error
	var committed <-chan struct{}
	if e := h.run(func() {
		h.origin, h.originDevice = 0, device
		if answers && device.id != "" {
			h.origin = h.reg.boundConn(device.uid, device.id)
		}
		res, err = fn()
		h.applyWith(func() {
			if err == nil {
				committed = h.writer.commit(h.persisted()...)
			}
		})
		h.origin, h.originDevice = 0, deviceRef{}
	}); e != nil {
		err = e
	}
	if committed != nil {
		<-committed // the writer closes every marker it takes, also on stop
	}
	return res, err
}

// answerHTTP runs fn, method by uid from device (over HTTPS, or forwarded)
// on call sid, with commandHTTP.
func (h *Hub) answerHTTP(ctx context.Context, method, uid, device, sid string, fn func() (any, error)) (json.RawMessage, error) {
	if err := checkID("sessionId", sid); err != nil {
		return nil, err
	}
	if device != "" {
		if err := checkID("deviceId", device); err != nil {
			return nil, err
		}
	}
	answers := method == protocol.MethodAcceptCall || method == protocol.MethodRejectCall
	res, err := h.commandHTTP(deviceRef{uid: uid, id: device}, answers, fn)
	if err != nil {
		return nil, protocol.AsError(h.explainMissingFor(ctx, uid, sid, err))
	}
	b, ok := res.(json.RawMessage)
	if !ok {
		return json.Marshal(res)
	}
	return b, nil
}

// AckCall is ackCall by uid: one of uid's devices has the ring. The
// result is the Call.
// device is the deviceId of the phone making the request ("" if unknown):
// when the call stops ringing because it answered, it gets no stop push.
func (h *Hub) AckCall(ctx context.Context, uid, device, sid string) (json.RawMessage, error) {
	return h.answerAnywhere(ctx, protocol.MethodAckCall, uid, device, sid, "", func() (any, error) { return h.opAck(uid, sid) })
}

// AcceptCall is acceptCall by uid; the result is {"call":...,"callToken":...}.
// device as for AckCall.
func (h *Hub) AcceptCall(ctx context.Context, uid, device, sid string) (json.RawMessage, error) {
	mem := h.membership(ctx, uid, sid)
	return h.answerAnywhere(ctx, protocol.MethodAcceptCall, uid, device, sid, "", func() (any, error) { return h.opAccept(uid, sid, mem) })
}

// RejectCall is rejectCall by uid with status rejected, busy or cancelled.
// device as for AckCall.
func (h *Hub) RejectCall(ctx context.Context, uid, device, sid, status string) (json.RawMessage, error) {
	if err := checkRejectStatus(status); err != nil {
		return nil, err
	}
	return h.answerAnywhere(ctx, protocol.MethodRejectCall, uid, device, sid, status, func() (any, error) { return h.opReject(uid, sid, status) })
}

// EndCall is endCall by uid over HTTPS: a phone that answered there (CallKit,
// ConnectionService) hangs up before or without opening a socket. device
// as for AckCall.
func (h *Hub) EndCall(ctx context.Context, uid, device, sid string) (json.RawMessage, error) {
	return h.answerAnywhere(ctx, protocol.MethodEndCall, uid, device, sid, "", func() (any, error) { return h.opEnd(uid, sid) })
}

// answerParams are the params of an answer over HTTPS forwarded to the
// node that owns the call: the socket method's, and the phone's deviceId.
type answerParams struct {
	SessionID string `json:"sessionId"`
	Status    string `json:"status,omitempty"`
	DeviceID  string `json:"deviceId,omitempty"`
}

// answerAnywhere runs an answer over HTTPS (method, by uid from device) on
// the node that owns call sid: in a cluster the request may have reached
// any node (a load balancer), and only the owner runs the call; fn runs it
// here when this node owns it, or none does.
func (h *Hub) answerAnywhere(ctx context.Context, method, uid, device, sid, status string, fn func() (any, error)) (json.RawMessage, error) {
	if err := checkID("sessionId", sid); err != nil {
		return nil, err
	}
	if device != "" {
		if err := checkID("deviceId", device); err != nil {
			return nil, err
		}
	}
	if res, owned, err := h.forwardHTTP(ctx, method, uid, sid, answerParams{SessionID: sid, Status: status, DeviceID: device}); owned {
		return res, err
	}
	return h.answerHTTP(ctx, method, uid, device, sid, fn)
}

// forwardHTTP sends a request made over HTTPS to the node that owns call
// sid; owned is false on one node, or when no other node owns it.
func (h *Hub) forwardHTTP(ctx context.Context, method, uid, sid string, params any) (json.RawMessage, bool, error) {
	if h.cluster == nil {
		return nil, false, nil
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, false, err
	}
	res, owned, err := h.cluster.Forward(ctx, Command{Method: method, UID: uid, SessionID: sid, Params: raw})
	if err != nil {
		return nil, owned, protocol.AsError(err)
	}
	return res, owned, nil
}

// GetCall returns the call with its per-participant ring state, live or
// from the log; only its participants may read it. In a cluster the node
// that owns the call answers.
func (h *Hub) GetCall(ctx context.Context, uid, sid string) (json.RawMessage, error) {
	if err := checkID("sessionId", sid); err != nil {
		return nil, err
	}
	if res, owned, err := h.forwardHTTP(ctx, protocol.MethodGetCall, uid, sid, protocol.SessionParams{SessionID: sid}); owned {
		return res, err
	}
	return h.getCallHere(ctx, uid, sid)
}

// getCallHere is GetCall on this node.
func (h *Hub) getCallHere(ctx context.Context, uid, sid string) (json.RawMessage, error) {
	var res json.RawMessage
	var err error
	if e := h.run(func() { res, err = h.opGet(uid, sid) }); e != nil {
		return nil, protocol.AsError(e)
	}
	if err == nil {
		return res, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, protocol.AsError(err)
	}
	v, err := h.loggedCall(ctx, uid, sid)
	if err != nil {
		return nil, protocol.AsError(err)
	}
	return json.Marshal(v)
}

// loggedCall reads a call the loop has forgotten from the log, as uid's.
func (h *Hub) loggedCall(ctx context.Context, uid, sid string) (protocol.Call, error) {
	r, err := h.readLogged(ctx, sid)
	if err != nil {
		return protocol.Call{}, err
	}
	for _, p := range r.Participants {
		if p.UID == uid {
			return h.logViewNamed(ctx, r, uid), nil
		}
	}
	return protocol.Call{}, fmt.Errorf("%w: you are not a participant of call %s", ErrForbidden, sid)
}

// AdminEndCall ends call sid for everyone, for the app's backend (the
// admin API): a call still ringing is cancelled, an answered one ended,
// both with endReason ended_by_admin; every participant hears it as from
// any end (callEnded, incomingCallCancelled for the callees still ringing)
// and the media session closes. The result is the call as it ended. A call
// that already ended is invalid_state; one the server never had,
// not_found. In a cluster the node that owns the call ends it.
func (h *Hub) AdminEndCall(ctx context.Context, sid string) (json.RawMessage, error) {
	if err := checkID("sessionId", sid); err != nil {
		return nil, err
	}
	if res, owned, err := h.forwardHTTP(ctx, ForwardAdminEnd, "", sid, protocol.SessionParams{SessionID: sid}); owned {
		return res, err
	}
	return h.adminEndHere(ctx, sid)
}

// adminEndHere is AdminEndCall on the node that runs the call (or on one
// node). It returns once the end is committed.
func (h *Hub) adminEndHere(ctx context.Context, sid string) (json.RawMessage, error) {
	res, err := h.commandHTTP(deviceRef{}, false, func() (any, error) {
		c, err := h.m.lookup(sid)
		if err != nil {
			return nil, err
		}
		if c.terminal() {
			return nil, fmt.Errorf("%w: call %s is %s", ErrInvalidState, sid, c.status)
		}
		h.m.endFor(h.clock.Now(), c, protocol.ReasonEndedByAdmin)
		return h.render(c), nil
	})
	if errors.Is(err, ErrNotFound) {
		if r, gerr := h.readLogged(ctx, sid); gerr == nil {
			err = fmt.Errorf("%w: call %s is %s", ErrInvalidState, sid, r.Status)
		}
	}
	if err != nil {
		return nil, protocol.AsError(err)
	}
	if b, ok := res.(json.RawMessage); ok {
		return b, nil
	}
	return json.Marshal(res)
}

// LoggedCall is call sid as the log holds it (its own status, not a
// participant's view), for the admin API; what this node's loop changed is
// written first.
func (h *Hub) LoggedCall(ctx context.Context, sid string) (protocol.Call, error) {
	if err := checkID("sessionId", sid); err != nil {
		return protocol.Call{}, err
	}
	r, err := h.readLogged(ctx, sid)
	if err != nil {
		return protocol.Call{}, err
	}
	return h.logViewNamed(ctx, r, r.InitiatorUID), nil // the initiator's view is the call's own status
}

// readLogged reads call sid from the log once this node's saves are written.
func (h *Hub) readLogged(ctx context.Context, sid string) (store.Call, error) {
	if err := h.writer.flush(ctx); err != nil {
		return store.Call{}, err
	}
	r, err := h.st.GetCall(ctx, sid)
	if errors.Is(err, store.ErrNotFound) {
		return store.Call{}, fmt.Errorf("%w %q", ErrNotFound, sid)
	}
	return r, err
}

// logViewNamed is logView with the initiator's and receiver's names read.
func (h *Hub) logViewNamed(ctx context.Context, r store.Call, uid string) protocol.Call {
	names := newNameCache(h.st)
	return names.view(ctx, r, uid)
}

// The operations, on the loop.

func (h *Hub) opAck(uid, sid string) (any, error) {
	if err := h.refuseLocked(uid); err != nil {
		return nil, err
	}
	call, err := h.m.ack(h.clock.Now(), sid, uid)
	if err != nil {
		return nil, err
	}
	return h.renderFor(call, uid), nil
}

func (h *Hub) opAccept(uid, sid string, mem groupMember) (any, error) {
	if err := h.refuseLocked(uid); err != nil {
		return nil, err
	}
	call, err := h.m.acceptAs(h.clock.Now(), sid, uid, mem)
	if err != nil {
		return nil, err
	}
	h.watchAbsent(call)
	return acceptReply(h.renderFor(call, uid), h.mintToken(uid, call.id), call.mediaURL), nil
}

func (h *Hub) opReject(uid, sid, status string) (any, error) {
	call, err := h.m.reject(h.clock.Now(), sid, uid, status)
	if err != nil {
		return nil, err
	}
	return h.renderFor(call, uid), nil
}

func (h *Hub) opEnd(uid, sid string) (any, error) {
	call, err := h.m.end(h.clock.Now(), sid, uid, protocol.ReasonEnded)
	if err != nil {
		return nil, err
	}
	return h.renderFor(call, uid), nil
}

func (h *Hub) opGet(uid, sid string) (json.RawMessage, error) {
	c, err := h.m.lookup(sid)
	if err != nil {
		return nil, err
	}
	if c.part(uid) == nil {
		return nil, fmt.Errorf("%w: you are not a participant of call %s", ErrForbidden, sid)
	}
	return viewJSON(c), nil
}

// viewJSON renders c's Call object outside a command (h.render's cache
// lives for one command: a render between commands would be served again,
// stale, by the next one).
func viewJSON(c *call) json.RawMessage {
	v := c.view()
	return appendCallJSON(nil, &v)
}

// viewJSONFor is viewJSON as sent to uid (c.viewFor).
func viewJSONFor(c *call, uid string) json.RawMessage {
	v := c.viewFor(uid)
	return appendCallJSON(make([]byte, 0, 512), &v)
}

func checkRejectStatus(status string) error {
	switch status {
	case protocol.StatusRejected, protocol.StatusBusy, protocol.StatusCancelled:
		return nil
	}
	return badRequest("status must be rejected, busy or cancelled, not %q", status)
}

// explainMissingFor turns not_found for a call the loop has forgotten but
// the log has into invalid_state (or forbidden for someone not in it).
func (h *Hub) explainMissingFor(ctx context.Context, uid, sid string, err error) error {
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	if ferr := h.writer.flush(ctx); ferr != nil {
		return err
	}
	r, gerr := h.st.GetCall(ctx, sid)
	if gerr != nil {
		return err
	}
	for _, p := range r.Participants {
		if p.UID == uid {
			return fmt.Errorf("%w: call %s is %s", ErrInvalidState, sid, r.Status)
		}
	}
	return fmt.Errorf("%w: you are not a participant of call %s", ErrForbidden, sid)
}

// groupMember is what the store says, just before an accept, of the
// accepting user's membership in a group call's group: the call's own
// member list is a copy made when it began.
type groupMember int

const (
	memberUnknown groupMember = iota // not a live group call here, or the store could not say: the call's list decides
	memberYes                        // a member now (perhaps added after the call began: they may join it)
	memberNo                         // not a member now (removed, or the group deleted): refused
)

// membership reads uid's membership in the group of call sid if it is a
// live group call this node runs (off the loop, before the accept). A
// store that cannot be read leaves the call's own list to decide (logged):
// a member is not kept out of a call by a database outage.
func (h *Hub) membership(ctx context.Context, uid, sid string) groupMember {
	v, ok := h.groupOf.Load(sid)
	if !ok {
		return memberUnknown
	}
	members, err := h.st.ListMembers(ctx, v.(string))
	if errors.Is(err, store.ErrNotFound) {
		return memberNo // the group was deleted
	}
	if err != nil {
		h.log.Warn("store: group membership unreadable at an accept; the call's member list decides", "session", sid, "err", err)
		return memberUnknown
	}
	for _, u := range members {
		if u.UID == uid {
			return memberYes
		}
	}
	return memberNo
}

// Socket handlers of the same operations.

func handleAck(c *conn, m protocol.Message) error {
	return onCall(c, m, atOnce, func(h *Hub, sid string) (any, error) { return h.opAck(c.uid, sid) })
}

func handleGetCall(c *conn, m protocol.Message) error {
	sid, err := decodeSession(m)
	if err != nil {
		return err
	}
	res, err := c.hub.GetCall(c.ctx, c.uid, sid)
	if err != nil {
		return err
	}
	return c.ws.Reply(m.ID, res)
}
