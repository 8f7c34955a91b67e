package signaling

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Methods forwarded between nodes when a user is disabled.
const (
	ForwardUserDisabled = "userDisabled" // UID was disabled: call SessionID goes on without them (ended_by_admin)
	ForwardCloseUser    = "closeUser"    // UID was disabled: close their /v1/ws sockets on the receiving node
	ForwardForgetUser   = "forgetUser"   // UID was enabled again: the receiving node reads them afresh
)

// closeReason is the /v1/ws close frame a disabled user's sockets get
// (status 1008, policy violation).
const closeReason = "user disabled"

// recheckDisabled is when the sockets of a user just disabled are looked
// at again: one that passed its connect check just before the store said
// disabled, and registered just after the first sweep, is closed then.
const recheckDisabled = 2 * time.Second

// DisableUser locks uid out of what is live, once the store says they are
// disabled (the admin API writes that first, so none of their new sockets
// or requests is let in): every call they are in, on any node, goes on
// without them (machine.disabled, reason ended_by_admin; their media
// follows the call: it closes, or they are removed from a group call's),
// then their /v1/ws sockets on every node close with status 1008 "user
// disabled" once the events before it are written, and every node's name
// cache learns it (nobody calls them). A node that cannot be reached is
// logged and named in the error; the rest is done.
func (h *Hub) DisableUser(ctx context.Context, uid string) error {
	if err := checkID("uid", uid); err != nil {
		return err
	}
	h.names.forget(uid)
	if err := h.run(func() { h.disabledHere(uid) }); err != nil {
		return protocol.AsError(err)
	}
	h.recheckLater(uid)
	if h.cluster == nil {
		return nil
	}
	var errs []error
	sids, err := h.cluster.CallsOf(ctx, uid)
	errs = append(errs, err)
	for _, sid := range sids {
		if _, _, err := h.cluster.Forward(ctx, Command{Method: ForwardUserDisabled, UID: uid, SessionID: sid}); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, h.tellNodes(ctx, ForwardCloseUser, uid))
	if err := errors.Join(errs...); err != nil {
		h.log.Warn("cluster: a disabled user's calls or sockets on another node were not all reached", "uid", uid, "err", err)
		return protocol.Errorf(protocol.CodeUnavailable, "user %s is disabled, but not every node could be told at once: %v", uid, err)
	}
	return nil
}

// EnableUser lets uid back in after DisableUser, once the store says so:
// every node reads whether they are disabled afresh, so they can be
// called at once.
func (h *Hub) EnableUser(ctx context.Context, uid string) error {
	if err := checkID("uid", uid); err != nil {
		return err
	}
	h.names.forget(uid)
	if h.cluster == nil {
		return nil
	}
	if err := h.tellNodes(ctx, ForwardForgetUser, uid); err != nil {
		h.log.Warn("cluster: a user enabled again was not announced to every node: they can be called there within 30 s", "uid", uid, "err", err)
		return protocol.Errorf(protocol.CodeUnavailable, "user %s is enabled, but not every node could be told at once: %v", uid, err)
	}
	return nil
}

// tellNodes runs method for uid on every other node that takes sockets
// (every node's name cache knows whether uid is disabled).
func (h *Hub) tellNodes(ctx context.Context, method, uid string) error {
	nodes, err := h.cluster.RingingNodes(ctx)
	errs := []error{err}
	for _, node := range nodes {
		if _, _, err := h.cluster.ForwardTo(ctx, node, Command{Method: method, UID: uid}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// disabledHere is DisableUser on this node, on the loop: the calls here
// first (their events are queued before the close), then the sockets.
func (h *Hub) disabledHere(uid string) {
	now := h.clock.Now()
	for _, c := range append([]*call(nil), h.m.users[uid]...) {
		h.m.disabled(now, c, uid)
	}
	h.apply()
	h.closeUser(uid)
}

// closeUser starts closing uid's /v1/ws sockets here.
func (h *Hub) closeUser(uid string) {
	if n := h.reg.closeUser(uid, websocket.StatusPolicyViolation, closeReason); n > 0 {
		h.log.Info("user disabled: their sockets here are closed", "uid", uid, "sockets", n)
	}
}

// recheckLater closes, recheckDisabled from now, the sockets uid opened
// meanwhile if the store still says they are disabled.
func (h *Hub) recheckLater(uid string) {
	h.clock.AfterFunc(recheckDisabled, func() {
		ctx, cancel := context.WithTimeout(context.Background(), clusterAskLimit)
		defer cancel()
		if u, err := h.st.GetUser(ctx, uid); err == nil && u.Disabled {
			h.post(func() { h.closeUser(uid) })
		}
	})
}

// runDisabledForwarded runs the forwarded commands of DisableUser; ok is
// false for another method.
func (h *Hub) runDisabledForwarded(cmd Command) (res json.RawMessage, ok bool, err error) {
	switch cmd.Method {
	case ForwardUserDisabled:
		h.names.forget(cmd.UID)
		return json.RawMessage(`{}`), true, h.run(func() {
			if c := h.m.calls[cmd.SessionID]; c != nil {
				h.m.disabled(h.clock.Now(), c, cmd.UID)
				h.apply()
			}
		})
	case ForwardCloseUser:
		h.names.forget(cmd.UID)
		err := h.run(func() { h.closeUser(cmd.UID) })
		h.recheckLater(cmd.UID)
		return json.RawMessage(`{}`), true, err
	case ForwardForgetUser:
		h.names.forget(cmd.UID)
		return json.RawMessage(`{}`), true, nil
	}
	return nil, false, nil
}
