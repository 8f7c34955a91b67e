package web

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"os"
	"strings"
	"time"
)

// HTTPS reports whether cfg serves HTTPS (a certificate or self_signed).
func (c Config) HTTPS() bool { return c.TLSCert != "" || c.TLSKey != "" || c.SelfSigned }

// tlsConfig loads server.tls_cert and server.tls_key, or generates a
// self-signed certificate; nil when cfg serves plain HTTP. HTTP/1.1 only:
// the WebSockets upgrade over it.
func (c Config) tlsConfig() (*tls.Config, error) {
	var cert tls.Certificate
	var err error
	switch {
	case c.TLSCert != "" || c.TLSKey != "":
		if c.TLSCert == "" || c.TLSKey == "" {
			return nil, fmt.Errorf("server.tls_cert and server.tls_key go together: set both (PEM files) or neither")
		}
		if cert, err = tls.LoadX509KeyPair(c.TLSCert, c.TLSKey); err != nil {
			return nil, fmt.Errorf("server.tls_cert %q / server.tls_key %q: %w", c.TLSCert, c.TLSKey, err)
		}
	case c.SelfSigned:
		if cert, err = selfSigned(time.Now()); err != nil {
			return nil, fmt.Errorf("server.self_signed: %w", err)
		}
	default:
		return nil, nil
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12}, nil
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

// Fingerprint is the SHA-256 fingerprint of the served certificate
// (AB:CD:...), "" over plain HTTP: compare it with what the browser shows
// before accepting a self-signed certificate.
func (a *App) Fingerprint() string {
	if a.tls == nil || len(a.tls.Certificates) == 0 {
		return ""
	}
	sum := sha256.Sum256(a.tls.Certificates[0].Certificate[0])
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// LANURLs are the URLs other devices on the network can open: one per
// non-loopback IPv4 address of the host when the server listens on all
// interfaces, none when it listens on one address.
func (a *App) LANURLs() []string {
	addr := a.listener.Addr().(*net.TCPAddr)
	if !addr.IP.IsUnspecified() {
		return nil
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var out []string
	for _, iface := range ifaces {
		if iface.Flags&net.FlagUp == 0 || iface.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := iface.Addrs()
		for _, ad := range addrs {
			ipn, ok := ad.(*net.IPNet)
			if !ok || ipn.IP.To4() == nil || ipn.IP.IsLinkLocalUnicast() {
				continue
			}
			out = append(out, a.scheme()+"://"+net.JoinHostPort(ipn.IP.String(), fmt.Sprint(addr.Port)))
		}
	}
	return out
}

func (a *App) scheme() string {
	if a.tls != nil {
		return "https"
	}
	return "http"
}
