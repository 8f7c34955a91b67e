package sfu

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/logging"
)

// hostRescanEvery is how often the host's addresses are listed again when
// media binds all interfaces (media.bind_address "").
const hostRescanEvery = 3 * time.Second

// hostMux is the ICE UDP mux when media binds all interfaces: one socket per
// local address, all on one port, as Pion's MultiUDPMuxDefault, except that
//   - an address that cannot be bound (EADDRNOTAVAIL: a tentative IPv6
//     address still in duplicate address detection, as on an interface that
//     just came up, or an address being removed) is skipped with a debug log
//     instead of failing the start;
//   - every hostRescanEvery the addresses are listed again: those that
//     appeared or became usable are bound, those that went away are closed.
//
// Sockets bound after the start are written to directly (not in the
// writers' GSO batches).
//
// Concurrency: mu guards port, byAddr and closed; methods copy under it and call
// the per-socket muxes after unlocking. Close stops the rescan goroutine.
type hostMux struct {
	keep   func(iface net.Interface, ip netip.Addr) bool
	logger logging.LeveledLogger
	log    *slog.Logger
	buffer int // media.socket_buffer
	// arrivals is told when RTP reaches a socket (nil: not measured).
	arrivals *arrivalTable
	taps     *mediaTaps // take subscribers' RTCP and publishers' RTP (nil: none)
	only     *hostOnly  // media.local_only: every socket takes this host's datagrams only (nil: any)
	stop     chan struct{}
	done     chan struct{}
	// initial are the sockets bound by newHostMux (for the writers' batches).
	initial batchConns

	// mu guards port, byAddr and closed.
	mu     sync.Mutex
	port   int                   // 0 until the first socket is bound on a free port
	byAddr map[string]ice.UDPMux // by the socket's address (ip%zone:port)
	closed bool
}

// newHostMux binds port (0: a free port, then the same one on every
// address) on every address cfg allows. Only a port that cannot be bound
// for another reason than an unusable address fails.
func newHostMux(cfg Config, logger logging.LeveledLogger, log *slog.Logger, arrivals *arrivalTable, taps *mediaTaps, only *hostOnly) (*hostMux, error) {
	m := &hostMux{arrivals: arrivals, taps: taps, only: only, port: max(cfg.UDPPort, 0), keep: hostAddrFilter(cfg), logger: logger, log: log, buffer: cfg.SocketBuffer,
		stop: make(chan struct{}), done: make(chan struct{}), byAddr: map[string]ice.UDPMux{}}
	addrs, err := m.hostAddrs()
	if err != nil {
		return nil, fmt.Errorf("%w: listing interfaces: %v", ErrListen, err)
	}
	for _, a := range addrs {
		bc, err := m.bind(a)
		if err != nil {
			_ = m.closeMuxes()
			return nil, fmt.Errorf("%w: media.udp_port %d on %s: %w", ErrListen, cfg.UDPPort, a, err)
		}
		if bc != nil {
			m.initial = append(m.initial, bc)
		}
	}
	if len(m.initial) == 0 {
		log.Warn("media: no address could be bound yet; retrying every few seconds", "udp_port", cfg.UDPPort, "addresses", len(addrs))
	}
	go m.rescanLoop()
	return m, nil
}

// bind binds one address and adds its mux; nil, nil when the address cannot
// be used now (logged at debug).
func (m *hostMux) bind(a netip.Addr) (*batchConn, error) {
	ua := net.UDPAddrFromAddrPort(netip.AddrPortFrom(a, uint16(m.Port())))
	c, err := net.ListenUDP("udp", ua)
	if errors.Is(err, syscall.EADDRNOTAVAIL) {
		m.log.Debug("media: skipping an address that cannot be bound yet (retried every few seconds)", "addr", ua.String(), "err", err)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	tuneSocket(c, m.buffer, m.log)
	local := c.LocalAddr().(*net.UDPAddr)
	bc := newBatchConn(c, m.arrivals, m.taps)
	var pc net.PacketConn = bc
	if m.only != nil {
		pc = newHostOnlyConn(bc, m.only)
	}
	mux := ice.NewUDPMuxDefault(ice.UDPMuxParams{UDPConn: pc, Logger: m.logger})
	m.mu.Lock()
	if m.port == 0 {
		m.port = local.Port
	}
	m.byAddr[local.String()] = mux
	m.mu.Unlock()
	return bc, nil
}

// Port is the UDP port of every socket (0 while none is bound on a free port).
func (m *hostMux) Port() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.port
}

