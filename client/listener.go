package client

import (
	"encoding/json"
	"sync"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// CallListener receives a Client's events, mirroring CometChat's
// CallListener. Any field may be nil.
//
// Listeners run on one dispatcher goroutine per Client, in the order the
// events arrived, never on the connection's reader: a listener may block
// or call any Client method (AcceptCall, Close, ...) without stalling
// replies. A slow listener only delays the events after it.
//
// So a listener may run before the method whose request caused its event
// has returned: the server sends the reply first, but the reply goes back
// to the caller and the event to the dispatcher, two goroutines. An
// OnOutgoingCallAccepted or OnOutgoingCallRejected can run before
// InitiateCall has returned the call's session id. An app that keys its
// state by session id should record the call from the listener too (the
// event carries the whole Call), or ask GetActiveCall.
type CallListener struct {
	OnIncomingCallReceived     func(Call)
	OnOutgoingCallAccepted     func(Call) // Call.CallToken is yours
	OnOutgoingCallRejected     func(Call) // Status: rejected, busy, unanswered, or cancelled (on another of the caller's devices)
	OnIncomingCallCancelled    func(Call) // Reason says why
	OnCallEndedMessageReceived func(Call)
	OnRinging                  func(Call) // a callee's device has your call (Participants[i].AckedAt; a group call: once, at the first)
	// OnIncomingCallBusy: a call came while you were busy and did not ring
	// you ("call waiting"; Reason busy). Only after SubscribeBusyCalls.
	OnIncomingCallBusy func(Call)
	OnUserOnline       func(User) // also when a busy user's call ends (Status online)
	OnUserOffline      func(User)
	OnUserBusy         func(User) // a watched user entered a call (Status busy)
}

// AddCallListener registers l under id, replacing any listener with that id.
//
// Events that arrived before it is called are not replayed to l. One such
// is the incomingCall the server sends right after "connected" for a call
// already ringing this user, which can reach the dispatcher before Dial's
// caller adds a listener: pass the listeners in DialOptions.Listeners to
// hear it, or ask GetActiveCall after adding them.
func (c *Client) AddCallListener(id string, l CallListener) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.listeners[id]; !ok {
		c.order = append(c.order, id)
	}
	c.listeners[id] = l
}

// RemoveCallListener unregisters the listener with id.
func (c *Client) RemoveCallListener(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.listeners[id]; !ok {
		return
	}
	delete(c.listeners, id)
	for i, x := range c.order {
		if x == id {
			c.order = append(c.order[:i:i], c.order[i+1:]...)
			break
		}
	}
}

func (c *Client) snapshot() []CallListener {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]CallListener, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, c.listeners[id])
	}
	return out
}

// dispatch delivers queued events until the connection has ended and the
// queue is empty.
func (c *Client) dispatch() {
	for {
		it, ok := c.events.pop(c.rpc.closed())
		if !ok {
			c.events.releaseBarriers()
			return
		}
		if it.barrier != nil {
			close(it.barrier)
			continue
		}
		c.deliver(it.m)
	}
}

func (c *Client) deliver(m protocol.Message) {
	switch m.Event {
	case protocol.EventUserOnline, protocol.EventUserOffline, protocol.EventUserBusy:
		var u User
		if json.Unmarshal(m.Data, &u) != nil {
			return
		}
		u.Online = m.Event != protocol.EventUserOffline
		u.Status = map[string]string{protocol.EventUserOnline: protocol.PresenceOnline,
			protocol.EventUserOffline: protocol.PresenceOffline, protocol.EventUserBusy: protocol.PresenceBusy}[m.Event]
		for _, l := range c.snapshot() {
			f := pick(m.Event == protocol.EventUserOnline, l.OnUserOnline, l.OnUserOffline)
			if m.Event == protocol.EventUserBusy {
				f = l.OnUserBusy
			}
			if f != nil {
				f(u)
			}
		}
		return
	}
	var call Call
	if json.Unmarshal(m.Data, &call) != nil {
		return
	}
	for _, l := range c.snapshot() {
		var f func(Call)
		switch m.Event {
		case protocol.EventIncomingCall:
			f = l.OnIncomingCallReceived
		case protocol.EventOutgoingCallAccepted:
			f = l.OnOutgoingCallAccepted
		case protocol.EventOutgoingCallRejected:
			f = l.OnOutgoingCallRejected
		case protocol.EventIncomingCallCancelled:
			f = l.OnIncomingCallCancelled
		case protocol.EventCallEnded:
			f = l.OnCallEndedMessageReceived
		case protocol.EventRinging:
			f = l.OnRinging
		case protocol.EventIncomingCallBusy:
			f = l.OnIncomingCallBusy
		}
		if f != nil {
			f(call)
		}
	}
}

func pick(first bool, a, b func(User)) func(User) {
	if first {
		return a
	}
	return b
}

// eventQueue is an unbounded FIFO between the reader (push, never blocks)
// and the dispatcher (pop).
type eventQueue struct {
	wake chan struct{} // cap 1

	// mu guards items.
	mu    sync.Mutex
	items []queued
}

// queued is an event, or a barrier that Sync waits on.
type queued struct {
	m       protocol.Message
	barrier chan struct{}
}

func newEventQueue() *eventQueue { return &eventQueue{wake: make(chan struct{}, 1)} }

func (q *eventQueue) push(m protocol.Message) { q.add(queued{m: m}) }

func (q *eventQueue) add(it queued) {
	q.mu.Lock()
	q.items = append(q.items, it)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pop returns the next event, waiting for one; ok is false once done is
// closed and the queue is empty.
func (q *eventQueue) pop(done <-chan struct{}) (queued, bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			it := q.items[0]
			q.items[0] = queued{}
			q.items = q.items[1:]
			q.mu.Unlock()
			return it, true
		}
		q.mu.Unlock()
		select {
		case <-q.wake:
		case <-done:
			q.mu.Lock()
			empty := len(q.items) == 0
			q.mu.Unlock()
			if empty {
				return queued{}, false
			}
		}
	}
}

// releaseBarriers unblocks Syncs queued after the dispatcher stopped.
func (q *eventQueue) releaseBarriers() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, it := range q.items {
		if it.barrier != nil {
			close(it.barrier)
		}
	}
	q.items = nil
}
