package turnserver

import (
	"net/netip"
	"testing"
)

// TestPolicyJudgesTranslatedAddressesByTheirIPv4: a peer behind NAT64 or
// 6to4 is refused when the IPv4 address it leads to would be (the cloud
// metadata address, a private network, the SFU's host on another port),
// and so are the ranges whose IPv4 cannot be read back (local-use NAT64,
// IPv4-compatible) and the benchmarking range.
func TestPolicyJudgesTranslatedAddressesByTheirIPv4(t *testing.T) {
	p, err := newPeerPolicy(Config{}, MediaAddrs{IPs: []string{"203.0.113.7"}, Port: 7882},
		[]netip.Addr{netip.MustParseAddr("203.0.113.7"), netip.MustParseAddr("203.0.113.8")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		peer string
		want bool
	}{
		{"[64:ff9b::a9fe:a9fe]:80", false},   // 169.254.169.254 through NAT64
		{"[64:ff9b::a00:1]:80", false},       // 10.0.0.1
		{"[64:ff9b::7f00:1]:80", false},      // 127.0.0.1
		{"[64:ff9b::cb00:7108]:22", false},   // this host (203.0.113.8)
		{"[64:ff9b::cb00:7107]:22", false},   // the SFU's host, another port
		{"[64:ff9b::cb00:7107]:7882", true},  // the SFU's media port
		{"[64:ff9b::808:808]:3478", true},    // 8.8.8.8: a public peer
		{"[64:ff9b:1::a9fe:a9fe]:80", false}, // local-use NAT64
		{"[64:ff9b:1:ffff::808:808]:80", false},
		{"[2002:a9fe:a9fe::1]:80", false}, // 6to4 of 169.254.169.254
		{"[2002:c0a8:101::1]:80", false},  // 192.168.1.1
		{"[2002:808:808::1]:80", true},    // 8.8.8.8
		{"[::a00:1]:80", false},           // IPv4-compatible 10.0.0.1
		{"[::808:808]:80", false},         // IPv4-compatible, deprecated
		{"198.18.0.1:80", false},          // benchmarking
		{"198.19.255.254:80", false},
		{"[2001:db8::1]:80", true}, // an ordinary IPv6 peer
		{"192.0.2.10:5000", true},
	} {
		ap := netip.MustParseAddrPort(c.peer)
		if got := p.allowAddr(ap); got != c.want {
			t.Errorf("allowAddr(%s) = %v, want %v", c.peer, got, c.want)
		}
		if c.want && !p.allowIP(ap.Addr()) {
			t.Errorf("allowIP(%s) refused", ap.Addr())
		}
	}
}

// TestPolicyListsStillDecideTranslatedAddresses: turn.allowed_peers and
// turn.denied_peers apply to a NAT64 address as written and to the IPv4
// address it leads to.
func TestPolicyListsStillDecideTranslatedAddresses(t *testing.T) {
	p, err := newPeerPolicy(Config{AllowedPeers: []string{"10.0.0.0/8", "64:ff9b::c0a8:0/120"}, DeniedPeers: []string{"8.8.4.0/24"}}, MediaAddrs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for peer, want := range map[string]bool{
		"[64:ff9b::a00:1]:80":    true,  // 10.0.0.1, allowed
		"[64:ff9b::c0a8:5]:80":   true,  // 192.168.0.5, listed as NAT64 itself
		"[64:ff9b::c0a8:105]:80": false, // 192.168.1.5, listed neither way
		"[64:ff9b::808:404]:80":  false, // 8.8.4.4, denied
		"[64:ff9b::808:808]:80":  true,
	} {
		if got := p.allowAddr(netip.MustParseAddrPort(peer)); got != want {
			t.Errorf("allowAddr(%s) = %v, want %v", peer, got, want)
		}
	}
}
