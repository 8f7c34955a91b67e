package store

// Config selects and configures the store.
type Config struct {
	// Path is the SQLite database file. It is created if missing.
	Path string `yaml:"path"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Path: "./switchboard.db"} }
