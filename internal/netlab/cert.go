package netlab

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// SelfSignedCert writes a self-signed certificate (its own CA, valid for
// an hour) for ip, and its key, as PEM files in a directory of t's: what
// a TURN-over-TLS or HTTPS listener in a lab takes.
func SelfSignedCert(t testing.TB, ip net.IP) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "netlab " + ip.String()},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{ip},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return writePair(t, der, key)
}

// processCA is the certificate authority TrustedCert signs with: one per
// test process, because crypto/x509 reads SSL_CERT_FILE once per process. A
// test run twice in one process (go test -count) that trusted a CA of its
// own through it failed the second time: the roots were the first run's.
var processCA struct {
	once sync.Once
	file string
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	err  error
}

// TrustedCert writes a certificate for ip and its key (PEM files in a
// directory of t's), signed by this process's test CA, and returns the CA's
// file too: what SSL_CERT_FILE must name for Go's TLS clients (pion's
// TURN-over-TLS client among them) to trust the certificate. The CA file
// lives in a temporary directory for the life of the process.
func TrustedCert(t testing.TB, ip net.IP) (caFile, certFile, keyFile string) {
	t.Helper()
	ca := &processCA
	ca.once.Do(func() {
		if ca.key, ca.err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); ca.err != nil {
			return
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "netlab test CA"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(48 * time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ca.key.PublicKey, ca.key)
		if err != nil {
			ca.err = err
			return
		}
		if ca.cert, ca.err = x509.ParseCertificate(der); ca.err != nil {
			return
		}
		dir, err := os.MkdirTemp("", "netlab-ca-")
		if err != nil {
			ca.err = err
			return
		}
		ca.file = filepath.Join(dir, "ca.pem")
		ca.err = os.WriteFile(ca.file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	})
	if ca.err != nil {
		t.Fatalf("the test CA: %v", ca.err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "netlab " + ip.String()},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{ip},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = writePair(t, der, key)
	return ca.file, certFile, keyFile
}

// writePair writes a certificate and its key as PEM files in a directory of t's.
func writePair(t testing.TB, der []byte, key *ecdsa.PrivateKey) (certFile, keyFile string) {
	t.Helper()
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
