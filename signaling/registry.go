package signaling

import (
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// delivery carries frames to users' devices. The hub only talks to users
// through it, so a bus that reaches devices on other nodes (Redis) can
// replace the local registry without the state machine noticing.
type delivery interface {
	// toUser queues m for every device of uid except the connection with
	// id skip (0: none) and returns how many took it. It never blocks.
	toUser(uid string, m protocol.Message, skip uint64) int
	// ringUser is toUser for m, the incomingCall of call sid: a device
	// that was sent it already is not sent it again (conn.ring). awake
	// counts the sockets that took it and need not show they run; unsure
	// lists those that must first (Hub.doubtful, probeRing).
	ringUser(uid, sid string, m protocol.Message, skip uint64) (awake int, unsure []*conn)
	// toWatchers queues m for every connection watching presence, except
	// those of user except (nobody needs telling they are online).
	toWatchers(m protocol.Message, except string)
}

// registry is the local delivery: the connections of this process by user.
// It is safe for concurrent use.
type registry struct {
	// mu guards byUser and slots.
	mu     sync.RWMutex
	byUser map[string][]*conn
	// watchers counts connections watching presence (listUsers called).
	watchers atomic.Int64
	slots    map[string]int // connections admitted per user (open or opening)
}

func newRegistry() *registry {
	return &registry{byUser: make(map[string][]*conn), slots: make(map[string]int)}
}

// reserve admits one more connection of uid unless it has max already
// (max <= 0: no cap). Each successful reserve is paired with a release.
func (r *registry) reserve(uid string, max int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if max > 0 && r.slots[uid] >= max {
		return false
	}
	r.slots[uid]++
	return true
}

func (r *registry) release(uid string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.slots[uid]--; r.slots[uid] <= 0 {
		delete(r.slots, uid)
	}
}

// full reports whether uid has max connections (max <= 0: never).
func (r *registry) full(uid string, max int) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return max > 0 && r.slots[uid] >= max
}

func (r *registry) add(c *conn) {
	r.mu.Lock()
	r.byUser[c.uid] = append(r.byUser[c.uid], c)
	r.mu.Unlock()
}

func (r *registry) remove(c *conn) {
	if c.watching.Load() {
		r.watchers.Add(-1)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	list := r.byUser[c.uid]
	for i, x := range list {
		if x == c {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(r.byUser, c.uid)
		return
	}
	r.byUser[c.uid] = list
}

func (r *registry) toUser(uid string, m protocol.Message, skip uint64) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	n := 0
	for _, c := range r.byUser[uid] {
		if c.id == skip || !c.wants(m.Event) {
			continue
		}
		if c.ws.Send(m) == nil {
			n++
		}
	}
	return n
}

func (r *registry) ringUser(uid, sid string, m protocol.Message, skip uint64) (awake int, unsure []*conn) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, c := range r.byUser[uid] {
		switch {
		case c.id == skip || !c.wants(m.Event) || !c.ring(sid, m):
		case c.hub.doubtful(c):
			unsure = append(unsure, c)
		default:
			awake++
		}
	}
	return awake, unsure
}

func (r *registry) toWatchers(m protocol.Message, except string) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for uid, list := range r.byUser {
		if uid == except {
			continue
		}
		for _, c := range list {
			if c.watching.Load() {
				_ = c.ws.Send(m)
			}
		}
	}
}

// closeAll starts closing every connection.
func (r *registry) closeAll(code websocket.StatusCode, reason string) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, list := range r.byUser {
		for _, c := range list {
			c.ws.Close(code, reason)
		}
	}
}

// closeUser starts closing uid's connections and returns how many.
func (r *registry) closeUser(uid string, code websocket.StatusCode, reason string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, c := range r.byUser[uid] {
		c.ws.Close(code, reason)
	}
	return len(r.byUser[uid])
}

// devicesOf lists the push targets uid's connections are bound to.
func (r *registry) devicesOf(uid string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for _, c := range r.byUser[uid] {
		if d := c.device.Load(); d != nil {
			out = append(out, *d)
		}
	}
	return out
}

// boundConn returns the id of a connection of uid bound to push target
// device (registerDevice), 0 if none.
func (r *registry) boundConn(uid, device string) uint64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, c := range r.byUser[uid] {
		if d := c.device.Load(); d != nil && *d == device {
			return c.id
		}
	}
	return 0
}

// boundOf returns how many of uid's connections are bound to each push
// target.
func (r *registry) boundOf(uid string) map[string]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]int)
	for _, c := range r.byUser[uid] {
		if d := c.device.Load(); d != nil {
			out[*d]++
		}
	}
	return out
}

// bound returns, per user, how many connections are bound to each push
// target.
func (r *registry) bound() map[string]map[string]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]map[string]int)
	for uid, conns := range r.byUser {
		for _, c := range conns {
			if d := c.device.Load(); d != nil {
				if out[uid] == nil {
					out[uid] = make(map[string]int)
				}
				out[uid][*d]++
			}
		}
	}
	return out
}

// count returns how many connections uid has.
func (r *registry) count(uid string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.byUser[uid])
}

// counts returns how many connections each user has.
func (r *registry) counts() map[string]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]int, len(r.byUser))
	for uid, list := range r.byUser {
		out[uid] = len(list)
	}
	return out
}

// hasUser reports whether uid has a connection.
func (r *registry) hasUser(uid string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.byUser[uid]) > 0
}
