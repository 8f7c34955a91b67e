package bench

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Role is what a server child process runs.
type Role string

// Roles.
const (
	RoleSwitchboard Role = "switchboard" // `switchboard serve --config FILE`
	RolePion        Role = "pion"        // `switchboard bench pion-forwarder --listen ADDR`
)

// Launcher builds the command for a child: role, the HTTP address it must
// listen on, and (for switchboard) the config file to use.
type Launcher func(role Role, listen, configPath string) *exec.Cmd

// Child is a server process the bench started and will stop.
type Child struct {
	URL string
	cmd *exec.Cmd

	done chan struct{} // closed when the process has exited
	err  error         // Wait's result, set before done closes

	// mu guards out (the child's output, kept for error messages).
	mu  sync.Mutex
	out bytes.Buffer
}

// childStartTimeout bounds how long a child may take to answer /healthz.
const childStartTimeout = 20 * time.Second

// StartChild starts cmd, pins it to cpus (if any) and waits until
// url+"/healthz" answers 200.
// errExitedClean stands for a child that exited with status 0.
var errExitedClean = errors.New("exit status 0")

func StartChild(ctx context.Context, cmd *exec.Cmd, url string, cpus []int) (*Child, error) {
	c := &Child{URL: url, cmd: cmd, done: make(chan struct{})}
	pinned := WithTaskset(cmd, cpus)
	cmd.Stdout, cmd.Stderr = (*childOutput)(c), (*childOutput)(c)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: start %s: %w", ErrChild, cmd.Path, err)
	}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	if !pinned && len(cpus) > 0 {
		if err := PinProcess(cmd.Process.Pid, cpus); err != nil {
			return nil, errors.Join(err, c.Stop())
		}
	}
	if err := c.waitHealthy(ctx); err != nil {
		return nil, errors.Join(err, c.Stop())
	}
	return c, nil
}

// childOutput collects the child's stdout and stderr, capped at 64 KiB.
type childOutput Child

func (o *childOutput) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.out.Len() < 64<<10 {
		o.out.Write(b)
	}
	return len(b), nil
}

// Output is what the child printed so far (capped).
func (c *Child) Output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

func (c *Child) waitHealthy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, childStartTimeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.URL+"/healthz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-c.done:
			return fmt.Errorf("%w: exited before answering (%w): %s", ErrChild, cmp.Or(c.err, errExitedClean), c.Output())
		case <-ctx.Done():
			return fmt.Errorf("%w: no answer on %s/healthz: %w: %s", ErrChild, c.URL, ctx.Err(), c.Output())
		case <-tick.C:
		}
	}
}

// PID is the child's process id.
func (c *Child) PID() int { return c.cmd.Process.Pid }

// Stop sends SIGTERM, waits up to 10 s, then kills the child.
func (c *Child) Stop() error {
	select {
	case <-c.done:
		return nil
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
		return nil
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("%w: did not stop on SIGTERM, killed", ErrChild)
	}
}

// FreeAddr returns a free 127.0.0.1 TCP address for a child to listen on.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrChild, err)
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}
