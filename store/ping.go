package store

import "context"

// Pinger is a store that can check its database answers. Every store Open
// returns is one, but only PostgreSQL's answer tells anything: it is a
// server of its own that can go away while switchboard runs. A SQLite
// file is in this process (a full disk shows when a write fails), so
// nothing needs to ping it.
type Pinger interface {
	// Ping makes one round trip to the database (a new connection if the
	// pool has none that works).
	Ping(ctx context.Context) error
}

// Ping checks that the database answers, on the readers' pool (the
// writer's connections stay free for writes).
func (s *sqlStore) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }
