package signaling

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// callWriter persists call snapshots in order on its own goroutine, so the
// hub loop never waits on the store. It lingers up to writeLinger after the
// first snapshot of a batch so that a call's quick transitions (initiated,
// ongoing, ended within a few milliseconds) are written once, the last
// snapshot; a flush or stop ends the linger at once. flush waits for
// everything queued before it. (A crash loses at most writeLinger of
// transitions.)
type callWriter struct {
	st   store.Store
	log  *slog.Logger
	wake chan struct{} // cap 1: there is work
	done chan struct{} // closed when the goroutine has returned

	// mu guards queue, urgent and stopped.
	mu      sync.Mutex
	queue   []writeItem
	urgent  bool // a flush marker is queued: write now
	stopped bool
}

// Batching: wait at most writeLinger for more snapshots, or until
// lingerMax are queued.
const (
	writeLinger = 50 * time.Millisecond
	lingerMax   = 2048
)

// writeItem is a snapshot to save, or a flush marker to close.
type writeItem struct {
	call    store.Call
	flushed chan struct{}
}

func newCallWriter(st store.Store, log *slog.Logger, onErr func()) *callWriter {
	w := &callWriter{st: st, log: log, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.run(onErr)
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
		w.urgent = true
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
// flush or stop is pending, or lingerMax snapshots are queued.
func (w *callWriter) linger() {
	t := time.NewTimer(writeLinger)
	defer t.Stop()
	for {
		w.mu.Lock()
		now := w.urgent || w.stopped || len(w.queue) >= lingerMax
		w.mu.Unlock()
		if now {
			return
		}
		select {
		case <-t.C:
			return
		case <-w.wake:
		}
	}
}

// save queues c. It never blocks.
func (w *callWriter) save(c store.Call) { w.push(writeItem{call: c}) }

// flush waits until everything queued before it is written (or ctx ends).
func (w *callWriter) flush(ctx context.Context) error {
	ch := make(chan struct{})
	if !w.push(writeItem{flushed: ch}) {
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

// stop writes what is queued and stops the goroutine.
func (w *callWriter) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.signal()
	<-w.done
}

func (w *callWriter) run(onErr func()) {
	defer close(w.done)
	var batch []writeItem
	last := make(map[string]int)
	for range w.wake {
		w.linger()
		w.mu.Lock()
		batch, w.queue = w.queue, batch[:0]
		w.urgent = false
		stopped := w.stopped
		w.mu.Unlock()
		w.write(batch, last, onErr)
		clear(batch)
		if stopped { // push refuses new items once stopped: nothing is left
			return
		}
	}
}

// write saves batch in order, segment by segment (a flush marker ends a
// segment); within a segment only a call's last snapshot is saved.
func (w *callWriter) write(batch []writeItem, last map[string]int, onErr func()) {
	var calls []store.Call
	for len(batch) > 0 {
		end := 0
		clear(last)
		for end < len(batch) && batch[end].flushed == nil {
			last[batch[end].call.SessionID] = end
			end++
		}
		calls = calls[:0]
		for i := 0; i < end; i++ {
			if last[batch[i].call.SessionID] == i { // else a later snapshot follows
				calls = append(calls, batch[i].call)
			}
		}
		w.saveAll(calls, onErr)
		if end < len(batch) {
			close(batch[end].flushed)
			end++
		}
		batch = batch[end:]
	}
	clear(calls)
}

func (w *callWriter) saveAll(calls []store.Call, onErr func()) {
	if len(calls) == 0 {
		return
	}
	if len(calls) > 1 {
		if err := w.st.SaveCalls(context.Background(), calls); err == nil {
			return
		} // one bad call fails the batch: save one by one to keep the others
	}
	for _, c := range calls {
		if err := w.st.SaveCall(context.Background(), c); err != nil {
			w.log.Error("saving call failed", "session", c.SessionID, "status", c.Status, "err", err)
			onErr()
		}
	}
}
