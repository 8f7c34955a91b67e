package outbox

import (
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// Taking over what a stopped node left behind.
//
// The nodes of a cluster share one outbox table, with no owner column: a
// pending item is delivered by the node that stored it (or took it over),
// and the one that stops for good (drained with work left, scaled down,
// killed) leaves its pending items behind; only its own next start would
// read them again. So every SweepEvery the loop has the pending items read
// (on a goroutine of their own: sweep) and takes over each order key whose
// oldest pending item is more than StaleAfter past its due time, unless it
// holds that key itself. A live node's item is not that late: in flight,
// its attempt is cut off after StaleAfter/2; otherwise its last outcome
// recorded its next due time. A node whose channel is saturated (items
// wait for room longer than StaleAfter), or whose outcome failed to be
// recorded, may see such a key taken over too: then two nodes deliver it
// (at least once; receivers de-duplicate on the event id). Loss is what
// this prevents; a repeat is the price.
//
// A sweep reads by id (the primary key) from a floor, not the whole table
// (delivered items are kept for Config.Retention): the lowest pending id
// the last sweep read, less one (every item below it is done), but no
// higher than the ids that existed when the sweep before started (on
// PostgreSQL an id taken earlier may commit after a later one; not across
// a sweep interval). Every fullSweepEvery a sweep reads from the start, for
// what the floor cannot see (an item replayed on a node that stopped, a
// transaction that took longer than an interval).
const (
	sweepPage      = 500
	fullSweepEvery = time.Hour
)

// sweepState is the loop's.
type sweepState struct {
	running  bool           // a sweep reads
	finished map[int64]bool // while it reads: items whose outcome came in (the read may not show it)
	next     time.Time      // when the next sweep starts
	floor    int64          // the next sweep reads pending items with ids above it
	through  int64          // every id up to it existed when the last sweep started
	lastFull time.Time      // when a sweep last read from the start
}

// sweepResult is what a sweep read.
type sweepResult struct {
	from    int64              // it read pending items with ids above from
	lowest  int64              // the lowest pending id read (0: none)
	through int64              // every id up to it existed when the sweep started
	items   []store.OutboxItem // the items of the keys left behind, in id order
	err     error
}

// sweepIfDue starts a sweep when one is due and none is reading.
func (d *Dispatcher) sweepIfDue(s *state) {
	now := d.now()
	if s.sweep.running || now.Before(s.sweep.next) {
		return
	}
	s.sweep.next = now.Add(d.cfg.SweepEvery)
	from := s.sweep.floor
	if now.Sub(s.sweep.lastFull) >= fullSweepEvery {
		from, s.sweep.lastFull = 0, now
	}
	s.sweep.running, s.sweep.finished = true, map[int64]bool{}
	d.wg.Add(1)
	go d.sweep(from, s.loaded, d.rec.handed())
}

// sweep waits until the outcomes handed to the recorder so far are
// written (so the read shows them), reads, and hands the result to the
// loop.
func (d *Dispatcher) sweep(from, loaded int64, handed uint64) {
	defer d.wg.Done()
	if !d.rec.waitWritten(handed, d.stop) {
		return
	}
	res := sweepResult{from: from, through: max(from, loaded)}
	res.err = d.readLeft(&res)
	select {
	case d.swept <- res:
	case <-d.stop:
	}
}

// readLeft reads the pending items above res.from, a page at a time, and
// keeps the items of the keys whose oldest pending item is more than
// StaleAfter past due (at most about MemoryItems of them).
func (d *Dispatcher) readLeft(res *sweepResult) error {
	cutoff := d.now().Add(-d.cfg.StaleAfter)
	late := map[string]bool{} // order key -> its oldest pending item is that late
	for after := res.from; ; {
		page, err := d.deps.Store.PendingOutbox(d.ctx, after, sweepPage)
		if err != nil {
			return err
		}
		for _, it := range page {
			if res.lowest == 0 {
				res.lowest = it.ID
			}
			l, seen := late[it.OrderKey]
			if !seen {
				l = it.NextAttemptAt.Before(cutoff)
				late[it.OrderKey] = l
			}
			if l {
				res.items = append(res.items, it)
			}
		}
		if len(page) > 0 {
			after = page[len(page)-1].ID
			res.through = max(res.through, after)
		}
		if len(page) < sweepPage || len(res.items) >= d.deps.MemoryItems {
			return nil
		}
	}
}

// takeOver moves the floor on and holds the items of the keys left behind
// that this node does not hold, while memory has room.
func (d *Dispatcher) takeOver(s *state, res sweepResult) {
	finished := s.sweep.finished
	s.sweep.running, s.sweep.finished = false, nil
	if res.err != nil {
		if d.ctx.Err() == nil {
			d.log.Warn("outbox: reading pending items for a sweep failed", "err", res.err)
		}
		return
	}
	floor := res.through
	if res.lowest > 0 {
		floor = res.lowest - 1
	}
	s.sweep.floor, s.sweep.through = min(floor, s.sweep.through), res.through
	take := map[string]bool{} // order key -> taken over (false: its holder delivers it)
	items, keys := 0, 0
	for _, it := range res.items {
		t, decided := take[it.OrderKey]
		if !decided {
			_, mine := s.keys[it.OrderKey]
			t = !mine && !finished[it.ID]
			take[it.OrderKey] = t
		}
		if !t || finished[it.ID] {
			continue
		}
		if (s.spilled && it.ID > s.loaded) || s.held >= d.deps.MemoryItems {
			take[it.OrderKey] = false // the rest of the key waits: read back in id order, or the next sweep
			continue
		}
		if !decided {
			keys++
		}
		d.hold(s, it)
		items++
	}
	if items > 0 {
		d.log.Warn("outbox: took over pending items no live node holds (one stopped, or is stuck)", "items", items, "keys", keys)
	}
}
