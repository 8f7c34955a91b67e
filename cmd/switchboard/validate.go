package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-rtc/switchboard/cluster"
	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/turnserver"
	"github.com/switchboard-rtc/switchboard/webhook"
)

// problems collects validation errors; bad reports one about key, named
// after at(key) ("file:line: " for a key the YAML file set).
type problems struct {
	at   func(key string) string
	errs []error
}

func (p *problems) bad(key, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%w: %s%s: %s", ErrConfig, p.at(key), key, fmt.Sprintf(format, args...)))
}

// validateAt checks the layered config; every message names the key, after
// at(key): "file:line: " for a key the YAML file set (loaded.validate).
func (c *Config) validateAt(at func(key string) string) error {
	p := &problems{at: at}
	bad := p.bad
	c.validateGeneric(bad)
	if !oneOf(c.Log.Level, "debug", "info", "warn", "error") {
		bad("log.level", "%q is not a level; use debug, info, warn or error", c.Log.Level)
	}
	if !oneOf(c.Log.Format, "text", "json") {
		bad("log.format", "%q is not a format; use text or json", c.Log.Format)
	}
	if _, port, err := net.SplitHostPort(c.Server.Listen); err != nil {
		bad("server.listen", "%q is not host:port (e.g. :7880 or 127.0.0.1:7880)", c.Server.Listen)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("server.listen", "port %q must be a number from 0 to 65535", port)
	}
	for _, k := range []struct{ key, ip string }{
		{"media.bind_address", c.Media.BindAddress}, {"media.public_ip", c.Media.PublicIP},
	} {
		if k.ip != "" && net.ParseIP(k.ip) == nil {
			bad(k.key, "%q is not an IP address", k.ip)
		}
	}
	if ip := net.ParseIP(c.Media.BindAddress); ip != nil && ip.IsLoopback() && c.Media.PublicIP != "" {
		// clients would be told an address whose datagrams never reach a loopback socket
		bad("media.public_ip", "%s would be announced to clients, but media.bind_address %s is loopback: nothing from another host reaches it; bind another address, or leave public_ip out", c.Media.PublicIP, c.Media.BindAddress)
	}
	if c.Media.LocalOnly && (c.Media.PublicIP != "" || c.TURN.Enabled) {
		// a public address would be announced to clients the server drops, and
		// the embedded TURN server's relays (this host's addresses) would carry
		// any other host's media past the rule
		bad("media.local_only", "serves this host only: it cannot go with media.public_ip or turn.enabled")
	}
	if c.Outbox.MaxBackoff < c.Outbox.MinBackoff {
		bad("outbox.max_backoff", "%s is shorter than outbox.min_backoff (%s); the wait between attempts grows from min to max", c.Outbox.MaxBackoff, c.Outbox.MinBackoff)
	}
	c.validateOrigins(bad)
	c.validatePorts(bad, at)
	c.validateInterfaces(bad, hostInterfaces())
	if c.Ringing.MaxRingTimeout < c.Ringing.RingTimeout {
		bad("ringing.max_ring_timeout", "%s is shorter than ringing.ring_timeout (%s)", c.Ringing.MaxRingTimeout, c.Ringing.RingTimeout)
	}
	if (c.Server.TLSCert == "") != (c.Server.TLSKey == "") {
		bad("server.tls_cert", "server.tls_cert and server.tls_key go together: set both (PEM files) or neither")
	}
	if c.Server.SelfSigned && c.Server.TLSCert != "" {
		bad("server.self_signed", "is on and server.tls_cert is set; choose one")
	}
	switch c.Store.Driver {
	case store.DriverSQLite, "":
		if c.Store.Path == "" {
			bad("store.path", "is empty; set the SQLite file, e.g. ./switchboard.db")
		}
	case store.DriverPostgres:
		if c.Store.DSN == "" {
			bad("store.dsn", "is empty; with store.driver postgres set it, e.g. postgres://switchboard:secret@127.0.0.1:5432/switchboard")
		} else if err := store.CheckDSN(c.Store.DSN); err != nil {
			bad("store.dsn", "%s; want a URL (postgres://user:password@host:5432/db?sslmode=disable) or key=value pairs (host=... dbname=...)", err)
		}
	default:
		bad("store.driver", "%q is not a backend; use sqlite (one file, the default) or postgres (store.dsn)", c.Store.Driver)
	}
	switch c.Cluster.Role {
	case cluster.RoleAll, cluster.RoleSignal, cluster.RoleMedia:
		if c.Cluster.Role != cluster.RoleAll && !c.Cluster.Enabled() {
			bad("cluster.role", "is %s but cluster.redis is empty: a node alone must ring and host media (role all)", c.Cluster.Role)
		}
	default:
		bad("cluster.role", "%q is not a role; use all, signal or media (serve --role)", c.Cluster.Role)
	}
	if u, err := url.Parse(c.Cluster.MediaURL); c.Cluster.MediaURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		bad("cluster.media_url", "%q is not a base URL; want http(s)://host[:port]", c.Cluster.MediaURL)
	}
	if host, _, err := net.SplitHostPort(c.Server.Listen); err == nil && c.Cluster.Enabled() && c.Cluster.Role != cluster.RoleSignal &&
		c.Cluster.MediaURL == "" && c.Media.PublicIP == "" && (host == "" || net.ParseIP(host).IsUnspecified()) {
		bad("cluster.media_url", "is empty, and server.listen %q is every address of this host: the call tokens would send other nodes' clients to 127.0.0.1; set cluster.media_url (e.g. https://node1.calls.example.com) or media.public_ip", c.Server.Listen)
	}
	if c.Cluster.Enabled() && c.Store.Driver != store.DriverPostgres {
		bad("store.driver", "is %q but cluster.redis is set: the nodes of a cluster share one PostgreSQL (store.driver: postgres)", c.Store.Driver)
	}
	if t := c.TURN; t.Enabled && t.RelayPortMin > 0 {
		for _, p := range []struct {
			key  string
			port int
		}{{"media.udp_port", c.Media.UDPPort}, {"media.tcp_port", c.Media.TCPPort}} {
			if p.port >= t.RelayPortMin && p.port <= t.RelayPortMax {
				bad("turn.relay_port_min", "the relay ports %d-%d include %s %d: TURN would take the media port for a relay; move one of them",
					t.RelayPortMin, t.RelayPortMax, p.key, p.port)
			}
		}
	}
	for i, s := range c.Media.ICEServers {
		badErr(bad, "media", turnserver.CheckICEServer(fmt.Sprintf("media.ice_servers[%d]", i), s))
	}
	c.validateKeys(bad)
	c.validateSections(bad)
	return errors.Join(p.errs...)
}

