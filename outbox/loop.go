package outbox

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// pruneEvery is how often delivered and failed items past retention go.
const pruneEvery = time.Hour

// state is what the loop owns: every pending item it holds, per order key
// in id order, and a heap of the keys whose head waits for its time.
type state struct {
	keys    map[string]*keyQueue
	due     dueHeap
	busy    map[string]int      // deliveries in flight per channel
	blocked map[string][]string // channel -> keys due but waiting for room
	flying  map[int64]string    // item id -> order key, for deliveries in flight
	held    int                 // items in memory
	ids     map[int64]struct{}  // the ids of those items
	loaded  int64               // every pending item of this node with id <= loaded is held or done
	spilled bool                // the store has pending items of this node above loaded not held
	sweep   sweepState
}

type keyQueue struct {
	items    []store.OutboxItem
	inFlight bool
}

// loop holds the pending items and runs their deliveries.
func (d *Dispatcher) loop() {
	defer d.wg.Done()
	s := &state{keys: map[string]*keyQueue{}, busy: map[string]int{}, blocked: map[string][]string{},
		flying: map[int64]string{}, ids: map[int64]struct{}{}, spilled: true}
	s.sweep.next = d.now() // the first sweep at once: what a node gone (this one's last run, perhaps) left
	var done []store.OutboxResult
	timer := time.NewTimer(0)
	defer timer.Stop()
	lastPrune := d.now()
	for {
		select {
		case <-d.stop:
			d.drain(s, &done)
			d.finish(s, done)
			return
		case r := <-d.results:
			done = append(done, r)
		case items := <-d.stored:
			d.take(s, items)
		case it := <-d.replays:
			d.hold(s, it)
		case res := <-d.swept:
			d.takeOver(s, res)
		case ask := <-d.idle:
			ask <- len(s.flying) == 0 && len(d.results) == 0 && !s.spilled && len(d.stored) == 0 &&
				(s.due.Len() == 0 || s.due[0].at.After(d.now()))
		case <-timer.C:
		}
		for more := true; more; { // take every outcome already waiting
			select {
			case r := <-d.results:
				done = append(done, r)
			default:
				more = false
			}
		}
		d.finish(s, done)
		done = done[:0]
		d.reload(s)
		d.start(s)
		d.sweepIfDue(s)
		d.arm(s, timer)
		if now := d.now(); now.Sub(lastPrune) > pruneEvery {
			lastPrune = now
			if _, err := d.deps.Store.PruneOutbox(d.ctx, now.Add(-d.cfg.Retention)); err != nil {
				d.log.Warn("outbox: prune failed", "err", err)
			}
		}
	}
}

// take adds items the writer stored, unless the store holds older pending
// items not yet loaded (they are read back in id order, these with them).
func (d *Dispatcher) take(s *state, items []store.OutboxItem) {
	for _, it := range items {
		if it.ID <= s.loaded || s.spilled {
			continue
		}
		if s.held >= d.deps.MemoryItems {
			s.spilled = true
			continue
		}
		s.loaded = it.ID
		d.hold(s, it)
	}
}

// reload reads pending items back from the store while memory has room.
func (d *Dispatcher) reload(s *state) {
	room := d.deps.MemoryItems - s.held
	if !s.spilled || room < d.deps.MemoryItems/2 {
		return
	}
	items, err := d.deps.Store.PendingOutboxOf(d.ctx, d.deps.Node, s.loaded, room)
	if err != nil {
		if d.ctx.Err() == nil {
			d.log.Error("outbox: reading pending items failed", "err", err)
		}
		return
	}
	for _, it := range items {
		s.loaded = it.ID
		d.hold(s, it)
	}
	s.spilled = len(items) == room
}

