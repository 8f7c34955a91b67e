package client

import "sync"

// workQueue is the session goroutine's inbox: pushes never block.
type workQueue struct {
	wake chan struct{}

	// mu guards items and closed.
	mu     sync.Mutex
	items  []func()
	closed bool
}

func newWorkQueue() *workQueue { return &workQueue{wake: make(chan struct{}, 1)} }

func (q *workQueue) push(f func()) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	q.items = append(q.items, f)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
}

// runAll runs what is queued, in order, until the queue is empty.
func (q *workQueue) runAll() {
	for {
		q.mu.Lock()
		items := q.items
		q.items = nil
		q.mu.Unlock()
		if len(items) == 0 {
			return
		}
		for _, f := range items {
			f()
		}
	}
}

func (q *workQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
}
