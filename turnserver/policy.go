package turnserver

import (
	"net"
	"net/netip"
	"slices"
)

// refusedByDefault are ranges no relay may reach unless allowed_peers
// lists them: this network, loopback, link-local, private (RFC 1918, ULA),
// shared address space (CGNAT), benchmarking (RFC 2544), multicast and
// broadcast; IPv4-compatible IPv6 (::a.b.c.d, deprecated, which some
// stacks still send to a.b.c.d) and the local-use NAT64 prefix (RFC 8215:
// where the IPv4 address sits in it depends on the operator's prefix
// length, so it cannot be read back and checked).
var refusedByDefault = mustPrefixes(
	"0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12",
	"192.168.0.0/16", "100.64.0.0/10", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
	"::/96", "::1/128", "fe80::/10", "fc00::/7", "ff00::/8", "64:ff9b:1::/48",
)

// Prefixes whose addresses carry an IPv4 address a gateway forwards to: a
// peer there is judged as that IPv4 address.
var (
	nat64WellKnown = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052: the last 32 bits
	sixToFour      = netip.MustParsePrefix("2002::/16")    // RFC 3056: bits 16 to 47
)

// embeddedIPv4 is the IPv4 address a NAT64 (64:ff9b::/96) or 6to4
// (2002::/16) address leads to.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	switch {
	case nat64WellKnown.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// MediaAddrs is where the SFU receives media: the relay always reaches it
// (on Port only), whatever the ranges refused.
type MediaAddrs struct {
	// IPs the SFU announces; empty: every address of this host.
	IPs []string
	// Port is the SFU's ICE UDP port.
	Port int
}

// peerPolicy decides which peers a relay may reach. It is immutable.
type peerPolicy struct {
	allowed, denied []netip.Prefix
	own             []netip.Addr // this host's addresses
	media           []netip.Addr // the SFU's
	mediaPort       uint16
}

func newPeerPolicy(cfg Config, media MediaAddrs, own []netip.Addr) (*peerPolicy, error) {
	allowed, err := parsePrefixes("turn.allowed_peers", cfg.AllowedPeers)
	if err != nil {
		return nil, err
	}
	denied, err := parsePrefixes("turn.denied_peers", cfg.DeniedPeers)
	if err != nil {
		return nil, err
	}
	p := &peerPolicy{allowed: allowed, denied: denied, own: own, mediaPort: uint16(media.Port)} //nolint:gosec // a port
	for _, s := range media.IPs {
		if ip, err := netip.ParseAddr(s); err == nil && !ip.IsUnspecified() {
			p.media = append(p.media, ip.Unmap())
		}
	}
	if len(p.media) == 0 {
		p.media = own
	}
	return p, nil
}

// hostAddrs lists this host's interface addresses.
func hostAddrs() []netip.Addr {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok {
				out = append(out, ip.Unmap())
			}
		}
	}
	return out
}

// allowIP decides a permission (CreatePermission, ChannelBind) towards ip.
// A NAT64 or 6to4 address is allowed when allowed_peers lists it, or when
// the IPv4 address it leads to is allowed.
func (p *peerPolicy) allowIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid() || contains(p.denied, ip):
		return false
	case slices.Contains(p.media, ip), contains(p.allowed, ip):
		return true
	}
	if v4, ok := embeddedIPv4(ip); ok {
		return p.allowIP(v4)
	}
	return !contains(refusedByDefault, ip) && !slices.Contains(p.own, ip) && !ip.IsUnspecified()
}

// allowAddr decides one relayed datagram: as allowIP, and the SFU's own
// addresses (when not listed in allowed_peers; also behind NAT64 or 6to4)
// only on the SFU's port.
func (p *peerPolicy) allowAddr(ap netip.AddrPort) bool {
	ip := ap.Addr().Unmap()
	if !p.allowIP(ip) {
		return false
	}
	if v4, ok := embeddedIPv4(ip); ok && !contains(p.allowed, ip) {
		ip = v4
	}
	if slices.Contains(p.media, ip) && !contains(p.allowed, ip) {
		return ap.Port() == p.mediaPort
	}
	return true
}

func contains(ps []netip.Prefix, ip netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func mustPrefixes(cidrs ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(cidrs))
	for i, s := range cidrs {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// isMedia reports whether ap is the SFU's media socket.
func (p *peerPolicy) isMedia(ap netip.AddrPort) bool {
	return slices.Contains(p.media, ap.Addr().Unmap()) && ap.Port() == p.mediaPort
}
