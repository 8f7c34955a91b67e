package web_test

import (
	"cmp"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/server"
)

// The API key and secret of keyedApp.
const testKey, testSecret = "APPKEY", "0123456789abcdef0123456789abcdef"

// keyedApp runs a server with one known API key, and signs claims with
// it as an app's backend would (HS256).
func keyedApp(t *testing.T, edit ...func(*server.Config)) (*server.App, func(jwt.MapClaims) string) {
	t.Helper()
	app := startApp(t, append([]func(*server.Config){func(c *server.Config) { c.Keys = map[string]string{testKey: testSecret}; c.SigningKey = testKey }}, edit...)...)
	return app, func(c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(testSecret))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

// A token written by hand, the way an app's backend mints them, is refused
// with a message that names what is wrong with it, so its author can fix
// it without reading switchboard's source.
func TestRefusedTokensSayWhatIsWrong(t *testing.T) {
	app, sign := keyedApp(t)
	now := time.Now()
	exp := now.Add(time.Hour).Unix()
	for _, tc := range []struct {
		name   string
		claims jwt.MapClaims
		says   []string
		path   string // "" = /v1/calls
	}{
		{"no iss", jwt.MapClaims{"uid": "alice", "aud": "switchboard:auth", "typ": "auth", "exp": exp}, []string{"no issuer (iss)"}, ""},
		{"no aud", jwt.MapClaims{"iss": testKey, "uid": "alice", "typ": "auth", "exp": exp}, []string{`aud "switchboard:auth"`, `typ "auth"`}, ""},
		{"no typ", jwt.MapClaims{"iss": testKey, "uid": "alice", "aud": "switchboard:auth", "exp": exp}, []string{`typ "auth"`}, ""},
		{"sub, not uid", jwt.MapClaims{"iss": testKey, "sub": "alice", "aud": "switchboard:auth", "typ": "auth", "exp": exp}, []string{"uid"}, ""},
		{"31 days", jwt.MapClaims{"iss": testKey, "uid": "alice", "aud": "switchboard:auth", "typ": "auth", "iat": now.Unix(), "exp": now.Add(31 * 24 * time.Hour).Unix()}, []string{"lifetime", "maximum 720h"}, ""},
		{"admin, 31 days", jwt.MapClaims{"iss": testKey, "aud": "switchboard:admin", "typ": "admin", "iat": now.Unix(), "exp": now.Add(31 * 24 * time.Hour).Unix()}, []string{"lifetime", "maximum 720h"}, "/v1/admin/users"},
	} {
		path := cmp.Or(tc.path, "/v1/calls")
		r := do(t, "GET", app.URL()+path, "", bearer(sign(tc.claims)))
		if r.status != 401 || r.errorCode() != "unauthorized" {
			t.Errorf("%s: %d %s, want 401 unauthorized", tc.name, r.status, r.body)
			continue
		}
		var b struct{ Error struct{ Message string } }
		r.decode(t, &b)
		for _, s := range tc.says {
			if !strings.Contains(b.Error.Message, s) {
				t.Errorf("%s: %q does not say %q", tc.name, b.Error.Message, s)
			}
		}
	}
}

// An admin token signed with the app's key but refused for its claims (a
// lifetime above server.max_admin_token_ttl, as a year-long token minted
// by an older release has; or expired) is logged at warn with the reason:
// the app's backend is locked out of the admin API, and the operator must
// see why. A token that is not the app's (wrong secret), or another kind
// of token, is answered 401 and not logged (anyone can send those).
func TestRefusedSignedAdminTokenIsLogged(t *testing.T) {
	var logs logbuf.Buffer
	app, sign := keyedApp(t, func(c *server.Config) { c.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	now := time.Now()
	admin := func(iat, exp time.Time) jwt.MapClaims {
		return jwt.MapClaims{"iss": testKey, "aud": "switchboard:admin", "typ": "admin", "iat": iat.Unix(), "exp": exp.Unix()}
	}
	forged, err := jwt.NewWithClaims(jwt.SigningMethodHS256, admin(now, now.Add(time.Hour))).SignedString([]byte("not-the-secret-not-the-secret-00"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{forged,
		sign(jwt.MapClaims{"iss": testKey, "uid": "alice", "aud": "switchboard:auth", "typ": "auth", "exp": now.Add(time.Hour).Unix()}),
		sign(admin(now, now.Add(365*24*time.Hour))),
		sign(admin(now.Add(-2*time.Hour), now.Add(-time.Hour)))} {
		if r := do(t, "GET", app.URL()+"/v1/admin/users", "", bearer(tok)); r.status != 401 {
			t.Fatalf("%d %s, want 401", r.status, r.body)
		}
	}
	var refused []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "admin token was refused") {
			refused = append(refused, l)
		}
	}
	if len(refused) != 2 || !strings.Contains(refused[0], "lifetime 8760h0m0s is above the maximum 720h0m0s") ||
		!strings.Contains(refused[0], "path=/v1/admin/users") || !strings.Contains(refused[1], "expired") {
		t.Fatalf("log lines about refused admin tokens:\n%s", strings.Join(refused, "\n"))
	}
}
