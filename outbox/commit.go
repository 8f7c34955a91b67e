package outbox

import (
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// handoffWait is how long queued items wait for the committer before the
// writer stores them itself (the committer stopped, or is stuck retrying).
// The committer, when healthy, takes them within about a millisecond.
const handoffWait = 50 * time.Millisecond

// CommitWith makes another writer of the store (the call writer) store the
// queued items in its own transactions, beside the call snapshots whose
// change caused them: one commit where there were two, on SQLite's one
// writer connection. ready is called (it must not block) each time items
// are queued; the committer then calls TakeOutbox, stores what it took in
// its next transaction and calls OutboxStored. nil: the Dispatcher's
// writer stores items again (the committer stopped).
func (d *Dispatcher) CommitWith(ready func()) {
	d.mu.Lock()
	d.ready = ready
	d.mu.Unlock()
	d.signal() // anything queued and now orphaned is stored
}

// TakeOutbox returns the queued items for the committer to store (nil:
// none). Unless it returns nil, OutboxStored must follow; until it does,
// no other batch is stored (ids stay in queue order).
func (d *Dispatcher) TakeOutbox() []store.OutboxItem {
	d.mu.Lock()
	empty := len(d.queue) == 0 || d.closed
	d.mu.Unlock()
	if empty {
		return nil
	}
	d.storing.Lock()
	d.mu.Lock()
	batch := d.queue
	d.queue = nil
	d.mu.Unlock()
	if len(batch) == 0 { // the writer stored them meanwhile
		d.storing.Unlock()
		return nil
	}
	return batch
}

// OutboxStored reports the committer's transaction of taken: stored are
// the items it stored (with their ids); on err, taken go back to the head
// of the queue and the Dispatcher's writer stores them.
func (d *Dispatcher) OutboxStored(taken, stored []store.OutboxItem, err error) {
	defer d.storing.Unlock()
	if err != nil {
		d.mu.Lock()
		d.queue = append(taken, d.queue...)
		d.boundUnlocked()
		d.since = time.Time{} // waited enough: the writer stores them now
		d.mu.Unlock()
		d.signal()
		return
	}
	d.handOver(stored)
}
