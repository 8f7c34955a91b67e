package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// TestOversizedTokensAreRefusedUnread: a token over 8 KiB is refused with
// a 401 that says so before it is parsed (a megabyte of made-up claims
// cost milliseconds of CPU each), even when its signature is good; one
// under the bound is taken.
func TestOversizedTokensAreRefusedUnread(t *testing.T) {
	app, signed := keyedApp(t)
	sign := func(pad int) string {
		return signed(jwt.MapClaims{"iss": testKey, "uid": "alice", "aud": "switchboard:auth",
			"typ": "auth", "exp": time.Now().Add(time.Hour).Unix(), "pad": strings.Repeat("a", pad)})
	}
	if r := do(t, "GET", app.URL()+"/v1/calls", "", bearer(sign(5000))); r.status != 200 {
		t.Fatalf("a 7 KB token: %d %s", r.status, r.body)
	}
	big := sign(7000)
	r := do(t, "GET", app.URL()+"/v1/calls", "", bearer(big))
	if r.status != 401 || r.errorCode() != "unauthorized" || !strings.Contains(r.body, "the limit is 8192") {
		t.Fatalf("a %d-byte token: %d %s, want a 401 naming the limit", len(big), r.status, r.body)
	}
	h := []string{"Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="}
	if r := do(t, "GET", app.URL()+"/v1/ws?token="+big, "", h...); r.status != 401 || !strings.Contains(r.body, "bytes long") {
		t.Errorf("/v1/ws with a %d-byte token: %d %s", len(big), r.status, r.body)
	}
}
