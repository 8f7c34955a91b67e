package sfu

import (
	"testing"
	"time"
)

// A queue keeps order across growth and wrap-around, holds exactly its
// limit, and starts empty (an idle subscriber holds no ring).
func TestSendQueueGrowsToItsLimitInOrder(t *testing.T) {
	w := &writer{wake: make(chan struct{}, 1)}
	q := &sendQueue{w: w, limit: 100}
	if q.ring != nil {
		t.Fatal("a new queue has a ring before anything waits")
	}
	pool := newPacketPool()
	var buf [7]sendItem
	next, want := 0, 0
	pushN := func(n int) {
		for range n {
			p := pool.get()
			p.seq = uint16(next)
			if !q.push(sendItem{p: p}) {
				t.Fatalf("push %d refused with %d waiting", next, q.n)
			}
			next++
		}
	}
	popCheck := func() {
		k, _ := q.pop(buf[:], nil)
		for i := range k {
			if int(buf[i].p.seq) != want {
				t.Fatalf("popped %d, want %d", buf[i].p.seq, want)
			}
			want++
		}
	}
	pushN(10)
	popCheck() // head moves, so the next growth copies a wrapped ring
	pushN(90)
	for q.n > 0 {
		popCheck()
	}
	pushN(100)
	if q.push(sendItem{p: pool.get()}) {
		t.Fatal("push beyond the limit accepted")
	}
	if len(q.ring) != 100 {
		t.Fatalf("ring of %d at the limit, want 100", len(q.ring))
	}
	for q.drain(buf[:], nil, time.Time{}) {
	}
	if q.n != 0 {
		t.Fatalf("%d left after draining", q.n)
	}
}

// A queue is on its writer's list once while items wait, leaves it when
// emptied, and comes back with its next push; a writer's pass sees only
// queues that have something to send.
func TestWriterListsOnlyQueuesWithItems(t *testing.T) {
	w := &writer{wake: make(chan struct{}, 1)}
	a, b := &sendQueue{w: w, limit: 8}, &sendQueue{w: w, limit: 8}
	pool := newPacketPool()
	push := func(q *sendQueue) {
		t.Helper()
		if !q.push(sendItem{p: pool.get()}) {
			t.Fatal("push refused")
		}
	}
	push(a)
	push(a)
	push(b)
	if got := w.take(nil); len(got) != 2 || got[0] != a || got[1] != b {
		t.Fatalf("listed %v, want a then b once each", got)
	}
	var one [1]sendItem
	if !a.drain(one[:], nil, time.Time{}) {
		t.Fatal("a drained one of two: more should wait")
	}
	push(a) // still listed: not readied again
	if got := w.take(nil); len(got) != 0 {
		t.Fatalf("a queue with items waiting was listed again: %d", len(got))
	}
	var all [8]sendItem
	if a.drain(all[:], nil, time.Time{}) || b.drain(all[:], nil, time.Time{}) {
		t.Fatal("emptied queues report more")
	}
	push(b)
	if got := w.take(nil); len(got) != 1 || got[0] != b {
		t.Fatalf("after emptying, listed %v, want b alone", got)
	}
	b.close()
	if b.push(sendItem{p: pool.get()}) {
		t.Fatal("a closed queue took a packet")
	}
	if got := w.take(nil); len(got) != 0 {
		t.Fatalf("a closed queue was listed: %d", len(got))
	}
}

// Transport-cc feedback given to a subscriber's queue reaches its
// estimator through the queue's writer (which owns the send history), even
// when nothing waits to be sent; what waits is bounded, in whole packets.
func TestFeedbackReachesTheEstimatorThroughTheWriter(t *testing.T) {
	now := time.Now()
	wp := newWriterPool(1, nil, nil)
	defer wp.close()
	q := wp.newQueue(64)
	q.bwe = newBWE(now)
	for i := range 40 {
		q.bwe.record(1200, now.UnixNano()+int64(i)*int64(time.Millisecond))
	}
	raw := marshalTWCC(t, sampleFeedback())
	q.feedback(raw)
	for deadline := time.Now().Add(5 * time.Second); q.bwe.twccAt.Load() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the writer never folded the feedback in")
		}
		time.Sleep(time.Millisecond)
	}
	q.close()

	idle := &sendQueue{w: &writer{wake: make(chan struct{}, 1)}, limit: 4, bwe: newBWE(now)}
	for range 2 * maxFeedback / len(raw) {
		idle.feedback(raw)
	}
	var fb []byte
	idle.pop(nil, &fb)
	if len(fb) > maxFeedback || len(fb) < maxFeedback-len(raw) || len(fb)%len(raw) != 0 {
		t.Fatalf("%d bytes of feedback waited (packets of %d), want whole packets up to %d", len(fb), len(raw), maxFeedback)
	}
	if idle.pop(nil, &fb); len(fb) != 0 {
		t.Fatalf("%d bytes still waiting after the writer took them", len(fb))
	}
	idle.feedback(raw)
	if idle.pop(nil, nil); idle.n != 0 || len(idle.fb) != 0 {
		t.Fatal("a release (close) kept the feedback")
	}
}