// validateTokenKeysAt checks only what token create uses: the API keys,
// signing_key and the longest token lifetimes the server accepts. The
// rest (store, push, TLS, ports...) is the server's: token create runs
// where the server's config is, often without the server's environment
// (store.dsn) or its files (push keys), and must not refuse over them.
func (c *Config) validateTokenKeysAt(at func(key string) string) error {
	p := &problems{at: at}
	c.validateKeys(p.bad)
	for _, k := range []struct {
		key string
		ttl time.Duration
	}{{"server.max_auth_token_ttl", c.Server.MaxAuthTokenTTL}, {"server.max_admin_token_ttl", c.Server.MaxAdminTokenTTL}} {
		if k.ttl <= 0 {
			p.bad(k.key, "must be a duration above 0 (e.g. 30s), not %s", k.ttl)
		}
	}
	return errors.Join(p.errs...)
}

// validateSections runs the checks server.Start runs on the turn, webhooks,
// push and cluster blocks, so their errors come before the server binds a port or
// creates the database, and name the file's line too. Their messages are "<sentinel>: <key>: <what>".
func (c *Config) validateSections(bad func(key, format string, args ...any)) {
	for _, s := range []struct {
		sentinel error
		section  string
		check    func() error
	}{
		{turnserver.ErrConfig, "turn", c.TURN.Validate},
		{webhook.ErrConfig, "webhooks", c.Webhooks.Validate},
		{push.ErrConfig, "push", c.Push.Validate}, // reads the APNs key and FCM credentials files
		{cluster.ErrConfig, "cluster", func() error {
			if c.Cluster.ValidatePlacement() != nil {
				return nil // role and media_url: said above, in the config's words
			}
			return c.Cluster.Validate() // expiry against keepalive, the Redis URL
		}},
	} {
		if err := s.check(); err != nil {
			badErr(bad, s.section, errors.New(strings.TrimPrefix(err.Error(), s.sentinel.Error()+": ")))
		}
	}
}

// badErr reports err, a "<key>: <what>" message about a key of section,
// under its key (so that it names the file's line), else under section.
func badErr(bad func(key, format string, args ...any), section string, err error) {
	if err == nil {
		return
	}
	msg := err.Error()
	if key, what, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(key, section+".") {
		bad(key, "%s", what)
	} else {
		bad(section, "%s", msg)
	}
}

// validateGeneric applies the rules every key of a kind follows, so keys
// teammates add are checked too: durations > 0, *_port 0..65535, other
// max_* limits > 0 (but turn.max_bitrate, where 0 is no cap), other
// numbers >= 0.
func (c *Config) validateGeneric(bad func(key, format string, args ...any)) {
	root := reflect.ValueOf(c).Elem()
	for _, f := range sortedFields(configFields()) {
		v := root.FieldByIndex(f.index)
		switch {
		case f.typ == durationType:
			if v.Int() <= 0 {
				bad(f.key, "must be a duration above 0 (e.g. 30s), not %s", time.Duration(v.Int()))
			}
		case strings.HasSuffix(f.key, "_port") && v.CanInt():
			if v.Int() < 0 || v.Int() > 65535 {
				bad(f.key, "%d is not a port; use 0 to 65535", v.Int())
			}
		case isLimit(f.key) && (v.CanInt() && v.Int() <= 0 || v.CanFloat() && v.Float() <= 0):
			bad(f.key, "is a limit and must be above 0")
		case v.CanInt() && v.Int() < 0:
			bad(f.key, "%d is negative", v.Int())
		case v.CanFloat() && v.Float() < 0:
			bad(f.key, "%g is negative", v.Float())
		}
	}
}

func (c *Config) validateKeys(bad func(key, format string, args ...any)) {
	for k, s := range c.Keys {
		switch {
		case strings.ContainsAny(k, ":, \t"):
			bad("keys", "API key %q contains ':', ',' or a space; use the key printed by switchboard keys generate", k)
		case len(s) < 32:
			bad("keys."+k, "the secret is %d characters; use at least 32 (switchboard keys generate)", len(s))
		}
	}
	if c.SigningKey != "" {
		if _, ok := c.Keys[c.SigningKey]; !ok {
			bad("signing_key", "%q is not one of the API keys under keys", c.SigningKey)
		}
	}
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}

// isLimit reports whether key's last part starts with max_, except the
// limits whose 0 means "no cap" (documented so in configs/switchboard.yaml).
func isLimit(key string) bool {
	return strings.HasPrefix(key[strings.LastIndex(key, ".")+1:], "max_") && key != "turn.max_bitrate"
}