// hold appends it to its key's queue, unless it is held already.
func (d *Dispatcher) hold(s *state, it store.OutboxItem) {
	if _, ok := s.ids[it.ID]; ok {
		return
	}
	s.ids[it.ID] = struct{}{}
	q := s.keys[it.OrderKey]
	if q == nil {
		q = &keyQueue{}
		s.keys[it.OrderKey] = q
	}
	// In id order (the order of the key's events): an item taken over from
	// a node gone goes before this node's later ones of the same key, but
	// never before the one in flight.
	pos := len(q.items)
	for pos > 0 && q.items[pos-1].ID > it.ID && (pos != 1 || !q.inFlight) {
		pos--
	}
	q.items = slices.Insert(q.items, pos, it)
	s.held++
	if pos == 0 && !q.inFlight {
		heap.Push(&s.due, dueEntry{at: it.NextAttemptAt, key: it.OrderKey})
	}
}

// start begins the deliveries that are due, while their channels have room.
func (d *Dispatcher) start(s *state) {
	now := d.now()
	for s.due.Len() > 0 && !s.due[0].at.After(now) {
		e := heap.Pop(&s.due).(dueEntry)
		q := s.keys[e.key]
		if q == nil || q.inFlight || len(q.items) == 0 || !q.items[0].NextAttemptAt.Equal(e.at) {
			continue // a stale entry
		}
		it := q.items[0]
		if debugOutbox {
			println("start", it.Channel, it.EventID, s.busy[it.Channel])
		}
		if s.busy[it.Channel] >= d.cfg.Concurrency {
			s.blocked[it.Channel] = append(s.blocked[it.Channel], e.key)
			continue
		}
		q.inFlight = true
		s.busy[it.Channel]++
		s.flying[it.ID] = e.key
		d.wg.Add(1)
		go d.deliver(it)
	}
}

// arm sets the timer to the earliest head's time, or the next sweep's.
func (d *Dispatcher) arm(s *state, timer *time.Timer) {
	now := d.now()
	wait := min(time.Minute, max(s.sweep.next.Sub(now), 0))
	if s.due.Len() > 0 {
		wait = min(wait, max(s.due[0].at.Sub(now), 0))
	}
	if !timer.Stop() {
		select {
		case <-timer.C:
		default:
		}
	}
	timer.Reset(wait)
}

// deliver runs one attempt and reports its outcome to the loop.
func (d *Dispatcher) deliver(it store.OutboxItem) {
	defer d.wg.Done()
	d.results <- d.attempt(it) // buffered for every delivery in flight
}

func (d *Dispatcher) attempt(it store.OutboxItem) store.OutboxResult {
	now := d.now()
	res := store.OutboxResult{ID: it.ID, At: now}
	if !now.Before(it.Deadline) {
		res.State, res.Error = store.OutboxFailed, "deadline passed before delivery"
		if it.LastError != "" {
			res.Error += "; last error: " + it.LastError
		}
		return d.report(it, res)
	}
	ch := d.deps.Channels[it.Channel]
	var err error
	if ch == nil {
		err = permanent("no channel " + it.Channel + " is configured")
	} else {
		// Bounded, so that an item in flight never looks left behind to
		// another node's sweep.
		ctx, cancel := context.WithTimeout(d.ctx, d.cfg.StaleAfter/2)
		err = ch.Deliver(ctx, it)
		if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && d.ctx.Err() == nil {
			err = fmt.Errorf("no outcome within %v: %w", d.cfg.StaleAfter/2, err)
		}
		cancel()
	}
	now = d.now()
	res.At = now
	switch {
	case err == nil:
		res.State = store.OutboxDelivered
	case d.ctx.Err() != nil:
		res.State, res.Retry, res.Error = store.OutboxPending, now, "interrupted by shutdown"
	case isPermanent(err):
		res.State, res.Error = store.OutboxFailed, err.Error()
	default:
		retry := now.Add(d.backoff(it.Attempts, err))
		if retry.After(it.Deadline) {
			res.State, res.Error = store.OutboxFailed, "no attempt left before the deadline: "+err.Error()
		} else {
			res.State, res.Retry, res.Error = store.OutboxPending, retry, err.Error()
		}
	}
	return d.report(it, res)
}

