// Package pgtest starts a throwaway PostgreSQL for tests: Debian's
// binaries (initdb, postgres), a data directory in a fresh temp dir, a unix
// socket in that dir and no TCP port, fsync off. When the tests run as root
// the server runs as the unprivileged "postgres" user (or "nobody"), as
// PostgreSQL requires. Each test gets a database of its own (NewDSN).
//
// Without the binaries, tests skip with a message saying what to install;
// with CI=1 they fail instead (CI must run them). scripts/test installs
// Debian's postgresql when it is missing.
//
// For tests only.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// port is the number in the socket's name; nothing listens on TCP.
const port = 5432

// Server is one running PostgreSQL.
type Server struct {
	dir      string // temp dir: data/ and the socket
	postgres string // the binary
	cred     *syscall.Credential
	cmd      *exec.Cmd
	done     chan struct{}
	log      *os.File
	n        atomic.Int64 // databases made
}

var (
	sharedMu  sync.Mutex
	shared    *Server
	sharedErr error
)

// Binaries finds initdb and postgres: on PATH, else in Debian's
// /usr/lib/postgresql/N/bin (the newest N).
func Binaries() (initdb, postgres string, err error) {
	if i, err := exec.LookPath("initdb"); err == nil {
		if p, err := exec.LookPath("postgres"); err == nil {
			return i, p, nil
		}
		if p := filepath.Join(filepath.Dir(mustEval(i)), "postgres"); exists(p) {
			return i, p, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(a, b int) bool { return version(dirs[a]) > version(dirs[b]) })
	for _, d := range dirs {
		if exists(filepath.Join(d, "initdb")) && exists(filepath.Join(d, "postgres")) {
			return filepath.Join(d, "initdb"), filepath.Join(d, "postgres"), nil
		}
	}
	return "", "", errors.New("PostgreSQL binaries (initdb, postgres) not found: install Debian's postgresql package (scripts/test does)")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func mustEval(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Require skips tb when PostgreSQL is not installed (fails with CI=1) and
// returns the package's shared server, started on first use.
func Require(tb testing.TB) *Server {
	tb.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared == nil && sharedErr == nil {
		shared, sharedErr = Start()
	}
	if sharedErr != nil {
		if os.Getenv("CI") == "1" {
			tb.Fatalf("pgtest: %v (CI=1: PostgreSQL tests are mandatory)", sharedErr)
		}
		tb.Skipf("pgtest: skipped: %v", sharedErr)
	}
	return shared
}

// TestingM is what goleak.VerifyTestMain and testing.M share.
type TestingM interface{ Run() int }

// Main wraps m so that the shared server (if a test started one) stops
// after the tests: func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Main(m)) }.
func Main(m TestingM) TestingM { return mainM{m} }

type mainM struct{ m TestingM }

func (w mainM) Run() int {
	code := w.m.Run()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared != nil {
		if err := shared.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: stop:", err)
		}
		shared = nil
	}
	return code
}

// Start runs initdb and postgres in a new temp dir and waits until it
// accepts connections.
func Start() (*Server, error) {
	initdb, postgres, err := Binaries()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "switchboard-pg-")
	if err != nil {
		return nil, err
	}
	cred, err := runAs(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	s := &Server{dir: dir, postgres: postgres, cred: cred}
	if s.log, err = os.Create(filepath.Join(dir, "postgres.log")); err == nil && cred != nil {
		err = os.Chown(s.log.Name(), int(cred.Uid), int(cred.Gid))
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	init := exec.Command(initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	init.Dir, init.SysProcAttr = dir, &syscall.SysProcAttr{Credential: cred}
	if out, err := init.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	if err := s.run(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if err := s.waitReady(20 * time.Second); err != nil {
		return nil, errors.Join(err, s.Stop())
	}
	return s, nil
}

// run starts the postgres process on s's data directory.
func (s *Server) run() error {
	s.cmd = exec.Command(s.postgres, "-D", filepath.Join(s.dir, "data"), "-k", s.dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200")
	s.cmd.Dir, s.cmd.Stdout, s.cmd.Stderr = s.dir, s.log, s.log
	// Pdeathsig: a test binary that dies (panic, timeout) takes its server along.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Setpgid: true, Pdeathsig: syscall.SIGQUIT}
	s.done = make(chan struct{})
	if err := s.cmd.Start(); err != nil {
		s.cmd = nil
		return fmt.Errorf("postgres: %w", err)
	}
	done, cmd := s.done, s.cmd
	go func() { _ = cmd.Wait(); close(done) }()
	return nil
}

// Down shuts the server down (fast shutdown: clients are disconnected) and
// keeps its data, for a test of an outage; Up starts it again. Not for the
// shared server (Require): other tests use it.
func (s *Server) Down() error {
	if s.cmd == nil {
		return nil
	}
	s.shutdown()
	s.cmd = nil
	return nil
}

// shutdown stops the running server: a fast shutdown (clients are
// disconnected), killed after 10 s. It reports whether it had to kill.
func (s *Server) shutdown() (killed bool) {
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
		return false
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
		return true
	}
}

// Up starts a server that Down stopped and waits until it accepts
// connections.
func (s *Server) Up() error {
	if s.cmd != nil {
		return nil
	}
	if err := s.run(); err != nil {
		return err
	}
	return s.waitReady(20 * time.Second)
}

// runAs chowns dir to an unprivileged user when running as root and
// returns that user's credential (nil: run as ourselves).
func runAs(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as")
}

// DSN is the connection string of database db on s.
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", s.dir, port, db)
}

func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := pgx.Connect(ctx, s.DSN("postgres"))
		cancel()
		if err == nil {
			return c.Close(context.Background())
		}
		select {
		case <-s.done:
			out, _ := os.ReadFile(s.log.Name())
			return fmt.Errorf("postgres exited: %s", out)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres not ready after %v: %w", limit, err)
		}
	}
}

// NewDSN creates an empty database for tb (dropped when tb ends) and
// returns its DSN.
func (s *Server) NewDSN(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.n.Add(1))
	if err := s.exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return s.DSN(name)
}

func (s *Server) exec(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		return err
	}
	defer func() { _ = c.Close(context.Background()) }()
	_, err = c.Exec(ctx, sql)
	return err
}

