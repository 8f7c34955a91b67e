package netlab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// seq numbers the namespaces of this process (sb-<pid>-<n>): names must be
// unique across every Lab of a test binary, so the counter is per process.
var seq atomic.Uint64

// namePrefix is the prefix of every namespace netlab makes.
const namePrefix = "sb-"

// Lab is one test's network: its namespaces, bridges and links, all
// removed when the test ends.
type Lab struct {
	t      testing.TB
	nets   []*Namespace
	subnet int // last 198.18.<k>.0/24 handed to a LAN
}

// New returns an empty lab for t. Without root (or without ip, tc, ss) it
// skips t with the reason, or fails it when CI=1. It sweeps namespaces left
// by dead processes first, and registers the cleanup.
func New(t testing.TB) *Lab {
	t.Helper()
	if why := unsupported(); why != "" {
		if os.Getenv("CI") == "1" {
			t.Fatalf("netlab: CI=1 and network namespaces are unavailable: %s", why)
		}
		t.Skipf("netlab: needs network namespaces (%s); run as root (CI=1 makes this a failure)", why)
	}
	SweepStale(t)
	l := &Lab{t: t}
	t.Cleanup(l.close)
	return l
}

func unsupported() string {
	if os.Geteuid() != 0 {
		return "not root"
	}
	for _, bin := range []string{"ip", "tc", "ss"} {
		if _, err := exec.LookPath(bin); err != nil {
			return bin + " not found"
		}
	}
	return ""
}

// Namespace makes a new network namespace with lo up. role only labels
// logs; the name is sb-<pid>-<n>.
func (l *Lab) Namespace(role string) *Namespace {
	l.t.Helper()
	name := fmt.Sprintf("%s%d-%d", namePrefix, os.Getpid(), seq.Add(1))
	if err := run("ip", "netns", "add", name); err != nil {
		l.t.Fatal(err)
	}
	n := &Namespace{Name: name, Role: role}
	l.nets = append(l.nets, n)
	if err := n.ip("link", "set", "lo", "up"); err != nil {
		l.t.Fatal(err)
	}
	// IPv4 only: no IPv6 link-local addresses on the veths for a browser or
	// Pion to gather, and no forwarding (a relay namespace must not route
	// around its relay).
	if err := n.Do(isolate); err != nil {
		l.t.Fatal(err)
	}
	return n
}

// isolate writes the namespace's sysctls (run inside it: /proc/sys/net is
// the calling thread's namespace's).
func isolate() error {
	for _, kv := range [][2]string{
		{"net/ipv6/conf/all/disable_ipv6", "1"},
		{"net/ipv6/conf/default/disable_ipv6", "1"},
		{"net/ipv4/ip_forward", "0"},
	} {
		if err := os.WriteFile("/proc/sys/"+kv[0], []byte(kv[1]), 0); err != nil {
			return fmt.Errorf("%w: sysctl %s: %v", ErrCommand, kv[0], err)
		}
	}
	return nil
}

// close stops what runs in the lab's namespaces and deletes them, newest
// first. Errors are reported but do not stop the rest of the cleanup.
func (l *Lab) close() {
	if !l.t.Failed() {
		l.CheckBindings(l.t)
	}
	for i := len(l.nets) - 1; i >= 0; i-- {
		n := l.nets[i]
		if err := deleteNamespace(n.Name); err != nil {
			l.t.Errorf("netlab: %v", err)
		}
	}
}

// deleteNamespace kills what still runs in name and deletes it (its veth
// ends go with it, and so do their peers).
func deleteNamespace(name string) error {
	out, _ := exec.Command("ip", "netns", "pids", name).Output()
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil && pid != os.Getpid() {
			_ = unix.Kill(pid, unix.SIGKILL)
		}
	}
	return run("ip", "netns", "del", name)
}

// SweepStale deletes namespaces named sb-<pid>-<n> whose pid is no longer
// running (a test binary that was killed). New calls it.
func SweepStale(t testing.TB) {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		pid, ok := ownerPid(name)
		if !ok || alive(pid) {
			continue
		}
		if err := deleteNamespace(name); err != nil {
			t.Logf("netlab: sweeping %s: %v", name, err)
		} else {
			t.Logf("netlab: swept stale namespace %s (pid %d is gone)", name, pid)
		}
	}
}

// ownerPid parses sb-<pid>-<n>.
func ownerPid(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, namePrefix)
	if !ok {
		return 0, false
	}
	p, n, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	pid, err := strconv.Atoi(p)
	if _, err2 := strconv.Atoi(n); err != nil || err2 != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}

func alive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}

// run runs a command (ip, tc, ss) with a timeout; its output goes into the
// error when it fails.
func run(name string, args ...string) error {
	_, err := output(name, args...)
	return err
}

func output(name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w: %s %s: %v: %s", ErrCommand, name, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return out.Bytes(), nil
}
