package server_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/store/pgtest"
)

// TestStartOnPostgres: store.driver postgres runs a whole switchboard on a
// real PostgreSQL: users made through the admin API land in it and a
// second node on the same database sees them.
func TestStartOnPostgres(t *testing.T) {
	dsn := pgtest.Require(t).NewDSN(t)
	start := func() *server.App {
		cfg := server.LocalConfig(filepath.Join(t.TempDir(), "unused.db"))
		cfg.Store.Driver, cfg.Store.DSN = store.DriverPostgres, dsn
		app, err := server.Start(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = app.Close(); http.DefaultClient.CloseIdleConnections() })
		return app
	}
	a, b := start(), start()
	tok, err := a.Tokens().MintAdmin("test", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, a.URL()+"/v1/admin/users", strings.NewReader(`{"uid":"ann","name":"Ann"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("create user: %s", resp.Status)
	}
	if u, err := b.Store().GetUser(context.Background(), "ann"); err != nil || u.Name != "Ann" {
		t.Fatalf("the other node reads %+v, %v", u, err)
	}
}
