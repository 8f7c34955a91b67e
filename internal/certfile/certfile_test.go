package certfile

import (
	"crypto/tls"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
)

// writePair writes a self-signed certificate for ip (its name "netlab
// <ip>") and its key to certPath and keyPath, with modification time mod.
func writePair(t *testing.T, certPath, keyPath, ip string, mod time.Time) {
	t.Helper()
	c, k := netlab.SelfSignedCert(t, net.ParseIP(ip))
	for _, f := range [][2]string{{c, certPath}, {k, keyPath}} {
		b, err := os.ReadFile(f[0])
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, f[1], b, mod)
	}
}

func writeFile(t *testing.T, path string, b []byte, mod time.Time) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

func served(t *testing.T, l *Loader) string {
	t.Helper()
	c, err := l.GetCertificate(&tls.ClientHelloInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return c.Leaf.Subject.CommonName
}

// TestRenewedFilesAreServed: files replaced in place (a renewal) are served
// from the first handshake CheckEvery after the last look; a pair that
// cannot be loaded keeps the previous certificate.
func TestRenewedFilesAreServed(t *testing.T) {
	dir := t.TempDir()
	certPath, keyPath := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	t0 := time.Now().Add(-time.Hour)
	const first, renewed, third = "netlab 198.18.0.1", "netlab 198.18.0.2", "netlab 198.18.0.3"
	writePair(t, certPath, keyPath, "198.18.0.1", t0)
	clock := time.Now()
	l, err := load(certPath, keyPath, nil, func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	if got := served(t, l); got != first {
		t.Fatalf("served %q, want %s", got, first)
	}

	writePair(t, certPath, keyPath, "198.18.0.2", t0.Add(time.Minute))
	clock = clock.Add(CheckEvery / 2)
	if got := served(t, l); got != first {
		t.Fatalf("before CheckEvery: served %q, want %s (the files are looked at once a minute)", got, first)
	}
	clock = clock.Add(CheckEvery)
	if got := served(t, l); got != renewed {
		t.Fatalf("after a renewal: served %q, want %s", got, renewed)
	}

	writeFile(t, certPath, []byte("-----BEGIN CERTIFICATE-----\nhalf written"), t0.Add(2*time.Minute))
	clock = clock.Add(CheckEvery)
	if got := served(t, l); got != renewed {
		t.Fatalf("a broken pair: served %q, want %s kept", got, renewed)
	}
	writePair(t, certPath, keyPath, "198.18.0.3", t0.Add(3*time.Minute))
	clock = clock.Add(CheckEvery)
	if got := served(t, l); got != third {
		t.Fatalf("a good pair after a broken one: served %q, want %s", got, third)
	}
}

func TestLoadNamesBothFiles(t *testing.T) {
	_, err := Load("/nonexistent/cert.pem", "/nonexistent/key.pem", nil)
	if err == nil || !contains(err.Error(), "/nonexistent/cert.pem") || !contains(err.Error(), "/nonexistent/key.pem") {
		t.Fatalf("err = %v, want one naming both files", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
