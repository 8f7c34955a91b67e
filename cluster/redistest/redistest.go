// Package redistest starts a throwaway redis-server for tests (Debian's
// redis-server package): no persistence, listening only on a unix socket
// in a fresh temp dir, so nothing else on the machine can reach it. Restart
// stops it and starts it again on the same socket with no data, as a Redis
// that crashed without persistence would come back.
//
// Without redis-server, tests skip with a message saying what to install;
// with CI=1 they fail instead. scripts/test installs it when missing.
//
// For tests only.
package redistest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is one redis-server process (restartable).
type Server struct {
	bin, dir, sock string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// Start starts a redis-server for tb and stops it when tb ends. It skips tb
// (fails with CI=1) when redis-server is not installed.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		msg := "redistest: redis-server not found: install Debian's redis-server package (scripts/test does)"
		if os.Getenv("CI") == "1" {
			tb.Fatal(msg + " (CI=1: Redis tests are mandatory)")
		}
		tb.Skip(msg)
	}
	dir, err := os.MkdirTemp("", "switchboard-redis-")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{bin: bin, dir: dir, sock: filepath.Join(dir, "redis.sock")}
	tb.Cleanup(func() {
		s.Stop()
		_ = os.RemoveAll(dir)
	})
	if err := s.Begin(); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Options are go-redis options that reach this server.
func (s *Server) Options() *redis.Options {
	return &redis.Options{Network: "unix", Addr: s.sock, DialTimeout: time.Second,
		ReadTimeout: time.Second, WriteTimeout: time.Second, MaxRetries: -1}
}

// URL is the server's address as a redis URL (unix socket).
func (s *Server) URL() string { return "unix://" + s.sock }

// Begin starts the process (again, after Stop) and waits until it answers.
func (s *Server) Begin() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("redistest: already running")
	}
	_ = os.Remove(s.sock)
	cmd := exec.Command(s.bin, "--port", "0", "--unixsocket", s.sock, "--unixsocketperm", "700",
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--loglevel", "warning")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL} // dies with the test binary
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redistest: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done
	c := redis.NewClient(s.Options())
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redistest: redis-server not ready: %w", err)
		}
		select {
		case <-done:
			return errors.New("redistest: redis-server exited at start")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Stop kills the process (SIGKILL: no shutdown work) and waits for it.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.done
	s.cmd = nil
}

// Restart is Stop then Begin: the data is gone, clients must reconnect.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	s.Stop()
	if err := s.Begin(); err != nil {
		tb.Fatal(err)
	}
}

// Info is one section of Redis's INFO as its fields (name: value).
func Info(tb testing.TB, rdb *redis.Client, section string) map[string]string {
	tb.Helper()
	raw, err := rdb.Info(context.Background(), section).Result()
	if err != nil {
		tb.Fatal(err)
	}
	fields := map[string]string{}
	for _, line := range strings.Split(raw, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, "#") {
			fields[k] = v
		}
	}
	return fields
}
