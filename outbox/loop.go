package outbox

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// pruneEvery is how often delivered and failed items past retention go.
const pruneEvery = time.Hour

// loop finds due items, starts their deliveries and records outcomes.
func (d *Dispatcher) loop() {
	defer d.wg.Done()
	f := &flight{keys: map[string]bool{}, busy: map[string]int{}, items: map[int64]store.OutboxItem{}}
	var done []store.OutboxResult
	timer := time.NewTimer(0)
	defer timer.Stop()
	lastPrune := d.now()
	for {
		select {
		case <-d.stop:
			d.drain(len(f.items), &done)
			d.finish(f, done)
			return
		case r := <-d.results:
			done = append(done, r)
		case <-d.wake:
		case <-timer.C:
		}
		// Take every outcome already waiting, record them in one transaction.
		for more := true; more; {
			select {
			case r := <-d.results:
				done = append(done, r)
			default:
				more = false
			}
		}
		d.finish(f, done)
		done = done[:0]
		d.start(f)
		d.arm(timer)
		if now := d.now(); now.Sub(lastPrune) > pruneEvery {
			lastPrune = now
			if _, err := d.deps.Store.PruneOutbox(d.ctx, now.Add(-d.cfg.Retention)); err != nil {
				d.log.Warn("outbox: prune failed", "err", err)
			}
		}
	}
}

// flight is what the loop has in flight.
type flight struct {
	keys  map[string]bool            // order keys being delivered
	busy  map[string]int             // deliveries per channel
	items map[int64]store.OutboxItem // by id
}

// start begins deliveries of due items while channels have room.
func (d *Dispatcher) start(f *flight) {
	for name := range d.deps.Channels {
		if room := d.cfg.Concurrency - f.busy[name]; room > 0 {
			d.startChannel(f, name, room)
		}
	}
}

// startChannel begins up to room deliveries of one channel: each channel
// is read on its own, so one whose receivers are slow never hides another's
// due items.
func (d *Dispatcher) startChannel(f *flight, channel string, room int) {
	due, err := d.deps.Store.DueOutbox(d.ctx, d.now(), channel, room, f.keys)
	if err != nil {
		if d.ctx.Err() == nil {
			d.log.Error("outbox: reading due items failed", "channel", channel, "err", err)
		}
		return
	}
	for _, it := range due {
		if f.keys[it.OrderKey] {
			continue
		}
		f.keys[it.OrderKey] = true
		f.busy[it.Channel]++
		f.items[it.ID] = it
		d.wg.Add(1)
		go d.deliver(it)
	}
}

// arm sets the timer to the next due time. Items already due but not
// started wait behind a delivery in flight (their key or their channel's
// room): its outcome wakes the loop, so they need no timer.
func (d *Dispatcher) arm(timer *time.Timer) {
	wait := time.Minute
	next, err := d.deps.Store.NextOutboxAttempt(d.ctx)
	if now := d.now(); err == nil && next.After(now) {
		wait = min(wait, next.Sub(now))
	}
	if !timer.Stop() {
		select {
		case <-timer.C:
		default:
		}
	}
	timer.Reset(wait)
}

// deliver runs one attempt and reports its outcome to the loop.
func (d *Dispatcher) deliver(it store.OutboxItem) {
	defer d.wg.Done()
	d.results <- d.attempt(it) // buffered for every delivery in flight
}

func (d *Dispatcher) attempt(it store.OutboxItem) store.OutboxResult {
	now := d.now()
	res := store.OutboxResult{ID: it.ID}
	if !now.Before(it.Deadline) {
		res.State, res.Error, res.At = store.OutboxFailed, "deadline passed before delivery", now
		if it.LastError != "" {
			res.Error += "; last error: " + it.LastError
		}
		return d.report(it, res)
	}
	ch := d.deps.Channels[it.Channel]
	var err error
	if ch == nil {
		err = permanent("no channel " + it.Channel + " is configured")
	} else {
		err = ch.Deliver(d.ctx, it)
	}
	now = d.now()
	res.At = now
	switch {
	case err == nil:
		res.State = store.OutboxDelivered
	case d.ctx.Err() != nil:
		res.State, res.Retry, res.Error = store.OutboxPending, now, "interrupted by shutdown"
	case isPermanent(err):
		res.State, res.Error = store.OutboxFailed, err.Error()
	default:
		retry := now.Add(d.backoff(it.Attempts, err))
		if retry.After(it.Deadline) {
			res.State, res.Error = store.OutboxFailed, "deadline passed: "+err.Error()
		} else {
			res.State, res.Retry, res.Error = store.OutboxPending, retry, err.Error()
		}
	}
	return d.report(it, res)
}

func (d *Dispatcher) report(it store.OutboxItem, res store.OutboxResult) store.OutboxResult {
	if res.State == store.OutboxFailed {
		d.log.Warn("outbox: delivery failed for good", "channel", it.Channel, "target", it.Target, "event", it.EventID, "err", res.Error)
	}
	return res
}

// backoff is MinBackoff * 2^attempts with +-20% jitter, capped at
// MaxBackoff, and at least the error's RetryAfter.
func (d *Dispatcher) backoff(attempts int, err error) time.Duration {
	b := d.cfg.MinBackoff << min(attempts, 30)
	if b <= 0 || b > d.cfg.MaxBackoff {
		b = d.cfg.MaxBackoff
	}
	b = time.Duration(float64(b) * (0.8 + 0.4*rand.Float64()))
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) && ra.RetryAfter() > b {
		b = ra.RetryAfter()
	}
	return b
}

// drain collects the outcomes of deliveries still running (cancelled).
func (d *Dispatcher) drain(n int, done *[]store.OutboxResult) {
	timeout := time.After(2 * time.Second)
	for len(*done) < n {
		select {
		case r := <-d.results:
			*done = append(*done, r)
		case <-timeout:
			return
		}
	}
}

// finish records outcomes (with a fresh context: even while closing) and
// frees their keys.
func (d *Dispatcher) finish(f *flight, done []store.OutboxResult) {
	if len(done) == 0 {
		return
	}
	if err := d.deps.Store.FinishOutbox(context.Background(), done); err != nil {
		d.log.Error("outbox: recording outcomes failed; the items will be sent again", "items", len(done), "err", err)
	}
	for _, r := range done {
		it := f.items[r.ID]
		delete(f.keys, it.OrderKey)
		f.busy[it.Channel]--
		delete(f.items, r.ID)
		if d.deps.Delivered != nil {
			d.deps.Delivered(it, r)
		}
	}
}

type permanentErr string

func (e permanentErr) Error() string { return string(e) }
func (permanentErr) Permanent() bool { return true }

func permanent(s string) error { return permanentErr(s) }

func isPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}
