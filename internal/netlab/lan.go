package netlab

import (
	"fmt"
	"net/netip"
	"strconv"
	"time"
)

// LAN is a bridge in a namespace of its own, with subnet 198.18.<k>.0/24
// (or 198.19.<k-256>.0/24). Namespaces join it with Plug; each gets the
// next free address.
type LAN struct {
	lab    *Lab
	sw     *Namespace
	subnet int
	next   int // last host number handed out
}

// Port is a namespace's attachment to a LAN: a veth pair whose one end
// (Dev, holding Addr) sits in NS and whose other end is a bridge port.
type Port struct {
	LAN  *LAN
	NS   *Namespace
	Dev  string
	Addr netip.Addr
	sw   string // the bridge-side device, in the LAN's namespace
}

// LAN makes a new LAN.
func (l *Lab) LAN() *LAN {
	l.t.Helper()
	l.subnet++
	if l.subnet > 511 {
		l.t.Fatal("netlab: out of /24 subnets in 198.18.0.0/15")
	}
	lan := &LAN{lab: l, sw: l.Namespace("switch"), subnet: l.subnet}
	if err := lan.sw.ip("link", "add", "br0", "type", "bridge"); err != nil {
		l.t.Fatal(err)
	}
	// No STP, no forwarding delay: a port forwards as soon as it is up.
	if err := lan.sw.ip("link", "set", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0"); err != nil {
		l.t.Fatal(err)
	}
	if err := lan.sw.ip("link", "set", "br0", "up"); err != nil {
		l.t.Fatal(err)
	}
	return lan
}

// Prefix is the LAN's subnet.
func (lan *LAN) Prefix() netip.Prefix {
	a := 198 << 24
	a |= (18 + lan.subnet/256) << 16
	a |= (lan.subnet % 256) << 8
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), 0}), 24)
}

// Plug attaches ns to the LAN with the next free address.
func (lan *LAN) Plug(ns *Namespace) *Port {
	t := lan.lab.t
	t.Helper()
	p, err := lan.plug(ns)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (lan *LAN) plug(ns *Namespace) (*Port, error) {
	lan.next++
	if lan.next > 254 {
		return nil, fmt.Errorf("%w: LAN %s is full", ErrCommand, lan.Prefix())
	}
	b := lan.Prefix().Addr().As4()
	b[3] = byte(lan.next)
	name := "l" + strconv.Itoa(lan.subnet) + "p" + strconv.Itoa(lan.next)
	p := &Port{LAN: lan, NS: ns, Dev: name, Addr: netip.AddrFrom4(b), sw: name}
	steps := [][]string{
		{"link", "add", p.sw, "type", "veth", "peer", "name", p.Dev, "netns", ns.Name},
		{"link", "set", p.sw, "master", "br0"},
		{"link", "set", p.sw, "up"},
	}
	for _, s := range steps {
		if err := lan.sw.ip(s...); err != nil {
			return nil, err
		}
	}
	cidr := p.Addr.String() + "/24"
	if err := ns.ip("addr", "add", cidr, "dev", p.Dev); err != nil {
		return nil, err
	}
	return p, ns.ip("link", "set", p.Dev, "up")
}

// DefaultRoute makes the port the namespace's default route, as a machine's
// LAN interface is: some stacks gather only on an interface a default route
// leaves by (Firefox gathers no candidate at all without one). Packets to
// addresses outside the lab go to the LAN's switch, which has no way out.
func (p *Port) DefaultRoute() {
	if err := p.NS.ip("route", "add", "default", "dev", p.Dev); err != nil {
		p.LAN.lab.t.Fatal(err)
	}
}

// Cut takes the bridge side of the port down: the namespace keeps its
// address and its sockets, but nothing goes in or out (a dead Wi-Fi).
func (p *Port) Cut() {
	if err := p.LAN.sw.ip("link", "set", p.sw, "down"); err != nil {
		p.LAN.lab.t.Error(err)
	}
}

// Restore brings a cut port back.
func (p *Port) Restore() {
	if err := p.LAN.sw.ip("link", "set", p.sw, "up"); err != nil {
		p.LAN.lab.t.Error(err)
	}
}

// Blackhole takes the port off the switch and leaves it up: the namespace
// keeps its link, address and sockets (nothing tells it the network is
// gone), but nothing goes in or out, as when a Wi-Fi or mobile path stalls.
// Reconnect puts it back.
func (p *Port) Blackhole() {
	if err := p.LAN.sw.ip("link", "set", p.sw, "nomaster"); err != nil {
		p.LAN.lab.t.Error(err)
	}
}

// Reconnect puts a blackholed port back on the switch.
func (p *Port) Reconnect() {
	if err := p.LAN.sw.ip("link", "set", p.sw, "master", "br0"); err != nil {
		p.LAN.lab.t.Error(err)
	}
}

// Move gives the namespace a new port (new veth, new address) on the same
// LAN, then unplugs the old one: the namespace's old address is gone, as
// after a Wi-Fi to LTE handover. It returns the new port.
func (p *Port) Move() *Port {
	t := p.LAN.lab.t
	t.Helper()
	np, err := p.LAN.plug(p.NS)
	if err != nil {
		t.Fatal(err)
	}
	p.Unplug()
	return np
}

// Unplug deletes the port's veth pair (and the address with it).
func (p *Port) Unplug() {
	if err := p.LAN.sw.ip("link", "del", p.sw); err != nil {
		p.LAN.lab.t.Error(err)
	}
}

// TBF is a tc tbf bandwidth cap. Rate is tc's syntax ("300kbit", "2mbit");
// Burst defaults to 16kbit and Latency to 100 ms.
type TBF struct {
	Rate    string
	Burst   string
	Latency time.Duration
}

func (b TBF) args() []string {
	burst, lat := b.Burst, b.Latency
	if burst == "" {
		burst = "16kbit"
	}
	if lat <= 0 {
		lat = 100 * time.Millisecond
	}
	return []string{"root", "tbf", "rate", b.Rate, "burst", burst, "latency", strconv.FormatInt(lat.Milliseconds(), 10) + "ms"}
}

// CapUp caps what the namespace sends through the port.
func (p *Port) CapUp(b TBF) {
	p.tc(p.NS, p.Dev, b)
}

// CapDown caps what the namespace receives through the port.
func (p *Port) CapDown(b TBF) {
	p.tc(p.LAN.sw, p.sw, b)
}

func (p *Port) tc(ns *Namespace, dev string, b TBF) {
	args := append([]string{"-n", ns.Name, "qdisc", "replace", "dev", dev}, b.args()...)
	if err := run("tc", args...); err != nil {
		p.LAN.lab.t.Error(err)
	}
}

// Uncap removes both caps (a missing cap is not an error).
func (p *Port) Uncap() {
	_ = run("tc", "-n", p.NS.Name, "qdisc", "del", "dev", p.Dev, "root")
	_ = run("tc", "-n", p.LAN.sw.Name, "qdisc", "del", "dev", p.sw, "root")
}

// Qdisc returns tc's view of the port's namespace side (tests of the cap).
func (p *Port) Qdisc() string {
	out, _ := output("tc", "-n", p.NS.Name, "qdisc", "show", "dev", p.Dev)
	return string(out)
}
