package web

import (
	"net/http"
	"testing"
)

// TestSelfTestClientIsTheAddressAProxySaw: the self-test's per-client
// limit counts a remote IPv4 address, or an IPv6 /64; behind a reverse
// proxy on this host or the private network, the address the proxy
// appended to X-Forwarded-For; a public peer's header is not believed.
func TestSelfTestClientIsTheAddressAProxySaw(t *testing.T) {
	for _, tc := range []struct{ remote, xff, want string }{
		{"198.51.100.7:5000", "", "198.51.100.7"},
		{"198.51.100.7:5000", "203.0.113.1", "198.51.100.7"}, // not a proxy of ours
		{"[2001:db8:1:2:3:4:5:6]:5000", "", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:5000", "", "2001:db8:1:2::/64"},
		{"127.0.0.1:5000", "10.9.9.9, 203.0.113.1", "203.0.113.1"}, // the proxy appended the last
		{"[::1]:5000", "2001:db8:9::1", "2001:db8:9::/64"},
		{"10.0.0.2:5000", "garbage", "10.0.0.2"},
		{"[::ffff:192.0.2.1]:5000", "", "192.0.2.1"},
	} {
		r := &http.Request{RemoteAddr: tc.remote, Header: http.Header{}}
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := selfTestClient(r); got != tc.want {
			t.Errorf("%s (X-Forwarded-For %q): %q, want %q", tc.remote, tc.xff, got, tc.want)
		}
	}
}
