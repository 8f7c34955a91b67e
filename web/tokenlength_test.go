package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/switchboard-rtc/switchboard/server"
)

// TestOversizedTokensAreRefusedUnread: a token over 8 KiB is refused with
// a 401 that says so before it is parsed (a megabyte of made-up claims
// cost milliseconds of CPU each), even when its signature is good; one
// under the bound is taken.
func TestOversizedTokensAreRefusedUnread(t *testing.T) {
	const key, secret = "APPKEY", "0123456789abcdef0123456789abcdef"
	app := startApp(t, func(c *server.Config) { c.Keys = map[string]string{key: secret}; c.SigningKey = key })
	sign := func(pad int) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": key, "uid": "alice", "aud": "switchboard:auth",
			"typ": "auth", "exp": time.Now().Add(time.Hour).Unix(), "pad": strings.Repeat("a", pad)}).SignedString([]byte(secret))
		if err != nil {
			t.Fatal(err)
		}
		return s
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
