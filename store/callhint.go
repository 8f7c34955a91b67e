package store

import (
	"database/sql"
	"sync"
)

// maxSavedHints bounds savedHints: past it the hints are dropped (saves
// then take the slower, checking path once per call).
const maxSavedHints = 100_000

// savedHints remembers, for each call this store has committed and not yet
// seen end, how many participant rows it wrote: the next save of the call
// then updates it in place without first trying an insert or counting its
// participants. A hint, never trusted alone: every path checks the rows it
// changed (see callStmts.save). It assumes this process is the database's
// only writer, as switchboard runs.
//
// Of a call of more than two participants (a group) it also keeps each row
// as committed, and that part is trusted: a row the next save leaves as it
// was is not written again, so a member declining a call of 300 writes one
// participant row, not 300. Each call is saved by one writer only (one
// process on SQLite; the node that runs it in a cluster, whose hints die
// with it: the node that closes a lost node's calls has none of theirs).
type savedHints struct {
	// mu guards parts.
	mu    sync.Mutex
	parts map[string]savedCall // by session id
}

// savedCall is what a store committed of one call: its participant rows'
// count, and (more than two) the rows themselves.
type savedCall struct {
	n    int
	rows []rowState
}

// rowState is a participant row as saved.
type rowState struct {
	uid, status  string
	joined, left sql.NullInt64 // as written (ms)
	earlier      int64
}

func rowOf(p *Participant) rowState {
	return rowState{uid: p.UID, status: p.Status, joined: ms(p.JoinedAt), left: ms(p.LeftAt), earlier: p.Earlier.Milliseconds()}
}

// lookup fills known[i] with the hint of calls[i] (-1: none) and, when rows
// is not nil, rows[i] with its committed rows (nil: none, and for a call
// listed a second time in calls: its rows are then the earlier entry's).
func (h *savedHints) lookup(calls []Call, known []int, rows [][]rowState) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range calls {
		sc, ok := h.parts[calls[i].SessionID]
		if !ok {
			sc.n = -1
		}
		known[i] = sc.n
		if rows == nil {
			continue
		}
		rows[i] = sc.rows
		for j := 0; j < i && rows[i] != nil; j++ { // (group calls only: a scan, not a set for every batch)
			if calls[j].SessionID == calls[i].SessionID {
				rows[i] = nil
			}
		}
	}
}

// hints returns the hints of calls (-1: none).
func (h *savedHints) hints(calls []Call) []int {
	known := make([]int, len(calls))
	h.lookup(calls, known, nil)
	return known
}

// remember records committed calls; a call that has ended is forgotten
// (it is not saved again in the usual course).
func (h *savedHints) remember(calls []Call) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.parts == nil || len(h.parts) > maxSavedHints {
		h.parts = make(map[string]savedCall)
	}
	for i := range calls {
		c := &calls[i]
		if !reSaved(c.Status) {
			delete(h.parts, c.SessionID)
			continue
		}
		sc := savedCall{n: len(c.Participants)}
		if sc.n > 2 {
			sc.rows = make([]rowState, sc.n)
			for j := range c.Participants {
				sc.rows[j] = rowOf(&c.Participants[j])
			}
		}
		h.parts[c.SessionID] = sc
	}
}

// reSaved reports whether a call in status will usually be saved again.
func reSaved(status string) bool { return status == CallInitiated || status == CallOngoing }
