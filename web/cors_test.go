package web_test

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/server"
)

// CORS for server.allowed_origins: the SDK modules, /v1/calls, the user
// endpoints and the sockets' HTTP answers carry Access-Control-Allow-Origin
// for an allowed origin (preflights answered 204), never for another one
// (its preflight is refused with a clear error), and never on the admin API.
func TestCORS(t *testing.T) {
	const app2 = "http://127.0.0.1:9"
	app := startApp(t, func(c *server.Config) { c.Server.AllowedOrigins = []string{app2} })
	auth, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	pre := func(origin, method, headers string) []string {
		return []string{"Origin: " + origin, "Access-Control-Request-Method: " + method, "Access-Control-Request-Headers: " + headers}
	}
	tests := []struct {
		name, method, path string
		headers            []string
		status             int
		allow              string // Access-Control-Allow-Origin wanted
	}{
		{"sdk module", "GET", "/sdk/switchboard.js", []string{"Origin: " + app2}, 200, app2},
		{"cometchat module", "GET", "/sdk/cometchat.js", []string{"Origin: " + app2}, 200, app2},
		{"call log", "GET", "/v1/calls", []string{"Origin: " + app2, bearer(auth)}, 200, app2},
		{"preflight POST /v1/calls", "OPTIONS", "/v1/calls", pre(app2, "POST", "authorization, content-type"), 204, app2},
		{"preflight accept", "OPTIONS", "/v1/calls/x/accept", pre(app2, "POST", "authorization"), 204, app2},
		{"ws refusal readable", "GET", "/v1/ws?token=bad", []string{"Origin: " + app2}, 401, app2},
		{"rtc refusal readable", "GET", "/v1/rtc?token=bad", []string{"Origin: " + app2}, 401, app2},
		// the JS SDK's refusal check sends the token in a header (never in the URL): preflighted
		{"preflight ws refusal check", "OPTIONS", "/v1/ws", pre(app2, "GET", "authorization"), 204, app2},
		{"preflight rtc refusal check", "OPTIONS", "/v1/rtc?resume=1", pre(app2, "GET", "authorization"), 204, app2},
		{"ws refusal readable, header", "GET", "/v1/ws", []string{"Origin: " + app2, "Authorization: Bearer bad"}, 401, app2},
		{"info", "GET", "/v1/info", []string{"Origin: " + app2}, 200, app2},
		{"other origin: no header", "GET", "/sdk/switchboard.js", []string{"Origin: http://evil.example"}, 200, ""},
		{"other origin: preflight refused", "OPTIONS", "/v1/calls", pre("http://evil.example", "POST", "authorization"), 403, ""},
		{"admin stays same-origin", "OPTIONS", "/v1/admin/users", pre(app2, "GET", "authorization"), 405, ""},
		{"same origin: nothing added", "GET", "/sdk/switchboard.js", []string{"Origin: " + app.URL()}, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.method, app.URL()+tc.path, "", tc.headers...)
			if got := r.header.Get("Access-Control-Allow-Origin"); r.status != tc.status || got != tc.allow {
				t.Errorf("= %d, Access-Control-Allow-Origin %q; want %d, %q (%s)", r.status, got, tc.status, tc.allow, r.body)
			}
			if tc.status == 204 {
				if m := r.header.Get("Access-Control-Allow-Methods"); m == "" || r.header.Get("Access-Control-Allow-Headers") == "" {
					t.Errorf("preflight answer lacks Allow-Methods/Allow-Headers: %v", r.header)
				}
			}
		})
	}
}

// TestCORSAllowHeaders: a preflight allows exactly the request headers the
// server reads; nothing reads Idempotency-Key (a retried POST /v1/calls is
// known by its clientRequestId), so it is not offered.
func TestCORSAllowHeaders(t *testing.T) {
	const app2 = "http://127.0.0.1:9"
	app := startApp(t, func(c *server.Config) { c.Server.AllowedOrigins = []string{app2} })
	r := do(t, "OPTIONS", app.URL()+"/v1/calls", "", "Origin: "+app2, "Access-Control-Request-Method: POST")
	if got := r.header.Get("Access-Control-Allow-Headers"); r.status != 204 || got != "Authorization, Content-Type" {
		t.Errorf("preflight = %d, Access-Control-Allow-Headers %q; want 204, %q", r.status, got, "Authorization, Content-Type")
	}
}
