package signaling

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// callWriter persists call snapshots in order on its own goroutine, so the
// hub loop never waits on the store.
//
// Group commit: a batch is written in one transaction (Store.SaveCalls),
// only the last snapshot of a call queued several times. Plain snapshots
// linger up to writeLinger for more (a call's quick transitions are then
// written once); a marker (flush, or a reply that must not go out before
// its change is committed: see commit) ends the linger at once, or within
// commitLinger when markers stream in (so one transaction answers several).
// A marker that names its calls takes only their snapshots into the batch:
// the other calls' snapshots linger on (a ringing call's "initiated" is
// then usually written together with its "ongoing", not on its own in the
// transaction of another call's reply). A flush takes everything. Markers
// close once the transaction of their batch has ended, so while one
// transaction runs the next batch forms: replies wait for their own batch
// and at most commitLinger, never for the snapshots' linger.
//
// Storage failures: a snapshot that cannot be saved is kept (the latest per
// call, at most maxKept calls) and retried with backoff, with every later
// batch first; while any is kept the store is degraded (storeHealth, reason
// store_failing; new calls are refused by the hub), reported by one ERROR
// log and a gauge, and by one INFO log once every kept snapshot has landed.
type callWriter struct {
	st     store.Store
	log    *slog.Logger
	onErr  func()        // a save failed (metric)
	health *storeHealth  // the writer sets and clears its "failing" detail
	wake   chan struct{} // cap 1: there is work
	done   chan struct{} // closed when the goroutine has returned

	// mu guards the fields up to lingerFor.
	mu         sync.Mutex
	queue      []writeItem
	urgent     bool // a marker is queued: write now (or after commitLinger when streaming)
	everything bool // a queued marker waits for everything queued before it (flush)
	stopped    bool
	lastMarker time.Time     // when the last marker was queued
	streaming  bool          // that marker came within 2*commitLinger of the one before
	oldest     time.Time     // when the oldest snapshot in the queue was queued (zero: none)
	lingerFor  time.Duration // how long snapshots linger (writeLinger; tests change it)
	outbox     OutboxQueue   // nil: the outbox stores its items itself

	// Writer goroutine only.
	kept    map[string]store.Call // failed saves by session id, awaiting retry
	order   []string              // kept session ids, oldest first (for the bound)
	dropped int                   // kept saves dropped because of the bound
	backoff time.Duration
	wanted  map[string]bool // take's scratch: the calls the batch's markers name
}

// OutboxQueue is the outbox's queue of items to store (outbox.Dispatcher).
// The call writer stores them in the transaction of its next batch: the
// items a call's change caused are committed with (or just after) its
// snapshot, in one commit instead of two on the store's writer. Items
// queued make the writer commit as a reply's marker does (at once, or
// within commitLinger while they stream in), so they do not wait for the
// snapshots' linger.
type OutboxQueue interface {
	// CommitWith sets the function called when items are queued (nil:
	// the outbox stores them itself again).
	CommitWith(ready func())
	// TakeOutbox returns the queued items (nil: none); OutboxStored must
	// follow any other answer.
	TakeOutbox() []store.OutboxItem
	OutboxStored(taken, stored []store.OutboxItem, err error)
}

// Batching: wait at most writeLinger for more snapshots, or until
// lingerMax are queued; a marker ends the wait at once, or after
// commitLinger while markers stream in (closer than 2*commitLinger: other
// replies are on their way, and one transaction for several of them costs
// less than one each). Retry kept saves after retryMin, doubling up to
// retryMax. Keep at most maxKept failed calls.
const (
	writeLinger  = 50 * time.Millisecond
	commitLinger = time.Millisecond
	lingerMax    = 2048
	retryMin     = 100 * time.Millisecond
	retryMax     = 5 * time.Second
	maxKept      = 100_000
)

// writeItem is a snapshot to save, or a marker to close once the calls it
// names (every call, when it names none) have been written as queued
// before it (or kept for retry).
type writeItem struct {
	call    store.Call
	at      time.Time // when a snapshot was queued
	flushed chan struct{}
	calls   []string // a marker's calls (nil: everything queued before it)
}

func newCallWriter(st store.Store, log *slog.Logger, onErr func(), health *storeHealth) *callWriter {
	if health == nil {
		health = newStoreHealth(nil)
	}
	w := &callWriter{st: st, log: log, onErr: onErr, health: health, wake: make(chan struct{}, 1),
		done: make(chan struct{}), kept: make(map[string]store.Call), lingerFor: writeLinger,
		wanted: make(map[string]bool)}
	go w.run()
	return w
}

