package store

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"
	"github.com/switchboard-rtc/switchboard/store/pgtest"
)

func openErr(t *testing.T, path string) error {
	t.Helper()
	s, err := Open(context.Background(), Config{Path: path}, nil)
	if err == nil {
		_ = s.Close()
		t.Fatalf("Open(%s) succeeded, want an error", path)
	}
	return err
}

func wantMessage(t *testing.T, err error, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error = %q\nwant it to mention %q", err, p)
		}
	}
}

func TestOpenUnwritablePath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A path under a regular file cannot be created, even by root.
	path := filepath.Join(file, "x.db")
	wantMessage(t, openErr(t, path), "cannot create "+path, "not a directory", "store.path")

	missing := filepath.Join(dir, "no", "such", "dir", "x.db")
	wantMessage(t, openErr(t, missing), "cannot create "+missing, "directory "+filepath.Dir(missing)+" does not exist")

	// /proc exists, but no file can be created in it (ENOENT, even for root).
	if st, err := os.Stat("/proc/self"); err == nil && st.IsDir() {
		wantMessage(t, openErr(t, "/proc/sb.db"), "cannot create /proc/sb.db", "directory /proc is not writable", "store.path")
	}

	wantMessage(t, openErr(t, dir), dir+" is a directory", filepath.Join(dir, "switchboard.db"))
	wantMessage(t, openErr(t, ""), "store.path is empty")
}

func TestOpenReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes through directory permissions; TestOpenUnwritablePath covers root")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	path := filepath.Join(dir, "x.db")
	wantMessage(t, openErr(t, path), "cannot create or write "+path, "permission denied")

	// The file is writable but its directory is not: SQLite cannot make its
	// -wal and -shm files there.
	dir2 := filepath.Join(t.TempDir(), "ro2")
	if err := os.Mkdir(dir2, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir2, 0o700) })
	path2 := filepath.Join(dir2, "x.db")
	s := openAt(t, path2, nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir2, 0o500); err != nil {
		t.Fatal(err)
	}
	wantMessage(t, openErr(t, path2), "open "+path2, "-wal", "writable")
}

func TestOpenCorruptFile(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"garbage page", []byte(strings.Repeat("this is not a database ", 200))},
		{"short text", []byte("hello\n")},
		{"damaged header", append([]byte("SQLite format 3\x00"), make([]byte, 4096)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			err := openErr(t, path)
			wantMessage(t, err, "open "+path, "is it a switchboard database?")
			after, _ := os.ReadFile(path)
			if string(after) != string(tc.data) {
				t.Fatal("Open modified the corrupt file")
			}
		})
	}
}

func TestOpenForeignDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	wantMessage(t, openErr(t, path), "open "+path, "not a switchboard one", "invoices")
}

func TestOpenNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s := openAt(t, path, nil)
	_ = s.Close()
	bumpSchema(t, path, 99)
	wantMessage(t, openErr(t, path), "schema version is 99", "a newer switchboard migrated it", "store.path")
}

func bumpSchema(t *testing.T, path string, v int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future.sql', 0)`, v); err != nil {
		t.Fatal(err)
	}
}

func schemaRows(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM schema_version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

func TestRestartKeepsDataAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	clk := newClock()
	s := openAt(t, path, clk)
	mustCreateUsers(t, s, "ann", "ben")
	if _, err := s.CreateGroup(ctx, Group{GUID: "g", Name: "G"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(ctx, "g", []string{"ann", "ben"}); err != nil {
		t.Fatal(err)
	}
	call := oneToOne("s1", "ann", "ben", 0)
	if err := s.SaveCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := schemaRows(t, path)

	for range 2 {
		s = openAt(t, path, clk)
		if u, err := s.GetUser(ctx, "ben"); err != nil || u.Name != "Name of ben" {
			t.Fatalf("after reopen GetUser = %+v, %v", u, err)
		}
		if m, err := s.ListMembers(ctx, "g"); err != nil || len(m) != 2 {
			t.Fatalf("after reopen members = %v, %v", userIDs(m), err)
		}
		if c, err := s.GetCall(ctx, "s1"); err != nil || len(c.Participants) != 2 || !c.InitiatedAt.Equal(t0) {
			t.Fatalf("after reopen call = %+v, %v", c, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if after := schemaRows(t, path); !sameStrings(before, after) || len(after) == 0 {
		t.Fatalf("schema_version rows before %v, after reopening %v: migrations must apply once", before, after)
	}
}

func TestOpenUsesWALAndForeignKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s := openAt(t, path, nil).(*sqlStore)
	var mode string
	var fk int
	if err := s.w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	for _, db := range []*sql.DB{s.w, s.r} {
		if err := db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
			t.Fatalf("foreign_keys = %d, %v; want 1", fk, err)
		}
	}
	if _, err := s.r.Exec(`DELETE FROM users`); err == nil {
		t.Fatal("the read pool accepted a write")
	}
}

func TestMigrationFailureWritesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	fsys := fstest.MapFS{
		"m/0001_a.sql": {Data: []byte(`CREATE TABLE a (x INTEGER);`)},
		"m/0002_b.sql": {Data: []byte(`CREATE TABLE b (y INTEGER); THIS IS NOT SQL;`)},
	}
	ms, err := loadMigrations(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := open(ctx, Config{Path: path}, nil, ms); err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Fatalf("open with a broken migration = %v, want an error naming 0002_b.sql", err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d tables after a failed migration (%v), want 0", n, err)
	}
}

func TestLoadMigrationsRejectsBadNames(t *testing.T) {
	tests := map[string]fstest.MapFS{
		"no number": {"m/init.sql": {}},
		"gap":       {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"duplicate": {"m/0001_a.sql": {}, "m/0001_b.sql": {}},
		"zero":      {"m/0000_a.sql": {}},
	}
	for name, fsys := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := loadMigrations(fsys, "m"); err == nil {
				t.Fatal("loadMigrations accepted it")
			}
		})
	}
	ms, err := loadMigrations(migrationFiles, "migrations")
	if err != nil || len(ms) == 0 {
		t.Fatalf("embedded migrations: %d, %v", len(ms), err)
	}
}

func TestOpenMemory(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, ":memory:", newClock())
	mustCreateUsers(t, s, "ann")
	if _, err := s.GetUser(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCall(ctx, oneToOne("m1", "ann", "ben", 0)); err != nil {
		t.Fatal(err)
	}
	if cs, err := s.ListCalls(ctx, CallQuery{UID: "ann"}); err != nil || len(cs) != 1 {
		t.Fatalf("ListCalls = %v, %v", sessionIDs(cs), err)
	}
}

func TestOpenPathWithURIcharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "odd dir?#%")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "x?y.db")
	s := openAt(t, path, newClock())
	mustCreateUsers(t, s, "ann")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %q: %v", path, err)
	}
}

