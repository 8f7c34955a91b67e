package doctor

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/pion/stun/v4"
	"github.com/switchboard-rtc/switchboard/sfu"
	"github.com/switchboard-rtc/switchboard/turnserver"
)

// probeUID is the user the doctor's credentials are minted for.
const probeUID = "switchboard-doctor"

// probeTimeout bounds one TURN probe.
const probeTimeout = 5 * time.Second

// checkTURN allocates a relay on the embedded TURN server (starting it
// for the check if it is not running) and on every external one.
func checkTURN(ctx context.Context, r *Report, cfg Config) {
	t := cfg.TURN
	peer := mediaPeer(cfg)
	checkICEServers(ctx, r, cfg.Media.ICEServers, peer)
	if !hasTURN(cfg) && cfg.Media.Off {
		r.add(OK, "TURN", "off: this node hosts no media (cluster.role signal); run doctor on the media nodes for theirs")
		return
	}
	if !hasTURN(cfg) {
		r.add(Warn, "TURN", "off: clients behind firewalls that block UDP %d and TCP %d cannot call (turn.enabled)", cfg.Media.UDPPort, cfg.Media.TCPPort)
		return
	}
	if t.Enabled {
		checkEmbedded(ctx, r, cfg, peer)
	}
	for i, e := range t.External {
		for _, u := range e.URLs {
			cred := turnserver.Mint(e.Secret, probeUID, time.Now(), 10*time.Minute)
			checkURL(ctx, r, fmt.Sprintf("turn.external[%d] %s", i, u), u, cred.Username, cred.Password, peer,
				fmt.Sprintf("turn.external[%d].secret is not the server's shared secret (coturn: static-auth-secret)", i))
		}
	}
}

// checkICEServers checks media.ice_servers as clients will take them: a
// URL a WebRTC stack refuses (and with it the whole list) fails, a TURN
// URL without credentials fails, and a relay is allocated on each TURN
// URL with the entry's own username and credential.
func checkICEServers(ctx context.Context, r *Report, servers []sfu.ICEServer, peer net.Addr) {
	for i, s := range servers {
		where := fmt.Sprintf("media.ice_servers[%d]", i)
		if err := turnserver.CheckICEServer(where, s); err != nil {
			r.add(Fail, where, "%v", err)
			continue
		}
		for _, u := range s.URLs {
			checkURL(ctx, r, where+" "+u, u, s.Username, s.Credential, peer,
				where+"'s username and credential are not the server's (expired, or made with another secret)")
		}
	}
}

// hasTURN reports whether clients are given any TURN server.
func hasTURN(cfg Config) bool {
	if cfg.TURN.Enabled || len(cfg.TURN.External) > 0 {
		return true
	}
	for _, s := range cfg.Media.ICEServers {
		for _, raw := range s.URLs {
			if u, err := turnserver.ParseICEURL(raw); err == nil && turnserver.IsTURN(u) {
				return true
			}
		}
	}
	return false
}

func checkEmbedded(ctx context.Context, r *Report, cfg Config, peer net.Addr) {
	t := cfg.TURN
	var srv *turnserver.Server
	started, err := turnserver.New(t, turnserver.Deps{Media: turnserver.MediaAddrs{IPs: mediaIPs(cfg), Port: cfg.Media.UDPPort}})
	switch {
	case err == nil:
		srv = started
		defer srv.Close()
		r.add(OK, "TURN listeners", "bound for this check: %s", srv.URLs())
	case errors.Is(err, syscall.EADDRINUSE):
		r.add(Warn, "TURN listeners", "in use: probing the server that holds them (a running switchboard?)")
	default:
		r.add(Fail, "TURN", "%v", err)
		return
	}
	cred := turnserver.Mint(t.Secret, probeUID, time.Now(), 10*time.Minute)
	serverName := t.Host
	if serverName == "" {
		serverName = t.PublicIP
	}
	listeners := []struct{ transport, addr string }{{"udp", t.ListenUDP}, {"tcp", t.ListenTCP}, {"tls", t.ListenTLS}}
	if srv != nil { // the ports really bound (a configured :0 picks one)
		listeners = []struct{ transport, addr string }{{"udp", addrString(srv.UDPAddr())}, {"tcp", addrString(srv.TCPAddr())}, {"tls", addrString(srv.TLSAddr())}}
	}
	for _, l := range listeners {
		if l.addr == "" {
			continue
		}
		p := turnserver.ProbeConfig{Server: localTarget(l.addr), Transport: l.transport, Username: cred.Username, Password: cred.Password,
			TLS: &tls.Config{ServerName: serverName, MinVersion: tls.VersionTLS12}}
		probe(ctx, r, "TURN over "+l.transport+" "+p.Server, p, peer,
			"turn.secret is not the secret of the server holding the TURN ports (a running switchboard with another config?)")
	}
	// the cloud metadata service: what an open relay is abused for first
	refused := &net.UDPAddr{IP: net.IPv4(169, 254, 169, 254), Port: 80}
	if l := listeners[0]; l.addr != "" && !allowsAddr(t.AllowedPeers, refused.IP) {
		p := turnserver.ProbeConfig{Server: localTarget(l.addr), Transport: "udp", Username: cred.Username, Password: cred.Password, Peers: []net.Addr{refused}}
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		defer cancel()
		if relay, err := turnserver.Allocate(pctx, p); err == nil {
			_ = relay.Close()
			r.add(Fail, "TURN peer ranges", "a relay towards %s was allowed: relays could reach this host's private services", refused)
		} else {
			r.add(OK, "TURN peer ranges", "a relay towards %s is refused, as it should be", refused)
		}
	}
}