// Stop shuts the server down (fast shutdown, then kill) and removes its
// directory.
func (s *Server) Stop() error {
	var err error
	if s.cmd != nil && s.cmd.Process != nil && s.shutdown() { // nil after Down
		err = errors.New("postgres did not stop in 10s: killed")
	}
	if s.log != nil {
		_ = s.log.Close()
	}
	return errors.Join(err, os.RemoveAll(s.dir))
}

// CPU is the server's own CPU time so far: the postmaster's user and system
// time, its ended children's (backends, reaped by the postmaster) and its
// live children's, from /proc (Linux only; an error elsewhere).
func (s *Server) CPU() (time.Duration, error) {
	pid := s.cmd.Process.Pid
	st, err := procStat(pid)
	if err != nil {
		return 0, err
	}
	ticks := st[11] + st[12] + st[13] + st[14] // utime stime cutime cstime
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil || child == pid {
			continue
		}
		cs, err := procStat(child)
		if err != nil || cs[1] != int64(pid) { // gone meanwhile, or not ours
			continue
		}
		ticks += cs[11] + cs[12]
	}
	// /proc counts in USER_HZ, 100 on Linux whatever the kernel's HZ.
	return time.Duration(ticks) * (time.Second / 100), nil
}

// procStat is /proc/pid/stat's numeric fields after the command's name:
// [0] is the state (0), [1] the parent's pid, [11] utime (field 14 of
// proc(5)), [12] stime, [13] cutime, [14] cstime.
func procStat(pid int) ([]int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, fmt.Errorf("pgtest: /proc/%d/stat: no command name", pid)
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 15 {
		return nil, fmt.Errorf("pgtest: /proc/%d/stat: %d fields", pid, len(fields))
	}
	out := make([]int64, 15)
	for j := 1; j < 15; j++ {
		out[j], _ = strconv.ParseInt(fields[j], 10, 64)
	}
	return out, nil
}
