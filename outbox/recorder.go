package outbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// recorder writes delivery outcomes to the store on its own goroutine, in
// batches: what is handed over while one transaction runs goes into the
// next (group commit, no timer). The loop moves each order key on at once,
// without waiting for the record, so a record costs neither a transaction
// per delivery nor a wait between the events of one call. An outcome lost
// to a crash means only that its item is sent again at the next start
// (at least once; receivers de-duplicate on the event id), in order.
type recorder struct {
	st   store.Store
	log  *slog.Logger
	wake chan struct{} // cap 1: there is work
	done chan struct{} // closed when run has returned

	// mu guards the fields below.
	mu       sync.Mutex
	queue    []store.OutboxResult
	closed   bool
	added    uint64        // outcomes handed over so far
	written  uint64        // of those, how many had their transaction (recorded, or failed and logged)
	progress chan struct{} // closed (and replaced) when written grows
}

func newRecorder(st store.Store, log *slog.Logger) *recorder {
	r := &recorder{st: st, log: log, wake: make(chan struct{}, 1), done: make(chan struct{}), progress: make(chan struct{})}
	go r.run()
	return r
}

// add queues outcomes (copied); it never blocks.
func (r *recorder) add(results []store.OutboxResult) {
	if len(results) == 0 {
		return
	}
	r.mu.Lock()
	r.queue = append(r.queue, results...)
	r.added += uint64(len(results))
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// close writes what is queued and stops the goroutine.
func (r *recorder) close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
	<-r.done
}

// handed returns how many outcomes were handed over so far.
func (r *recorder) handed() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.added
}

// waitWritten waits until the first n outcomes handed over had their
// transaction; false: stop closed first.
func (r *recorder) waitWritten(n uint64, stop <-chan struct{}) bool {
	for {
		r.mu.Lock()
		done, progress := r.written >= n, r.progress
		r.mu.Unlock()
		if done {
			return true
		}
		select {
		case <-progress:
		case <-stop:
			return false
		}
	}
}

// Outcomes wait up to recordLinger for more (or until recordBatch are
// queued) before their transaction: at moderate rates a transaction per
// delivery round cost more than the deliveries. Waiting delays nothing
// but the record (keys have moved on); a crash meanwhile repeats those
// deliveries.
const (
	recordLinger = 100 * time.Millisecond
	recordBatch  = 1024
)

func (r *recorder) run() {
	defer close(r.done)
	var batch []store.OutboxResult
	for range r.wake {
		r.linger()
		r.mu.Lock()
		batch, r.queue = r.queue, batch[:0]
		closed := r.closed
		r.mu.Unlock()
		if len(batch) > 0 {
			// A fresh context: outcomes are recorded even while closing.
			if err := r.st.FinishOutbox(context.Background(), batch); err != nil {
				r.log.Error("outbox: recording outcomes failed; the items will be sent again after a restart", "items", len(batch), "err", err)
			}
			r.mu.Lock()
			r.written += uint64(len(batch))
			close(r.progress)
			r.progress = make(chan struct{})
			r.mu.Unlock()
			clear(batch)
		}
		if closed {
			return
		}
	}
}

// linger waits until recordLinger has passed, recordBatch outcomes are
// queued, or the recorder is closing.
func (r *recorder) linger() {
	t := time.NewTimer(recordLinger)
	defer t.Stop()
	for {
		r.mu.Lock()
		now := r.closed || len(r.queue) >= recordBatch
		r.mu.Unlock()
		if now {
			return
		}
		select {
		case <-t.C:
			return
		case <-r.wake:
		}
	}
}
