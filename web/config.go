package web

import (
	"time"

	"github.com/switchboard-rtc/switchboard/tokens"
)

// Config tunes the HTTP front door.
type Config struct {
	// Listen is the HTTP address (":7880" = all interfaces, port 7880).
	Listen string `yaml:"listen"`
	// MetricsListen, if set, serves /metrics (plain HTTP) on this address
	// only, e.g. "127.0.0.1:9100" for a Prometheus on the host, and
	// Listen no longer does; "" serves it on Listen.
	MetricsListen string `yaml:"metrics_listen"`
	// AllowedOrigins may open WebSockets from a browser, besides the
	// server's own host, e.g. "https://app.example.com". "*" allows any.
	AllowedOrigins []string `yaml:"allowed_origins"`
	// ShutdownGrace is how long SIGTERM lets ongoing calls finish.
	ShutdownGrace time.Duration `yaml:"shutdown_grace"`
	// MaxBodyBytes limits admin API request bodies.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// TLSCert and TLSKey are PEM files (certificate chain, private key):
	// when both are set the server speaks HTTPS only. Browsers give
	// camera and microphone only to https:// pages (or localhost).
	TLSCert string `yaml:"tls_cert"`
	TLSKey  string `yaml:"tls_key"`
	// SelfSigned serves HTTPS with a certificate generated at each start
	// (browsers warn once per start), to try calls from a phone on the LAN
	// without a certificate. Ignored when TLSCert is set.
	SelfSigned bool `yaml:"self_signed"`
	// MaxAuthTokenTTL is the longest lifetime (exp - iat) an auth token
	// may have; longer ones are refused, also when minting.
	MaxAuthTokenTTL time.Duration `yaml:"max_auth_token_ttl"`
	// MaxAdminTokenTTL is the same for admin tokens, which hold every
	// power of the admin API and cannot be revoked one by one.
	MaxAdminTokenTTL time.Duration `yaml:"max_admin_token_ttl"`
	// BodyReadTimeout is how long a request's body may take to arrive
	// (0: 10 s; tests shorten it).
	BodyReadTimeout time.Duration `yaml:"-"`
	// Dev enables the dev login on the web page (POST /v1/dev/login).
	// Set by `serve --dev`; never enable it on a public server.
	Dev bool `yaml:"dev"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Listen:        ":7880",
		ShutdownGrace: 30 * time.Second,
		MaxBodyBytes:  64 << 10,

		MaxAuthTokenTTL:  tokens.DefaultMaxAuthLifetime,
		MaxAdminTokenTTL: tokens.DefaultMaxAdminLifetime,
	}
}
