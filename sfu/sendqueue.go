package sfu

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// sendItem is one packet waiting to be written on one down-track; p nil
// is a padding-only packet (a bandwidth probe).
type sendItem struct {
	d   *downTrack
	p   *packet
	rtx bool // a retransmission (NACK answer)
}

// sendQueue is one subscriber's bounded packet queue. Up-track readers push
// without blocking (a full queue drops), so a slow subscriber never slows a
// publisher or other subscribers. The queue is drained by one writer of the
// server's writerPool. Its ring starts small and doubles up to its bound
// only when packets wait, so an idle or keeping-up subscriber holds a few
// hundred bytes instead of the whole bound. A queue with items waiting is
// on its writer's ready list (listed), so a writer's pass visits only
// queues that have something to send, however many subscribers it serves.
type sendQueue struct {
	w      *writer
	bwe    *bwe // the subscriber's estimator; nil when estimation is off. Set before use.
	limit  int  // most items that may wait
	closed atomic.Bool
	// out is the subscriber connection's own way out (srtpout.go; nil:
	// Pion's), set by the RTCP tap, cleared by the room goroutine.
	out atomic.Pointer[srtpOut]

	// mu guards the ring, fb and listed.
	mu     sync.Mutex
	ring   []sendItem
	head   int    // index of the oldest item
	n      int    // items waiting
	fb     []byte // transport-cc feedback for bwe, raw packets back to back
	listed bool   // on its writer's ready list or in the writer's pass
}

// maxFeedback bounds the transport-cc feedback waiting for a writer
// (seconds of it at the usual ten a second); more is dropped, which the
// estimator reads as packets it never hears about.
const maxFeedback = 4096

// initialQueue is a new queue's ring: one video frame's packets at 1 -> N.
const initialQueue = 16

// push queues it; false if the queue is full or closed.
func (q *sendQueue) push(it sendItem) bool {
	if q.closed.Load() {
		return false
	}
	q.mu.Lock()
	if q.n == len(q.ring) && !q.growLocked() {
		q.mu.Unlock()
		return false
	}
	q.ring[(q.head+q.n)%len(q.ring)] = it
	q.n++
	list := !q.listed
	q.listed = true
	q.mu.Unlock()
	if list {
		q.w.ready(q)
	}
	return true
}

// feedback queues one transport-cc feedback packet for the subscriber's
// estimator, which its writer owns: the writer folds it in at its next
// pass over the queue (the queue is listed even with nothing to send).
// The send history the feedback is read against is then the writer's
// alone, so recording a sent packet is a plain store. Any goroutine.
func (q *sendQueue) feedback(pkt []byte) {
	if q.bwe == nil || q.closed.Load() {
		return
	}
	q.mu.Lock()
	if len(q.fb)+len(pkt) > maxFeedback {
		q.mu.Unlock()
		return
	}
	q.fb = append(q.fb, pkt...)
	list := !q.listed
	q.listed = true
	q.mu.Unlock()
	if list {
		q.w.ready(q)
	}
}

// growLocked doubles the ring up to the limit; false when it is at the limit.
func (q *sendQueue) growLocked() bool {
	size := min(max(2*len(q.ring), initialQueue), q.limit)
	if size <= len(q.ring) {
		return false
	}
	ring := make([]sendItem, size)
	for i := range q.n {
		ring[i] = q.ring[(q.head+i)%len(q.ring)]
	}
	q.ring, q.head = ring, 0
	return true
}

// pop moves up to len(dst) waiting items into dst and returns how many,
// and the waiting feedback into *fb (nil: dropped); more reports that
// items are still waiting (the queue stays listed), otherwise the queue
// leaves its writer's list until the next push.
func (q *sendQueue) pop(dst []sendItem, fb *[]byte) (k int, more bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if fb != nil {
		*fb = append((*fb)[:0], q.fb...)
	}
	q.fb = q.fb[:0]
	k = min(len(dst), q.n)
	for i := range k {
		dst[i] = q.ring[q.head]
		q.ring[q.head] = sendItem{}
		q.head = (q.head + 1) % len(q.ring)
	}
	q.n -= k
	q.listed = q.n > 0
	return k, q.listed
}

