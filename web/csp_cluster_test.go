package web

import (
	"strings"
	"testing"
)

// TestConnectSrcNamesMediaNodes: in a cluster the page may connect to the
// media nodes (http and WebSocket forms); anything that is not a plain
// http(s) origin is left out, so no node's URL can widen the policy.
func TestConnectSrcNamesMediaNodes(t *testing.T) {
	base := "default-src 'none'; connect-src 'self'; frame-ancestors 'none'"
	got := withConnect(base, []string{"https://m1.example.com", "http://127.0.0.1:7900",
		"https://evil.example.com; script-src *", "javascript:alert(1)", "ftp://x", "", "https://a.example.com 'unsafe-inline'"})
	want := "connect-src 'self' https://m1.example.com wss://m1.example.com http://127.0.0.1:7900 ws://127.0.0.1:7900;"
	if !strings.Contains(got, want) || strings.Count(got, ";") != 2 || strings.Contains(got, "evil") || strings.Contains(got, "unsafe") {
		t.Fatalf("csp %q; want %q and nothing else added", got, want)
	}
	if withConnect(base, nil) != base {
		t.Fatal("no media nodes changed the policy")
	}
}
