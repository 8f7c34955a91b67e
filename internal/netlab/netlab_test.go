package netlab_test

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// echo starts a UDP echo server in ns on addr:0 and returns its address.
func echo(t *testing.T, ns *netlab.Namespace, addr netip.Addr) netip.AddrPort {
	t.Helper()
	c, err := ns.ListenUDP(net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, 0)))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			_, _ = c.WriteToUDPAddrPort(buf[:n], from)
		}
	}()
	t.Cleanup(func() { _ = c.Close(); <-done })
	return c.LocalAddr().(*net.UDPAddr).AddrPort()
}

// ping sends one datagram from c to dst and reports whether it came back
// within wait.
func ping(t *testing.T, c *net.UDPConn, dst netip.AddrPort, wait time.Duration) bool {
	t.Helper()
	msg := []byte("ping " + strconv.FormatInt(time.Now().UnixNano(), 10))
	if _, err := c.WriteToUDPAddrPort(msg, dst); err != nil {
		return false
	}
	buf := make([]byte, 2048)
	_ = c.SetReadDeadline(time.Now().Add(wait))
	for {
		n, err := c.Read(buf)
		if err != nil {
			return false
		}
		if bytes.Equal(buf[:n], msg) {
			return true
		}
	}
}

func clientSocket(t *testing.T, ns *netlab.Namespace) *net.UDPConn {
	t.Helper()
	c, err := ns.ListenUDP(&net.UDPAddr{IP: net.IPv4zero})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestLANCutRestore(t *testing.T) {
	lab := netlab.New(t)
	lan := lab.LAN()
	srv, cli := lab.Namespace("srv"), lab.Namespace("cli")
	sp, cp := lan.Plug(srv), lan.Plug(cli)
	if !lan.Prefix().Contains(sp.Addr) || !lan.Prefix().Contains(cp.Addr) || sp.Addr == cp.Addr {
		t.Fatalf("addresses %s %s outside %s or equal", sp.Addr, cp.Addr, lan.Prefix())
	}
	dst := echo(t, srv, sp.Addr)
	c := clientSocket(t, cli)
	if !ping(t, c, dst, 2*time.Second) {
		t.Fatal("no echo across the LAN")
	}
	cp.Cut()
	if ping(t, c, dst, 300*time.Millisecond) {
		t.Fatal("echo through a cut port")
	}
	cp.Restore()
	ok := false
	for range 20 { // the bridge port needs a moment to forward again
		if ok = ping(t, c, dst, 250*time.Millisecond); ok {
			break
		}
	}
	if !ok {
		t.Fatal("no echo after Restore")
	}
	cp.Blackhole()
	if ping(t, c, dst, 300*time.Millisecond) {
		t.Fatal("echo through a blackholed port")
	}
	if out, err := exec.Command("ip", "-n", cli.Name, "-br", "link", "show", cp.Dev).Output(); err != nil || !strings.Contains(string(out), "UP") {
		t.Fatalf("the blackholed namespace's link is not up: %s %v", out, err)
	}
	cp.Reconnect()
	for range 20 {
		if ok = ping(t, c, dst, 250*time.Millisecond); ok {
			break
		}
	}
	if !ok {
		t.Fatal("no echo after Reconnect")
	}
	// The host cannot reach the lab: its namespace has no such address.
	h, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if ping(t, h, dst, 200*time.Millisecond) {
		t.Fatal("the host reached a lab namespace")
	}
}

func TestMoveChangesAddress(t *testing.T) {
	lab := netlab.New(t)
	lan := lab.LAN()
	srv, cli := lab.Namespace("srv"), lab.Namespace("cli")
	sp, cp := lan.Plug(srv), lan.Plug(cli)
	dst := echo(t, srv, sp.Addr)
	old := clientSocket(t, cli)
	if !ping(t, old, dst, 2*time.Second) {
		t.Fatal("no echo before the move")
	}
	np := cp.Move()
	if np.Addr == cp.Addr {
		t.Fatalf("Move kept the address %s", np.Addr)
	}
	out, err := cli.Exec("ip", "-4", "-o", "addr")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), cp.Addr.String()+"/") || !strings.Contains(string(out), np.Addr.String()+"/") {
		t.Fatalf("after Move, want only %s, have:\n%s", np.Addr, out)
	}
	c, err := cli.ListenUDP(net.UDPAddrFromAddrPort(netip.AddrPortFrom(np.Addr, 0)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !ping(t, c, dst, 2*time.Second) {
		t.Fatal("no echo from the new address")
	}
}

func TestCapUncap(t *testing.T) {
	lab := netlab.New(t)
	lan := lab.LAN()
	cp := lan.Plug(lab.Namespace("cli"))
	cp.CapUp(netlab.TBF{Rate: "300kbit"})
	if q := cp.Qdisc(); !strings.Contains(q, "tbf") || !strings.Contains(q, "300Kbit") {
		t.Fatalf("qdisc after CapUp: %q", q)
	}
	cp.Uncap()
	if q := cp.Qdisc(); strings.Contains(q, "tbf") {
		t.Fatalf("qdisc after Uncap: %q", q)
	}
}

// TestRelayImpairs: the relay forwards both ways from its namespace on two
// LANs (the client cannot reach the server otherwise), drops about Loss of
// the datagrams and never delivers one before Delay.
func TestRelayImpairs(t *testing.T) {
	lab := netlab.New(t)
	front, back := lab.LAN(), lab.LAN()
	srv, rel, cli := lab.Namespace("srv"), lab.Namespace("relay"), lab.Namespace("cli")
	sp := back.Plug(srv)
	back.Plug(rel)
	rp := front.Plug(rel)
	front.Plug(cli)
	dst := echo(t, srv, sp.Addr)
	c := clientSocket(t, cli)
	if ping(t, c, dst, 200*time.Millisecond) {
		t.Fatal("the client reached the server without the relay")
	}
	r := netlab.NewRelay(t, rel, netip.AddrPortFrom(rp.Addr, 0), dst, netlab.Impairment{Delay: 30 * time.Millisecond, Jitter: 20 * time.Millisecond, Seed: 7})
	start := time.Now()
	if !ping(t, c, r.Addr(), 2*time.Second) {
		t.Fatal("no echo through the relay")
	}
	if rtt := time.Since(start); rtt < 60*time.Millisecond {
		t.Fatalf("round trip %v through a relay delaying 30 ms each way", rtt)
	}
	r.Set(netlab.Impairment{Loss: 0.3, Seed: 7})
	const n = 400
	for i := range n {
		if _, err := c.WriteToUDPAddrPort([]byte(strconv.Itoa(i)), r.Addr()); err != nil {
			t.Fatal(err)
		}
		if i%50 == 49 {
			time.Sleep(5 * time.Millisecond) // stay below the socket buffers
		}
	}
	got, buf := 0, make([]byte, 64)
	_ = c.SetReadDeadline(time.Now().Add(time.Second))
	for {
		if _, err := c.Read(buf); err != nil {
			break
		}
		got++
	}
	// A round trip survives with 0.7^2 = 49%; far outside 35..63% is a bug.
	if got < n*35/100 || got > n*63/100 {
		t.Fatalf("%d/%d round trips at 30%% loss each way", got, n)
	}
	st := r.Stats()
	t.Logf("relay: %d forwarded, %d dropped; %d/%d round trips", st.Forwarded, st.Dropped, got, n)
}

func TestSweepStale(t *testing.T) {
	lab := netlab.New(t)
	_ = lab
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	name := "sb-" + strconv.Itoa(dead.Process.Pid) + "-1"
	if err := exec.Command("ip", "netns", "add", name).Run(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	netlab.SweepStale(t)
	out, _ := exec.Command("ip", "netns", "list").Output()
	if strings.Contains(string(out), name) {
		t.Fatalf("%s of dead pid %d not swept", name, dead.Process.Pid)
	}
}

func TestDoRestoresThread(t *testing.T) {
	lab := netlab.New(t)
	ns := lab.Namespace("x")
	read := func() string {
		out, _ := exec.Command("readlink", "/proc/self/ns/net").Output()
		return string(out)
	}
	host := read()
	var inside []net.Interface
	for range 50 {
		if err := ns.Do(func() error {
			var err error
			inside, err = net.Interfaces()
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if len(inside) != 1 || inside[0].Name != "lo" {
		t.Fatalf("interfaces inside a fresh namespace: %v", inside)
	}
	if err := ns.Do(func() error { return errors.New("boom") }); err == nil || err.Error() != "boom" {
		t.Fatalf("Do lost fn's error: %v", err)
	}
	if read() != host {
		t.Fatal("the process left the host namespace")
	}
	ifs, _ := net.Interfaces()
	for _, i := range ifs {
		if strings.HasPrefix(i.Name, "l") && strings.Contains(i.Name, "p") {
			t.Fatalf("a lab interface %s in the host namespace", i.Name)
		}
	}
}