// drain folds the waiting feedback into the estimator, then writes at
// most len(buf) of what is queued now, using buf and fb (the writer's
// scratch for the feedback); it reports whether more is waiting. now is
// the writer's clock for this pass. With fb nil (not the writer: close),
// nothing is written and the feedback is dropped: the packets are only
// released.
func (q *sendQueue) drain(buf []sendItem, fb *[]byte, now time.Time) (more bool) {
	k, more := q.pop(buf, fb)
	write := fb != nil
	if write && q.bwe != nil {
		for rest := *fb; len(rest) > 0; {
			pkt, next, err := nextRTCP(rest)
			if err != nil {
				break
			}
			_ = q.bwe.onFeedback(pkt, now) // a malformed one is skipped
			rest = next
		}
	}
	for i := range k {
		if buf[i].p == nil {
			if write {
				buf[i].d.writePadding(now)
			}
			buf[i] = sendItem{}
			continue
		}
		if write {
			if buf[i].d.write(buf[i].p, buf[i].rtx, now) && !buf[i].rtx {
				q.w.sent.add(buf[i].p.arrival)
			}
		}
		buf[i].p.release()
		buf[i] = sendItem{}
	}
	return more
}

// close refuses further pushes and releases what was queued; the queue
// leaves its writer's list once empty. A packet pushed concurrently with
// close may miss the pool and be collected.
func (q *sendQueue) close() {
	q.closed.Store(true)
	var buf [writeBurst]sendItem
	for q.drain(buf[:], nil, time.Time{}) {
	}
}

// writerPool is a fixed set of writer goroutines (one per CPU) sharing all
// subscribers' queues: a published packet wakes a few writers instead of
// one goroutine per subscriber, which is most of the cost at 1 -> 100.
// Writes never block for long: UDP sends go straight to the shared mux
// socket and ICE-TCP sends go to a bounded buffer that drops when full.
type writerPool struct {
	workers []*writer
	next    atomic.Uint32
}

// writer drains the queues assigned to it that have items waiting. Each
// pass over them is one batch on the UDP sockets (out): what it writes in
// a pass leaves in a few sendmmsg calls at the end of the pass at the
// latest.
type writer struct {
	out  batchConns
	sent sentCopies // this pass's copies, for the forward delay; run's goroutine only
	wake chan struct{}
	stop chan struct{}
	done chan struct{}

	// mu guards pending: queues that became non-empty since the writer
	// last took the list.
	mu      sync.Mutex
	pending []*sendQueue
}

// newWriterPool starts n writers on out; delay (nil: not measured) gets
// the forward delay of every copy they send.
func newWriterPool(n int, out batchConns, delay prometheus.Histogram) *writerPool {
	wp := &writerPool{}
	for range max(n, 1) {
		w := &writer{out: out, sent: sentCopies{hist: delay}, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
		wp.workers = append(wp.workers, w)
		go w.run()
	}
	return wp
}

// newQueue makes a subscriber's queue of size, assigned round-robin.
func (wp *writerPool) newQueue(size int) *sendQueue {
	w := wp.workers[int(wp.next.Add(1))%len(wp.workers)]
	return &sendQueue{limit: max(size, 1), w: w}
}

// ready puts q, which just got its first waiting item, on the writer's
// list and wakes the writer.
func (w *writer) ready(q *sendQueue) {
	w.mu.Lock()
	w.pending = append(w.pending, q)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// take appends the queues readied since the last take to dst.
func (w *writer) take(dst []*sendQueue) []*sendQueue {
	w.mu.Lock()
	dst = append(dst, w.pending...)
	clear(w.pending)
	w.pending = w.pending[:0]
	w.mu.Unlock()
	return dst
}

// writeBurst bounds how much of one queue is written before the next
// queue's turn, so one busy subscriber cannot starve the others.
const writeBurst = 32

func (w *writer) run() {
	defer close(w.done)
	var buf [writeBurst]sendItem
	var fb []byte
	// pass is the queues of this pass: those with items left from the last
	// one, then those readied since; again collects what is left after it.
	var pass, again []*sendQueue
	for {
		select {
		case <-w.wake:
		case <-w.stop:
			return
		}
		for pass = w.take(pass); len(pass) > 0; pass = w.take(pass) {
			now := time.Now()
			w.out.begin()
			for i, q := range pass {
				if q.drain(buf[:], &fb, now) {
					again = append(again, q)
				}
				pass[i] = nil
			}
			w.out.flush()
			w.sent.observe()
			pass, again = again, pass[:0]
		}
	}
}

// close stops every writer; queues must have been closed first.
func (wp *writerPool) close() {
	for _, w := range wp.workers {
		close(w.stop)
		<-w.done
	}
}
