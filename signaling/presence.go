package signaling

import "github.com/switchboard-rtc/switchboard/protocol"

// presenceEntry is one user's presence, owned by the hub loop.
type presenceEntry struct {
	name    string
	devices int   // connected devices in this process
	grace   Timer // pending reconnect grace after the last device left
	gen     uint64
	busy    bool // in a call (joined, or calling out): presence says busy
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
	p.grace = h.clock.AfterFunc(h.cfg.ReconnectGrace, func() {
		h.post(func() { h.graceExpired(uid, gen) })
	})
}

// graceExpired: uid did not come back. They go offline, calls they were
// placing are cancelled and calls they were in are left.
func (h *Hub) graceExpired(uid string, gen uint64) {
	p := h.presence[uid]
	if p == nil || p.gen != gen || p.devices > 0 {
		return
	}
	delete(h.presence, uid)
	h.announce(protocol.EventUserOffline, uid, p.name)
	h.m.userGone(h.clock.Now(), uid)
	h.apply()
}

func (h *Hub) announce(event, uid, name string) { h.announcer.announce(event, uid, name) }

func (h *Hub) online(uid string) bool { return h.presence[uid] != nil }

// updateBusy announces userBusy / userOnline for the users whose calls
// changed in this command (on the loop, after the effects). A user is busy
// while joined in a call or calling out; being rung does not count.
func (h *Hub) updateBusy() {
	for _, uid := range h.m.touched {
		p := h.presence[uid]
		if p == nil {
			continue
		}
		busy := h.m.engaged(uid) != nil
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
