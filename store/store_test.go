package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/store/pgtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Main(m)) }

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openAt opens the store at path with clk and closes it when the test ends.
func openAt(t *testing.T, path string, clk *clock) Store {
	t.Helper()
	cfg := Config{Path: path}
	if clk != nil {
		cfg.Now = clk.Now
	}
	s, err := Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// newStore opens a fresh, empty store: a database file in a temp dir, or,
// under TestPostgres, a new database on the test PostgreSQL.
func newStore(t *testing.T) (Store, *clock) {
	t.Helper()
	clk := newClock()
	if onPostgres(t) {
		return openPostgresTest(t, clk), clk
	}
	return openAt(t, filepath.Join(t.TempDir(), "sb.db"), clk), clk
}

// twoStores opens two stores on one fresh database (two nodes on one
// PostgreSQL under TestPostgres, two processes on one file otherwise).
func twoStores(t *testing.T) (Store, Store) {
	t.Helper()
	if onPostgres(t) {
		dsn := pgtest.Require(t).NewDSN(t)
		var out []Store
		for range 2 {
			s, err := Open(context.Background(), Config{Driver: DriverPostgres, DSN: dsn}, nil)
			if err != nil {
				t.Fatalf("Open(postgres): %v", err)
			}
			t.Cleanup(func() { _ = s.Close() })
			out = append(out, s)
		}
		return out[0], out[1]
	}
	path := filepath.Join(t.TempDir(), "sb.db")
	return openAt(t, path, nil), openAt(t, path, nil)
}

func mustCreateUsers(t *testing.T, s Store, uids ...string) {
	t.Helper()
	for _, uid := range uids {
		if _, err := s.CreateUser(context.Background(), User{UID: uid, Name: "Name of " + uid}); err != nil {
			t.Fatalf("CreateUser(%s): %v", uid, err)
		}
	}
}

// wantErr fails unless err wraps sentinel and its message contains every part.
func wantErr(t *testing.T, err, sentinel error, parts ...string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("error = %v, want one wrapping %q", err, sentinel)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error = %q, want it to mention %q", err, p)
		}
	}
}
