package store

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// openError turns a failure while opening or migrating path into one line
// that names the file and says what to do.
func openError(path string, err error) error {
	var foreign errForeignDB
	var tooNew errTooNew
	switch {
	case errors.As(err, &foreign):
		return fmt.Errorf("store: open %s: %w; set store.path to another file", path, err)
	case errors.As(err, &tooNew):
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("store: open %s: file is not a SQLite database (is it a switchboard database? move it aside or set store.path to another file): %w", path, err)
	case sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("store: open %s: the database is corrupt (restore it from a backup, or move it aside to start empty): %w", path, err)
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return fmt.Errorf("store: open %s: cannot write the database or its directory (SQLite keeps %s-wal and %s-shm next to it; make both writable, or set store.path elsewhere): %w", path, path, path, err)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return fmt.Errorf("store: open %s: the database is locked by another process (is another switchboard using it?): %w", path, err)
	}
	return fmt.Errorf("store: open %s: %w", path, err)
}

// sqliteCode returns the primary SQLite result code in err's chain, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// isConstraint reports whether err is a primary key or unique violation.
func isConstraint(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT || isPGUniqueViolation(err)
}
