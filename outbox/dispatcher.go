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
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{Concurrency: 32, MinBackoff: time.Second, MaxBackoff: 10 * time.Minute, Retention: 7 * 24 * time.Hour}
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
	queue  []store.OutboxItem
	since  time.Time // when the oldest queued item was queued
	closed bool
	// handoff is how long queued items wait for the committer (handoffWait;
	// tests change it)
	handoff time.Duration
	ready   func() // the committer's: items are queued (nil: the writer stores them)

	queued  chan struct{}           // a signal: queue is not empty
	stored  chan []store.OutboxItem // writer -> loop: items now in the store, in id order
	replays chan store.OutboxItem   // Replay -> loop
	results chan store.OutboxResult // deliveries -> loop
	ctx     context.Context         // cancelled by Close: deliveries in flight stop
	cancel  context.CancelFunc
	stop    chan struct{}
	wg      sync.WaitGroup // writer, loop, deliveries
	rec     *recorder      // writes outcomes; closed after the loop
}

// maxQueued bounds items waiting for the writer (the store is stuck beyond).
const maxQueued = 100_000

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
	if deps.MemoryItems <= 0 {
		deps.MemoryItems = 20_000
	}
	d := &Dispatcher{cfg: cfg, deps: deps, log: deps.Log, now: deps.Now, handoff: handoffWait,
		queued: make(chan struct{}, 1), stored: make(chan []store.OutboxItem, 64),
		replays: make(chan store.OutboxItem, 16), stop: make(chan struct{})}
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
// items are dropped (and logged).
func (d *Dispatcher) Enqueue(items ...store.OutboxItem) {
	if len(items) == 0 {
		return
	}
	d.mu.Lock()
	if d.closed || len(d.queue)+len(items) > maxQueued {
		closed := d.closed
		d.mu.Unlock()
		d.log.Error("outbox: items dropped", "items", len(items), "closed", closed)
		return
	}
	if len(d.queue) == 0 {
		d.since = time.Now()
	}
	d.queue = append(d.queue, items...)
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
// deadline) and delivers it.
func (d *Dispatcher) Replay(ctx context.Context, id int64, deadline time.Time) (store.OutboxItem, error) {
	it, err := d.deps.Store.ReplayOutbox(ctx, id, deadline)
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
func (d *Dispatcher) writer() {
	defer d.wg.Done()
	wait := time.NewTimer(time.Hour)
	defer wait.Stop()
	for {
		select {
		case <-d.queued:
		case <-wait.C:
		case <-d.stop:
			d.store()
			return
		}
		if left := d.handedOff(); left > 0 {
			wait.Reset(left)
			continue
		}
		d.store()
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

func (d *Dispatcher) store() {
	d.storing.Lock()
	defer d.storing.Unlock()
	d.mu.Lock()
	batch := d.queue
	d.queue = nil
	d.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	var stored []store.OutboxItem
	var err error
	for attempt := 0; ; attempt++ {
		// Not d.ctx: a batch taken must land even while closing.
		if stored, err = d.deps.Store.EnqueueOutbox(context.Background(), batch); err == nil {
			break
		}
		if errors.Is(err, store.ErrInvalid) || attempt == 2 {
			d.log.Error("outbox: storing items failed; they are lost", "items", len(batch), "err", err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.handOver(stored)
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
