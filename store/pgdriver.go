package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The store's SQL is written once, in the dialect both engines accept
// (CASE, ON CONFLICT, RETURNING), with SQLite's ?N placeholders. The
// PostgreSQL pools run it through pgConnector, whose connections rewrite
// the placeholders to PostgreSQL's $N before pgx sees the statement: the
// store's methods are the same code on both backends.

// pgConnector opens pgx connections that rewrite placeholders.
type pgConnector struct{ inner driver.Connector }

func newPGDB(cfg *pgx.ConnConfig) *sql.DB {
	return sql.OpenDB(pgConnector{inner: stdlib.GetConnector(*cfg)})
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return pgConn{conn.(*stdlib.Conn)}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is a pgx stdlib connection whose statements are rewritten; every
// other method (transactions, value checks, reset) is pgx's own.
type pgConn struct{ *stdlib.Conn }

func (c pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(pgPlaceholders(query))
}

func (c pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, pgPlaceholders(query))
}

func (c pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, pgPlaceholders(query), args)
}

func (c pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, pgPlaceholders(query), args)
}

// pgPlaceholders rewrites SQLite placeholders to PostgreSQL's: ?N becomes
// $N, and a bare ? takes the number after the largest one so far (SQLite's
// own rule). Text inside single quotes is left alone.
func pgPlaceholders(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	highest, quoted := 0, false
	for i := 0; i < len(q); i++ {
		ch := q[i]
		if ch == '\'' {
			quoted = !quoted
		}
		if ch != '?' || quoted {
			b.WriteByte(ch)
			continue
		}
		j := i + 1
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			j++
		}
		b.WriteByte('$')
		if j == i+1 {
			highest++
			b.WriteString(strconv.Itoa(highest))
		} else {
			// ?N keeps its digits as written; a number beyond any
			// parameter count (PostgreSQL refuses it) leaves the count for
			// the bare ? after it alone, so it cannot overflow.
			digits := q[i+1 : j]
			if n, err := strconv.Atoi(digits); err == nil && n < 1<<16 {
				highest = max(highest, n)
			}
			b.WriteString(digits)
		}
		i = j - 1
	}
	return b.String()
}
