package signaling

import "github.com/switchboard-rtc/switchboard/protocol"

// presenceEntry is one user's presence, owned by the hub loop.
type presenceEntry struct {
	name    string
	devices int   // connected devices in this process
	grace   Timer // pending reconnect grace after the last device left
	gen     uint64
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
