package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestUnavailable: a full database, a closed store and PostgreSQL's
// connection and resource errors are "cannot do it now"; the sentinels of
// bad input and other errors are not.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, filepath.Join(t.TempDir(), "sb.db"), newClock())
	sq := s.(*sqlStore)
	var count int
	if err := sq.w.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if _, err := sq.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, count)); err != nil {
		t.Fatal(err)
	}
	var full error
	for i := 0; i < 10_000 && full == nil; i++ {
		_, full = s.CreateUser(ctx, User{UID: fmt.Sprint("u", i), Name: "a user with a name long enough to fill pages"})
	}
	if full == nil || !Unavailable(full) {
		t.Fatalf("a full database: %v; want an error Unavailable reports", full)
	}
	_, notFound := s.GetUser(ctx, "nobody")
	_, invalid := s.CreateUser(ctx, User{UID: "bad uid!"})
	for _, err := range []error{nil, notFound, invalid, errors.New("boom"), &pgconn.PgError{Code: "23505"}} {
		if Unavailable(err) {
			t.Errorf("Unavailable(%v) = true", err)
		}
	}
	for _, err := range []error{&pgconn.PgError{Code: "08006"}, &pgconn.PgError{Code: "53100"}, &pgconn.PgError{Code: "57P01"},
		fmt.Errorf("store: save: %w", &pgconn.PgError{Code: "58030"})} {
		if !Unavailable(err) {
			t.Errorf("Unavailable(%v) = false", err)
		}
	}
	_ = s.Close()
	if _, closed := s.GetUser(ctx, "u0"); !Unavailable(closed) {
		t.Errorf("a closed store: %v; want Unavailable", closed)
	}
}
