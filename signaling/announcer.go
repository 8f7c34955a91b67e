package signaling

import (
	"sync"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// announcer sends presence events to every watching connection on its own
// goroutine, so a burst of connects (every user of a restarted server
// coming back) never holds the hub loop for N sends each. Queued changes of
// the same user are coalesced to the last one.
type announcer struct {
	out  delivery
	wake chan struct{} // cap 1
	done chan struct{} // closed when the goroutine has returned

	// mu guards pending, order and stopped.
	mu      sync.Mutex
	pending map[string]presenceChange // by uid: the latest change
	order   []string                  // uids in first-change order
	stopped bool
}

type presenceChange struct {
	event string
	data  protocol.PresenceUser
}

func newAnnouncer(out delivery) *announcer {
	a := &announcer{out: out, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	go a.run()
	return a
}

// announce queues event for uid. It never blocks.
func (a *announcer) announce(event, uid, name string) {
	a.mu.Lock()
	if a.stopped {
		a.mu.Unlock()
		return
	}
	if _, ok := a.pending[uid]; !ok {
		a.order = append(a.order, uid)
	}
	a.pending[uid] = presenceChange{event: event, data: protocol.PresenceUser{UID: uid, Name: name}}
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

func (a *announcer) run() {
	defer close(a.done)
	for range a.wake {
		a.mu.Lock()
		order, pending, stopped := a.order, a.pending, a.stopped
		a.order, a.pending = nil, make(map[string]presenceChange)
		a.mu.Unlock()
		for _, uid := range order {
			ch := pending[uid]
			if m, err := protocol.Event(ch.event, ch.data); err == nil {
				a.out.toWatchers(m, uid)
			}
		}
		if stopped {
			return
		}
	}
}

// stop sends what is queued and stops the goroutine.
func (a *announcer) stop() {
	a.mu.Lock()
	a.stopped = true
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
	<-a.done
}
