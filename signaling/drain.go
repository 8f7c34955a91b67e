package signaling

import (
	"context"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// drainMoveTimeout bounds StartDrain's look at the cluster's presence.
const drainMoveTimeout = 5 * time.Second

// drainCloseReason is the close reason of the sockets a draining node
// sends to another node (close code 1001, as on shutdown).
const drainCloseReason = "server draining: reconnect"

// StartDrain refuses new calls: from now on initiateCall answers
// invalid_state ("server is shutting down"), while calls already ringing or
// ongoing carry on (accept, reject, end, tokens) and end normally. web's
// drain calls it, then waits for ActiveCalls to reach 0.
//
// In a cluster it also closes (1001, drainCloseReason) the /v1/ws sockets
// of the users here who are in no call: not in one this node runs
// (ringing included), not busy on any node, not rung by a call another
// node runs. They reconnect through the
// load balancer to a node that takes new calls, where otherwise they could
// place none until this one leaves, which waits for its longest call. The
// others stay until their calls end. A cluster whose shared state cannot
// be read closes none.
func (h *Hub) StartDrain() {
	h.draining.Store(true)
	if h.cluster == nil {
		return // one node: there is nowhere else to go
	}
	counts := h.reg.counts()
	uids := make([]string, 0, len(counts))
	for uid := range counts {
		uids = append(uids, uid)
	}
	if len(uids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), drainMoveTimeout)
	defer cancel()
	merged := h.cluster.PresenceOf(ctx, uids)
	if merged == nil {
		h.log.Warn("draining: the cluster's presence cannot be read; every socket stays until the drain ends")
		return
	}
	// A call another node owns that rings a user here is in no presence
	// (ringing is not busy) and not in this node's machine: the shared
	// index of calls has it. A user whose calls cannot be read stays.
	rung := map[string]bool{}
	for _, uid := range uids {
		if merged[uid] == protocol.PresenceBusy {
			continue
		}
		if sids, err := h.cluster.CallsOf(ctx, uid); err != nil || len(sids) > 0 {
			rung[uid] = true
		}
	}
	moved, sockets := 0, 0
	_ = h.run(func() {
		for _, uid := range uids {
			if merged[uid] == protocol.PresenceBusy || rung[uid] || h.m.busy(uid) {
				continue
			}
			if n := h.reg.closeUser(uid, websocket.StatusGoingAway, drainCloseReason); n > 0 {
				moved++
				sockets += n
			}
		}
	})
	h.log.Info("draining: sent the sockets of users in no call to other nodes", "users", moved, "sockets", sockets)
}
