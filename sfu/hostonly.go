package sfu

import (
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"
)

// hostOnly keeps a media server to this host's own clients, with a
// loopback media.bind_address or with media.local_only. With local_only and
// every address bound (what `serve --dev` does), a socket bound to a
// loopback address takes datagrams from loopback addresses only, and one
// bound to a LAN address from this host's own LAN addresses only. A browser
// on the same host then pairs LAN with LAN or loopback with loopback, never
// across: Firefox gathers no loopback candidate and drops what comes from
// 127.0.0.1, so a pair between the server's 127.0.0.1 and its LAN address
// (which the kernel would carry, and which the server, nominating on the
// subscriber connection, could pick) would leave it without media. With
// one address bound, its socket takes this host's addresses of either kind
// (across). Anything else (another host, or across where not taken) is
// dropped; the first drop is logged at warn, once per server: a client on
// another host cannot reach this server, and would otherwise fail silently.
type hostOnly struct {
	own hostAddrs
	// across: a socket takes this host's addresses of either kind. So it
	// is when the server binds one address (media.bind_address): there is
	// no socket of the other kind, so a client without a candidate of the
	// socket's kind (Chromium without its loopback flag, towards
	// 127.0.0.1) has no other way in, and a browser's first check
	// succeeds whichever of its addresses it sends from (Chromium's first
	// remote frame came about 45 ms sooner, docs/benchmarks.md).
	across bool
	log    *slog.Logger
	once   sync.Once
}

// newHostOnly reads the host's addresses now (in the network namespace the
// server starts in).
func newHostOnly(log *slog.Logger, across bool) *hostOnly {
	h := &hostOnly{log: log, across: across}
	h.own.load()
	return h
}

// takes reports whether a datagram or connection from a is taken by a
// socket bound to a loopback address (loopback) or to a LAN address; the
// first one refused is logged.
func (h *hostOnly) takes(from netip.Addr, loopback bool) bool {
	from = from.Unmap()
	if (h.across || from.IsLoopback() == loopback) && (from.IsLoopback() || h.own.has(from)) {
		return true
	}
	h.once.Do(func() {
		if h.log != nil {
			h.log.Warn("media serves this host only (a loopback media.bind_address, or media.local_only): dropping what comes from another host, or from a LAN address to a loopback socket (logged once)", "from", from.String())
		}
	})
	return false
}

// hostOnlyConn is a media UDP socket that takes datagrams from this host
// only (hostOnly). It keeps Pion's allocation-free AddrPort path and the
// batched writes of batchConn.
type hostOnlyConn struct {
	*batchConn
	only     *hostOnly
	loopback bool // bound to a loopback address
}

func newHostOnlyConn(bc *batchConn, only *hostOnly) *hostOnlyConn {
	a, _ := netip.AddrFromSlice(bc.UDPConn.LocalAddr().(*net.UDPAddr).IP)
	return &hostOnlyConn{batchConn: bc, only: only, loopback: a.Unmap().IsLoopback()}
}

func (c *hostOnlyConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.UDPConn.ReadFrom(b)
		if err != nil {
			return n, addr, err
		}
		if ua, ok := addr.(*net.UDPAddr); ok && c.only.takes(ua.AddrPort().Addr(), c.loopback) {
			return n, addr, nil
		}
	}
}

// ReadFromAddrPort implements ice.AddrPortReaderWriter.
func (c *hostOnlyConn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	for {
		n, addr, err := c.batchConn.ReadFromAddrPort(b)
		if err != nil || c.only.takes(addr.Addr(), c.loopback) {
			return n, addr, err
		}
	}
}

// hostOnlyListener is the ICE-TCP listener that closes at once a
// connection hostOnly refuses (judged by the address it reached: the
// listener may be bound to every address).
type hostOnlyListener struct {
	net.Listener
	only *hostOnly
}

func (l *hostOnlyListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return c, err
		}
		from, okFrom := c.RemoteAddr().(*net.TCPAddr)
		to, okTo := c.LocalAddr().(*net.TCPAddr)
		if okFrom && okTo && l.only.takes(from.AddrPort().Addr(), to.AddrPort().Addr().Unmap().IsLoopback()) {
			return c, nil
		}
		_ = c.Close()
	}
}

// hostAddrs tells this host's own addresses from others. The interfaces'
// addresses are read again when a source is not among them, at most once a
// second (an address a laptop got since the last read is then known within
// a second; a stream of foreign datagrams costs one read a second).
type hostAddrs struct {
	// list is net.InterfaceAddrs (tests replace it).
	list func() ([]net.Addr, error)

	mu     sync.Mutex
	set    map[netip.Addr]struct{}
	readAt time.Time // zero: never read
}

// hostAddrsRead is how often hostAddrs reads the interfaces at most.
const hostAddrsRead = time.Second

// has reports whether a is one of this host's addresses.
func (h *hostAddrs) has(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.set[a]; ok {
		return true
	}
	now := time.Now()
	if !h.readAt.IsZero() && now.Sub(h.readAt) < hostAddrsRead {
		return false
	}
	h.readLocked(now)
	_, ok := h.set[a]
	return ok
}

// load reads the interfaces' addresses now.
func (h *hostAddrs) load() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.readLocked(time.Now())
}

// readLocked replaces the set with the interfaces' addresses now (an
// error keeps the set it had).
func (h *hostAddrs) readLocked(now time.Time) {
	h.readAt = now
	list := h.list
	if list == nil {
		list = net.InterfaceAddrs
	}
	addrs, err := list()
	if err != nil {
		return
	}
	set := make(map[netip.Addr]struct{}, len(addrs))
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			set[p.Addr().Unmap().WithZone("")] = struct{}{}
		} else if ip, err := netip.ParseAddr(a.String()); err == nil {
			set[ip.Unmap().WithZone("")] = struct{}{}
		}
	}
	h.set = set
}
