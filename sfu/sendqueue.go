package sfu

// sendItem is one packet waiting to be written on one down-track.
type sendItem struct {
	d *downTrack
	p *packet
}

// sendQueue is one subscriber's bounded packet queue and its writer
// goroutine: up-track readers push without blocking (a full queue drops),
// so a slow subscriber never slows a publisher or other subscribers.
type sendQueue struct {
	ch   chan sendItem
	stop chan struct{}
	done chan struct{}
}

func newSendQueue(size int) *sendQueue {
	q := &sendQueue{ch: make(chan sendItem, size), stop: make(chan struct{}), done: make(chan struct{})}
	go q.run()
	return q
}

// push queues it; false if the queue is full or stopped.
func (q *sendQueue) push(it sendItem) bool {
	select {
	case <-q.stop:
		return false
	default:
	}
	select {
	case q.ch <- it:
		return true
	default:
		return false
	}
}

func (q *sendQueue) run() {
	defer close(q.done)
	for {
		select {
		case it := <-q.ch:
			it.d.write(it.p)
			it.p.release()
		case <-q.stop:
			q.drain()
			return
		}
	}
}

func (q *sendQueue) drain() {
	for {
		select {
		case it := <-q.ch:
			it.p.release()
		default:
			return
		}
	}
}

// close stops the writer and waits for it, releasing what was queued. A
// packet pushed concurrently with close may miss the pool and be collected.
func (q *sendQueue) close() {
	close(q.stop)
	<-q.done
	q.drain()
}
