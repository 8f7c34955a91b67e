package doctor

import (
	"crypto/tls"
	"time"
)

// certWarnBefore: a certificate that expires sooner is a warning.
const certWarnBefore = 14 * 24 * time.Hour

// checkCertificates loads each configured certificate and key pair
// (server.tls_cert / tls_key, turn.tls_cert / tls_key) and says how long
// it is valid: expired or unloadable fails, expiring within two weeks
// warns. Renewed files are picked up without a restart (internal/certfile),
// so the advice is to renew them, not to restart.
func checkCertificates(r *Report, cfg Config, now time.Time) {
	pairs := []struct{ what, cert, key string }{
		{"server.tls_cert", cfg.TLSCert, cfg.TLSKey},
	}
	if cfg.TURN.Enabled && cfg.TURN.ListenTLS != "" {
		pairs = append(pairs, struct{ what, cert, key string }{"turn.tls_cert", cfg.TURN.TLSCert, cfg.TURN.TLSKey})
	}
	for _, p := range pairs {
		if p.cert == "" && p.key == "" {
			continue
		}
		c, err := tls.LoadX509KeyPair(p.cert, p.key)
		if err != nil {
			r.add(Fail, p.what, "cannot load %s / %s: %v", p.cert, p.key, err)
			continue
		}
		until := c.Leaf.NotAfter
		switch left := until.Sub(now); {
		case left <= 0:
			r.add(Fail, p.what, "%s expired on %s: browsers refuse it; renew the files (no restart needed)", p.cert, day(until))
		case left < certWarnBefore:
			r.add(Warn, p.what, "%s expires in %d days (%s): renew the files (no restart needed)", p.cert, int(left.Hours()/24), day(until))
		default:
			r.add(OK, p.what, "%s valid until %s", p.cert, day(until))
		}
	}
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }
