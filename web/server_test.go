package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/server"

	"github.com/coder/websocket"
)

func TestHealthAndMetrics(t *testing.T) {
	app := startApp(t)
	r := do(t, "GET", app.URL()+"/healthz", "")
	if r.status != 200 || strings.TrimSpace(r.body) != `{"status":"ok"}` {
		t.Errorf("/healthz = %d %s", r.status, r.body)
	}
	r = do(t, "GET", app.URL()+"/metrics", "")
	if r.status != 200 || !strings.Contains(r.body, `switchboard_http_requests_total{code="200",route="GET /healthz"} 1`) {
		t.Errorf("/metrics = %d, lacks the healthz request count:\n%.2000s", r.status, r.body)
	}
}

func TestStaticPage(t *testing.T) {
	app := startApp(t)
	r := do(t, "GET", app.URL()+"/", "")
	if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "text/html") ||
		!strings.HasPrefix(strings.ToLower(r.body), "<!doctype html") {
		t.Errorf("GET / = %d %q %.100q", r.status, r.header.Get("Content-Type"), r.body)
	}
	if r.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("GET / Cache-Control = %q", r.header.Get("Cache-Control"))
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
		if got := r.header.Get(h); got != want {
			t.Errorf("GET / %s = %q, want %q", h, got, want)
		}
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("GET / Content-Security-Policy = %q", csp)
	}
	r = do(t, "GET", app.URL()+"/sdk/switchboard.js", "")
	if r.status != 200 || r.header.Get("Content-Type") != "text/javascript; charset=utf-8" || r.body == "" {
		t.Errorf("GET /sdk/switchboard.js = %d %q", r.status, r.header.Get("Content-Type"))
	}
	if r := do(t, "GET", app.URL()+"/nope.js", ""); r.status != 404 {
		t.Errorf("GET /nope.js = %d", r.status)
	}
	if r := do(t, "POST", app.URL()+"/", "{}"); r.status != 405 {
		t.Errorf("POST / = %d", r.status)
	}
	if r := do(t, "GET", app.URL()+"/v1/nope", ""); r.status != 404 || r.errorCode() != "not_found" {
		t.Errorf("GET /v1/nope = %d %s", r.status, r.body)
	}
	// an endpoint's path with a method it does not have: 405, and which it has
	for _, c := range []struct{ method, path, allow string }{
		{"PUT", "/v1/devices", "GET, HEAD, POST"},
		{"GET", "/v1/calls/s1/accept", "POST"},
		{"PUT", "/v1/admin/users/bob", "GET, HEAD, PATCH, DELETE"},
	} {
		r := do(t, c.method, app.URL()+c.path, "")
		if r.status != 405 || r.header.Get("Allow") != c.allow || r.errorCode() != "bad_request" ||
			!strings.Contains(r.body, "method "+c.method+" is not allowed on "+c.path) {
			t.Errorf("%s %s = %d, Allow %q, %s; want 405, Allow %q", c.method, c.path, r.status, r.header.Get("Allow"), r.body, c.allow)
		}
	}
}

func TestDevLogin(t *testing.T) {
	app := startApp(t)
	r := do(t, "POST", app.URL()+"/v1/dev/login", `{"name":"  Alice Smith "}`)
	var got struct{ UID, Name, Token string }
	r.decode(t, &got)
	if r.status != 200 || got.UID != "alice-smith" || got.Name != "Alice Smith" {
		t.Fatalf("dev login = %d %s", r.status, r.body)
	}
	c, err := app.Tokens().VerifyAuth(got.Token)
	if err != nil || c.UID != "alice-smith" || c.Name != "Alice Smith" {
		t.Errorf("token claims %+v, err %v", c, err)
	}
	u, err := app.Store().GetUser(context.Background(), "alice-smith")
	if err != nil || u.Name != "Alice Smith" {
		t.Errorf("stored user %+v, err %v", u, err)
	}
	// Logging in again with the same name is the same user.
	if r := do(t, "POST", app.URL()+"/v1/dev/login", `{"name":"Alice Smith"}`); r.status != 200 {
		t.Errorf("second login = %d %s", r.status, r.body)
	}
	for body, code := range map[string]string{
		`{"name":""}`: "bad_request", `{"name":"!!!"}`: "bad_request", `{"nom":"x"}`: "bad_request", ``: "bad_request",
	} {
		if r := do(t, "POST", app.URL()+"/v1/dev/login", body); r.status != 400 || r.errorCode() != code {
			t.Errorf("login %q = %d %s", body, r.status, r.body)
		}
	}
}

func TestDevLoginOffOutsideDev(t *testing.T) {
	app := startApp(t, func(c *server.Config) { c.Server.Dev = false })
	if r := do(t, "POST", app.URL()+"/v1/dev/login", `{"name":"Alice"}`); r.status != 404 {
		t.Errorf("dev login without dev = %d %s", r.status, r.body)
	}
	if r := do(t, "GET", app.URL()+"/v1/info", ""); r.status != 200 || !strings.Contains(r.body, `"devLogin":false`) {
		t.Errorf("GET /v1/info without dev = %d %s", r.status, r.body)
	}
}