func (d *Dispatcher) report(it store.OutboxItem, res store.OutboxResult) store.OutboxResult {
	if res.State == store.OutboxFailed {
		d.log.Warn("outbox: delivery failed for good", "channel", it.Channel, "target", it.Target, "event", it.EventID, "err", res.Error)
	}
	return res
}

// backoff is MinBackoff * 2^attempts with +-20% jitter, capped at
// MaxBackoff, and at least the error's RetryAfter.
func (d *Dispatcher) backoff(attempts int, err error) time.Duration {
	b := d.cfg.MinBackoff << min(attempts, 30)
	if b <= 0 || b > d.cfg.MaxBackoff {
		b = d.cfg.MaxBackoff
	}
	b = time.Duration(float64(b) * (0.8 + 0.4*rand.Float64()))
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) && ra.RetryAfter() > b {
		b = ra.RetryAfter()
	}
	return b
}

// drain collects the outcomes of deliveries still running (cancelled).
func (d *Dispatcher) drain(s *state, done *[]store.OutboxResult) {
	inFlight := 0
	for _, n := range s.busy {
		inFlight += n
	}
	timeout := time.After(2 * time.Second)
	for len(*done) < inFlight {
		select {
		case r := <-d.results:
			*done = append(*done, r)
		case <-timeout:
			return
		}
	}
}

// finish hands outcomes to the recorder (their store writes are batched
// there), then moves each key on: a retry stays at the head with its new
// time, anything else leaves and the next item becomes the head.
func (d *Dispatcher) finish(s *state, done []store.OutboxResult) {
	if len(done) == 0 {
		return
	}
	d.rec.add(done)
	for _, r := range done {
		if s.sweep.finished != nil { // a sweep reads: the store may not show this outcome yet
			s.sweep.finished[r.ID] = true
		}
		key, ok := s.flying[r.ID]
		if !ok {
			continue
		}
		delete(s.flying, r.ID)
		if q := s.keys[key]; q != nil && q.inFlight && len(q.items) > 0 && q.items[0].ID == r.ID {
			d.advance(s, key, q, r)
		}
	}
}

func (d *Dispatcher) advance(s *state, key string, q *keyQueue, r store.OutboxResult) {
	it := &q.items[0]
	q.inFlight = false
	s.busy[it.Channel]--
	ch := it.Channel
	it.Attempts++
	it.LastError = r.Error
	if d.deps.Delivered != nil {
		d.deps.Delivered(*it, r)
	}
	if r.State == store.OutboxPending {
		it.NextAttemptAt = r.Retry
		// Older items of the key taken over while it was in flight (hold
		// put them behind it) go first.
		head, i := *it, 1
		for i < len(q.items) && q.items[i].ID < head.ID {
			i++
		}
		if i > 1 {
			copy(q.items, q.items[1:i])
			q.items[i-1] = head
		}
	} else {
		delete(s.ids, it.ID)
		q.items[0] = store.OutboxItem{}
		q.items = q.items[1:]
		s.held--
	}
	if len(q.items) == 0 {
		delete(s.keys, key)
	} else {
		heap.Push(&s.due, dueEntry{at: q.items[0].NextAttemptAt, key: key})
	}
	// A key that waited for room in this channel may go now (entries of
	// keys that went on meanwhile are dropped).
	for waiting := s.blocked[ch]; len(waiting) > 0; waiting = s.blocked[ch] {
		k := waiting[0]
		s.blocked[ch] = waiting[1:]
		if q := s.keys[k]; q != nil && !q.inFlight && len(q.items) > 0 {
			heap.Push(&s.due, dueEntry{at: q.items[0].NextAttemptAt, key: k})
			break
		}
	}
	if len(s.blocked[ch]) == 0 {
		delete(s.blocked, ch)
	}
}

type permanentErr string

func (e permanentErr) Error() string { return string(e) }
func (permanentErr) Permanent() bool { return true }

func permanent(s string) error { return permanentErr(s) }

func isPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// dueEntry says key's head is due at at (stale entries are skipped).
type dueEntry struct {
	at  time.Time
	key string
}

type dueHeap []dueEntry

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueEntry)) }
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

var debugOutbox = false
