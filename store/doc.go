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
// # PostgreSQL
//
// Config.Driver "postgres" opens the database at Config.DSN with pgx
// (postgres.go) for several nodes sharing one store. The store's SQL is
// written once, in what both engines accept (CASE, COALESCE, ON CONFLICT,
// RETURNING, CASTs where PostgreSQL must know a parameter's type), with
// SQLite's ?N placeholders; the PostgreSQL pools rewrite them to $N in the
// driver (pgdriver.go), so every method is the same code on both, but for
// one: SaveCalls first tries a batch of 1:1 calls as one pipeline of
// PostgreSQL-only statements, one per call, in one round trip and one
// implicit transaction, and saves the batch the common way when it does
// not fit or a call's rows are not what the store remembered (pgsave.go). The
// schema has its own migration files (migrations/postgres: BIGINT times,
// BYTEA, identity ids), numbered as the SQLite ones and applied in one
// transaction under an advisory lock, so nodes starting together migrate
// once. Writes go through one connection per process, as on SQLite; reads
// run in REPEATABLE READ read-only transactions, so a read of several
// queries sees one snapshot. A PostgreSQL that goes away makes methods
// fail with an error (the callers treat it as a full disk: saves are kept
// and retried); pgx reconnects when it is back.
//
// The behaviour tests (users, groups, calls, concurrency, devices, outbox)
// use only the Store interface; TestPostgres runs every one of them again
// on a real PostgreSQL that package pgtest starts, and
// TestPostgresSuiteIsComplete fails if one is left out. open_test.go is
// SQLite-specific.
package store
