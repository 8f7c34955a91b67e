package netlab

import (
	"container/heap"
	"errors"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// Impairment is what a Relay does to each datagram, in both directions.
type Impairment struct {
	// Loss is the probability (0..1) that a datagram is dropped.
	Loss float64
	// Delay is the base one-way delay.
	Delay time.Duration
	// Jitter adds a uniform random [0, Jitter) per datagram on top of
	// Delay; datagrams may overtake each other (as with netem's jitter).
	Jitter time.Duration
	// Seed makes the drops and delays reproducible.
	Seed uint64
}

// RelayStats counts datagrams.
type RelayStats struct {
	Forwarded, Dropped uint64
}

// Relay forwards UDP datagrams arriving at Addr to a target, and the
// target's replies back to each sender (one upstream socket per sender, a
// symmetric NAT), applying an Impairment. It lives in one namespace,
// usually one plugged into two LANs.
type Relay struct {
	ns     *Namespace
	listen *net.UDPConn
	target netip.AddrPort
	out    *scheduler
	wg     sync.WaitGroup

	// mu guards everything below.
	mu     sync.Mutex
	imp    Impairment
	rng    *rand.Rand
	byIP   map[netip.Addr]Impairment // per client address (SetFor), over imp
	flows  map[netip.AddrPort]*net.UDPConn
	stats  RelayStats
	closed bool
}

// NewRelay starts a relay in ns listening on listen and forwarding to
// target. It is closed at cleanup.
func NewRelay(t testing.TB, ns *Namespace, listen, target netip.AddrPort, imp Impairment) *Relay {
	t.Helper()
	c, err := ns.ListenUDP(net.UDPAddrFromAddrPort(listen))
	if err != nil {
		t.Fatal(err)
	}
	r := &Relay{ns: ns, listen: c, target: target, out: newScheduler(), flows: map[netip.AddrPort]*net.UDPConn{}, byIP: map[netip.Addr]Impairment{}}
	r.Set(imp)
	r.wg.Add(1)
	go r.fromClients()
	t.Cleanup(r.Close)
	return r
}

// Addr is where clients send (announce it instead of the target).
func (r *Relay) Addr() netip.AddrPort {
	return r.listen.LocalAddr().(*net.UDPAddr).AddrPort()
}

// Set changes the impairment (and reseeds) while the relay runs: Loss 1
// blackholes the path.
func (r *Relay) Set(imp Impairment) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.imp = imp
	r.rng = rand.New(rand.NewPCG(imp.Seed, imp.Seed^0x9e3779b97f4a7c15))
}

// SetFor impairs the datagrams of one client address (both ways) with imp
// instead of the relay's own impairment; the others keep that one. The
// random sequence stays the relay's (seeded by Set).
func (r *Relay) SetFor(client netip.Addr, imp Impairment) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byIP[client] = imp
}

// Stats returns the counters so far.
func (r *Relay) Stats() RelayStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// Close stops the relay and closes its sockets.
func (r *Relay) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	_ = r.listen.Close()
	for _, c := range r.flows {
		_ = c.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
	r.out.close()
}

// decide returns whether to drop a datagram of client and otherwise its
// delay.
func (r *Relay) decide(client netip.AddrPort) (drop bool, delay time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	imp, ok := r.byIP[client.Addr()]
	if !ok {
		imp = r.imp
	}
	if imp.Loss > 0 && r.rng.Float64() < imp.Loss {
		r.stats.Dropped++
		return true, 0
	}
	r.stats.Forwarded++
	delay = imp.Delay
	if imp.Jitter > 0 {
		delay += time.Duration(r.rng.Int64N(int64(imp.Jitter)))
	}
	return false, delay
}

func (r *Relay) fromClients() {
	defer r.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, src, err := r.listen.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		up, err := r.flow(src)
		if err != nil || up == nil {
			continue
		}
		if drop, d := r.decide(src); !drop {
			r.out.send(d, func(p []byte) { _, _ = up.Write(p) }, buf[:n])
		}
	}
}

// flow returns the upstream socket of src, opening it (and its reader) on
// the first datagram.
func (r *Relay) flow(src netip.AddrPort) (*net.UDPConn, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, net.ErrClosed
	}
	if c := r.flows[src]; c != nil {
		return c, nil
	}
	var c *net.UDPConn
	err := r.ns.Do(func() error {
		var err error
		c, err = net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(r.target))
		return err
	})
	if err != nil {
		return nil, err
	}
	r.flows[src] = c
	r.wg.Add(1)
	go r.fromTarget(c, src)
	return c, nil
}

func (r *Relay) fromTarget(up *net.UDPConn, client netip.AddrPort) {
	defer r.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, err := up.Read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // ICMP errors (port unreachable) on a connected socket
		}
		if drop, d := r.decide(client); !drop {
			r.out.send(d, func(p []byte) { _, _ = r.listen.WriteToUDPAddrPort(p, client) }, buf[:n])
		}
	}
}

// scheduler sends datagrams when they are due, from one goroutine.
type scheduler struct {
	wake chan struct{}
	stop chan struct{}
	done chan struct{}

	// mu guards q and seq (which orders datagrams due at the same time).
	mu  sync.Mutex
	q   dueQueue
	seq uint64
}

type dueItem struct {
	at   time.Time
	seq  uint64
	send func([]byte)
	p    []byte
}

type dueQueue []dueItem

func (q dueQueue) Len() int { return len(q) }
func (q dueQueue) Less(i, j int) bool {
	if q[i].at.Equal(q[j].at) {
		return q[i].seq < q[j].seq
	}
	return q[i].at.Before(q[j].at)
}
func (q dueQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *dueQueue) Push(x any)   { *q = append(*q, x.(dueItem)) }
func (q *dueQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

func newScheduler() *scheduler {
	s := &scheduler{wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

// send sends p (copied) after d; d == 0 sends now on the caller.
func (s *scheduler) send(d time.Duration, send func([]byte), p []byte) {
	if d <= 0 {
		send(p)
		return
	}
	s.mu.Lock()
	s.seq++
	heap.Push(&s.q, dueItem{at: time.Now().Add(d), seq: s.seq, send: send, p: append([]byte(nil), p...)})
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *scheduler) loop() {
	defer close(s.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		wait := s.flush()
		timer.Reset(wait)
		select {
		case <-s.stop:
			return
		case <-s.wake:
		case <-timer.C:
		}
	}
}

// flush sends what is due and returns how long until the next.
func (s *scheduler) flush() time.Duration {
	for {
		s.mu.Lock()
		if len(s.q) == 0 {
			s.mu.Unlock()
			return time.Hour
		}
		if wait := time.Until(s.q[0].at); wait > 0 {
			s.mu.Unlock()
			return wait
		}
		it := heap.Pop(&s.q).(dueItem)
		s.mu.Unlock()
		it.send(it.p)
	}
}

func (s *scheduler) close() {
	close(s.stop)
	<-s.done
}
