package web_test

import (
	"cmp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/switchboard-rtc/switchboard/server"
)

// The API key and secret of keyedApp.
const testKey, testSecret = "APPKEY", "0123456789abcdef0123456789abcdef"

// keyedApp runs a server with one known API key, and signs claims with
// it as an app's backend would (HS256).
func keyedApp(t *testing.T) (*server.App, func(jwt.MapClaims) string) {
	t.Helper()
	app := startApp(t, func(c *server.Config) { c.Keys = map[string]string{testKey: testSecret}; c.SigningKey = testKey })
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