// checkURL allocates a relay on a TURN URL with username and password
// (a STUN URL is only parsed); refused says why the credentials may be refused.
func checkURL(ctx context.Context, r *Report, what, url, username, password string, peer net.Addr, refused string) {
	u, err := turnserver.ParseICEURL(url)
	if err != nil {
		r.add(Fail, what, "%v", err)
		return
	}
	if u.Scheme == stun.SchemeTypeSTUN || u.Scheme == stun.SchemeTypeSTUNS {
		r.add(OK, what, "STUN only: nothing to allocate")
		return
	}
	transport := "udp"
	if u.Proto == stun.ProtoTypeTCP {
		transport = "tcp"
	}
	if u.Scheme == stun.SchemeTypeTURNS {
		transport = "tls"
	}
	p := turnserver.ProbeConfig{Server: net.JoinHostPort(u.Host, strconv.Itoa(u.Port)), Transport: transport,
		Username: username, Password: password, TLS: &tls.Config{ServerName: u.Host, MinVersion: tls.VersionTLS12}}
	probe(ctx, r, what, p, peer, refused)
}

// probe allocates, then asks permission towards the SFU (a failure of the
// latter is a warning: the relay works, the SFU's address is refused).
// refused says what a refusal of the credentials means for this server.
func probe(ctx context.Context, r *Report, what string, p turnserver.ProbeConfig, peer net.Addr, refused string) {
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	relay, err := turnserver.Allocate(pctx, p)
	if code, ok := credentialsRefused(err); ok {
		r.add(Fail, what, "no relay: the TURN server refused the credentials (error %d): %s", code, refused)
		return
	}
	if err != nil {
		r.add(Fail, what, "no relay: %v", err)
		return
	}
	addr := relay.LocalAddr()
	_ = relay.Close()
	if peer == nil {
		r.add(OK, what, "relay allocated at %s", addr)
		return
	}
	p.Peers = []net.Addr{peer}
	relay, err = turnserver.Allocate(pctx, p)
	if err != nil {
		r.add(Warn, what, "relay allocated at %s, but a permission towards the SFU %s was refused: %v", addr, peer, err)
		return
	}
	_ = relay.Close()
	r.add(OK, what, "relay allocated at %s; it may reach the SFU at %s", addr, peer)
}

// mediaIPs are the addresses the SFU announces.
func mediaIPs(cfg Config) []string {
	var ips []string
	for _, s := range append([]string{cfg.Media.PublicIP, cfg.Media.BindAddress}, cfg.Media.IPs...) {
		if ip, err := netip.ParseAddr(s); err == nil && !ip.IsUnspecified() {
			ips = append(ips, s)
		}
	}
	return ips
}

// mediaPeer is the SFU's UDP address as a relay would reach it (nil: unknown).
func mediaPeer(cfg Config) net.Addr {
	ips := mediaIPs(cfg)
	if len(ips) == 0 {
		for _, ip := range hostAddrs() {
			if !ip.IsLoopback() && !ip.IsLinkLocalUnicast() {
				ips = append(ips, ip.String())
				break
			}
		}
	}
	if len(ips) == 0 {
		return nil
	}
	return &net.UDPAddr{IP: net.ParseIP(ips[0]), Port: cfg.Media.UDPPort}
}

// localTarget is where this host reaches its own listener on addr.
func localTarget(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip, err := netip.ParseAddr(host); host == "" || err == nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func allowsAddr(cidrs []string, ip net.IP) bool {
	a, _ := netip.AddrFromSlice(ip)
	for _, s := range cidrs {
		if p, err := netip.ParsePrefix(s); err == nil && p.Contains(a.Unmap()) || s == a.Unmap().String() {
			return true
		}
	}
	return false
}

func addrString(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}

// credentialsRefused reports whether err is a TURN server's answer that
// the credentials are wrong, and its code: 401 Unauthorized (coturn: the
// client had already retried with the realm and nonce), 441 Wrong
// Credentials, or 400 Bad Request, which pion's server (switchboard's
// own) answers to a request whose message integrity does not match.
// The probe's own requests are well formed, so a 400 to them is that.
func credentialsRefused(err error) (int, bool) {
	var te *stun.TurnError
	if !errors.As(err, &te) {
		return 0, false
	}
	switch code := te.ErrorCodeAttr.Code; code {
	case stun.CodeUnauthorized, stun.CodeWrongCredentials, stun.CodeBadRequest:
		return int(code), true
	}
	return 0, false
}
