package sfu

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"
)

// fixedAddrs is a hostAddrs lister of these addresses.
func fixedAddrs(addrs ...string) func() ([]net.Addr, error) {
	return func() ([]net.Addr, error) {
		var out []net.Addr
		for _, a := range addrs {
			p := netip.MustParsePrefix(a)
			out = append(out, &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())})
		}
		return out, nil
	}
}

// A server that serves this host only on every address takes, on a
// loopback socket, loopback sources, and on a LAN socket this host's own LAN
// addresses: never another host, never across (Firefox drops media from
// 127.0.0.1). The first drop is logged at warn, once. With one address
// bound, its socket takes this host's addresses of either kind.
func TestHostOnlyTakesThisHostOfTheSameKind(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	every, one := &hostOnly{log: log}, &hostOnly{log: log, across: true} // every address bound, one
	for _, h := range []*hostOnly{every, one} {
		h.own.list = fixedAddrs("127.0.0.1/8", "192.0.2.2/24")
		h.own.load()
	}
	for _, c := range []struct {
		h        *hostOnly
		from     string
		loopback bool
		want     bool
	}{
		{every, "127.0.0.1", true, true}, {every, "127.0.0.2", true, true}, {every, "::1", true, true},
		{every, "192.0.2.2", false, true}, {every, "::ffff:192.0.2.2", false, true},
		{every, "198.51.100.4", false, false}, // another host: the first drop, logged
		{every, "192.0.2.2", true, false},     // across: this host's LAN address to the loopback socket
		{every, "127.0.0.1", false, false},    // and the other way
		{every, "198.51.100.5", true, false},
		// one address bound (its socket is the only one): this host's addresses of either kind
		{one, "127.0.0.1", true, true}, {one, "192.0.2.2", true, true}, {one, "127.0.0.1", false, true}, {one, "192.0.2.2", false, true},
		{one, "198.51.100.4", true, false}, {one, "198.51.100.4", false, false},
	} {
		if got := c.h.takes(netip.MustParseAddr(c.from), c.loopback); got != c.want {
			t.Errorf("across %v: takes(%s, loopback socket %v) = %v, want %v", c.h.across, c.from, c.loopback, got, c.want)
		}
	}
	out := buf.String()
	if n := strings.Count(out, "level=WARN"); n != 2 || !strings.Contains(out, "198.51.100.4") || !strings.Contains(out, "local_only") {
		t.Errorf("want one warn line per server, naming its first source and media.local_only, got:\n%s", out)
	}
}

// This host's addresses are read again for an unknown source at most once a
// second, and what was known is kept when reading them fails.
func TestHostAddrsAreThisHostsOwn(t *testing.T) {
	ifaces := []string{"127.0.0.1/8", "192.0.2.2/24", "fd00::2/64", "fe80::fc:ff:fe00:1/64"}
	var reads int
	var fail error
	h := hostAddrs{list: func() ([]net.Addr, error) {
		reads++
		addrs, _ := fixedAddrs(ifaces...)()
		return addrs, fail
	}}
	for _, c := range []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true}, {"192.0.2.2", true}, {"::ffff:192.0.2.2", true}, {"fd00::2", true}, {"fe80::fc:ff:fe00:1%eth0", true},
		{"198.51.100.4", false}, {"192.0.2.3", false},
	} {
		if got := h.has(netip.MustParseAddr(c.addr)); got != c.want {
			t.Errorf("has(%s) = %v, want %v", c.addr, got, c.want)
		}
	}
	if reads != 1 {
		t.Errorf("the interfaces were read %d times within a second, want once", reads)
	}

	// an address this host got since: known at the first read a second later
	ifaces = append(ifaces, "198.51.100.4/24")
	if h.has(netip.MustParseAddr("198.51.100.4")) {
		t.Error("a new address was known before the second had passed")
	}
	h.readAt = h.readAt.Add(-hostAddrsRead)
	if !h.has(netip.MustParseAddr("198.51.100.4")) || reads != 2 {
		t.Errorf("a new address unknown after a second (%d reads)", reads)
	}

	// a failed read keeps the addresses known
	fail = errors.New("netlink refused")
	h.readAt = h.readAt.Add(-hostAddrsRead)
	if h.has(netip.MustParseAddr("203.0.113.9")) || !h.has(netip.MustParseAddr("192.0.2.2")) || reads != 3 {
		t.Errorf("after a failed read: reads %d", reads)
	}
}

// remoteConn is a connection that says it comes from one address to another.
type remoteConn struct {
	net.Conn
	from, to net.Addr
	closed   *int
}

func (c remoteConn) RemoteAddr() net.Addr { return c.from }
func (c remoteConn) LocalAddr() net.Addr  { return c.to }
func (c remoteConn) Close() error         { *c.closed++; return c.Conn.Close() }

// listenerOf accepts the connections given, then fails.
type listenerOf struct {
	net.Listener
	conns []net.Conn
}

func (l *listenerOf) Accept() (net.Conn, error) {
	if len(l.conns) == 0 {
		return nil, net.ErrClosed
	}
	c := l.conns[0]
	l.conns = l.conns[1:]
	return c, nil
}

// The ICE-TCP listener of a server that serves this host only closes at
// once a connection from another host, or across (this host's LAN address
// to its loopback one), and hands on the next one.
func TestHostOnlyListenerClosesOtherHosts(t *testing.T) {
	only := &hostOnly{}
	only.own.list = fixedAddrs("127.0.0.1/8", "192.0.2.2/24")
	only.own.load()
	var closed int
	conn := func(from, to string) net.Conn {
		a, b := net.Pipe()
		t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
		tcp := func(s string) net.Addr { return net.TCPAddrFromAddrPort(netip.MustParseAddrPort(s)) }
		return remoteConn{Conn: a, from: tcp(from), to: tcp(to), closed: &closed}
	}
	ln := &hostOnlyListener{Listener: &listenerOf{conns: []net.Conn{
		conn("198.51.100.4:4000", "192.0.2.2:7881"), conn("192.0.2.2:4001", "127.0.0.1:7881"),
		conn("192.0.2.2:4002", "192.0.2.2:7881"), conn("127.0.0.1:4003", "127.0.0.1:7881"),
	}}, only: only}
	for _, want := range []string{"192.0.2.2:4002", "127.0.0.1:4003"} {
		c, err := ln.Accept()
		if err != nil || c.RemoteAddr().String() != want {
			t.Fatalf("Accept: %v %v, want the connection from %s", c, err, want)
		}
	}
	if closed != 2 {
		t.Errorf("%d connections closed, want the one from another host and the one across", closed)
	}
	if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after the last: %v, want the listener's error", err)
	}
}
