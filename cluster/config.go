package cluster

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// RoleAll is the only role a node plays today: ringing and media. A
// node's registration carries its role and media URL so that signal-only
// and media-only nodes (serve --role) can come without a format change.
const RoleAll = "all"

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
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{Keepalive: 2 * time.Second, Expiry: 6 * time.Second}
}

// Enabled reports whether the node joins a cluster.
func (c Config) Enabled() bool { return c.Redis != "" }

// Validate checks the section; messages name the key.
func (c Config) Validate() error {
	if c.Keepalive <= 0 || c.Expiry < 2*c.Keepalive {
		return fmt.Errorf("%w: cluster.expiry (%v) must be at least twice cluster.keepalive (%v)", ErrConfig, c.Expiry, c.Keepalive)
	}
	if c.Redis != "" {
		if _, err := c.redisOptions(); err != nil {
			return err
		}
	}
	return nil
}

func (c Config) redisOptions() (*redis.Options, error) {
	if p, ok := strings.CutPrefix(c.Redis, "unix://"); ok && !strings.Contains(p, "?") {
		return &redis.Options{Network: "unix", Addr: p}, nil
	}
	o, err := redis.ParseURL(c.Redis)
	if err != nil {
		return nil, fmt.Errorf("%w: cluster.redis: %w", ErrConfig, err)
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
