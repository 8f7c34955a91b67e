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
	// Delivered, if set, is called after each outcome is recorded (metrics, benchmarks).
	Delivered func(it store.OutboxItem, res store.OutboxResult)
}

// Dispatcher owns the outbox's writer and delivery loop.
type Dispatcher struct {
	cfg  Config
	deps Deps
	log  *slog.Logger
	now  func() time.Time

	// mu guards queue and closed.
	mu     sync.Mutex
	queue  []store.OutboxItem
	closed bool

	queued  chan struct{} // a signal: queue is not empty
	wake    chan struct{} // a signal: items were stored or finished
	results chan store.OutboxResult
	ctx     context.Context // cancelled by Close: deliveries in flight stop
	cancel  context.CancelFunc
	stop    chan struct{}
	wg      sync.WaitGroup // writer, loop, deliveries
	flushed chan struct{}  // closed when the writer has stored its last batch
}

// maxQueued bounds items waiting for the writer (the store is stuck beyond).
const maxQueued = 100_000

// New starts the Dispatcher.
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
	d := &Dispatcher{cfg: cfg, deps: deps, log: deps.Log, now: deps.Now,
		queued: make(chan struct{}, 1), wake: make(chan struct{}, 1),
		stop: make(chan struct{}), flushed: make(chan struct{})}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if d.now == nil {
		d.now = time.Now
	}
	// Room for every delivery that can be in flight: a delivery never waits to report.
	d.results = make(chan store.OutboxResult, cfg.Concurrency*(len(deps.Channels)+1))
	d.ctx, d.cancel = context.WithCancel(context.Background())
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
	d.queue = append(d.queue, items...)
	d.mu.Unlock()
	signal(d.queued)
}

// Wake makes the loop look for due items now (after a replay).
func (d *Dispatcher) Wake() { signal(d.wake) }

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// writer stores queued items in batches until Close, then stores the rest.
func (d *Dispatcher) writer() {
	defer d.wg.Done()
	defer close(d.flushed)
	for {
		select {
		case <-d.queued:
		case <-d.stop:
			d.store()
			return
		}
		d.store()
	}
}

func (d *Dispatcher) store() {
	d.mu.Lock()
	batch := d.queue
	d.queue = nil
	d.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	// Not d.ctx: a batch taken must land even while closing.
	for attempt := 0; ; attempt++ {
		err := d.deps.Store.EnqueueOutbox(context.Background(), batch)
		if err == nil {
			break
		}
		if errors.Is(err, store.ErrInvalid) || attempt == 2 {
			d.log.Error("outbox: storing items failed; they are lost", "items", len(batch), "err", err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	signal(d.wake)
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
	return nil
}
