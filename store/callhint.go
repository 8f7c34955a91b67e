package store

import "sync"

// maxSavedHints bounds savedHints: past it the hints are dropped (saves
// then take the slower, checking path once per call).
const maxSavedHints = 100_000

// savedHints remembers, for each call this store has committed and not yet
// seen end, how many participant rows it wrote: the next save of the call
// then updates it in place without first trying an insert or counting its
// participants. A hint, never trusted alone: every path checks the rows it
// changed (see callStmts.save). It assumes this process is the database's
// only writer, as switchboard runs.
type savedHints struct {
	// mu guards parts.
	mu    sync.Mutex
	parts map[string]int // session id -> participant rows committed
}

// lookup fills known[i] with the hint of calls[i] (-1: none).
func (h *savedHints) lookup(calls []Call, known []int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range calls {
		n, ok := h.parts[calls[i].SessionID]
		if !ok {
			n = -1
		}
		known[i] = n
	}
}

// hints returns the hints of calls (-1: none).
func (h *savedHints) hints(calls []Call) []int {
	known := make([]int, len(calls))
	h.lookup(calls, known)
	return known
}

// remember records committed calls; a call that has ended is forgotten
// (it is not saved again in the usual course).
func (h *savedHints) remember(calls []Call) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.parts == nil || len(h.parts) > maxSavedHints {
		h.parts = make(map[string]int)
	}
	for i := range calls {
		if reSaved(calls[i].Status) {
			h.parts[calls[i].SessionID] = len(calls[i].Participants)
		} else {
			delete(h.parts, calls[i].SessionID)
		}
	}
}

// reSaved reports whether a call in status will usually be saved again.
func reSaved(status string) bool { return status == CallInitiated || status == CallOngoing }
