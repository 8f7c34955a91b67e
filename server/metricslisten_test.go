package server_test

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/server"
)

// TestMetricsOnTheirOwnAddress: with server.metrics_listen set, /metrics is
// served there (and nothing else is) and no longer on server.listen, so an
// operator serving HTTPS without a proxy can keep it off the public port.
// An address that cannot be bound names its key.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	cfg := server.LocalConfig(filepath.Join(t.TempDir(), "sb.db"))
	cfg.Server.MetricsListen = "127.0.0.1:0"
	app, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.Close() })
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(app.URL() + "/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics on server.listen = %d, want 404", code)
	}
	if !strings.HasSuffix(app.MetricsURL(), "/metrics") || strings.HasPrefix(app.MetricsURL(), app.URL()) {
		t.Fatalf("MetricsURL %q", app.MetricsURL())
	}
	if code, body := get(app.MetricsURL()); code != http.StatusOK || !strings.Contains(body, "switchboard_http_requests_total") ||
		!strings.Contains(body, `switchboard_websockets_open{endpoint="rtc"} 0`) { // there before the first socket
		t.Errorf("/metrics on metrics_listen = %d %.200s", code, body)
	}
	if code, _ := get(strings.TrimSuffix(app.MetricsURL(), "/metrics") + "/healthz"); code != http.StatusNotFound {
		t.Errorf("/healthz on metrics_listen = %d, want 404 (metrics only)", code)
	}

	taken := server.LocalConfig(filepath.Join(t.TempDir(), "sb.db"))
	taken.Server.MetricsListen = strings.TrimPrefix(strings.TrimSuffix(app.MetricsURL(), "/metrics"), "http://")
	if other, err := server.Start(context.Background(), taken); err == nil {
		_ = other.Close()
		t.Fatal("a second server bound the same metrics address")
	} else if !strings.Contains(err.Error(), "server.metrics_listen") {
		t.Errorf("error %q does not name server.metrics_listen", err)
	}
}
