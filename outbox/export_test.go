package outbox

import "time"

// SetHandoffWait changes how long queued items wait for the committer and
// wakes the writer to look again (tests only).
func SetHandoffWait(d *Dispatcher, w time.Duration) {
	d.mu.Lock()
	d.handoff = w
	d.mu.Unlock()
	d.signal()
}

// SetMaxQueued changes the bound on items waiting to be stored (tests only).
func SetMaxQueued(d *Dispatcher, n int) {
	d.mu.Lock()
	d.maxQueued = n
	d.mu.Unlock()
}
