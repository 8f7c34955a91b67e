package outbox

import (
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// Taking over what a stopped node left behind.
//
// The nodes of a cluster share one outbox table. Each pending item names
// the node that delivers it (store.OutboxItem.Node): the one that stored
// it, replayed it or took it over; a node's start reads back only its own.
// One that stops for good (drained with work left, scaled down, killed,
// or restarted under a new name) leaves its pending items behind. So at
// start and every SweepEvery the loop has the pending items read (on a
// goroutine of their own: sweep) and takes over each order key whose
// oldest pending item belongs to a node that is gone (Deps.LiveNodes), or
// is more than StaleAfter past its due time (the node is stuck, or the
// live nodes cannot be read), unless it holds that key itself; the store
// then names it as theirs (ClaimOutbox). A live node's item is not that
// late: in flight, its attempt is cut off after StaleAfter/2; otherwise
// its last outcome recorded its next due time. A node whose channel is
// saturated (items wait for room longer than StaleAfter), or whose outcome
// failed to be recorded, may see such a key taken over too: then two
// nodes deliver it (at least once; receivers de-duplicate on the event
// id). Loss is what this prevents; a repeat is the price.
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
	resettle bool           // a sweep was moved early once because the live nodes were not known yet
}

// sweepResult is what a sweep read.
type sweepResult struct {
	from    int64              // it read pending items with ids above from
	lowest  int64              // the lowest pending id read (0: none)
	through int64              // every id up to it existed when the sweep started
	items   []store.OutboxItem // the items of the keys left behind, in id order
	unknown bool               // the live nodes could not be read (only StaleAfter counted)
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
// keeps the items of the keys left behind (at most about MemoryItems of
// them): those whose oldest pending item is more than StaleAfter past due,
// or belongs to a node that is gone. The nodes alive are read before the
// pages and again after them: a node that registered meanwhile (its items
// may be in the pages) is not taken for gone.
func (d *Dispatcher) readLeft(res *sweepResult) error {
	cutoff := d.now().Add(-d.cfg.StaleAfter)
	live := d.liveNodes()
	res.unknown = live == nil
	type fate struct {
		left, stale bool
		node        string // the node of the key's oldest pending item
	}
	keys := map[string]fate{}
	for after := res.from; ; {
		page, err := d.deps.Store.PendingOutbox(d.ctx, after, sweepPage)
		if err != nil {
			return err
		}
		for _, it := range page {
			if res.lowest == 0 {
				res.lowest = it.ID
			}
			f, seen := keys[it.OrderKey]
			if !seen {
				f = fate{stale: it.NextAttemptAt.Before(cutoff), node: it.Node}
				f.left = f.stale || d.gone(it.Node, live)
				keys[it.OrderKey] = f
			}
			if f.left {
				res.items = append(res.items, it)
			}
		}
		if len(page) > 0 {
			after = page[len(page)-1].ID
			res.through = max(res.through, after)
		}
		if len(page) < sweepPage || len(res.items) >= d.deps.MemoryItems {
			break
		}
	}
	if len(res.items) == 0 {
		return nil
	}
	live = d.liveNodes()
	res.unknown = res.unknown || live == nil
	kept := res.items[:0]
	for _, it := range res.items {
		if f := keys[it.OrderKey]; f.stale || d.gone(f.node, live) {
			kept = append(kept, it)
		}
	}
	res.items = kept
	return nil
}

// liveNodes is the set of nodes alive now; nil when it is not known.
func (d *Dispatcher) liveNodes() map[string]bool {
	if d.deps.LiveNodes == nil {
		return map[string]bool{d.deps.Node: true}
	}
	live, err := d.deps.LiveNodes(d.ctx)
	if err != nil {
		d.log.Debug("outbox: the live nodes are not known; only items long past due are taken over", "err", err)
		return nil
	}
	return live
}

// gone reports whether node is known to be gone (live: see liveNodes). An
// item with no node was stored by a build older than migration 0005, which
// names none: in a cluster that node may still run beside this one (a
// rolling upgrade) and deliver it, so only StaleAfter past due counts for
// it. One node alone (no LiveNodes) is the only node there is.
func (d *Dispatcher) gone(node string, live map[string]bool) bool {
	if node == "" && d.deps.LiveNodes != nil {
		return false
	}
	return live != nil && node != d.deps.Node && !live[node]
}

// takeOver moves the floor on and holds the items left behind, while memory
// has room: in a key this node holds too (a call's event it stored after
// the node that stored the earlier ones was lost), in id order before its
// own (hold).
func (d *Dispatcher) takeOver(s *state, res sweepResult) {
	finished := s.sweep.finished
	s.sweep.running, s.sweep.finished = false, nil
	if res.unknown && !s.sweep.resettle {
		// At start a cluster node cannot tell the live nodes for a few
		// seconds (cluster.Node.Alive settles): what a node gone left
		// (this one's last run under another name) waits for the next
		// sweep, so that one comes early, once.
		s.sweep.resettle = true
		if soon := d.now().Add(d.cfg.Resettle); soon.Before(s.sweep.next) {
			s.sweep.next = soon
		}
	}
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
	keys := 0
	var claimed []int64
	for _, it := range res.items {
		t, decided := take[it.OrderKey]
		if !decided {
			t = !finished[it.ID]
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
		claimed = append(claimed, it.ID)
	}
	if len(claimed) > 0 {
		d.log.Warn("outbox: took over pending items no live node holds (one stopped, or is stuck)", "items", len(claimed), "keys", keys)
		d.claim(claimed)
	}
}

// claim records in the store that this node delivers ids now (so its next
// start reads them back), on a goroutine of its own: the loop does not wait.
// A claim that fails leaves them to the next sweep after a restart.
func (d *Dispatcher) claim(ids []int64) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if err := d.deps.Store.ClaimOutbox(d.ctx, d.deps.Node, ids); err != nil && d.ctx.Err() == nil {
			d.log.Warn("outbox: recording the items taken over failed", "items", len(ids), "err", err)
		}
	}()
}
