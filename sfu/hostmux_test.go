package sfu

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
)

// netnsChildEnv marks the copy of the test binary that runs inside the
// network namespace the parent test made.
const netnsChildEnv = "SWITCHBOARD_TEST_NETNS_CHILD"

// TestBindAllWithTentativeIPv6 makes a network namespace with a veth pair
// whose IPv6 link-local addresses are still tentative (duplicate address
// detection lasts about 3 s), then runs the server's media side in it with
// bind_address "": it must start, skip the tentative address, bind it once
// it is usable, and close the socket of an address that is removed.
func TestBindAllWithTentativeIPv6(t *testing.T) {
	if os.Getenv(netnsChildEnv) != "" {
		bindAllChild(t)
		return
	}
	requireRoot(t)
	ns := fmt.Sprintf("sbt-%d-%d", os.Getpid(), rand.IntN(1e6))
	ip(t, "netns", "add", ns)
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v %s", ns, err, out)
		}
	})
	ip(t, "-n", ns, "link", "add", "sbta", "type", "veth", "peer", "name", "sbtb")
	for _, dev := range []string{"sbta", "sbtb"} {
		run(t, "ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf."+dev+".dad_transmits=3")
	}
	ip(t, "-n", ns, "addr", "add", "198.18.0.1/24", "dev", "sbta")
	ip(t, "-n", ns, "link", "set", "lo", "up")
	ip(t, "-n", ns, "link", "set", "sbta", "up")
	ip(t, "-n", ns, "link", "set", "sbtb", "up")
	if out := ip(t, "-n", ns, "-6", "addr", "show", "dev", "sbta"); !strings.Contains(out, "tentative") {
		t.Fatalf("sbta has no tentative IPv6 address, nothing to test:\n%s", out)
	}
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^TestBindAllWithTentativeIPv6$", "-test.v")
	cmd.Env = append(os.Environ(), netnsChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("in the namespace: %v\n%s", err, out)
	}
	t.Logf("in the namespace:\n%s", out)
}

// bindAllChild runs inside the namespace.
func bindAllChild(t *testing.T) {
	tentative := tentativeAddr(t, "sbta")
	if tentative == "" {
		t.Fatal("sbta's link-local address is no longer tentative; the test came too late")
	}
	var logs logbuf.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := DefaultConfig()
	cfg.BindAddress = ""
	s, err := New(cfg, Deps{Log: log})
	if err != nil {
		t.Fatalf("the media side refused to start with a tentative address on sbta: %v", err)
	}
	defer func() { _ = s.Close() }()
	want := "[" + tentative + "%sbta]:7882"
	got := listenAddrs(s)
	t.Logf("bound at start: %v (sbta still tentative: %v)", got, tentativeAddr(t, "sbta") != "")
	if !strings.Contains(got, "198.18.0.1:7882") {
		t.Errorf("198.18.0.1:7882 not bound: %v", got)
	}
	if strings.Contains(got, want) {
		t.Errorf("%s bound while tentative?", want)
	}
	if !strings.Contains(logs.String(), "cannot be bound yet") || !strings.Contains(logs.String(), tentative) {
		t.Errorf("no debug line about skipping %s:\n%s", tentative, logs.String())
	}
	deadline := time.Now().Add(5*time.Second + 2*hostRescanEvery)
	for !strings.Contains(listenAddrs(s), want) {
		if time.Now().After(deadline) {
			t.Fatalf("%s never bound once usable; bound: %v\n%s", want, listenAddrs(s), logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("bound later: %v", listenAddrs(s))
	// The next rescan finds every address bound: nothing to bind again.
	time.Sleep(hostRescanEvery + time.Second)
	if strings.Contains(logs.String(), "cannot bind a new address") {
		t.Errorf("a rescan tried to bind a bound address again:\n%s", logs.String())
	}
	// An address that goes away loses its socket.
	run(t, "ip", "addr", "del", "198.18.0.1/24", "dev", "sbta")
	deadline = time.Now().Add(2*hostRescanEvery + time.Second)
	for strings.Contains(listenAddrs(s), "198.18.0.1:") {
		if time.Now().After(deadline) {
			t.Fatalf("198.18.0.1 still bound after it was removed: %v", listenAddrs(s))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func listenAddrs(s *Server) string {
	var out []string
	for _, a := range s.eng.udpMux.GetListenAddresses() {
		out = append(out, a.String())
	}
	return strings.Join(out, " ")
}

// tentativeAddr is dev's tentative IPv6 link-local address, "" if none.
func tentativeAddr(t *testing.T, dev string) string {
	out := run(t, "ip", "-6", "-o", "addr", "show", "dev", dev, "scope", "link")
	if !strings.Contains(out, "tentative") {
		return ""
	}
	f := strings.Fields(out)
	for i, w := range f {
		if w == "inet6" && i+1 < len(f) {
			return strings.Split(f[i+1], "/")[0]
		}
	}
	return ""
}

// requireRoot skips a test that needs root, except on CI (CI=1) where it fails.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("ip"); err == nil {
			return
		}
	}
	msg := "needs root and iproute2 (ip) to create a network namespace; run as root to test binding all interfaces"
	if os.Getenv("CI") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func ip(t *testing.T, args ...string) string { return run(t, "ip", args...) }

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
