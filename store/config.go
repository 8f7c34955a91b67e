package store

import "time"

// Config selects and configures the store.
type Config struct {
	// Path is the SQLite database file. It is created if missing; its
	// directory must exist and be writable (SQLite keeps -wal and -shm files
	// next to it). ":memory:" gives a private in-memory database (tests).
	Path string `yaml:"path"`

	// Now stamps CreatedAt/UpdatedAt when the caller leaves them zero.
	// nil means time.Now. Not configurable from YAML; tests inject a clock.
	Now func() time.Time `yaml:"-"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Path: "./switchboard.db"} }
