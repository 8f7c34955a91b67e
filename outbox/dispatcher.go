package outbox

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// Channel delivers items of one channel. An error with a Permanent() bool
// method returning true is not retried; one with RetryAfter() time.Duration
// sets the earliest retry.
type Channel interface {
	Deliver(ctx context.Context, it store.OutboxItem) error
}

// Config tunes delivery.
type Config struct {
	// Concurrency is how many deliveries of one channel run at once.
	Concurrency int `yaml:"concurrency"`
	// MinBackoff and MaxBackoff bound the wait between attempts.
	MinBackoff time.Duration `yaml:"min_backoff"`
	MaxBackoff time.Duration `yaml:"max_backoff"`
	// Retention is how long delivered and failed items are kept.
	Retention time.Duration `yaml:"retention"`
	// SweepEvery is how often the loop looks in the store for pending
	// items no live node holds (a node that stopped left them) and takes
	// them over (0: 30 s). StaleAfter is how long past its due time such
	// an item must be when the live nodes cannot be told (0: 1 min); an
	// attempt is cut off after StaleAfter/2, so a live node's item is
	// never that late unless its channel is saturated. Resettle is how
	// soon the next sweep comes, once, after one that could not read the
	// live nodes (a cluster node's first seconds; 0: 10 s, above the 8 s a
	// node takes to settle by default). Not in the YAML (yet): the example
	// config documents every key.
	SweepEvery time.Duration `yaml:"-"`
	StaleAfter time.Duration `yaml:"-"`
	Resettle   time.Duration `yaml:"-"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{Concurrency: 32, MinBackoff: time.Second, MaxBackoff: 10 * time.Minute, Retention: 7 * 24 * time.Hour,
		SweepEvery: 30 * time.Second, StaleAfter: time.Minute, Resettle: 10 * time.Second}
}

// Deps are the Dispatcher's collaborators.
type Deps struct {
	Store    store.Store
	Channels map[string]Channel
	Log      *slog.Logger     // nil: discard
	Now      func() time.Time // nil: time.Now
	// Delivered, if set, is called on the loop after each outcome (its
	// store record may still be on its way: see recorder); it must not
	// block (metrics, benchmarks).
	Delivered func(it store.OutboxItem, res store.OutboxResult)
	// MemoryItems bounds the pending items held in memory (0: 20,000);
	// beyond, they wait in the store and are read back in id order.
	MemoryItems int
	// Node names this node in a cluster ("" alone): the items it stores
	// and replays are its own, and its start reads back only its own.
	Node string
	// LiveNodes, in a cluster, lists the nodes alive now; a sweep takes
	// over at once the items of a node not among them. An error (the
	// cluster's state cannot be read, or is settling) leaves only the
	// StaleAfter rule. Nil: no node but this one is alive.
	LiveNodes func(ctx context.Context) (map[string]bool, error)
}

// Dispatcher owns the outbox's writer and delivery loop.
type Dispatcher struct {
	cfg  Config
	deps Deps
	log  *slog.Logger
	now  func() time.Time

	// storing is held from taking a batch of the queue until it is stored
	// and handed to the loop (by the writer, or by the committer between
	// TakeOutbox and OutboxStored), so batches get their ids, and reach
	// the loop, in the order they were queued.
	storing sync.Mutex

	// mu guards the fields up to ready.
	mu     sync.Mutex
	queue  []store.OutboxItem // to store, oldest first: kept after a failure, then newer
	since  time.Time          // when the oldest queued item was queued
	closed bool
	// maxQueued bounds queue (maxQueued; tests change it); beyond, the
	// oldest go, counted in dropped until the writer logs them.
	maxQueued int
	dropped   int
	// handoff is how long queued items wait for the committer (handoffWait;
	// tests change it)
	handoff time.Duration
	ready   func() // the committer's: items are queued (nil: the writer stores them)

	queued  chan struct{}           // a signal: queue is not empty
	stored  chan []store.OutboxItem // writer -> loop: items now in the store, in id order
	replays chan store.OutboxItem   // Replay -> loop
	swept   chan sweepResult        // a sweep -> loop
	idle    chan chan bool          // Settle -> loop: is nothing due now?
	results chan store.OutboxResult // deliveries -> loop
	ctx     context.Context         // cancelled by Close: deliveries in flight stop
	cancel  context.CancelFunc
	stop    chan struct{}
	wg      sync.WaitGroup // writer, loop, deliveries, sweeps
	rec     *recorder      // writes outcomes; closed after the loop
}

// maxQueued bounds the items waiting to be stored (the store is failing,
// or stuck, beyond): the oldest are dropped.
const maxQueued = 100_000

// A batch the store refused is kept (at the head of the queue) and tried
// again after retryMin, doubling up to retryMax, until it is stored; at
// Close, one last attempt of at most closeAttempt.
const (
	retryMin     = 50 * time.Millisecond
	retryMax     = 2 * time.Second
	closeAttempt = 3 * time.Second
)

// New starts the Dispatcher. Items a previous run left pending are loaded
// from the store and delivered.
func New(cfg Config, deps Deps) (*Dispatcher, error) {
	if deps.Store == nil {
		return nil, errors.New("outbox: Deps.Store is required")
	}
	def := DefaultConfig()
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = def.Concurrency
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = def.MinBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	if cfg.Retention <= 0 {
		cfg.Retention = def.Retention
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = def.SweepEvery
	}
	if cfg.StaleAfter <= 0 {
		cfg.StaleAfter = def.StaleAfter
	}
	if cfg.Resettle <= 0 {
		cfg.Resettle = def.Resettle
	}
	if deps.MemoryItems <= 0 {
		deps.MemoryItems = 20_000
	}
	d := &Dispatcher{cfg: cfg, deps: deps, log: deps.Log, now: deps.Now, handoff: handoffWait, maxQueued: maxQueued,
		queued: make(chan struct{}, 1), stored: make(chan []store.OutboxItem, 64),
		replays: make(chan store.OutboxItem, 16), swept: make(chan sweepResult, 1), idle: make(chan chan bool),
		stop: make(chan struct{})}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if d.now == nil {
		d.now = time.Now
	}
	// Room for every delivery that can be in flight: a delivery never waits to report.
	d.results = make(chan store.OutboxResult, cfg.Concurrency*(len(deps.Channels)+1))
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.rec = newRecorder(deps.Store, d.log)
	d.wg.Add(2)
	go d.writer()
	go d.loop()
	return d, nil
}

// Enqueue hands items to the writer and returns at once. After Close the
// items are dropped (and logged); beyond maxQueued waiting to be stored,
// the oldest are (logged by the writer).
func (d *Dispatcher) Enqueue(items ...store.OutboxItem) {
	if len(items) == 0 {
		return
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		d.log.Error("outbox: items dropped after close", "items", len(items))
		return
	}
	if len(d.queue) == 0 {
		d.since = time.Now()
	}
	n := len(d.queue)
	d.queue = append(d.queue, items...)
	for i := n; i < len(d.queue); i++ {
		d.queue[i].Node = d.deps.Node
	}
	d.boundUnlocked()
	ready := d.ready
	d.mu.Unlock()
	if ready != nil {
		ready()
	}
	d.signal()
}

func (d *Dispatcher) signal() {
	select {
	case d.queued <- struct{}{}:
	default:
	}
}

// Replay makes a delivered or failed item pending again (retried until
// deadline) and delivers it (this node does, whichever stored it).
func (d *Dispatcher) Replay(ctx context.Context, id int64, deadline time.Time) (store.OutboxItem, error) {
	it, err := d.deps.Store.ReplayOutbox(ctx, id, deadline, d.deps.Node)
	if err != nil {
		return it, err
	}
	select {
	case d.replays <- it:
	case <-d.stop: // the next start loads it
	case <-ctx.Done():
	}
	return it, nil
}

// writer stores queued items in batches until Close, then stores the rest,
// and hands what it stored to the loop. While a committer is set it leaves
// them to the committer, and stores only what waited handoffWait for it.
// While the store fails, it tries again only when the backoff has passed
// (the committer may store the kept items meanwhile).
func (d *Dispatcher) writer() {
	defer d.wg.Done()
	wait := time.NewTimer(time.Hour)
	defer wait.Stop()
	var backoff time.Duration // > 0: the store failed; wait fires for the next attempt
	for {
		select {
		case <-d.queued:
			if backoff > 0 {
				continue
			}
		case <-wait.C:
		case <-d.stop:
			d.closeWriter()
			return
		}
		if backoff == 0 {
			if left := d.handedOff(); left > 0 {
				wait.Reset(left)
				continue
			}
		}
		if backoff = d.retry(backoff); backoff > 0 {
			wait.Reset(backoff)
		}
	}
}

// handedOff returns how long queued items may still wait for the
// committer (0: the writer stores them now).
func (d *Dispatcher) handedOff() time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ready == nil || len(d.queue) == 0 {
		return 0
	}
	return max(d.handoff-time.Since(d.since), 0)
}

// retry stores what is queued and returns the wait before the next attempt
// (0: nothing is kept), given the last one (0: the store took the last
// batch).
func (d *Dispatcher) retry(backoff time.Duration) time.Duration {
	kept, err := d.store(d.ctx)
	switch {
	case err == nil:
		if backoff > 0 {
			d.log.Info("outbox: the store takes items again; the kept ones are stored")
		}
		return 0
	case d.ctx.Err() != nil: // closing: closeWriter makes the last attempt
	case backoff == 0:
		d.log.Error("outbox: storing items failed; keeping them in memory and retrying", "items", kept, "err", err)
	}
	return min(max(2*backoff, retryMin), retryMax)
}

// closeWriter makes one last attempt, of at most closeAttempt, to store
// what is queued, kept ones included, and logs what is lost.
func (d *Dispatcher) closeWriter() {
	ctx, cancel := context.WithTimeout(context.Background(), closeAttempt)
	defer cancel()
	if kept, err := d.store(ctx); err != nil {
		d.mu.Lock()
		d.queue = nil
		d.mu.Unlock()
		d.log.Error("outbox: storing items failed at close; they are lost", "items", kept, "err", err)
	}
	d.logDropped()
}

// store stores the queued items in one transaction and hands them to the
// loop. If the store fails they go back to the head of the queue, before
// anything queued since, and kept says how many items wait there now.
// Items the store refuses as invalid can never be stored: they are dropped
// (and logged), the others stored.
func (d *Dispatcher) store(ctx context.Context) (kept int, err error) {
	d.storing.Lock()
	defer d.storing.Unlock()
	d.logDropped()
	d.mu.Lock()
	batch := d.queue
	d.queue = nil
	d.mu.Unlock()
	if len(batch) == 0 {
		return 0, nil
	}
	stored, err := d.deps.Store.EnqueueOutbox(ctx, batch)
	rest := batch
	switch {
	case errors.Is(err, store.ErrInvalid):
		stored, rest, err = d.storeEach(ctx, batch)
	case err == nil:
		rest = nil
	}
	d.handOver(stored)
	if err != nil {
		return d.keep(rest), err
	}
	return 0, nil
}

// storeEach stores batch one item at a time after the store refused it as
// invalid: invalid items are dropped and logged. On another error it
// returns the items not stored yet.
func (d *Dispatcher) storeEach(ctx context.Context, batch []store.OutboxItem) (stored, rest []store.OutboxItem, err error) {
	for i, it := range batch {
		one, err := d.deps.Store.EnqueueOutbox(ctx, batch[i:i+1])
		switch {
		case errors.Is(err, store.ErrInvalid):
			d.log.Error("outbox: an invalid item cannot be stored; it is lost", "channel", it.Channel, "event", it.EventID, "err", err)
		case err != nil:
			return stored, batch[i:], err
		default:
			stored = append(stored, one...)
		}
	}
	return stored, nil, nil
}

// keep puts items the store did not take back at the head of the queue and
// returns how many wait there now.
func (d *Dispatcher) keep(items []store.OutboxItem) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.queue = append(items, d.queue...)
	d.boundUnlocked()
	return len(d.queue)
}

// boundUnlocked drops the oldest queued items beyond maxQueued. d.mu is held.
func (d *Dispatcher) boundUnlocked() {
	if over := len(d.queue) - d.maxQueued; over > 0 {
		clear(d.queue[:over])
		d.queue = d.queue[over:]
		d.dropped += over
	}
}

// logDropped logs the items dropped by the bound since it last did.
func (d *Dispatcher) logDropped() {
	d.mu.Lock()
	n := d.dropped
	d.dropped = 0
	d.mu.Unlock()
	if n > 0 {
		d.log.Error("outbox: too many items wait to be stored; the oldest are lost", "items", n, "bound", d.maxQueued)
	}
}

// handOver gives the loop items now in the store.
func (d *Dispatcher) handOver(stored []store.OutboxItem) {
	if len(stored) == 0 {
		return
	}
	select {
	case d.stored <- stored:
	case <-d.stop: // stored: the next start delivers them
	}
}

// Settle waits, until ctx ends, for the items enqueued so far that are due
// now: until each is stored and delivered, failed, or waiting for a retry
// later. A node that stops calls it before Close, so that the events of its
// last calls (the ends its shutdown gave them) leave with it rather than at
// its next start, which a node retired for good never has.
func (d *Dispatcher) Settle(ctx context.Context) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !d.settled(ctx) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.stop:
			return errors.New("outbox: closed")
		case <-tick.C:
		}
	}
	return nil
}

// settled reports whether nothing enqueued is waiting to be stored and the
// loop has nothing due now.
func (d *Dispatcher) settled(ctx context.Context) bool {
	d.mu.Lock()
	queued := len(d.queue)
	d.mu.Unlock()
	if queued > 0 || len(d.stored) > 0 || !d.storing.TryLock() {
		return false
	}
	d.storing.Unlock()
	ask := make(chan bool, 1)
	select {
	case d.idle <- ask:
	case <-ctx.Done():
		return false
	case <-d.stop:
		return false
	}
	return <-ask
}

// Close stops the writer (storing what was queued) and the loop; deliveries
// in flight are cancelled and stay pending for the next start.
func (d *Dispatcher) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	d.mu.Unlock()
	close(d.stop)
	d.cancel()
	d.wg.Wait()
	d.rec.close() // after the loop: its last outcomes are queued
	return nil
}
