package web_test

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
	"github.com/switchboard-rtc/switchboard/server"

	"github.com/switchboard-rtc/switchboard/client"
)

// TestHTTPSSelfSigned: with server.self_signed the page, the API and the
// WebSockets are served over HTTPS only, with the certificate whose
// fingerprint the App reports.
func TestHTTPSSelfSigned(t *testing.T) {
	app := startApp(t, func(c *server.Config) { c.Server.SelfSigned = true })
	if !strings.HasPrefix(app.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL = %s, want https://127.0.0.1:...", app.URL())
	}
	var seen string
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		InsecureSkipVerify: true, // self-signed: checked by fingerprint below
		VerifyConnection: func(cs tls.ConnectionState) error {
			seen = fingerprint(cs.PeerCertificates[0].Raw)
			if seen != app.Fingerprint() {
				return fmt.Errorf("certificate %s, the App says %s", seen, app.Fingerprint())
			}
			return nil
		},
	}}}
	defer hc.CloseIdleConnections()
	for _, path := range []string{"/healthz", "/", "/sdk/switchboard.js"} {
		resp, err := hc.Get(app.URL() + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 200 || resp.Proto != "HTTP/1.1" {
			t.Errorf("GET %s = %d %s, want 200 over HTTP/1.1 (WebSockets upgrade over it)", path, resp.StatusCode, resp.Proto)
		}
	}
	if seen == "" || app.Fingerprint() == "" {
		t.Fatal("no certificate seen")
	}
	// Plain HTTP on the HTTPS port gets nowhere.
	if resp, err := http.Get(strings.Replace(app.URL(), "https:", "http:", 1) + "/healthz"); err == nil {
		_ = resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain http answered 200 on the https port")
		}
	}
	// The Go client rings over wss://.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := app.Tokens().MintAuth("alice", "Alice", 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.DialWith(ctx, app.URL(), tok, client.DialOptions{HTTPClient: hc})
	if err != nil {
		t.Fatalf("client over https: %v", err)
	}
	defer func() { _ = c.Close() }()
	if users, err := c.ListUsers(ctx); err != nil || len(users) == 0 {
		t.Errorf("listUsers over wss = %v, %v", users, err)
	}
}

// TestHTTPSGivenCertificate: server.tls_cert and server.tls_key are served
// and verify against their CA; a missing key file fails the start naming
// the keys, before anything is written.
func TestHTTPSGivenCertificate(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeCert(t)
	app := startApp(t, func(c *server.Config) { c.Server.TLSCert, c.Server.TLSKey = certFile, keyFile })
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Get(app.URL() + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz verifying the given certificate: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz = %d", resp.StatusCode)
	}

	dbDir := t.TempDir()
	cfg := server.LocalConfig(filepath.Join(dbDir, "switchboard.db"))
	cfg.Server.TLSCert, cfg.Server.TLSKey = certFile, filepath.Join(dir, "missing.pem")
	if app, err := server.Start(context.Background(), cfg); err == nil {
		_ = app.Close()
		t.Fatal("started with a missing key file")
	} else if !strings.Contains(err.Error(), "server.tls_key") || !strings.Contains(err.Error(), "missing.pem") {
		t.Errorf("error %q does not name server.tls_key and the file", err)
	}
	if files, _ := os.ReadDir(dbDir); len(files) > 0 {
		t.Errorf("wrote %s before failing", files[0].Name())
	}
}

// writeCert writes a certificate for 127.0.0.1 and its key, and returns a
// pool that trusts it.
func writeCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	certFile, keyFile = netlab.SelfSignedCert(t, net.IPv4(127, 0, 0, 1))
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("the test certificate does not parse")
	}
	return certFile, keyFile, pool
}

func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
