package signaling

import (
	"context"
	"encoding/json"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// presenceEntry is one user's presence, owned by the hub loop.
type presenceEntry struct {
	name    string
	devices int   // connected devices in this process
	grace   Timer // pending reconnect grace after the last device left
	gen     uint64
	since   time.Time // when the grace started: what the user joins or places after it is watchAbsent's
	busy    bool      // in a call (joined, or calling out): presence says busy
}

// connected counts a device of uid; the first one (outside a reconnect
// grace) announces userOnline.
func (h *Hub) connected(uid, name string) {
	p := h.presence[uid]
	if p == nil {
		p = &presenceEntry{name: name}
		h.presence[uid] = p
		h.announce(protocol.EventUserOnline, uid, name)
	}
	if p.grace != nil {
		p.grace.Stop()
		p.grace = nil
		p.gen++
	}
	p.devices++
}

// disconnected uncounts a device; the last one starts the reconnect grace.
func (h *Hub) disconnected(uid string) {
	p := h.presence[uid]
	if p == nil {
		return
	}
	if p.devices--; p.devices > 0 {
		return
	}
	p.gen++
	gen := p.gen
	p.since = h.clock.Now()
	since := p.since
	p.grace = h.clock.AfterFunc(h.cfg.ReconnectGrace, func() {
		if h.cluster == nil {
			h.post(func() { h.graceExpired(uid, gen, false) })
			return
		}
		elsewhere := h.devicesElsewhere(uid, "")
		gone := false
		if err := h.run(func() { gone = h.graceExpired(uid, gen, elsewhere) }); err == nil && gone {
			ctx, cancel := context.WithTimeout(context.Background(), clusterAskLimit)
			defer cancel()
			h.userGoneElsewhere(ctx, uid, since)
		}
	})
}

// graceExpired: uid did not come back. They go offline here; unless they
// have a device on another node (elsewhere), calls they were placing are
// cancelled and calls they were in are left, except those whose media
// they are still in (their media, not this socket, says they are there;
// the media side's MediaLeft ends it when it goes). gone reports the
// latter: the owners of their calls on other nodes are then told.
func (h *Hub) graceExpired(uid string, gen uint64, elsewhere bool) (gone bool) {
	p := h.presence[uid]
	if p == nil || p.gen != gen || p.devices > 0 {
		return false
	}
	delete(h.presence, uid)
	h.announce(protocol.EventUserOffline, uid, p.name)
	if elsewhere {
		return false
	}
	if h.m.users[uid] != nil {
		h.log.Info("user gone: no device came back within the reconnect grace; leaving their calls", "uid", uid, "grace", h.cfg.ReconnectGrace)
	}
	h.m.userGone(h.clock.Now(), uid, p.since, h.mediaHas)
	h.apply()
	return true
}

// userGoneElsewhere tells the nodes that run calls of uid that uid has no
// device left on any node (ForwardUserGone). Not on the loop.
// since is when the grace started: the owner leaves alone a call uid
// placed or answered after it (over HTTPS: watchAbsent's grace there).
func (h *Hub) userGoneElsewhere(ctx context.Context, uid string, since time.Time) {
	params, _ := json.Marshal(goneParams{Since: since.UnixMilli()})
	sids, err := h.cluster.CallsOf(ctx, uid)
	if err != nil {
		h.log.Warn("cluster: a gone user's calls could not be read: those other nodes run go on until they end", "uid", uid, "err", err)
		return
	}
	for _, sid := range sids {
		if _, _, err := h.cluster.Forward(ctx, Command{Method: ForwardUserGone, UID: uid, SessionID: sid, Params: params}); err != nil {
			h.log.Warn("cluster: the node that runs a gone user's call was not told", "uid", uid, "session", sid, "err", err)
		}
	}
}

// goneParams are ForwardUserGone's params.
type goneParams struct {
	Since int64 `json:"since"` // unix ms: when the user's last device went (the grace started)
}

// userGoneFrom is ForwardUserGone: uid's last device, on another node, is
// gone for the grace; call sid, which this node runs, goes on without them
// unless they have a device here (come back since) or are in its media.
func (h *Hub) userGoneFrom(uid, sid string, since time.Time) {
	c := h.m.calls[sid]
	if h.presence[uid] != nil || c == nil || c.terminal() || h.mediaHas(sid, uid) {
		return
	}
	if c.newerFor(uid, since) {
		return // placed or answered after the device went: watchAbsent's own grace
	}
	if p := c.part(uid); (p != nil && p.status == protocol.StatusOngoing) || (c.status == protocol.StatusInitiated && c.initiator == uid) {
		h.log.Info("user gone: no device on any node came back within the reconnect grace; leaving their call", "uid", uid, "session", sid)
	}
	h.m.userGoneFrom(h.clock.Now(), c, uid, h.mediaHas)
	h.apply()
}

// watchAbsent starts the reconnect grace for every participant now in
// call c (ongoing) who has no device here and no grace running: someone
// who answered over HTTPS (or called over HTTPS) and has no socket. Had
// they had one, its loss would start the grace; with none the call stayed
// ongoing for good, and both users busy, if their app never opened
// /v1/rtc. If the grace ends with no device come and the call's media not
// joined, they leave it (absentExpired). In a cluster a device on another
// node counts too: it is looked up then, off the loop, and only if the
// rest still holds.
func (h *Hub) watchAbsent(c *call) {
	for _, p := range c.parts {
		if e := h.presence[p.uid]; p.status != protocol.StatusOngoing || (e != nil && e.devices > 0) {
			continue // (a socket that went a moment ago: its grace does not cover what is joined after it)
		}
		uid, sid, joined := p.uid, c.id, p.joinedAt
		h.clock.AfterFunc(h.cfg.ReconnectGrace, func() {
			h.post(func() { h.absentExpired(uid, sid, joined, false) })
		})
	}
}

// clusterAskLimit bounds a question to the cluster asked off the loop.
const clusterAskLimit = 5 * time.Second

// devicesElsewhere reports whether uid has a /v1/ws device on another node
// of the cluster (false on one node); sid, if any, is the call it is asked
// for. Not on the loop: it asks Redis. When Redis cannot say, this node
// goes by what it knows (no device here), as a single node would: a call
// is not kept busy for good on a guess.
func (h *Hub) devicesElsewhere(uid, sid string) bool {
	if h.cluster == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), clusterAskLimit)
	defer cancel()
	has, err := h.cluster.DevicesElsewhere(ctx, uid)
	if err != nil {
		h.log.Warn("the cluster cannot say whether a user without a device here has one on another node; taken as none",
			"uid", uid, "session", sid, "err", err)
		return false
	}
	return has
}