func TestInfoSaysDevLogin(t *testing.T) {
	app := startApp(t)
	if r := do(t, "GET", app.URL()+"/v1/info", ""); r.status != 200 || !strings.Contains(r.body, `"devLogin":true`) {
		t.Errorf("GET /v1/info in dev = %d %s", r.status, r.body)
	}
}

func TestWebSocketRefusals(t *testing.T) {
	app := startApp(t, func(c *server.Config) { c.Server.AllowedOrigins = []string{"https://app.example.com"} })
	auth, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	admin, _ := app.Tokens().MintAdmin("", 0)
	call, _ := app.Tokens().MintCall("alice", "no-such-call", 0)
	badUID, _ := app.Tokens().MintAuth("al ice/..", "Alice", 0)
	badName, _ := app.Tokens().MintAuth("alice", strings.Repeat("n", 1000), 0)
	badCallUID, _ := app.Tokens().MintCall("al ice", "no-such-call", 0)
	tests := []struct {
		name    string
		path    string
		headers []string
		status  int
		code    string
	}{
		{"ws no token", "/v1/ws", nil, 401, "unauthorized"},
		{"ws garbage token", "/v1/ws?token=abc", nil, 401, "unauthorized"},
		{"ws admin token", "/v1/ws?token=" + admin, nil, 401, "unauthorized"},
		{"ws call token", "/v1/ws", []string{bearer(call)}, 401, "unauthorized"},
		{"ws signed token, bad uid", "/v1/ws?token=" + badUID, nil, 401, "unauthorized"},
		{"ws signed token, bad name", "/v1/ws?token=" + badName, nil, 401, "unauthorized"},
		{"rtc signed token, bad uid", "/v1/rtc?token=" + badCallUID, nil, 401, "unauthorized"},
		{"ws foreign origin", "/v1/ws?token=" + auth, []string{"Origin: https://evil.example"}, 403, "forbidden"},
		{"rtc no token", "/v1/rtc", nil, 401, "unauthorized"},
		{"rtc auth token", "/v1/rtc?token=" + auth, nil, 401, "unauthorized"},
		{"rtc foreign origin", "/v1/rtc?token=" + call, []string{"Origin: http://evil.example"}, 403, "forbidden"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := append([]string{"Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13",
				"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="}, tc.headers...)
			r := do(t, "GET", app.URL()+tc.path, "", h...)
			if r.status != tc.status || r.errorCode() != tc.code {
				t.Errorf("= %d %s; want %d %s", r.status, r.body, tc.status, tc.code)
			}
		})
	}
}

func TestWebSocketOriginsAllowed(t *testing.T) {
	app := startApp(t, func(c *server.Config) { c.Server.AllowedOrigins = []string{"https://app.example.com/"} })
	auth, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	host := strings.TrimPrefix(app.URL(), "http://")
	for _, origin := range []string{"", app.URL(), "https://APP.example.com"} {
		t.Run(origin, func(t *testing.T) {
			h := http.Header{}
			if origin != "" {
				h.Set("Origin", origin)
			}
			ws, resp, err := websocket.Dial(context.Background(), "ws://"+host+"/v1/ws?token="+auth,
				&websocket.DialOptions{HTTPHeader: h})
			if err != nil {
				t.Fatalf("dial with origin %q: %v (%v)", origin, err, resp)
			}
			_ = ws.CloseNow()
		})
	}
}

func TestDrainRefusesNewSockets(t *testing.T) {
	app := startApp(t)
	auth, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	if left, _ := app.Drain(context.Background()); left != 0 {
		t.Errorf("Drain left %d calls, want 0 (none were active)", left)
	}
	r := do(t, "GET", app.URL()+"/healthz", "")
	if r.status != 503 || strings.TrimSpace(r.body) != `{"status":"draining"}` {
		t.Errorf("/healthz while draining = %d %s", r.status, r.body)
	}
	host := strings.TrimPrefix(app.URL(), "http://")
	_, resp, err := websocket.Dial(context.Background(), "ws://"+host+"/v1/ws?token="+auth, nil)
	if err == nil || resp == nil || resp.StatusCode != 503 {
		t.Errorf("dial while draining: err %v, resp %v; want a 503", err, resp)
	}
}

func TestStartErrors(t *testing.T) {
	cfg := server.LocalConfig(t.TempDir() + "/x.db")
	cfg.Keys = nil
	if _, err := server.Start(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "no API keys") {
		t.Errorf("start without keys: %v", err)
	}
	cfg = server.LocalConfig(t.TempDir() + "/afile")
	if err := writeGarbage(cfg.Store.Path); err != nil {
		t.Fatal(err)
	}
	cfg.Store.Path += "/x.db" // a path under a regular file
	if _, err := server.Start(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "x.db") {
		t.Errorf("start with a db path under a file: %v", err)
	}
	app := startApp(t)
	cfg = server.LocalConfig(t.TempDir() + "/y.db")
	cfg.Server.Listen = strings.TrimPrefix(app.URL(), "http://")
	if _, err := server.Start(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "server.listen") {
		t.Errorf("start on a busy port: %v", err)
	}
}
