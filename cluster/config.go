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

// Roles a node may play (serve --role).
const (
	RoleAll    = "all"    // ringing and media
	RoleSignal = "signal" // ringing only (/v1/ws)
	RoleMedia  = "media"  // media only (/v1/rtc)
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
	// MediaURL is this node's public base URL (https://node1.example.com):
	// call tokens for calls whose media this node hosts name it, so clients
	// open /v1/rtc here. "" = the URL the client used.
	MediaURL string `yaml:"media_url"`
	// Role is what this node serves: all, signal or media.
	Role string `yaml:"role"`
	// Keepalive is how often the node renews its registration.
	Keepalive time.Duration `yaml:"keepalive"`
	// Expiry is how long a registration lives without renewal: a node
	// silent for this long is lost, and the survivors end its calls
	// (node_lost) within Expiry + Keepalive.
	Expiry time.Duration `yaml:"expiry"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{Role: RoleAll, Keepalive: 2 * time.Second, Expiry: 6 * time.Second}
}

// Enabled reports whether the node joins a cluster.
func (c Config) Enabled() bool { return c.Redis != "" }

// Validate checks the section; messages name the key.
func (c Config) Validate() error {
	switch c.Role {
	case RoleAll, RoleSignal, RoleMedia:
	default:
		return fmt.Errorf("%w: cluster.role %q: use all, signal or media", ErrConfig, c.Role)
	}
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