// absentExpired: uid, in call sid since watchAbsent (joined then), still
// has no device here and is not in the call's media: they leave it, as a
// user whose device went (reason disconnected; a 1:1 call ends). A grace
// of an earlier join (they left and joined again since) does nothing: the
// new join has a grace of its own. In a cluster a device on another node
// keeps them: that is asked first, off the loop (asked is true when it has
// been and found none).
func (h *Hub) absentExpired(uid, sid string, joined time.Time, asked bool) {
	c := h.m.calls[sid]
	if h.presence[uid] != nil || c == nil || c.terminal() || h.mediaHas(sid, uid) {
		return
	}
	if p := c.part(uid); p == nil || p.status != protocol.StatusOngoing || !p.joinedAt.Equal(joined) {
		return
	}
	if h.cluster != nil && !asked {
		go func() {
			if !h.devicesElsewhere(uid, sid) {
				h.post(func() { h.absentExpired(uid, sid, joined, true) })
			}
		}()
		return
	}
	h.log.Info("user absent: in a call with no socket, and its media not joined within the reconnect grace; leaving it",
		"uid", uid, "session", sid, "grace", h.cfg.ReconnectGrace)
	if _, err := h.m.end(h.clock.Now(), sid, uid, protocol.ReasonDisconnected); err == nil {
		h.apply()
	}
}

// announce tells the watchers uid's presence changed. In a cluster this
// node's view goes to the shared index instead, and the merged change comes
// back to every node's watchers (PresenceChanged).
func (h *Hub) announce(event, uid, name string) {
	if h.cluster == nil {
		h.announcer.announce(event, uid, name)
		return
	}
	h.cluster.Presence(uid, name, h.viewOf(uid))
}

// viewOf is this node's view of uid for the cluster's presence: busy in a
// call this node runs, online with a device here, or "" (nothing here).
func (h *Hub) viewOf(uid string) string {
	switch {
	case h.clusterBusy[uid]:
		return protocol.PresenceBusy
	case h.presence[uid] != nil:
		return protocol.PresenceOnline
	}
	return ""
}

// PresenceChanged is a merged presence change from the cluster (any node's
// device or call): every watcher here hears it.
func (h *Hub) PresenceChanged(uid, name, status string) {
	if !h.Watching() {
		return // nobody listens here (any more)
	}
	event := map[string]string{protocol.PresenceOnline: protocol.EventUserOnline,
		protocol.PresenceBusy: protocol.EventUserBusy, protocol.PresenceOffline: protocol.EventUserOffline}[status]
	if event != "" {
		h.announcer.announce(event, uid, name)
	}
}

func (h *Hub) online(uid string) bool { return h.presence[uid] != nil }

// updateBusy announces userBusy / userOnline for the users whose calls
// changed in this command (on the loop, after the effects). A user is busy
// while joined in a call or calling out; being rung does not count.
func (h *Hub) updateBusy() {
	for _, uid := range h.m.touched {
		p := h.presence[uid]
		busy := h.m.engaged(uid) != nil
		if h.cluster != nil {
			if p != nil {
				p.busy = busy
			}
			h.clusterBusyChanged(uid, busy)
			continue
		}
		if p == nil {
			continue
		}
		if busy == p.busy {
			continue
		}
		p.busy = busy
		if h.reg.watchers.Load() == 0 {
			continue // nobody listens: keep the state, send nothing
		}
		if busy {
			h.announce(protocol.EventUserBusy, uid, p.name)
		} else {
			h.announce(protocol.EventUserOnline, uid, p.name)
		}
	}
	clear(h.m.touched)
	h.m.touched = h.m.touched[:0]
}

// clusterBusyChanged: in a cluster, this node's view of uid follows the
// calls it runs, whether uid's devices are here or on other nodes.
func (h *Hub) clusterBusyChanged(uid string, busy bool) {
	if busy == h.clusterBusy[uid] {
		return
	}
	if busy {
		h.clusterBusy[uid] = true
	} else {
		delete(h.clusterBusy, uid)
	}
	name := ""
	if p := h.presence[uid]; p != nil {
		name = p.name
	}
	h.cluster.Presence(uid, name, h.viewOf(uid))
}

// presenceStatus is uid's status for listUsers.
func (h *Hub) presenceStatus(uid string) string {
	switch p := h.presence[uid]; {
	case p == nil:
		return protocol.PresenceOffline
	case p.busy:
		return protocol.PresenceBusy
	}
	return protocol.PresenceOnline
}

// mediaHas reports whether uid is in call sid's media (MediaJoined and no
// MediaLeft since), on the loop.
func (h *Hub) mediaHas(sid, uid string) bool { return h.inMedia[sid][uid] }
