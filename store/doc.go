// Package store is what switchboard persists: users, groups and their
// members (the directory the admin API edits and the ringing flow reads),
// and the call log (one row per call session plus one per participant).
//
// The Store interface in store.go is the whole contract; Open returns the
// SQLite implementation (modernc.org/sqlite, pure Go, so the binary builds
// with CGO_ENABLED=0). Errors wrap ErrNotFound, ErrConflict or ErrInvalid so
// that callers map them to protocol codes with errors.Is; messages name the
// id and the rule that failed. ValidateID and ValidateName are the one
// definition of a valid uid/guid/session id and display name: the admin API
// and the ringing flow call them before they reach the store, and the store
// checks again.
//
// # SQLite
//
// Open creates the file if needed, switches it to WAL, turns foreign keys on
// and applies the embedded migrations (migrations/NNNN_name.sql, recorded in
// schema_version) in one transaction: all pending steps land or none does,
// and reopening an up-to-date file changes nothing. A path that cannot be
// created, a file that is not SQLite, a SQLite file of another program, or a
// schema newer than the binary fails at Open with a message naming the path
// and the fix. Times are stored as unix milliseconds (NULL for "not yet")
// and come back in UTC, truncated to the millisecond.
//
// # Concurrency
//
// A Store is safe for concurrent use. Writes go through a pool of exactly one
// connection: they run one at a time, in the order database/sql hands out
// that connection, and each method that writes several rows (AddMembers,
// DeleteGroup, SaveCall, SaveCalls, CloseOpenCalls) is one transaction.
// SaveCall and SaveCalls use statements prepared once on the writer
// connection (SaveCalls: one commit for a whole batch of calls); a call
// saved again with the same fixed columns and participants is updated in
// place. Reads go through
// a separate pool of query_only connections; WAL lets them run beside the
// writer, and a read that spans several queries (GetCall, ListCalls,
// ListMembers) runs in one read transaction, so it sees one snapshot and
// never half of a SaveCall. Every method takes a context; cancelling it
// aborts the statement and rolls the transaction back. Callers on a hot path
// (the ringing loop) should not wait on the store: hand saves to a goroutine
// of their own. Close closes both pools; calls in flight finish or fail.
//
// # Another backend
//
// A second backend (PostgreSQL for a cluster) implements Store in its own
// file or package with its own Open, and cmd chooses by Config. It must keep
// the semantics written on the interface: the same sentinels, all-or-nothing
// AddMembers, SaveCall replacing participants atomically, SaveCalls all or
// nothing, ListCalls newest
// first with keyset paging on InitiatedAt, CloseOpenCalls rules. The behaviour tests in
// this package (users, groups, calls, concurrency) use only the Store
// interface and can be pointed at another implementation by swapping the
// constructor in newStore; open_test.go is SQLite-specific.
package store