func (w *callWriter) push(it writeItem) bool {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return false
	}
	now := time.Now()
	it.at = now
	w.queue = append(w.queue, it)
	wasUrgent := w.urgent
	if it.flushed != nil {
		w.urgent, w.streaming, w.lastMarker = true, now.Sub(w.lastMarker) < 2*commitLinger, now
		w.everything = w.everything || it.calls == nil
	} else if w.oldest.IsZero() {
		w.oldest = now
	}
	// The writer needs waking for the first item and the first marker of a
	// batch (later markers find it committing, or waiting commitLinger).
	signal := len(w.queue) == 1 || (w.urgent && !wasUrgent) || len(w.queue) >= lingerMax
	w.mu.Unlock()
	if signal {
		w.signal()
	}
	return true
}

func (w *callWriter) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// linger waits until the batch is worth writing: writeLinger passed, a
// marker is pending (for commitLinger more while markers stream in), stop
// is pending, or lingerMax snapshots are queued.
func (w *callWriter) linger() {
	w.mu.Lock()
	wait := w.lingerFor
	if !w.oldest.IsZero() { // snapshots left by the last batch have waited already
		wait -= time.Since(w.oldest)
	}
	w.mu.Unlock()
	t := time.NewTimer(max(wait, 0))
	defer t.Stop()
	var commit *time.Timer
	var commitC <-chan time.Time
	defer func() {
		if commit != nil {
			commit.Stop()
		}
	}()
	for {
		w.mu.Lock()
		now := w.stopped || len(w.queue) >= lingerMax || (w.urgent && !w.streaming)
		urgent := w.urgent
		w.mu.Unlock()
		if now {
			return
		}
		if urgent && commit == nil {
			commit = time.NewTimer(commitLinger)
			commitC = commit.C
		}
		select {
		case <-t.C:
			return
		case <-commitC:
			return
		case <-w.wake:
		}
	}
}

// storeOutbox makes the writer store q's items from now on.
func (w *callWriter) storeOutbox(q OutboxQueue) {
	w.mu.Lock()
	w.outbox = q
	w.mu.Unlock()
	q.CommitWith(w.outboxReady)
}

// outboxReady is called when the outbox queued items: they are taken into
// a transaction as a marker's batch is. It never blocks.
func (w *callWriter) outboxReady() {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	now := time.Now()
	wasUrgent := w.urgent
	w.urgent, w.streaming, w.lastMarker = true, now.Sub(w.lastMarker) < 2*commitLinger, now
	w.mu.Unlock()
	if !wasUrgent {
		w.signal()
	}
}

// save queues c. It never blocks.
func (w *callWriter) save(c store.Call) { w.push(writeItem{call: c}) }

// commit queues a marker behind what is queued and returns a channel that
// is closed once the snapshots of calls queued so far have been written
// (or kept for retry); no calls: everything queued so far. A reply that
// must not go out before its change is durable waits on it. nil: the
// writer has stopped.
func (w *callWriter) commit(calls ...string) <-chan struct{} {
	ch := make(chan struct{})
	if !w.push(writeItem{flushed: ch, calls: calls}) {
		return nil
	}
	return ch
}

