package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Page and query limits.
const (
	DefaultLimit = 50
	MaxLimit     = 100
)

// limit applies the "0 means 50, at most 100" rule.
func limit(n int) (int, error) {
	switch {
	case n == 0:
		return DefaultLimit, nil
	case n < 0 || n > MaxLimit:
		return 0, fmt.Errorf("%w: limit %d is out of range; use 1..%d (0 means %d)", ErrInvalid, n, MaxLimit, DefaultLimit)
	}
	return n, nil
}

// ms stores a time as unix milliseconds; the zero time is NULL.
func ms(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// fromMS is the inverse of ms; times come back in UTC.
func fromMS(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMilli(n.Int64).UTC()
}

// stamp returns t, or now truncated to milliseconds when t is zero.
func (s *sqlStore) stamp(t time.Time) time.Time {
	if t.IsZero() {
		t = s.now()
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// write runs fn in one transaction on the writer connection: committed if fn
// returns nil, rolled back otherwise.
func (s *sqlStore) write(ctx context.Context, fn func(*sql.Tx) error) error {
	return inTx(ctx, s.w, nil, fn)
}

// read runs fn in one transaction on a reader connection, so that its
// queries see one snapshot.
func (s *sqlStore) read(ctx context.Context, fn func(*sql.Tx) error) error {
	return inTx(ctx, s.r, s.readTx, fn)
}

func inTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

type scanner interface{ Scan(dest ...any) error }
