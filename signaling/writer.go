package signaling

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// callWriter persists call snapshots in order on its own goroutine, so the
// hub loop never waits on the store.
//
// Group commit: a batch is everything queued when the goroutine gets to it,
// written in one transaction (Store.SaveCalls), only the last snapshot of a
// call queued several times. A batch of plain snapshots lingers up to
// writeLinger for more (a call's quick transitions are then written once);
// a marker (flush, or a reply that must not go out before its change is
// committed: see commit) ends the linger at once, or within commitLinger
// when markers stream in (so one transaction answers several). Markers
// close once the transaction of their batch has ended, so while one
// transaction runs the next batch forms: replies wait for their own batch
// and at most commitLinger, never for the snapshots' linger.
//
// Storage failures: a snapshot that cannot be saved is kept (the latest per
// call, at most maxKept calls) and retried with backoff, with every later
// batch first; while any is kept the writer is degraded (Degraded says why;
// new calls are refused by the hub), reported by one ERROR log and a gauge,
// and by one INFO log once every kept snapshot has landed.
type callWriter struct {
	st      store.Store
	log     *slog.Logger
	onErr   func()        // a save failed (metric)
	onState func(bool)    // degraded changed (metric); called on the writer goroutine
	wake    chan struct{} // cap 1: there is work
	done    chan struct{} // closed when the goroutine has returned

	// mu guards queue, urgent, stopped, lastMarker and streaming.
	mu         sync.Mutex
	queue      []writeItem
	urgent     bool // a marker is queued: write now (or after commitLinger when streaming)
	stopped    bool
	lastMarker time.Time // when the last marker was queued
	streaming  bool      // that marker came within 2*commitLinger of the one before

	// reason is why the store cannot write ("" when it can); set and
	// cleared by the writer goroutine, read by anyone.
	reason atomic.Pointer[string]

	// Writer goroutine only.
	kept    map[string]store.Call // failed saves by session id, awaiting retry
	order   []string              // kept session ids, oldest first (for the bound)
	dropped int                   // kept saves dropped because of the bound
	backoff time.Duration
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

// writeItem is a snapshot to save, or a marker to close once everything
// queued before it has been written (or kept for retry).
type writeItem struct {
	call    store.Call
	flushed chan struct{}
}

func newCallWriter(st store.Store, log *slog.Logger, onErr func(), onState func(bool)) *callWriter {
	if onState == nil {
		onState = func(bool) {}
	}
	w := &callWriter{st: st, log: log, onErr: onErr, onState: onState, wake: make(chan struct{}, 1),
		done: make(chan struct{}), kept: make(map[string]store.Call)}
	go w.run()
	return w
}

func (w *callWriter) push(it writeItem) bool {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return false
	}
	w.queue = append(w.queue, it)
	if it.flushed != nil {
		now := time.Now()
		w.urgent, w.streaming, w.lastMarker = true, now.Sub(w.lastMarker) < 2*commitLinger, now
	}
	signal := len(w.queue) == 1 || w.urgent || len(w.queue) >= lingerMax
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
	t := time.NewTimer(writeLinger)
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

// save queues c. It never blocks.
func (w *callWriter) save(c store.Call) { w.push(writeItem{call: c}) }

// commit queues a marker behind what is queued and returns a channel that
// is closed once that has been written (or kept for retry): a reply that
// must not go out before its change is durable waits on it. nil: the writer
// has stopped.
func (w *callWriter) commit() <-chan struct{} {
	ch := make(chan struct{})
	if !w.push(writeItem{flushed: ch}) {
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

// Degraded returns why the store cannot write, or "" when it can.
func (w *callWriter) Degraded() string {
	if r := w.reason.Load(); r != nil {
		return *r
	}
	return ""
}

// stop writes what is queued (one last attempt for kept saves) and stops
// the goroutine.
func (w *callWriter) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.signal()
	<-w.done
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
		w.mu.Lock()
		batch, w.queue = w.queue, batch[:0]
		w.urgent = false
		stopped := w.stopped
		w.mu.Unlock()
		w.write(batch, last)
		clear(batch)
		if stopped { // push refuses new items once stopped: nothing is left
			w.giveUp()
			return
		}
		if len(w.kept) > 0 {
			w.backoff = min(max(2*w.backoff, retryMin), retryMax)
			retry.Reset(w.backoff)
		} else {
			w.backoff = 0
		}
	}
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
	if len(calls) == 0 {
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
	if w.Degraded() == "" {
		reason := "call log writes failing: " + err.Error()
		w.reason.Store(&reason)
		w.onState(true)
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
	if len(w.kept) == 0 && w.Degraded() != "" {
		w.reason.Store(nil)
		w.onState(false)
		w.log.Info("the store saves calls again; every kept save has been written", "dropped", w.dropped)
	}
}

// giveUp logs what is still kept when the writer stops.
func (w *callWriter) giveUp() {
	if len(w.kept) > 0 {
		w.log.Error("stopping with call saves the store never took", "calls", len(w.kept))
	}
}
