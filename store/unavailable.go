package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite3 "modernc.org/sqlite/lib"
)

// Unavailable reports whether err says the database cannot be read or
// written now (a full disk, an I/O error, a lock held too long, a closed
// store, PostgreSQL down or out of resources), not that the request or the
// code is wrong: a caller answers "unavailable, retry later" for it, as
// the ringing side does.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED,
		sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOMEM:
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 08 connection, 53 insufficient resources (53100 disk full), 57
		// operator intervention (a shutdown), 58 system error (I/O).
		switch pe.Code[:min(2, len(pe.Code))] {
		case "08", "53", "57", "58":
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "sql: database is closed") ||
		pgconn.SafeToRetry(err)
}
