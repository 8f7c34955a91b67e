// Package certfile serves a TLS certificate from PEM files and picks up a
// renewal: certbot, an ACME client or an operator replaces the files in
// place every 60-90 days, and a server that loaded them once at start
// served an expired certificate from then on (browsers refuse it for
// https:, wss: and turns: alike).
//
// A Loader checks the files' modification times at most once per
// CheckEvery, on a handshake, and loads them again when either changed. A
// pair that cannot be loaded (a renewal half written, a key that does not
// match) keeps the certificate served so far, logged once per change.
//
// Concurrency: GetCertificate may be called from any goroutine; mu guards
// the fields below it.
package certfile

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// CheckEvery is how often, at most, the files are looked at again.
const CheckEvery = time.Minute

// Loader serves the certificate of one PEM certificate and key pair.
type Loader struct {
	certPath, keyPath string
	log               *slog.Logger
	now               func() time.Time

	// mu guards the fields below.
	mu              sync.Mutex
	cert            *tls.Certificate
	certMod, keyMod time.Time // of the files last tried
	checkedAt       time.Time
}

// Load reads the pair now (an error names both files) and returns a
// Loader that serves it and its renewals. log may be nil.
func Load(certPath, keyPath string, log *slog.Logger) (*Loader, error) {
	return load(certPath, keyPath, log, time.Now)
}

func load(certPath, keyPath string, log *slog.Logger, now func() time.Time) (*Loader, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Loader{certPath: certPath, keyPath: keyPath, log: log, now: now}
	certMod, keyMod := l.mods()
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return nil, fmt.Errorf("%q / %q: %w", certPath, keyPath, err)
	}
	l.cert, l.certMod, l.keyMod, l.checkedAt = &cert, certMod, keyMod, now()
	return l, nil
}

// GetCertificate is tls.Config.GetCertificate: the pair's current
// certificate.
func (l *Loader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := l.now(); now.Sub(l.checkedAt) >= CheckEvery {
		l.checkedAt = now
		l.reloadLocked()
	}
	return l.cert, nil
}

// reloadLocked loads the pair again if either file changed since last
// tried.
func (l *Loader) reloadLocked() {
	certMod, keyMod := l.mods()
	if certMod.Equal(l.certMod) && keyMod.Equal(l.keyMod) {
		return
	}
	l.certMod, l.keyMod = certMod, keyMod
	cert, err := tls.LoadX509KeyPair(l.certPath, l.keyPath)
	if err != nil {
		l.log.Warn("certificate files changed but cannot be loaded: still serving the previous certificate",
			"cert", l.certPath, "key", l.keyPath, "err", err)
		return
	}
	l.cert = &cert
	l.log.Info("certificate reloaded", "cert", l.certPath, "expires", notAfter(&cert))
}

// mods are the files' modification times (zero for one that cannot be read).
func (l *Loader) mods() (cert, key time.Time) {
	if fi, err := os.Stat(l.certPath); err == nil {
		cert = fi.ModTime()
	}
	if fi, err := os.Stat(l.keyPath); err == nil {
		key = fi.ModTime()
	}
	return cert, key
}

func notAfter(c *tls.Certificate) string {
	if c.Leaf == nil {
		return "unknown"
	}
	return c.Leaf.NotAfter.UTC().Format(time.RFC3339)
}