// flush waits until everything queued before it is written (or ctx ends).
func (w *callWriter) flush(ctx context.Context) error {
	ch := w.commit()
	if ch == nil {
		<-w.done
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Degraded returns why the store cannot take new calls (ReasonStore*) and
// the store's error, or "" and "" when it can.
func (w *callWriter) Degraded() (reason, detail string) { return w.health.degraded() }

// stop writes what is queued (one last attempt for kept saves) and stops
// the goroutine.
func (w *callWriter) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.signal()
	<-w.done
	w.mu.Lock()
	q := w.outbox
	w.outbox = nil
	w.mu.Unlock()
	if q != nil {
		q.CommitWith(nil)
	}
}

func (w *callWriter) run() {
	defer close(w.done)
	var batch []writeItem
	last := make(map[string]int)
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	defer retry.Stop()
	for {
		select {
		case <-w.wake:
			w.linger()
		case <-retry.C:
		}
		var stopped, left bool
		batch, stopped, left = w.take(batch[:0])
		w.write(batch, last)
		clear(batch)
		if stopped { // push refuses new items once stopped: nothing is left
			w.giveUp()
			return
		}
		if left { // linger on for the snapshots the batch did not take
			w.signal()
		}
		if len(w.kept) > 0 {
			w.backoff = min(max(2*w.backoff, retryMin), retryMax)
			retry.Reset(w.backoff)
		} else {
			w.backoff = 0
		}
	}
}

// take moves the next batch from the queue to batch: everything when the
// writer stops, a flush is queued or lingerMax are queued; else the
// markers, the snapshots of the calls they name and the snapshots that
// have lingered their time, the others lingering on. left: some are.
func (w *callWriter) take(batch []writeItem) (_ []writeItem, stopped, left bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.urgent = false
	if w.stopped || w.everything || len(w.queue) >= lingerMax {
		batch = append(batch, w.queue...)
		clear(w.queue)
		w.queue = w.queue[:0]
		w.everything, w.oldest = false, time.Time{}
		return batch, w.stopped, false
	}
	clear(w.wanted)
	for i := range w.queue {
		for _, id := range w.queue[i].calls {
			w.wanted[id] = true
		}
	}
	aged := time.Now().Add(-w.lingerFor)
	rest := w.queue[:0]
	for _, it := range w.queue {
		if it.flushed != nil || w.wanted[it.call.SessionID] || !it.at.After(aged) {
			batch = append(batch, it)
		} else {
			rest = append(rest, it)
		}
	}
	clear(w.queue[len(rest):])
	w.queue = rest
	w.oldest = time.Time{}
	if len(rest) > 0 {
		w.oldest = rest[0].at
	}
	return batch, false, len(rest) > 0
}

// write saves the kept snapshots and batch in one transaction (only the
// last snapshot of each call), then closes the batch's markers.
func (w *callWriter) write(batch []writeItem, last map[string]int) {
	clear(last)
	for i := range batch {
		if batch[i].flushed == nil {
			last[batch[i].call.SessionID] = i
		}
	}
	calls := make([]store.Call, 0, len(w.kept)+len(last))
	for _, id := range w.order {
		if _, newer := last[id]; !newer {
			calls = append(calls, w.kept[id])
		}
	}
	for i := range batch {
		if batch[i].flushed == nil && last[batch[i].call.SessionID] == i {
			calls = append(calls, batch[i].call)
		}
	}
	w.saveAll(calls)
	for i := range batch {
		if batch[i].flushed != nil {
			close(batch[i].flushed)
		}
	}
}

func (w *callWriter) saveAll(calls []store.Call) {
	if w.saveWithOutbox(calls) || len(calls) == 0 {
		return
	}
	err := w.st.SaveCalls(context.Background(), calls)
	if err == nil {
		w.landed(calls)
		return
	}
	if len(calls) > 1 { // one bad call fails the batch: save one by one to keep the others
		for _, c := range calls {
			if err := w.st.SaveCall(context.Background(), c); err != nil {
				w.failed(c, err)
			} else {
				w.landed([]store.Call{c})
			}
		}
		return
	}
	w.failed(calls[0], err)
}

// saveWithOutbox saves calls and the outbox's queued items in one
// transaction. false: no items were queued, or the transaction failed (the
// outbox then stores its items itself; calls are saved as without it).
func (w *callWriter) saveWithOutbox(calls []store.Call) bool {
	w.mu.Lock()
	q := w.outbox
	w.mu.Unlock()
	if q == nil {
		return false
	}
	items := q.TakeOutbox()
	if len(items) == 0 {
		return false
	}
	stored, err := w.st.SaveCallsOutbox(context.Background(), calls, items)
	q.OutboxStored(items, stored, err)
	if err != nil {
		return false
	}
	w.landed(calls)
	return true
}

// failed keeps c for a retry and enters the degraded state.
func (w *callWriter) failed(c store.Call, err error) {
	w.onErr()
	if _, ok := w.kept[c.SessionID]; !ok {
		w.order = append(w.order, c.SessionID)
	}
	w.kept[c.SessionID] = c
	for len(w.order) > maxKept { // bounded: the oldest goes
		delete(w.kept, w.order[0])
		w.order = w.order[1:]
		w.dropped++
	}
	if w.health.setFailing("call log writes failing: " + err.Error()) {
		w.log.Error("the store cannot save calls; keeping them and retrying, and refusing new calls until it can",
			"session", c.SessionID, "status", c.Status, "err", err)
	}
}

// landed forgets kept snapshots that are now saved and leaves the
// degraded state once none is left.
func (w *callWriter) landed(calls []store.Call) {
	if len(w.kept) == 0 {
		return
	}
	for _, c := range calls {
		delete(w.kept, c.SessionID)
	}
	n := 0
	for _, id := range w.order {
		if _, ok := w.kept[id]; ok {
			w.order[n] = id
			n++
		}
	}
	clear(w.order[n:])
	w.order = w.order[:n]
	if len(w.kept) == 0 && w.health.setFailing("") {
		w.log.Info("the store saves calls again; every kept save has been written", "dropped", w.dropped)
	}
}

// giveUp logs what is still kept when the writer stops.
func (w *callWriter) giveUp() {
	if len(w.kept) > 0 {
		w.log.Error("stopping with call saves the store never took", "calls", len(w.kept))
	}
}
