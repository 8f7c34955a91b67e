package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)
)

const (
	memoryPath  = ":memory:"
	busyTimeout = "5000" // ms a statement waits for another process's lock
	readConns   = 4
)

// sqlStore is the SQLite Store. Every write goes through w, a pool of one
// connection, so writes are serialized in this process and never meet
// SQLITE_BUSY from each other; reads go through r, a pool of query_only
// connections that WAL lets run beside the writer. For ":memory:" r == w.
type sqlStore struct {
	path string
	w    *sql.DB
	r    *sql.DB
	now  func() time.Time
	log  *slog.Logger
	// readTx are the options of read transactions (nil: the engine's
	// default, a snapshot in SQLite; PostgreSQL asks for one).
	readTx *sql.TxOptions
	// calls are SaveCall's statements, prepared on w once migrated.
	calls *callStmts
	// saved hints what SaveCalls committed (see savedHints).
	saved savedHints
	// outboxInsert is EnqueueOutbox's statement.
	outboxInsert lazyStmt
	// devices and users cache ListDevices and GetUser (SQLite only: nil on
	// PostgreSQL, where other nodes write too).
	devices *readCache[[]Device]
	users   *readCache[User]
	// pg: PostgreSQL, whose SaveCalls pipelines its statements (pgsave.go).
	pg bool
	// ckpt checkpoints a SQLite file's WAL beside the writer (nil for
	// ":memory:" and PostgreSQL).
	ckpt *checkpointer
}

// Open opens the database cfg.Driver names, applies pending migrations in
// one transaction, and returns a Store. SQLite (the default): the file at
// cfg.Path, created if needed; a path that cannot be created or written, a
// file that is not a SQLite database, or a database of another program or
// a newer switchboard fails here, with a message that names the path and
// says what to do. PostgreSQL: the database at cfg.DSN (see openPostgres).
// log may be nil.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (Store, error) {
	switch cfg.Driver {
	case "", DriverSQLite:
	case DriverPostgres:
		return openPostgres(ctx, cfg, log)
	default:
		return nil, fmt.Errorf("store: store.driver %q is not a backend; use %q (one file) or %q (store.dsn)", cfg.Driver, DriverSQLite, DriverPostgres)
	}
	ms, err := loadMigrations(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("store: embedded migrations: %w", err)
	}
	return open(ctx, cfg, log, ms)
}

func open(ctx context.Context, cfg Config, log *slog.Logger, ms []migration) (Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &sqlStore{now: cfg.Now, log: log, devices: &readCache[[]Device]{}, users: &readCache[User]{}}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.openPools(ctx, cfg.Path); err != nil {
		return nil, err
	}
	from, to, err := migrate(ctx, s.w, sqliteDialect, ms, s.now(), log)
	if err != nil {
		_ = s.Close()
		return nil, openError(s.path, err)
	}
	if s.calls, err = prepareCallStmts(ctx, s.w); err != nil {
		_ = s.Close()
		return nil, err
	}
	log.Info("store: opened", "path", s.path, "schema_from", from, "schema", to)
	return s, nil
}

// openPools checks the path, then opens and pings the writer and reader pools.
func (s *sqlStore) openPools(ctx context.Context, path string) error {
	if path == "" {
		return fmt.Errorf("store: store.path is empty; set it to a database file such as ./switchboard.db")
	}
	if path == memoryPath {
		s.path = memoryPath
		w, err := sql.Open("sqlite", "file::memory:?"+dsnQuery(false).Encode())
		if err != nil {
			return err
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxLifetime(0)
		s.w, s.r = w, w
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	s.path = abs
	if err := preflight(abs); err != nil {
		return err
	}
	if s.w, err = openPool(ctx, abs, false); err != nil {
		return openError(abs, err)
	}
	if s.r, err = openPool(ctx, abs, true); err != nil {
		_ = s.w.Close()
		return openError(abs, err)
	}
	if s.ckpt, err = startCheckpointer(ctx, abs, s.log); err != nil {
		_ = s.r.Close()
		_ = s.w.Close()
		return openError(abs, err)
	}
	return nil
}

func openPool(ctx context.Context, path string, readOnly bool) (*sql.DB, error) {
	u := url.URL{Scheme: "file", Path: path, RawQuery: dsnQuery(readOnly).Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	if readOnly {
		db.SetMaxOpenConns(readConns)
		db.SetMaxIdleConns(readConns)
	} else {
		db.SetMaxOpenConns(1)
	}
	// The first connection reads the file header: garbage fails here.
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// dsnQuery returns the driver parameters of one pool. WAL with
// synchronous=NORMAL is durable across a crash of the process; a power loss
// may drop the transactions since the last checkpoint but never corrupts
// the file. Checkpoints run beside the writer, every 200 ms (checkpoint.go);
// the writer's own automatic checkpoint is only a backstop. (Checkpoints
// less often than SQLite's 1,000 pages copy the call log's hot pages,
// rewritten many times in between, back once: BenchmarkSaveFlow.)
func dsnQuery(readOnly bool) url.Values {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+busyTimeout+")")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		return q
	}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "wal_autocheckpoint("+strconv.Itoa(walBackstop)+")")
	q.Set("_txlock", "immediate") // take the write lock at BEGIN, not mid-transaction
	return q
}

// preflight creates the file (or opens it for writing) with the operating
// system first, so that a bad path fails with the system's own reason
// ("not a directory", "permission denied") instead of SQLite's "unable to
// open database file".
func preflight(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err == nil {
		return f.Close()
	}
	reason := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		reason = pe.Err
	}
	if st, serr := os.Stat(path); serr == nil && st.IsDir() {
		return fmt.Errorf("store: %s is a directory; set store.path to a database file inside it, e.g. %s", path, filepath.Join(path, "switchboard.db"))
	}
	if errors.Is(err, fs.ErrNotExist) {
		dir := filepath.Dir(path)
		if st, serr := os.Stat(dir); serr == nil && st.IsDir() {
			// It exists but files cannot be made in it (/proc, /sys).
			return fmt.Errorf("store: cannot create %s: directory %s is not writable: files cannot be created in it (set store.path to a file in a writable directory)", path, dir)
		}
		return fmt.Errorf("store: cannot create %s: directory %s does not exist (create it, or set store.path elsewhere)", path, dir)
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("store: cannot create or write %s: %w (give this user write access to it and its directory, or set store.path elsewhere)", path, reason)
	}
	return fmt.Errorf("store: cannot create %s: %w (store.path must name a file in an existing, writable directory)", path, reason)
}

// Close closes both pools. It does not wait for, or cancel, calls in flight.
func (s *sqlStore) Close() error {
	var err error
	if s.ckpt != nil {
		err = s.ckpt.close()
	}
	if s.calls != nil {
		s.calls.close()
	}
	s.outboxInsert.close()
	if s.r != nil && s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	if s.w != nil {
		err = errors.Join(err, s.w.Close())
	}
	return err
}
