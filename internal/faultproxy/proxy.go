// Package faultproxy is a TCP front on 127.0.0.1 of a local server (Redis,
// PostgreSQL) that tests can make drop out or hang: a network fault
// between a node and its engine, without stopping the engine.
package faultproxy

import (
	"bytes"
	"net"
	"sync"
	"testing"
	"time"
)

// Proxy forwards each connection to the server until told otherwise.
type Proxy struct {
	ln            net.Listener
	network, addr string
	// Fired receives once when a CutOn cut happened.
	Fired chan struct{}

	// mu guards the fields below.
	mu      sync.Mutex
	conns   []net.Conn
	downTil time.Time
	trigger []byte
	down    time.Duration
	stalled bool
}

// New starts a proxy to the server at network/addr ("unix" and a socket
// path, or "tcp" and host:port); it stops with the test.
func New(tb testing.TB, network, addr string) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{ln: ln, network: network, addr: addr, Fired: make(chan struct{}, 1)}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); p.accept(&wg) }()
	tb.Cleanup(func() { _ = ln.Close(); p.Stall(false); p.Cut(0); wg.Wait() })
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// CutOn cuts every connection for d as soon as a client sends s (s does
// not reach the server).
func (p *Proxy) CutOn(s string, d time.Duration) {
	p.mu.Lock()
	p.trigger, p.down = []byte(s), d
	p.mu.Unlock()
}

// Stall holds all traffic (on) or lets it go again.
func (p *Proxy) Stall(on bool) { p.mu.Lock(); p.stalled = on; p.mu.Unlock() }

// Cut closes every connection and refuses new ones for d.
func (p *Proxy) Cut(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.downTil = time.Now().Add(d)
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

func (p *Proxy) accept(wg *sync.WaitGroup) {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if time.Now().Before(p.downTil) {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		b, err := net.Dial(p.network, p.addr)
		if err != nil {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.conns = append(p.conns, c, b)
		p.mu.Unlock()
		wg.Add(2)
		go func() { defer wg.Done(); p.pipe(c, b, true) }()
		go func() { defer wg.Done(); p.pipe(b, c, false) }()
	}
}

func (p *Proxy) pipe(from, to net.Conn, watch bool) {
	defer func() { _ = from.Close(); _ = to.Close() }()
	buf := make([]byte, 64<<10)
	for {
		n, err := from.Read(buf)
		p.mu.Lock()
		hit := watch && n > 0 && len(p.trigger) > 0 && bytes.Contains(buf[:n], p.trigger)
		if hit {
			p.trigger = nil
		}
		for p.stalled {
			p.mu.Unlock()
			time.Sleep(5 * time.Millisecond) // polling a test's switch
			p.mu.Lock()
		}
		d := p.down
		p.mu.Unlock()
		if hit {
			p.Cut(d)
			p.Fired <- struct{}{}
			return
		}
		if n > 0 {
			if _, err := to.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
