package store

import (
	"time"

	"github.com/switchboard-rtc/switchboard/internal/redact"
)

// Drivers: the backends Open can choose.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// Config selects and configures the store.
type Config struct {
	// Driver is the backend: "sqlite" (the default: one file, nothing else
	// to run) or "postgres" (several nodes share one database; DSN).
	Driver string `yaml:"driver"`

	// Path is the SQLite database file. It is created if missing; its
	// directory must exist and be writable (SQLite keeps -wal and -shm files
	// next to it). ":memory:" gives a private in-memory database (tests).
	Path string `yaml:"path"`

	// DSN is the PostgreSQL connection string (driver postgres), a URL
	// (postgres://user:pass@host:5432/db?sslmode=disable) or key=value
	// pairs (host=/run/postgresql dbname=switchboard). The database must
	// exist; its tables are created and migrated by Open.
	DSN string `yaml:"dsn"`

	// Now stamps CreatedAt/UpdatedAt when the caller leaves them zero.
	// nil means time.Now. Not configurable from YAML; tests inject a clock.
	Now func() time.Time `yaml:"-"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{Driver: DriverSQLite, Path: "./switchboard.db"} }

// Where names the database a Config opens, for logs and errors: the SQLite
// file, or the PostgreSQL DSN without its password.
func (c Config) Where() string {
	if c.Driver == DriverPostgres {
		return redact.DSN(c.DSN)
	}
	return c.Path
}