// hostAddrs lists the addresses to bind, zoned for IPv6 link-local ones.
func (m *hostMux) hostAddrs() ([]netip.Addr, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, iface := range ifaces {
		addrs, err := iface.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			pfx, err := netip.ParsePrefix(a.String())
			if err != nil {
				continue
			}
			ip := pfx.Addr().Unmap()
			if ip.Is6() && ip.IsLinkLocalUnicast() {
				ip = ip.WithZone(iface.Name)
			}
			if m.keep(iface, ip) {
				out = append(out, ip)
			}
		}
	}
	return out, nil
}

// hostAddrFilter keeps what Pion's MultiUDPMux would: interfaces that are
// up, loopback only with include_loopback, cfg's interface and IP filters,
// no IPv4-compatible or site-local IPv6 (RFC 8445 5.1.1.1).
func hostAddrFilter(cfg Config) func(net.Interface, netip.Addr) bool {
	ifOK, ipOK := interfaceFilter(cfg), ipFilter(cfg)
	return func(iface net.Interface, ip netip.Addr) bool {
		switch {
		case iface.Flags&net.FlagUp == 0:
			return false
		case (iface.Flags&net.FlagLoopback != 0 || ip.IsLoopback()) && !cfg.IncludeLoopback:
			return false
		case ifOK != nil && !ifOK(iface.Name):
			return false
		case ip.Is6() && (ip.As16()[0] == 0xfe && ip.As16()[1]&0xc0 == 0xc0 || netip.PrefixFrom(netip.IPv6Unspecified(), 96).Contains(ip.WithZone(""))):
			return false
		case ipOK != nil && !ipOK(ip.AsSlice()):
			return false
		}
		return true
	}
}

func (m *hostMux) rescanLoop() {
	defer close(m.done)
	t := time.NewTicker(hostRescanEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			m.rescan()
		case <-m.stop:
			return
		}
	}
}

// rescan binds new addresses and closes the sockets of vanished ones.
func (m *hostMux) rescan() {
	addrs, err := m.hostAddrs()
	if err != nil {
		m.log.Warn("media: listing interfaces", "err", err)
		return
	}
	port := uint16(m.Port())
	want := map[string]netip.Addr{}
	for _, a := range addrs {
		want[netip.AddrPortFrom(a, port).String()] = a
	}
	m.mu.Lock()
	var gone []ice.UDPMux
	for k, mux := range m.byAddr {
		if _, ok := want[k]; !ok {
			gone = append(gone, mux)
			delete(m.byAddr, k)
			m.log.Info("media: address gone, socket closed", "addr", k)
		} else {
			delete(want, k)
		}
	}
	m.mu.Unlock()
	for _, mux := range gone {
		_ = mux.Close()
	}
	for k, a := range want {
		bc, err := m.bind(a)
		switch {
		case err != nil:
			m.log.Warn("media: cannot bind a new address", "addr", k, "err", err)
		case bc != nil:
			m.log.Info("media: new address bound", "addr", k)
		}
	}
}

func (m *hostMux) muxes() []ice.UDPMux {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]ice.UDPMux, 0, len(m.byAddr))
	for _, mux := range m.byAddr {
		out = append(out, mux)
	}
	return out
}

// GetConn implements ice.UDPMux.
func (m *hostMux) GetConn(ufrag string, addr net.Addr) (net.PacketConn, error) {
	m.mu.Lock()
	mux, ok := m.byAddr[addr.String()]
	m.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("sfu: no media socket on %s", addr)
	}
	return mux.GetConn(ufrag, addr)
}

// RemoveConnByUfrag implements ice.UDPMux.
func (m *hostMux) RemoveConnByUfrag(ufrag string) {
	for _, mux := range m.muxes() {
		mux.RemoveConnByUfrag(ufrag)
	}
}

// GetListenAddresses implements ice.UDPMux: every bound address, sorted.
func (m *hostMux) GetListenAddresses() []net.Addr {
	var out []net.Addr
	for _, mux := range m.muxes() {
		out = append(out, mux.GetListenAddresses()...)
	}
	slices.SortFunc(out, func(a, b net.Addr) int {
		return a.(*net.UDPAddr).AddrPort().Compare(b.(*net.UDPAddr).AddrPort())
	})
	return out
}

// Close stops the rescans and closes every socket.
func (m *hostMux) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	m.mu.Unlock()
	close(m.stop)
	<-m.done
	return m.closeMuxes()
}

func (m *hostMux) closeMuxes() error {
	var errs []error
	for _, mux := range m.muxes() {
		errs = append(errs, mux.Close())
	}
	return errors.Join(errs...)
}
