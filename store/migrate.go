package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationFiles holds the schema, one numbered file per step
// (0001_init.sql, 0002_....sql). Files are never edited once released: a
// change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// pgMigrationFiles are the same steps for PostgreSQL (its types: BIGINT
// times, BYTEA, identity ids), numbered alike.
//
//go:embed migrations/postgres/*.sql
var pgMigrationFiles embed.FS

// dialect is what migrate does differently per engine.
type dialect struct {
	engine  string // "SQLite", "PostgreSQL" (for messages)
	setting string // the config key naming the database (for messages)
	// tables lists the user tables, one name per row, sorted.
	tables string
	// lock, if set, runs first in the migration transaction: PostgreSQL
	// nodes starting together migrate one after the other.
	lock string
}

var (
	sqliteDialect = dialect{engine: "SQLite", setting: "store.path",
		tables: `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`}
	pgDialect = dialect{engine: "PostgreSQL", setting: "store.dsn",
		tables: `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
		lock: `SELECT pg_advisory_xact_lock(7246917)`} // any constant of ours
)

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads NNNN_name.sql files from dir in fsys; versions must
// run 1, 2, 3... without gaps.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d (versions must have no gaps or duplicates)", m.name, i+1)
		}
	}
	return ms, nil
}

// errForeignDB and errTooNew are returned by migrate and turned into
// user-facing messages by Open.
type errForeignDB struct {
	engine string
	tables []string
}

func (e errForeignDB) Error() string {
	return fmt.Sprintf("it is a %s database but not a switchboard one (it has tables %s and no schema_version)", e.engine, strings.Join(e.tables, ", "))
}

type errTooNew struct {
	have, know int
	setting    string
}

func (e errTooNew) Error() string {
	return fmt.Sprintf("its schema version is %d but this switchboard only knows up to %d (a newer switchboard migrated it: run that one, restore the backup taken before the upgrade, or use another %s)", e.have, e.know, e.setting)
}

// migrate applies the pending migrations in one transaction: either all of
// them land with their schema_version rows, or none does. It is a no-op on
// an up-to-date database.
func migrate(ctx context.Context, db *sql.DB, d dialect, ms []migration, now time.Time, log *slog.Logger) (from, to int, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if d.lock != "" {
		if _, err = tx.ExecContext(ctx, d.lock); err != nil {
			return 0, 0, err
		}
	}
	from, err = schemaVersion(ctx, tx, d)
	if err != nil {
		return 0, 0, err
	}
	if from > len(ms) {
		return from, from, errTooNew{have: from, know: len(ms), setting: d.setting}
	}
	for _, m := range ms[from:] {
		if _, err = tx.ExecContext(ctx, m.sql); err != nil {
			return from, from, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err = tx.ExecContext(ctx,
			`INSERT INTO schema_version (version, name, applied_at) VALUES (?1, ?2, ?3)`,
			m.version, m.name, now.UnixMilli()); err != nil {
			return from, from, fmt.Errorf("migration %s: %w", m.name, err)
		}
		log.Info("store: applied migration", "migration", m.name)
	}
	if err = tx.Commit(); err != nil {
		return from, from, err
	}
	return from, len(ms), nil
}

// schemaVersion returns the highest applied migration, creating the
// schema_version table in a fresh database. A database that has tables but no
// schema_version belongs to someone else and is left untouched.
func schemaVersion(ctx context.Context, tx *sql.Tx, d dialect) (int, error) {
	tables, err := userTables(ctx, tx, d)
	if err != nil {
		return 0, err
	}
	has := false
	for _, t := range tables {
		has = has || t == "schema_version"
	}
	if !has && len(tables) > 0 {
		return 0, errForeignDB{engine: d.engine, tables: tables}
	}
	if !has {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_version (
			version    INTEGER NOT NULL PRIMARY KEY,
			name       TEXT    NOT NULL,
			applied_at BIGINT  NOT NULL)`); err != nil {
			return 0, err
		}
	}
	var v int
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

func userTables(ctx context.Context, tx *sql.Tx, d dialect) ([]string, error) {
	rows, err := tx.QueryContext(ctx, d.tables)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
