package netlab

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// testRange is 198.18.0.0/15, the only addresses lab namespaces hold.
var testRange = netip.MustParsePrefix("198.18.0.0/15")

// CheckBindings fails t if a socket of a lab namespace is bound outside
// 127.0.0.0/8, 198.18.0.0/15 or a wildcard (which, inside a lab namespace,
// reaches only those), or if a socket this process holds in the host's
// namespace is bound to anything but loopback (a wildcard there would be
// reachable from outside). New calls it at cleanup unless t already failed.
func (l *Lab) CheckBindings(t testing.TB) {
	t.Helper()
	for _, n := range l.nets {
		out, err := n.Exec("ss", "-H", "-a", "-n", "-t", "-u")
		if err != nil {
			t.Error(err)
			continue
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			if len(f) < 5 {
				continue
			}
			if a, ok := ssAddr(f[4]); ok && !a.IsUnspecified() && !a.IsLoopback() && !testRange.Contains(a) {
				t.Errorf("%v: in %s: %s", ErrOutside, n, line)
			}
		}
	}
	for _, bad := range hostSockets() {
		t.Errorf("%v: this process in the host namespace: %s", ErrOutside, bad)
	}
}

// ssAddr parses ss's local address column (1.2.3.4:5, [::1]:5, *:5,
// 1.2.3.4%eth0:5).
func ssAddr(s string) (netip.Addr, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return netip.Addr{}, false
	}
	h := strings.Trim(s[:i], "[]")
	if h == "*" {
		return netip.IPv4Unspecified(), true
	}
	if j := strings.IndexByte(h, '%'); j >= 0 {
		h = h[:j]
	}
	a, err := netip.ParseAddr(h)
	return a.Unmap(), err == nil
}

// hostSockets lists this process's TCP and UDP sockets in the host's
// namespace whose local address is not loopback. The tables are read
// through the calling thread (/proc/thread-self/net), locked while it reads:
// /proc/self/net is the main thread's namespace, which is a test's while a
// Namespace.Do function runs on the main thread (a dial waiting on a cut
// path holds it there for minutes), and that namespace's sockets then
// looked like the host's. A thread that runs no Do function is in the
// host's namespace.
func hostSockets() []string {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	mine := socketInodes()
	var bad []string
	for _, table := range []string{"tcp", "tcp6", "udp", "udp6"} {
		f, err := os.Open("/proc/thread-self/net/" + table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fl := strings.Fields(sc.Text())
			if len(fl) < 10 || !mine[fl[9]] {
				continue
			}
			if a, ok := procAddr(fl[1]); ok && !a.IsLoopback() {
				bad = append(bad, fmt.Sprintf("%s %s", table, a))
			}
		}
		_ = f.Close()
	}
	return bad
}

// socketInodes returns the inodes of this process's open sockets.
func socketInodes() map[string]bool {
	out := map[string]bool{}
	fds, _ := filepath.Glob("/proc/self/fd/*")
	for _, fd := range fds {
		l, err := os.Readlink(fd)
		if err != nil {
			continue
		}
		if s, ok := strings.CutPrefix(l, "socket:["); ok {
			out[strings.TrimSuffix(s, "]")] = true
		}
	}
	return out
}

// procAddr parses /proc/net/{tcp,udp}[6]'s "HEXADDR:PORT" (each 32-bit
// word in host order: little-endian here).
func procAddr(s string) (netip.Addr, bool) {
	h, _, ok := strings.Cut(s, ":")
	if !ok {
		return netip.Addr{}, false
	}
	raw, err := hex.DecodeString(h)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.Addr{}, false
	}
	for w := 0; w < len(raw); w += 4 {
		raw[w], raw[w+1], raw[w+2], raw[w+3] = raw[w+3], raw[w+2], raw[w+1], raw[w]
	}
	a, _ := netip.AddrFromSlice(raw)
	return a.Unmap(), true
}
