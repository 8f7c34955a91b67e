package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/switchboard-rtc/switchboard/internal/redact"
)

// pgWriteConns is the PostgreSQL writer pool: one connection, as with
// SQLite, so one process's writes keep the order it issued them in (the
// ringing writer already batches saves into one transaction). Several
// nodes write through their own connections; PostgreSQL orders those.
const (
	pgWriteConns   = 1
	pgConnectLimit = 10 * time.Second
)

// openPostgres opens the PostgreSQL database at cfg.DSN and migrates it
// (migrations/postgres, in one transaction under an advisory lock, so
// nodes starting together migrate once). Reads run in REPEATABLE READ
// read-only transactions: a read of several queries sees one snapshot, as
// on SQLite. A DSN that does not parse, a server that cannot be reached or
// refuses the login, or a database of another program fails here with a
// message that names store.dsn (password hidden).
func openPostgres(ctx context.Context, cfg Config, log *slog.Logger) (Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ms, err := loadMigrations(pgMigrationFiles, "migrations/postgres")
	if err != nil {
		return nil, fmt.Errorf("store: embedded migrations: %w", err)
	}
	if strings.TrimSpace(cfg.DSN) == "" {
		return nil, errors.New("store: store.dsn is empty; with store.driver postgres set it to a connection string such as postgres://switchboard:secret@127.0.0.1:5432/switchboard")
	}
	where := redact.DSN(cfg.DSN)
	pc, err := pgx.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("store: store.dsn %s: %s", where, redact.Err(err, cfg.DSN))
	}
	if pc.ConnectTimeout == 0 {
		pc.ConnectTimeout = pgConnectLimit
	}
	s := &sqlStore{path: where, now: cfg.Now, log: log, pg: true,
		readTx: &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}}
	if s.now == nil {
		s.now = time.Now
	}
	s.w, s.r = newPGDB(pc), newPGDB(pc)
	s.w.SetMaxOpenConns(pgWriteConns)
	s.r.SetMaxOpenConns(readConns)
	s.r.SetMaxIdleConns(readConns)
	if err := s.w.PingContext(ctx); err != nil {
		_ = s.Close()
		return nil, pgOpenError(where, err)
	}
	from, to, err := migrate(ctx, s.w, pgDialect, ms, s.now(), log)
	if err != nil {
		_ = s.Close()
		return nil, pgOpenError(where, err)
	}
	if s.calls, err = prepareCallStmts(ctx, s.w); err != nil {
		_ = s.Close()
		return nil, err
	}
	log.Info("store: opened", "driver", DriverPostgres, "dsn", where, "schema_from", from, "schema", to)
	return s, nil
}

// pgOpenError says what to do about a PostgreSQL that cannot be used.
func pgOpenError(where string, err error) error {
	var foreign errForeignDB
	var tooNew errTooNew
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &foreign):
		return fmt.Errorf("store: store.dsn %s: %w; point store.dsn at a database of its own", where, err)
	case errors.As(err, &tooNew):
		return fmt.Errorf("store: store.dsn %s: %w", where, err)
	case errors.As(err, &pe) && (pe.Code == "28P01" || pe.Code == "28000"):
		return fmt.Errorf("store: store.dsn %s: PostgreSQL refused the login (check the user and password): %w", where, err)
	case errors.As(err, &pe) && pe.Code == "3D000":
		return fmt.Errorf("store: store.dsn %s: the database does not exist (createdb it first): %w", where, err)
	}
	return fmt.Errorf("store: store.dsn %s: cannot use PostgreSQL (is it running and reachable?): %w", where, err)
}

// isPGUniqueViolation reports a PostgreSQL unique or primary key violation.
func isPGUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// CheckDSN reports a PostgreSQL connection string that Open would refuse
// before connecting (not a URL or key=value pairs pgx reads, an sslmode it
// does not know), without its password: serve and doctor check it with the
// rest of the configuration, before anything is bound.
func CheckDSN(dsn string) error {
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return fmt.Errorf("%s: %s", redact.DSN(dsn), redact.Err(err, dsn))
	}
	return nil
}
