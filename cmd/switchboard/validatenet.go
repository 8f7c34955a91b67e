package main

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// validateOrigins checks server.allowed_origins: each "*" or an origin as
// browsers send it (scheme://host[:port]); anything else never matches,
// and every preflight from that app gets 403.
func (c *Config) validateOrigins(bad func(key, format string, args ...any)) {
	for i, o := range c.Server.AllowedOrigins {
		key := fmt.Sprintf("server.allowed_origins[%d]", i)
		s := strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
		if s == "*" {
			continue
		}
		u, err := url.Parse(s)
		switch {
		case !strings.Contains(s, "://"):
			bad(key, "%q is not an origin: it needs its scheme, as browsers send it (e.g. %q); use scheme://host[:port] or \"*\"", o, "https://"+s)
		case err != nil || u.Host == "" || u.Hostname() == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "":
			bad(key, "%q is not an origin; use scheme://host[:port] (no path), e.g. \"https://app.example.com\", or \"*\"", o)
		case u.Scheme == "https" && u.Port() == "443" || u.Scheme == "http" && u.Port() == "80":
			bad(key, "%q names the default port, which browsers leave out of Origin; write %q", o, u.Scheme+"://"+u.Hostname())
		}
	}
}

// validateInterfaces refuses media.interfaces when none of them is on
// this host: the SFU would gather no candidate and no call would connect.
// (Some missing is allowed: an interface may come up later, e.g. a VPN.)
func (c *Config) validateInterfaces(bad func(key, format string, args ...any), have []string) {
	want := c.Media.Interfaces
	if len(want) == 0 || len(missingInterfaces(want, have)) < len(want) {
		return
	}
	bad("media.interfaces", "none of %q is an interface of this host, so media would have no address; this host has %s ([] = all)",
		want, strings.Join(have, ", "))
}

// missingInterfaces are the names of want that have lacks.
func missingInterfaces(want, have []string) []string {
	var out []string
	for _, n := range want {
		if !slices.Contains(have, n) {
			out = append(out, n)
		}
	}
	return out
}

// hostInterfaces names this host's network interfaces.
func hostInterfaces() []string {
	ifaces, _ := net.Interfaces()
	names := make([]string, 0, len(ifaces))
	for _, i := range ifaces {
		names = append(names, i.Name)
	}
	return names
}

// socket is one listening socket the config asks for.
type socket struct {
	key, proto, host string
	port             int
}

// sockets lists the sockets serve binds with a fixed port (0 picks a free
// one and clashes with nothing).
func (c *Config) sockets() []socket {
	var out []socket
	add := func(key, proto, addr string) {
		host, port, err := net.SplitHostPort(addr)
		if n, perr := strconv.Atoi(port); err == nil && perr == nil && n > 0 {
			out = append(out, socket{key, proto, host, n})
		}
	}
	add("server.listen", "tcp", c.Server.Listen)
	if c.Server.MetricsListen != "" {
		add("server.metrics_listen", "tcp", c.Server.MetricsListen)
	}
	add("media.udp_port", "udp", net.JoinHostPort(c.Media.BindAddress, strconv.Itoa(c.Media.UDPPort)))
	add("media.tcp_port", "tcp", net.JoinHostPort(c.Media.BindAddress, strconv.Itoa(c.Media.TCPPort)))
	if c.TURN.Enabled {
		add("turn.listen_udp", "udp", c.TURN.ListenUDP)
		add("turn.listen_tcp", "tcp", c.TURN.ListenTCP)
		add("turn.listen_tls", "tcp", c.TURN.ListenTLS)
	}
	return out
}

// validatePorts refuses two keys of the config that ask for one port:
// same protocol, same port, overlapping addresses ("" and 0.0.0.0 or ::
// overlap every address). Start-up would blame "another program".
// The error is under the key the file set (at gives its line), if one.
func (c *Config) validatePorts(bad func(key, format string, args ...any), at func(key string) string) {
	s := c.sockets()
	for i, b := range s {
		for _, a := range s[:i] {
			if a.proto != b.proto || a.port != b.port || !overlaps(a.host, b.host) {
				continue
			}
			named, other := b, a
			if at(b.key) == "" && at(a.key) != "" {
				named, other = a, b
			}
			bad(named.key, "%s port %d is also %s's (%s): one program cannot listen twice on it; give one of them another port",
				strings.ToUpper(named.proto), named.port, other.key, bindName(other.host))
		}
	}
}

// overlaps reports whether sockets bound to hosts a and b on one port clash.
func overlaps(a, b string) bool {
	ia, erra := netip.ParseAddr(a)
	ib, errb := netip.ParseAddr(b)
	switch {
	case a == "" || b == "" || erra == nil && ia.IsUnspecified() || errb == nil && ib.IsUnspecified():
		return true
	case erra == nil && errb == nil:
		return ia.Unmap() == ib.Unmap()
	}
	return strings.EqualFold(a, b)
}

func bindName(host string) string {
	if ip, err := netip.ParseAddr(host); host == "" || err == nil && ip.IsUnspecified() {
		return "all addresses"
	}
	return host
}
