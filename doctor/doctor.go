package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/switchboard-rtc/switchboard/sfu"
	"github.com/switchboard-rtc/switchboard/turnserver"
)

// Config is what the doctor checks (the parts of a switchboard config
// about addresses and ports).
type Config struct {
	HTTPListen string
	HTTPS      bool
	// TLSCert and TLSKey are server.tls_cert and tls_key ("": none).
	TLSCert, TLSKey string
	Media           sfu.Config
	TURN            turnserver.Config
	// Problems are what the config's own validation found (serve would
	// refuse to start with them): each is a FAIL, first.
	Problems []error
}

// Status of one check.
type Status string

// The statuses, worst last.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "FAIL"
)

// Check is one finding, in plain words.
type Check struct {
	Status Status
	What   string
	Detail string
}

// Rule is one line of the firewall table.
type Rule struct {
	Proto string // udp, tcp
	Ports string
	Why   string
}

// Report is the doctor's answer.
type Report struct {
	Checks   []Check
	Firewall []Rule
}

// Failed reports whether any check failed.
func (r Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

func (r *Report) add(s Status, what, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Status: s, What: what, Detail: fmt.Sprintf(format, args...)})
}

// Run checks cfg on this host.
func Run(ctx context.Context, cfg Config) Report {
	var r Report
	for _, p := range cfg.Problems {
		r.add(Fail, "config", "%v", p)
	}
	checkTCP(&r, "HTTP "+cfg.HTTPListen, cfg.HTTPListen)
	if cfg.Media.Off {
		r.add(OK, "media", "off: this node hosts no media (cluster.role signal) and binds no media port")
	} else {
		bind := bindHost(cfg.Media.BindAddress) // what is tested: media.public_ip has a line of its own
		checkUDP(&r, "media UDP "+hostPort(bind, cfg.Media.UDPPort), hostPort(cfg.Media.BindAddress, cfg.Media.UDPPort))
		if cfg.Media.TCPPort > 0 {
			checkTCP(&r, "media ICE-TCP "+hostPort(bind, cfg.Media.TCPPort), hostPort(cfg.Media.BindAddress, cfg.Media.TCPPort))
		}
		checkSocketBuffers(&r, cfg.Media)
		checkAddresses(&r, cfg)
	}
	checkHTTPS(&r, cfg)
	checkCertificates(&r, cfg, time.Now())
	checkTURN(ctx, &r, cfg)
	r.Firewall = firewall(cfg)
	return r
}

// Write prints the report as two tables.
func (r Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tRESULT\tDETAIL")
	for _, c := range r.Checks {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.What, c.Status, c.Detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nA firewall in front of this host must let in:")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROTO\tPORTS\tWHAT FOR")
	for _, f := range r.Firewall {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Proto, f.Ports, f.Why)
	}
	return tw.Flush()
}

func checkTCP(r *Report, what, addr string) {
	ln, err := net.Listen("tcp", addr) //nolint:noctx // a bind test
	if err == nil {
		_ = ln.Close()
		r.add(OK, what, "free: switchboard can listen here")
		return
	}
	bindResult(r, what, err)
}

func checkUDP(r *Report, what, addr string) {
	pc, err := net.ListenPacket("udp", addr) //nolint:noctx // a bind test
	if err == nil {
		_ = pc.Close()
		r.add(OK, what, "free: switchboard can listen here")
		return
	}
	bindResult(r, what, err)
}

// checkSocketBuffers warns when the kernel grants the media sockets less
// buffer than media.socket_buffer asks (bursts are then dropped under load).
func checkSocketBuffers(r *Report, m sfu.Config) {
	const what = "media UDP buffers"
	want, rcv, snd, err := sfu.SocketBuffersGranted(m)
	switch {
	case err != nil:
		r.add(Warn, what, "could not be checked: %v", err)
	case want == 0:
		r.add(OK, what, "left as the OS makes them (media.socket_buffer 0)")
	case rcv > 0 && rcv < want || snd > 0 && snd < want:
		r.add(Warn, what, "the kernel grants %d bytes to receive and %d to send of the %d media.socket_buffer asks: bursts may be dropped under load; "+
			"raise net.core.rmem_max and net.core.wmem_max to %d (sysctl), or run switchboard with CAP_NET_ADMIN", rcv, snd, want, want)
	default:
		r.add(OK, what, "%d bytes each way, as media.socket_buffer asks", want)
	}
}

