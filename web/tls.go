package web

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/certfile"
)

// HTTPS reports whether cfg serves HTTPS (a certificate or self_signed).
func (c Config) HTTPS() bool { return c.TLSCert != "" || c.TLSKey != "" || c.SelfSigned }

// TLSConfig loads server.tls_cert and server.tls_key (and their renewals:
// internal/certfile, logged on log), or generates a self-signed
// certificate; nil when cfg serves plain HTTP. HTTP/1.1 only: the
// WebSockets upgrade over it.
func (c Config) TLSConfig(log *slog.Logger) (*tls.Config, error) {
	cfg := &tls.Config{NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12}
	switch {
	case c.TLSCert != "" || c.TLSKey != "":
		if c.TLSCert == "" || c.TLSKey == "" {
			return nil, fmt.Errorf("server.tls_cert and server.tls_key go together: set both (PEM files) or neither")
		}
		files, err := certfile.Load(c.TLSCert, c.TLSKey, log)
		if err != nil {
			return nil, fmt.Errorf("server.tls_cert / server.tls_key: %w", err)
		}
		cfg.GetCertificate = files.GetCertificate
	case c.SelfSigned:
		cert, err := selfSigned(time.Now())
		if err != nil {
			return nil, fmt.Errorf("server.self_signed: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	default:
		return nil, nil
	}
	return cfg, nil
}

// selfSigned makes a certificate for localhost, this host's name and every
// address of its interfaces, valid from an hour ago for 90 days.
func selfSigned(now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "switchboard (self-signed)", Organization: []string{"switchboard"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(90 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if h, err := os.Hostname(); err == nil && h != "" && h != "localhost" {
		tmpl.DNSNames = append(tmpl.DNSNames, h)
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ipn.IP)
			}
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
