package netlab

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"

	"golang.org/x/sys/unix"
)

// Namespace is a network namespace of a Lab. A nil *Namespace stands for
// the host's namespace (Do runs fn directly).
type Namespace struct {
	// Name is the namespace's name (sb-<pid>-<n>), as ip netns knows it.
	Name string
	// Role labels it in messages ("srv", "alice").
	Role string
}

func (n *Namespace) String() string {
	if n == nil {
		return "host"
	}
	return n.Role + "(" + n.Name + ")"
}

// ip runs ip -n <name> args...
func (n *Namespace) ip(args ...string) error {
	return run("ip", append([]string{"-n", n.Name}, args...)...)
}

// Exec runs a command inside the namespace and returns its output (ip netns
// exec; for short tools such as sysctl or ss).
func (n *Namespace) Exec(name string, args ...string) ([]byte, error) {
	return output("ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Command returns a command that runs name inside the namespace (ip netns
// exec). The caller starts, waits for and kills it; whatever still runs in
// the namespace is killed at cleanup.
func (n *Namespace) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Do runs fn on an OS thread that has entered the namespace, and waits for
// it. Sockets fn creates stay in the namespace for their whole life,
// whichever goroutine uses them later; goroutines fn starts do NOT run in
// the namespace. The thread returns to the host's namespace afterwards, or
// is discarded (its goroutine exits locked) if that fails.
func (n *Namespace) Do(fn func() error) error {
	if n == nil {
		return fn()
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		err, returned := ErrSetns, false
		restored := func() bool { return false }
		defer func() { // also when fn calls runtime.Goexit (t.FailNow)
			if restored() {
				runtime.UnlockOSThread()
			}
			if !returned {
				err = errAborted
			}
			errc <- err
		}()
		restored, err = n.enter()
		if err == nil {
			err = fn()
		}
		returned = true
	}()
	return <-errc
}

// enter moves the calling (locked) thread into the namespace. restore moves
// it back and reports whether that worked.
func (n *Namespace) enter() (restore func() bool, err error) {
	home, err := os.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()))
	if err != nil {
		return func() bool { return true }, fmt.Errorf("%w: %v", ErrSetns, err)
	}
	restore = func() bool {
		defer home.Close()
		return unix.Setns(int(home.Fd()), unix.CLONE_NEWNET) == nil
	}
	target, err := os.Open("/run/netns/" + n.Name)
	if err != nil {
		return restore, fmt.Errorf("%w: %s: %v", ErrSetns, n, err)
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		return restore, fmt.Errorf("%w: %s: %v", ErrSetns, n, err)
	}
	return restore, nil
}

// DialContext dials from inside the namespace (for http.Transport and
// websocket dialers).
func (n *Namespace) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	var c net.Conn
	err := n.Do(func() error {
		var d net.Dialer
		var err error
		c, err = d.DialContext(ctx, network, addr)
		return err
	})
	return c, err
}

// Listen listens inside the namespace.
func (n *Namespace) Listen(network, addr string) (net.Listener, error) {
	var ln net.Listener
	err := n.Do(func() error {
		var err error
		ln, err = net.Listen(network, addr)
		return err
	})
	return ln, err
}

// ListenUDP opens a UDP socket inside the namespace.
func (n *Namespace) ListenUDP(addr *net.UDPAddr) (*net.UDPConn, error) {
	var c *net.UDPConn
	err := n.Do(func() error {
		var err error
		c, err = net.ListenUDP("udp", addr)
		return err
	})
	return c, err
}

// HTTPClient returns a client whose connections are dialled from inside
// the namespace (no proxy from the environment).
func (n *Namespace) HTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: n.DialContext, ForceAttemptHTTP2: false}}
}