func bindResult(r *Report, what string, err error) {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		r.add(Warn, what, "in use: fine if switchboard is running; otherwise another program holds it")
	case errors.Is(err, syscall.EACCES):
		r.add(Fail, what, "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE")
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		r.add(Fail, what, "this host has no such address: check the bind address")
	default:
		r.add(Fail, what, "%v", err)
	}
}

// checkAddresses looks at what clients are told to reach.
func checkAddresses(r *Report, cfg Config) {
	own := hostAddrs()
	if ip, err := netip.ParseAddr(cfg.Media.PublicIP); err == nil {
		if contains(own, ip) {
			r.add(OK, "media.public_ip "+ip.String(), "on this host's interfaces")
		} else {
			r.add(Warn, "media.public_ip "+ip.String(), "not on this host (NAT 1:1): the router must forward UDP %d and TCP %d here", cfg.Media.UDPPort, cfg.Media.TCPPort)
		}
	} else if cfg.Media.PublicIP != "" {
		r.add(Fail, "media.public_ip", "%q is not an IP address", cfg.Media.PublicIP)
	} else if !anyPublic(own) && !hasTURN(cfg) {
		r.add(Warn, "media addresses", "this host has no public address and no TURN is configured: only clients on its networks can call")
	}
	for _, name := range cfg.Media.Interfaces {
		if _, err := net.InterfaceByName(name); err != nil {
			r.add(Warn, "media.interfaces "+name, "not on this host (yet): no media address on it until it appears")
		}
	}
}

// checkHTTPS says whether browsers will give the page a camera.
func checkHTTPS(r *Report, cfg Config) {
	if cfg.HTTPS {
		r.add(OK, "HTTPS", "on: browsers allow camera and microphone")
	} else {
		r.add(Warn, "HTTPS", "off: browsers give the camera only to https:// pages (or localhost); serve TLS or put a reverse proxy in front (docs/operations.md)")
	}
}

// bindHost names the address the media sockets bind to (media.bind_address),
// "*" for all of them.
func bindHost(bind string) string {
	if bind == "" {
		return "*"
	}
	return bind
}

func hostPort(host string, port int) string {
	return net.JoinHostPort(host, strconv.Itoa(port))
}

func hostAddrs() []netip.Addr {
	addrs, _ := net.InterfaceAddrs()
	var out []netip.Addr
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok {
				out = append(out, ip.Unmap())
			}
		}
	}
	return out
}

func contains(ips []netip.Addr, ip netip.Addr) bool {
	for _, a := range ips {
		if a == ip.Unmap() {
			return true
		}
	}
	return false
}

func anyPublic(ips []netip.Addr) bool {
	for _, ip := range ips {
		if ip.IsGlobalUnicast() && !ip.IsPrivate() && !netip.MustParsePrefix("100.64.0.0/10").Contains(ip) && !netip.MustParsePrefix("198.18.0.0/15").Contains(ip) {
			return true
		}
	}
	return false
}

// firewall lists what must be open from the internet.
func firewall(cfg Config) []Rule {
	_, httpPort, _ := net.SplitHostPort(cfg.HTTPListen)
	rules := []Rule{{"tcp", httpPort, "web page, /v1/ws ringing, /v1/rtc media signalling (or 443 on a reverse proxy in front)"}}
	if !cfg.Media.Off {
		rules = append(rules, Rule{"udp", strconv.Itoa(cfg.Media.UDPPort), "media (all calls share this one UDP port)"})
		if cfg.Media.TCPPort > 0 {
			rules = append(rules, Rule{"tcp", strconv.Itoa(cfg.Media.TCPPort), "media over ICE-TCP, for clients whose UDP is blocked"})
		}
	}
	if !cfg.TURN.Enabled {
		return rules
	}
	t := cfg.TURN
	for _, l := range []struct{ proto, addr, why string }{
		{"udp", t.ListenUDP, "TURN over UDP"}, {"tcp", t.ListenTCP, "TURN over TCP"}, {"tcp", t.ListenTLS, "TURN over TLS (strict networks)"},
	} {
		if _, port, err := net.SplitHostPort(l.addr); err == nil {
			rules = append(rules, Rule{l.proto, port, l.why})
		}
	}
	relay := "any (ephemeral)"
	if t.RelayPortMin > 0 {
		relay = fmt.Sprintf("%d-%d", t.RelayPortMin, t.RelayPortMax)
	}
	rules = append(rules, Rule{"udp", relay, "TURN relay ports: only if relays must reach peers on other hosts (the SFU on this host needs no opening)"})
	return rules
}
