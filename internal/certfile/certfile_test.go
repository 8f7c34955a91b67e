package certfile

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writePair writes a self-signed certificate named cn and its key, with
// modification time mod.
func writePair(t *testing.T, certPath, keyPath, cn string, mod time.Time) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), mod)
	writeFile(t, keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), mod)
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
	writePair(t, certPath, keyPath, "first", t0)
	clock := time.Now()
	l, err := load(certPath, keyPath, nil, func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	if got := served(t, l); got != "first" {
		t.Fatalf("served %q, want first", got)
	}

	writePair(t, certPath, keyPath, "renewed", t0.Add(time.Minute))
	clock = clock.Add(CheckEvery / 2)
	if got := served(t, l); got != "first" {
		t.Fatalf("before CheckEvery: served %q, want first (the files are looked at once a minute)", got)
	}
	clock = clock.Add(CheckEvery)
	if got := served(t, l); got != "renewed" {
		t.Fatalf("after a renewal: served %q, want renewed", got)
	}

	writeFile(t, certPath, []byte("-----BEGIN CERTIFICATE-----\nhalf written"), t0.Add(2*time.Minute))
	clock = clock.Add(CheckEvery)
	if got := served(t, l); got != "renewed" {
		t.Fatalf("a broken pair: served %q, want renewed kept", got)
	}
	writePair(t, certPath, keyPath, "third", t0.Add(3*time.Minute))
	clock = clock.Add(CheckEvery)
	if got := served(t, l); got != "third" {
		t.Fatalf("a good pair after a broken one: served %q, want third", got)
	}
}

func TestLoadNamesBothFiles(t *testing.T) {
	_, err := Load("/nonexistent/cert.pem", "/nonexistent/key.pem", nil)
	if err == nil || !contains(err.Error(), "/nonexistent/cert.pem") || !contains(err.Error(), "/nonexistent/key.pem") {
		t.Fatalf("err = %v, want one naming both files", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