// TestMigrationKeepsEveryWayIntoTheCallLog: a database from before
// 0004_call_log_ways.sql (every call in calls_by_initiator and
// calls_by_receiver) keeps every call in its people's logs after the
// migration, which leaves in those indexes only the calls whose initiator or
// receiving user is not a participant; the log query reads them through
// the partial indexes, not by scanning calls.
func TestMigrationKeepsEveryWayIntoTheCallLog(t *testing.T) {
	ctx := context.Background()
	path := sqliteMigratedTo(t, 3,
		`INSERT INTO calls (`+callCols+`) VALUES
			('listed', 'audio', 'user', 'ann', 'ben', 'ended', 1000, NULL, NULL, 0, ''),
			('bare', 'audio', 'user', 'ann', 'cat', 'ended', 2000, NULL, NULL, 0, ''),
			('half', 'audio', 'user', 'dan', 'ann', 'ended', 3000, NULL, NULL, 0, ''),
			('group', 'video', 'group', 'eve', 'team', 'ended', 4000, NULL, NULL, 0, '')`,
		`INSERT INTO call_participants (session_id, uid, pos, status, initiated_at) VALUES
			('listed', 'ann', 0, 'left', 1000), ('listed', 'ben', 1, 'left', 1000),
			('half', 'dan', 0, 'left', 3000), ('group', 'ann', 0, 'left', 4000)`,
	)
	s := openAt(t, path, nil)
	for uid, want := range map[string][]string{
		"ann": {"group", "half", "bare", "listed"}, "ben": {"listed"}, "cat": {"bare"},
		"dan": {"half"}, "eve": {"group"}, "team": {},
	} {
		got, err := s.ListCalls(ctx, CallQuery{UID: uid})
		if err != nil {
			t.Fatal(err)
		}
		if !sameStrings(sessionIDs(got), want) {
			t.Fatalf("%s's log after the migration = %v, want %v", uid, sessionIDs(got), want)
		}
	}
	var indexed [2]int
	r := s.(*sqlStore).r
	for i, q := range []string{
		`SELECT count(*) FROM calls INDEXED BY calls_by_initiator WHERE initiator_unlisted = 1 AND initiator_uid > ''`,
		`SELECT count(*) FROM calls INDEXED BY calls_by_receiver WHERE receiver_unlisted = 1 AND receiver_id > ''`,
	} {
		if err := r.QueryRowContext(ctx, q).Scan(&indexed[i]); err != nil {
			t.Fatal(err)
		}
	}
	if indexed != [2]int{2, 2} { // bare and group by initiator; bare and half by receiver
		t.Fatalf("calls in calls_by_initiator, calls_by_receiver = %v, want [2 2]", indexed)
	}
	rows, err := r.QueryContext(ctx, `EXPLAIN QUERY PLAN `+listCallsSQL, "ann", nil, "", 50, "")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	joined := strings.Join(plan, "; ")
	for _, index := range []string{"calls_by_initiator", "calls_by_receiver", "call_participants_by_uid"} {
		if !strings.Contains(joined, index) {
			t.Fatalf("the call log query does not read %s: %s", index, joined)
		}
	}
	if strings.Contains(joined, "SCAN calls") {
		t.Fatalf("the call log query scans calls: %s", joined)
	}
}

