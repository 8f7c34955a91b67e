package signaling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// Methods forwarded between nodes when a user is disabled or enabled.
const (
	ForwardUserDisabled = "userDisabled" // UID was disabled: lock them out on the receiving node
	ForwardUserEnabled  = "userEnabled"  // UID was enabled again: let them back on the receiving node
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
// or requests is let in), on this node and then on every other node that
// rings: from then on the node refuses their calls, answers and push
// targets (a request already past the store check included); the calls
// it runs go on without them (machine.disabled, reason ended_by_admin;
// their media follows the call: it closes, or they are removed from a
// group call's); their /v1/ws sockets close with status 1008 "user
// disabled" once the events before it are written; its name cache learns
// it (nobody calls them). A node that cannot be reached is logged and
// named in the error; the rest is done.
func (h *Hub) DisableUser(ctx context.Context, uid string) error {
	if err := checkID("uid", uid); err != nil {
		return err
	}
	if err := h.lockOut(uid); err != nil {
		return protocol.AsError(err)
	}
	return h.tellNodes(ctx, ForwardUserDisabled, uid, "disabled")
}

// EnableUser lets uid back in after DisableUser, once the store says so,
// on every node: they can connect and be called at once.
func (h *Hub) EnableUser(ctx context.Context, uid string) error {
	if err := checkID("uid", uid); err != nil {
		return err
	}
	h.letIn(uid)
	return h.tellNodes(ctx, ForwardUserEnabled, uid, "enabled")
}

// rereadLocked is how often a node reads the store again for each user it
// holds locked out: one whose EnableUser it missed (it could not be
// reached, and the admin API answered 503) lets them back in by itself
// then, instead of refusing them until it restarts.
const rereadLocked = 30 * time.Second

// lockEntry is one lockout of a uid in Hub.locked; its store check stops
// when the entry is no longer the uid's (let in, or locked out again).
type lockEntry struct{}

// lockOut is DisableUser on this node.
func (h *Hub) lockOut(uid string) error {
	if _, again := h.locked.Load(uid); !again {
		e := &lockEntry{}
		h.locked.Store(uid, e)
		h.rereadLater(uid, e)
	}
	h.names.forget(uid)
	err := h.run(func() {
		now := h.clock.Now()
		for _, c := range append([]*call(nil), h.m.users[uid]...) {
			h.m.disabled(now, c, uid)
		}
		h.apply() // the calls' events are queued before the close
		h.closeUser(uid)
	})
	h.recheckLater(uid)
	return err
}

// rereadLater reads the store for uid rereadLocked from now, while e is
// their lockout: the store saying they are not disabled (or not knowing
// them) lets them in; else, or if it cannot be read, it reads again later.
func (h *Hub) rereadLater(uid string, e *lockEntry) {
	h.clock.AfterFunc(rereadLocked, func() {
		select {
		case <-h.stop: // closed: nothing more to let in
			return
		default:
		}
		if cur, ok := h.locked.Load(uid); !ok || cur != e {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		u, err := h.st.GetUser(ctx, uid)
		cancel()
		if (err == nil && !u.Disabled) || errors.Is(err, store.ErrNotFound) {
			if h.locked.CompareAndDelete(uid, e) {
				h.names.forget(uid)
				h.log.Info("user enabled in the store: let back in here (this node missed the enable)", "uid", uid)
			}
			return
		}
		h.rereadLater(uid, e)
	})
}

// letIn is EnableUser on this node.
func (h *Hub) letIn(uid string) {
	h.locked.Delete(uid)
	h.names.forget(uid)
}

// isLocked reports whether uid is disabled as far as this node was told.
func (h *Hub) isLocked(uid string) bool {
	_, ok := h.locked.Load(uid)
	return ok
}

// refuseLocked is the error for a request of a locked-out uid (nil if not).
func (h *Hub) refuseLocked(uid string) error {
	if h.isLocked(uid) {
		return fmt.Errorf("%w: user %s is disabled by the app's backend", ErrForbidden, uid)
	}
	return nil
}

// tellNodes runs method for uid on every other node that takes sockets
// (none on one node). A node not reached is logged, and the error
// (unavailable) says uid is now (done) but not everywhere.
func (h *Hub) tellNodes(ctx context.Context, method, uid, done string) error {
	if h.cluster == nil {
		return nil
	}
	nodes, err := h.cluster.RingingNodes(ctx)
	errs := []error{err}
	for _, node := range nodes {
		if _, _, err := h.cluster.ForwardTo(ctx, node, Command{Method: method, UID: uid}); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		h.log.Warn("cluster: not every node was told of a user disabled or enabled", "method", method, "uid", uid, "err", err)
		return protocol.Errorf(protocol.CodeUnavailable, "user %s is %s, but not every node could be told at once: %v", uid, done, err)
	}
	return nil
}

// closeUser starts closing uid's /v1/ws sockets here.
func (h *Hub) closeUser(uid string) {
	if n := h.reg.closeUser(uid, websocket.StatusPolicyViolation, closeReason); n > 0 {
		h.log.Info("user disabled: their sockets here are closed", "uid", uid, "sockets", n)
	}
}

// recheckLater closes, recheckDisabled from now, the sockets uid opened
// meanwhile if they are still locked out.
func (h *Hub) recheckLater(uid string) {
	h.clock.AfterFunc(recheckDisabled, func() {
		if h.isLocked(uid) {
			h.post(func() { h.closeUser(uid) })
		}
	})
}

// runDisabledForwarded runs the forwarded commands of DisableUser and
// EnableUser; ok is false for another method.
func (h *Hub) runDisabledForwarded(cmd Command) (res json.RawMessage, ok bool, err error) {
	switch cmd.Method {
	case ForwardUserDisabled:
		return json.RawMessage(`{}`), true, h.lockOut(cmd.UID)
	case ForwardUserEnabled:
		h.letIn(cmd.UID)
		return json.RawMessage(`{}`), true, nil
	}
	return nil, false, nil
}
