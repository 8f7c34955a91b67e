package sfu

import "sync"

// mailbox is a room's work queue: any goroutine pushes a closure without
// blocking, the room goroutine takes them in order. It is unbounded; what
// feeds it is bounded elsewhere (each socket has a few request slots, Pion
// emits a bounded number of callbacks per PeerConnection).
type mailbox struct {
	wake chan struct{} // has a value when items may be waiting

	// mu guards items and closed.
	mu     sync.Mutex
	items  []func()
	closed bool
}

func newMailbox() *mailbox { return &mailbox{wake: make(chan struct{}, 1)} }

// push queues f; false once the mailbox is closed.
func (m *mailbox) push(f func()) bool {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return false
	}
	m.items = append(m.items, f)
	m.mu.Unlock()
	select {
	case m.wake <- struct{}{}:
	default:
	}
	return true
}

// take returns and clears what is queued.
func (m *mailbox) take() []func() {
	m.mu.Lock()
	defer m.mu.Unlock()
	items := m.items
	m.items = nil
	return items
}

// close refuses further pushes and returns what was still queued.
func (m *mailbox) close() []func() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	items := m.items
	m.items = nil
	return items
}
