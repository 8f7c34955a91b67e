package signaling

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Why the hub refuses new calls because of its store, as /healthz says it
// (its "reason").
const (
	// ReasonStoreFailing: call saves fail; they are kept and retried.
	ReasonStoreFailing = protocol.HealthStoreFailing
	// ReasonStoreUnreachable: the database (PostgreSQL) does not answer.
	ReasonStoreUnreachable = protocol.HealthStoreUnreachable
)

// storeHealth is why the store is degraded, from its two sources: call
// saves kept for retry (the call writer) and a database that does not
// answer (the store probe). Either refuses new calls; Degraded reports an
// unreachable database first, as the cause of failing saves.
type storeHealth struct {
	// onState hears every change between healthy and degraded (the
	// gauge), in order: it is called under mu and must not block.
	onState func(bool)

	// mu guards the details.
	mu          sync.Mutex
	failing     string // "call log writes failing: ..." ("" while saves land)
	unreachable string // "store unreachable: ..." ("" while it answers)
}

func newStoreHealth(onState func(bool)) *storeHealth {
	if onState == nil {
		onState = func(bool) {}
	}
	return &storeHealth{onState: onState}
}

// setFailing sets (or clears, "") the writer's detail; it reports whether
// it changed from clear to set or back.
func (s *storeHealth) setFailing(detail string) bool { return s.set(&s.failing, detail) }

// setUnreachable is setFailing for the probe's detail.
func (s *storeHealth) setUnreachable(detail string) bool { return s.set(&s.unreachable, detail) }

func (s *storeHealth) set(field *string, detail string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	was := s.failing != "" || s.unreachable != ""
	changed := (*field == "") != (detail == "")
	*field = detail
	if now := s.failing != "" || s.unreachable != ""; now != was {
		s.onState(now)
	}
	return changed
}

// degraded is the reason (ReasonStore*) and the detail (the store's own
// error), "" and "" while the store is healthy.
func (s *storeHealth) degraded() (reason, detail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.unreachable != "":
		return ReasonStoreUnreachable, s.unreachable
	case s.failing != "":
		return ReasonStoreFailing, s.failing
	}
	return "", ""
}

// Store probe timing: a ping every probeEvery while the database answers,
// every probeRetry while it does not; each attempt waits at most
// probeTimeout.
const (
	probeEvery   = 5 * time.Second
	probeRetry   = time.Second
	probeTimeout = 3 * time.Second
)

// storeProbe pings a database that is a server of its own (PostgreSQL)
// every probeEvery, and at once when a read found it unavailable (check).
// A database that does not answer makes the hub degraded (reason
// store_unreachable: one ERROR, the gauge, /healthz degraded) until a ping
// answers again (one INFO). One ping runs at a time, on a goroutine of
// its own, so that a database that hangs holds neither the hub loop nor
// the call writer. A nil *storeProbe (SQLite: nothing to reach) does nothing.
type storeProbe struct {
	ping   func(context.Context) error
	health *storeHealth
	log    *slog.Logger
	clock  Clock
	ctx    context.Context // cancelled by stop: a ping in flight ends
	cancel context.CancelFunc
	wg     sync.WaitGroup // the ping in flight

	// mu guards the fields below.
	mu      sync.Mutex
	timer   Timer // the next ping
	busy    bool  // a ping is in flight
	down    bool  // the last ping failed
	stopped bool
}

func newStoreProbe(ping func(context.Context) error, health *storeHealth, log *slog.Logger, clock Clock) *storeProbe {
	if ping == nil {
		return nil
	}
	p := &storeProbe{ping: ping, health: health, log: log, clock: clock}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.mu.Lock()
	p.timer = clock.AfterFunc(probeEvery, p.start)
	p.mu.Unlock()
	return p
}

// check pings the database now (unless a ping is in flight): a read found
// it unavailable, and /healthz should say so at once, not at the next ping.
func (p *storeProbe) check() {
	if p != nil {
		p.start()
	}
}

// start runs a ping on its own goroutine, unless one is in flight.
func (p *storeProbe) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped || p.busy {
		return
	}
	p.busy = true
	p.timer.Stop()
	p.wg.Add(1)
	go p.run()
}

func (p *storeProbe) run() {
	defer p.wg.Done()
	err := p.pingTwice()
	p.mu.Lock()
	stopped, was := p.stopped, p.down
	p.mu.Unlock()
	if stopped {
		return
	}
	// Still busy: no other ping changes the state before this one has.
	switch {
	case err != nil && !was:
		p.health.setUnreachable("store unreachable: " + err.Error())
		p.log.Error("the store cannot be reached; refusing new calls until it answers (calls in progress go on, their saves are kept and retried)",
			"err", err)
	case err == nil && was:
		p.health.setUnreachable("")
		p.log.Info("the store is reachable again")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.busy, p.down = false, err != nil
	if p.stopped {
		return
	}
	next := probeEvery
	if p.down {
		next = probeRetry
	}
	p.timer = p.clock.AfterFunc(next, p.start)
}

// pingTwice pings, and once more when that failed: the first may have
// taken a pooled connection that a database restart closed.
func (p *storeProbe) pingTwice() error {
	var err error
	for range 2 {
		ctx, cancel := context.WithTimeout(p.ctx, probeTimeout)
		err = p.ping(ctx)
		cancel()
		if err == nil || p.ctx.Err() != nil {
			return err
		}
	}
	return err
}

// stop stops the pings and waits for one in flight (cancelled).
func (p *storeProbe) stop() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.stopped = true
	p.timer.Stop()
	p.mu.Unlock()
	p.cancel()
	p.wg.Wait()
}