// TestMigrationCleansNames: names stored before ValidateName refused
// bidirectional controls, separators and invisible characters lose them
// when the store is opened (migration 0007, both engines); one left with
// nothing visible becomes the id; clean names are untouched.
func TestMigrationCleansNames(t *testing.T) {
	ctx := context.Background()
	seed := []string{
		`INSERT INTO users (uid, name, avatar, created_at, updated_at) VALUES
			('evil', 'Alice` + "\u202E" + `gnp.exe', '', 1, 1), ('ghost', '` + "\u200B\u3164" + `', '', 1, 1),
			('zoe', 'Zoë ` + "\U0001F469\u200D\U0001F4BB" + `', '', 1, 1)`,
		`INSERT INTO groups (guid, name, created_at) VALUES ('crew', 'Crew` + "\u2028" + `Two', 1), ('blank', '` + "\uFEFF" + `', 1)`,
	}
	check := func(t *testing.T, s Store) {
		t.Helper()
		for uid, want := range map[string]string{"evil": "Alicegnp.exe", "ghost": "ghost", "zoe": "Zoë \U0001F469\u200D\U0001F4BB"} {
			if u, err := s.GetUser(ctx, uid); err != nil || u.Name != want {
				t.Errorf("user %s = %q, %v; want %q", uid, u.Name, err, want)
			}
		}
		for guid, want := range map[string]string{"crew": "CrewTwo", "blank": "blank"} {
			if g, err := s.GetGroup(ctx, guid); err != nil || g.Name != want {
				t.Errorf("group %s = %q, %v; want %q", guid, g.Name, err, want)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		check(t, openAt(t, sqliteMigratedTo(t, 6, seed...), nil))
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := Open(ctx, Config{Driver: DriverPostgres, DSN: pgMigratedTo(t, 6, seed...)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		check(t, s)
	})
}

// TestMigrationKeysDevicesByKind: the push targets of a database from
// before 0009_device_kinds.sql (one row per device id) are kept, and an
// install can then hold an apns token besides its apns-voip one (both
// engines).
func TestMigrationKeysDevicesByKind(t *testing.T) {
	ctx := context.Background()
	seed := []string{`INSERT INTO devices (uid, device_id, kind, token, app_id, created_at, updated_at) VALUES
		('bob', 'iphone', 'apns-voip', 'voip1', 'com.example.app', 1, 2), ('bob', 'pixel', 'fcm', 'fcm1', 'com.example.app', 3, 4)`}
	check := func(t *testing.T, s Store) {
		t.Helper()
		if got, want := kinds(t, s, "bob"), "iphone/apns-voip=voip1 pixel/fcm=fcm1"; got != want {
			t.Fatalf("rows after the migration %q, want %q", got, want)
		}
		if _, err := s.PutDevice(ctx, Device{UID: "bob", DeviceID: "iphone", Kind: DeviceAPNs, Token: "alert1", AppID: "com.example.app"}); err != nil {
			t.Fatal(err)
		}
		if got, want := kinds(t, s, "bob"), "iphone/apns=alert1 iphone/apns-voip=voip1 pixel/fcm=fcm1"; got != want {
			t.Fatalf("rows after an apns token %q, want %q", got, want)
		}
		if _, err := s.PutDevice(ctx, Device{UID: "carol", DeviceID: "iphone", Kind: DeviceAPNsVoIP, Token: "voip1", AppID: "com.example.app"}); err != nil {
			t.Fatal(err)
		}
		if got, want := kinds(t, s, "bob"), "iphone/apns=alert1 pixel/fcm=fcm1"; got != want {
			t.Fatalf("rows after the voip token moved to carol %q, want %q (a token is still unique)", got, want)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		check(t, openAt(t, sqliteMigratedTo(t, 8, seed...), nil))
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := Open(ctx, Config{Driver: DriverPostgres, DSN: pgMigratedTo(t, 8, seed...)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		check(t, s)
	})
}

// pgMigratedTo is a fresh PostgreSQL database (its DSN) migrated to its
// first n steps only, with seed run on it.
func pgMigratedTo(t *testing.T, n int, seed ...string) string {
	t.Helper()
	ctx := context.Background()
	dsn := pgtest.Require(t).NewDSN(t)
	ms, err := loadMigrations(pgMigrationFiles, "migrations/postgres")
	if err != nil {
		t.Fatal(err)
	}
	pc, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db := newPGDB(pc)
	if _, _, err := migrate(ctx, db, pgDialect, ms[:n], t0, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	for _, q := range seed {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// sqliteMigratedTo is a database file migrated to its first n steps only,
// with seed run on it: what an older server left for the next steps.
func sqliteMigratedTo(t *testing.T, n int, seed ...string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	ms, err := loadMigrations(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	w, err := openPool(ctx, path, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := migrate(ctx, w, sqliteDialect, ms[:n], t0, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	for _, q := range seed {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
