package bench

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"github.com/switchboard-rtc/switchboard/tokens"
	"gopkg.in/yaml.v3"
)

// serverConfig is the YAML config the bench hands `switchboard serve`: only
// the keys it changes from the defaults, with loopback-only networking, no
// initiate or request rate limit and no cap on a user's connections (the
// ringing scenario is a flood by design) and room
// for the largest room the run asks for.
func serverConfig(listen, dbPath string, keys map[string]string, participants int) map[string]any {
	return map[string]any{
		"log":  map[string]any{"level": "warn"},
		"keys": keys,
		"server": map[string]any{
			"listen": listen, "shutdown_grace": "1s",
		},
		"ringing": map[string]any{"initiate_rate": 0, "request_rate": 0, "max_connections_per_user": 1 << 30},
		"media": map[string]any{
			"bind_address": "127.0.0.1", "udp_port": 0, "tcp_port": 0,
			"include_loopback": true, "ips": []string{"127.0.0.1"},
			"max_participants": max(participants, 16),
		},
		"store": map[string]any{"path": dbPath},
	}
}

// writeServerConfig writes a fresh config (new API key, new database) in a
// new temporary directory and returns the file, the token issuer that
// matches its keys, and the directory to remove afterwards. extra adds or
// replaces top-level sections.
func writeServerConfig(listen string, participants int, extra map[string]any) (string, *tokens.Issuer, string, error) {
	dir, err := os.MkdirTemp("", "switchboard-bench-")
	if err != nil {
		return "", nil, "", fmt.Errorf("%w: %w", ErrChild, err)
	}
	key, secret, err := tokens.GenerateKey()
	if err != nil {
		return "", nil, dir, err
	}
	keys := map[string]string{key: secret}
	conf := serverConfig(listen, filepath.Join(dir, "bench.db"), keys, participants)
	maps.Copy(conf, extra)
	raw, err := yaml.Marshal(conf)
	if err != nil {
		return "", nil, dir, err
	}
	path := filepath.Join(dir, "switchboard.yaml")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		return "", nil, dir, fmt.Errorf("%w: %w", ErrChild, err)
	}
	iss, err := tokens.New(keys, key, nil)
	return path, iss, dir, err
}
