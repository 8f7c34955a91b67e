package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// server is a whole switchboard in process, loopback only.
type server struct {
	t   *testing.T
	app *switchboard.App
	url string
}

// serverLog is the server's log for test t: with E2E_LOG set, every debug
// line on stderr; otherwise info and above, kept and printed only if t
// fails (the last 300 lines: what the server decided, e.g. whom it removed
// and why).
func serverLog(t *testing.T) *slog.Logger {
	if os.Getenv("E2E_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	w := &logbuf.Buffer{} // the server's handlers write concurrently
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the server's log (info and above, last lines):\n%s", lastLines(w.String(), 300))
		}
	})
	return slog.New(slog.NewTextHandler(w, nil))
}

// startServer starts switchboard with the dev login on and a short ring
// timeout, then applies edit.
func startServer(t *testing.T, ringTimeout time.Duration, edit ...func(*switchboard.Config)) *server {
	t.Helper()
	cfg := switchboard.LocalConfig(filepath.Join(t.TempDir(), "switchboard.db"))
	cfg.Ringing.RingTimeout = ringTimeout
	cfg.Ringing.InitiateRate = 100
	cfg.Ringing.InitiateBurst = 100
	cfg.Ringing.ReconnectGrace = 5 * time.Second
	cfg.Media.DisconnectTimeout = 5 * time.Second
	cfg.Log = serverLog(t)
	for _, e := range edit {
		e(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	app, err := switchboard.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("start switchboard: %v", err)
	}
	t.Cleanup(func() {
		if err := app.Close(); err != nil {
			t.Errorf("close switchboard: %v", err)
		}
	})
	return &server{t: t, app: app, url: app.URL() + "/"}
}

// productGraces puts back the product's graces (15 s) for a test whose page
// reloads mid-call: the 5 s of startServer, short so that tests waiting for
// a removal finish sooner, is less than a reload took once on a loaded CI
// machine, and the reloaded page then found its call ended.
func productGraces(c *switchboard.Config) {
	c.Media.DisconnectTimeout = 15 * time.Second
	c.Ringing.ReconnectGrace = 15 * time.Second
}

// admin calls the admin API with an admin token.
func (s *server) admin(method, path string, body any) {
	s.t.Helper()
	tok, err := s.app.Tokens().MintAdmin("e2e", time.Hour)
	if err != nil {
		s.t.Fatalf("mint admin token: %v", err)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequest(method, s.app.URL()+path, bytes.NewReader(raw))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("admin %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		var e bytes.Buffer
		_, _ = e.ReadFrom(res.Body)
		s.t.Fatalf("admin %s %s: HTTP %d: %s", method, path, res.StatusCode, e.String())
	}
}

// group creates a group with members (who must have signed in once).
func (s *server) group(guid, name string, uids ...string) {
	s.t.Helper()
	s.admin(http.MethodPost, "/v1/admin/groups", map[string]string{"guid": guid, "name": name})
	s.admin(http.MethodPost, fmt.Sprintf("/v1/admin/groups/%s/members", guid), map[string][]string{"uids": uids})
}
