package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/store/pgtest"
)

// TestPostgresOutageShowsOnHealthz: PostgreSQL stops while no call is in
// progress and nothing is saved. Within a ping the node says so as a full
// disk does (docs/operations.md, cluster.md): /healthz
// {"status":"degraded","reason":"store_unreachable"} (the cause for an
// admin token only) but 200, as for Redis (every node shares it: a load
// balancer must not take them all out), switchboard_store_degraded 1, one
// ERROR with the cause and without the DSN's password; new calls and the
// admin API are 503. PostgreSQL back: one INFO, /healthz ok, the gauge 0,
// calls again.
func TestPostgresOutageShowsOnHealthz(t *testing.T) {
	pgtest.Require(t) // skips without PostgreSQL; the outage needs a server of its own
	pg, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop() })
	const password = "hunter2-never-logged" // trust auth: never asked for, never to be shown
	var logs logbuf.Buffer
	cfg := server.LocalConfig(filepath.Join(t.TempDir(), "unused.db"))
	cfg.Store.Driver, cfg.Store.DSN = store.DriverPostgres, pg.DSN("postgres")+" password="+password
	cfg.Log = slog.New(slog.NewTextHandler(&logs, nil))
	app, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.Close(); http.DefaultClient.CloseIdleConnections() })
	admin := adminToken(t, app)
	dial(t, app, "alice") // a known user, who calls over HTTPS below
	bob := dial(t, app, "bob")
	call := `{"receiverId":"bob","receiverType":"user","callType":"audio"}`

	if err := pg.Down(); err != nil {
		t.Fatal(err)
	}
	status, body := health(t, app, "")
	for deadline := time.Now().Add(waitLimit); body["status"] == "ok"; status, body = health(t, app, "") {
		if time.Now().After(deadline) {
			t.Fatal("/healthz still ok with PostgreSQL down")
		}
		time.Sleep(100 * time.Millisecond) // polling an outcome: the next ping (every 5 s)
	}
	if status != http.StatusOK || body["status"] != "degraded" || body["reason"] != "store_unreachable" || body["detail"] != "" {
		t.Fatalf("/healthz with PostgreSQL down: %d %v; want 200 degraded store_unreachable, no detail", status, body)
	}
	if _, body := health(t, app, admin); !strings.HasPrefix(body["detail"], "store unreachable: ") || strings.Contains(body["detail"], password) {
		t.Errorf("/healthz for an admin: detail %q", body["detail"])
	}
	if got := metric(t, app, "switchboard_store_degraded"); got != "1" {
		t.Errorf("switchboard_store_degraded %s, want 1", got)
	}
	if status := httpsCall(t, app, "alice", "POST", "/v1/calls", call, nil); status != http.StatusServiceUnavailable {
		t.Errorf("POST /v1/calls: %d, want 503", status)
	}
	if status := adminGet(t, app, admin, "/v1/admin/users"); status != http.StatusServiceUnavailable {
		t.Errorf("GET /v1/admin/users: %d, want 503", status)
	}
	if n := strings.Count(logs.String(), `level=ERROR msg="the store cannot be reached`); n != 1 {
		t.Errorf("%d ERROR lines \"the store cannot be reached\", want 1:\n%s", n, logs.String())
	}

	if err := pg.Up(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(waitLimit); status != http.StatusOK || body["status"] != "ok"; status, body = health(t, app, "") {
		if time.Now().After(deadline) {
			t.Fatalf("/healthz never ok again with PostgreSQL back: %d %v", status, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := metric(t, app, "switchboard_store_degraded"); got != "0" {
		t.Errorf("switchboard_store_degraded %s once PostgreSQL is back, want 0", got)
	}
	if !strings.Contains(logs.String(), `level=INFO msg="the store is reachable again"`) {
		t.Errorf("no INFO \"the store is reachable again\":\n%s", logs.String())
	}
	if status := httpsCall(t, app, "alice", "POST", "/v1/calls", call, nil); status != http.StatusCreated {
		t.Errorf("POST /v1/calls with PostgreSQL back: %d, want 201", status)
	}
	wait(t, bob.incoming, "bob's incomingCall")
	if strings.Contains(logs.String(), password) {
		t.Errorf("the DSN's password is in the log:\n%s", logs.String())
	}
}

// health is /healthz's status and body, with token (an admin's) if set.
func health(t *testing.T, app *server.App, token string) (int, map[string]string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodGet, app.URL()+"/healthz", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// metric is the value of an unlabelled metric on app's /metrics.
func metric(t *testing.T, app *server.App, name string) string {
	t.Helper()
	resp, err := http.Get(app.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	t.Fatalf("no %s in /metrics", name)
	return ""
}

func adminGet(t *testing.T, app *server.App, token, path string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodGet, app.URL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
