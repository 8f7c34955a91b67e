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
		k := q.pop(buf[:])
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
	for q.drain(buf[:], false, time.Time{}) {
	}
	if q.n != 0 {
		t.Fatalf("%d left after draining", q.n)
	}
}
