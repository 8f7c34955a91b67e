package cluster

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/switchboard-rtc/switchboard/internal/redact"
)

// Roles a node plays (cluster.role, serve --role).
const (
	RoleAll    = "all"    // ringing (/v1/ws) and media (/v1/rtc): the default
	RoleSignal = "signal" // ringing only: never hosts a call's media
	RoleMedia  = "media"  // media only: takes no /v1/ws, hosts rooms
)

// Config is the cluster section of the configuration. With Redis empty
// the server runs alone (the default) and nothing here is used.
type Config struct {
	// Redis is the shared state's address: redis://[:password@]host:6379/0,
	// rediss://... (TLS) or unix:///path/to/redis.sock. "" = one node.
	Redis string `yaml:"redis"`
	// NodeID names this node in Redis ("" = hostname plus a random
	// suffix, new at each start). Two live nodes must never share one.
	NodeID string `yaml:"node_id"`
	// Keepalive is how often the node renews its registration.
	Keepalive time.Duration `yaml:"keepalive"`
	// Expiry is how long a registration lives without renewal: a node
	// silent for this long is lost, and the survivors end its calls
	// (node_lost) within Expiry + Keepalive.
	Expiry time.Duration `yaml:"expiry"`
	// Role is what this node does: all (default), signal or media.
	Role string `yaml:"role"`
	// MediaURL is this node's own public base URL for /v1/rtc, announced
	// in its registration and named in the call tokens of the calls whose
	// media it hosts ("" = derived by the server from its address).
	MediaURL string `yaml:"media_url"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{Keepalive: 2 * time.Second, Expiry: 6 * time.Second, Role: RoleAll}
}

func (c Config) role() string {
	if c.Role == "" {
		return RoleAll
	}
	return c.Role
}

// Enabled reports whether the node joins a cluster.
func (c Config) Enabled() bool { return c.Redis != "" }

// Validate checks the section; messages name the key.
func (c Config) Validate() error {
	if c.Keepalive <= 0 || c.Expiry < 2*c.Keepalive {
		return fmt.Errorf("%w: cluster.expiry (%v) must be at least twice cluster.keepalive (%v)", ErrConfig, c.Expiry, c.Keepalive)
	}
	if err := c.ValidatePlacement(); err != nil {
		return err
	}
	if c.Redis != "" {
		if _, err := c.redisOptions(); err != nil {
			return err
		}
	}
	return nil
}

// ValidatePlacement checks cluster.role and cluster.media_url (also on a
// node alone, where only role all makes sense).
func (c Config) ValidatePlacement() error {
	switch c.Role {
	case "", RoleAll, RoleSignal, RoleMedia:
	default:
		return fmt.Errorf("%w: cluster.role (--role) is %q: want all, signal or media", ErrConfig, c.Role)
	}
	if c.Redis == "" && c.role() != RoleAll {
		return fmt.Errorf("%w: cluster.role %s needs cluster.redis: a node alone must ring and host media (role all)", ErrConfig, c.Role)
	}
	if c.MediaURL != "" {
		if u, err := url.Parse(c.MediaURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w: cluster.media_url %q: want http(s)://host[:port]", ErrConfig, c.MediaURL)
		}
	}
	return nil
}

func (c Config) redisOptions() (*redis.Options, error) {
	if p, ok := strings.CutPrefix(c.Redis, "unix://"); ok && !strings.Contains(p, "?") {
		return &redis.Options{Network: "unix", Addr: p}, nil
	}
	o, err := redis.ParseURL(c.Redis)
	if err != nil { // the URL's password stays out of the message (it is logged)
		return nil, fmt.Errorf("%w: cluster.redis: %s", ErrConfig, redact.Err(err, c.Redis))
	}
	return o, nil
}

// nodeID is c.NodeID, or the hostname with a random suffix.
func (c Config) nodeID() string {
	if c.NodeID != "" {
		return c.NodeID
	}
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}
