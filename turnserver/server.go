package turnserver

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/pion/stun/v4"
	"github.com/pion/turn/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-rtc/switchboard/internal/certfile"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Deps are what the server needs from its surroundings.
type Deps struct {
	Log     *slog.Logger          // nil: discard
	Metrics prometheus.Registerer // nil: no metrics
	// Media is where the SFU receives media (always relayable).
	Media MediaAddrs
	// Now is the clock of credentials (nil: time.Now).
	Now func() time.Time
}

// Server is the embedded TURN server plus the credential minting of the
// external ones. A Server built from a disabled Config runs no listener and
// only mints credentials for Config.External.
type Server struct {
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	stats *counters
	turn  *turn.Server // nil when the embedded server is off
	host  string       // of the URLs

	udp net.PacketConn
	tcp net.Listener
	tls net.Listener
}

// New validates cfg and, when enabled, binds the TURN listeners and starts
// serving. Close releases them.
func New(cfg Config, deps Deps) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: deps.Log, now: deps.Now, stats: &counters{}}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if !cfg.Enabled {
		return s, nil
	}
	if err := s.stats.register(deps.Metrics); err != nil {
		return nil, err
	}
	if err := s.start(deps.Media); err != nil {
		s.closeListeners()
		return nil, err
	}
	return s, nil
}

func (s *Server) start(media MediaAddrs) error {
	announced, _ := s.cfg.announcedIP() // validated
	s.host = s.cfg.Host
	if s.host == "" {
		s.host = announced.String()
	}
	policy, err := newPeerPolicy(s.cfg, media, hostAddrs())
	if err != nil {
		return err
	}
	gen := &relays{net: s.cfg.Net, bind: s.cfg.bindIP(), announced: net.IP(announced.AsSlice()), quotas: &quotas{max: s.cfg.MaxAllocationsPerUser, byUID: map[string]int{}},
		policy: policy, bytesPerS: s.cfg.MaxBitrate / 8, stats: s.stats, log: s.log, refusedLog: &logLimiter{every: time.Second}, permitLog: &logLimiter{every: time.Second}}
	if s.cfg.RelayPortMin > 0 {
		gen.portRange = &turn.RelayAddressGeneratorPortRange{RelayAddress: gen.announced, Address: gen.bind,
			MinPort: uint16(s.cfg.RelayPortMin), MaxPort: uint16(s.cfg.RelayPortMax), Net: s.cfg.Net} //nolint:gosec // validated ports
	}
	if err := s.listen(); err != nil {
		return err
	}
	sc := turn.ServerConfig{
		Realm: s.cfg.Realm, AuthHandler: s.auth, LoggerFactory: pionLogs{s.log},
		QuotaHandler: func(uid, _ string, src net.Addr) bool {
			if gen.quotas.has(uid) {
				return true
			}
			s.stats.quotaRefused.Add(1)
			s.log.Warn("turn allocation refused", "uid", uid, "client", src.String(), "err", ErrQuota)
			return false
		},
		EventHandler: turn.EventHandler{OnAuth: s.onAuth},
	}
	permit := func(client net.Addr, peer net.IP) bool {
		ip, _ := netip.AddrFromSlice(peer)
		if policy.allowIP(ip) {
			return true
		}
		s.stats.peerRefused.Add(1)
		gen.permitLog.warn(s.log, "turn permission refused", "client", client.String(), "peer", peer.String(), "err", ErrPeerRefused)
		return false
	}
	if s.udp != nil {
		sc.PacketConnConfigs = []turn.PacketConnConfig{{PacketConn: s.udp, RelayAddressGenerator: gen, PermissionHandler: permit}}
	}
	for _, l := range []net.Listener{s.tcp, s.tls} {
		if l != nil {
			sc.ListenerConfigs = append(sc.ListenerConfigs, turn.ListenerConfig{Listener: l, RelayAddressGenerator: gen, PermissionHandler: permit})
		}
	}
	if s.turn, err = turn.NewServer(sc); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	s.log.Info("turn listening", "udp", addrString(s.UDPAddr()), "tcp", addrString(s.TCPAddr()), "tls", addrString(s.TLSAddr()),
		"relay_ip", announced.String(), "relay_bind", gen.bind, "relay_ports", fmt.Sprintf("%d-%d", s.cfg.RelayPortMin, s.cfg.RelayPortMax))
	return nil
}

// listen binds the configured listeners.
func (s *Server) listen() error {
	var err error
	if s.cfg.ListenUDP != "" {
		if s.udp, err = net.ListenPacket("udp", s.cfg.ListenUDP); err != nil { //nolint:noctx // bound once at start
			return fmt.Errorf("%w: turn.listen_udp %q: %w", ErrConfig, s.cfg.ListenUDP, err)
		}
	}
	if s.cfg.ListenTCP != "" {
		if s.tcp, err = net.Listen("tcp", s.cfg.ListenTCP); err != nil { //nolint:noctx // bound once at start
			return fmt.Errorf("%w: turn.listen_tcp %q: %w", ErrConfig, s.cfg.ListenTCP, err)
		}
	}
	if s.cfg.ListenTLS != "" {
		// renewals in place are picked up (internal/certfile)
		files, err := certfile.Load(s.cfg.TLSCert, s.cfg.TLSKey, s.log)
		if err != nil {
			return fmt.Errorf("%w: turn.tls_cert/tls_key: %w", ErrConfig, err)
		}
		l, err := net.Listen("tcp", s.cfg.ListenTLS) //nolint:noctx // bound once at start
		if err != nil {
			return fmt.Errorf("%w: turn.listen_tls %q: %w", ErrConfig, s.cfg.ListenTLS, err)
		}
		s.tls = tls.NewListener(l, &tls.Config{GetCertificate: files.GetCertificate, MinVersion: tls.VersionTLS12})
	}
	return nil
}

// auth answers pion's credential lookups: the key of a well-formed
// username (pion then checks the message's HMAC with it), and a refusal for
// a malformed one or, for a new allocation, an expired one.
func (s *Server) auth(ra *turn.RequestAttributes) (string, []byte, bool) {
	exp, uid, err := ParseUsername(ra.Username)
	if err == nil && ra.Method == stun.MethodAllocate && !s.now().Before(exp) {
		err = fmt.Errorf("%w at %s", ErrExpired, exp.UTC().Format(time.RFC3339))
	}
	if err != nil {
		s.stats.authRefused.Add(1)
		s.log.Warn("turn credentials refused", "client", ra.SrcAddr.String(), "method", ra.Method.String(), "err", err)
		return "", nil, false
	}
	return uid, turn.GenerateAuthKey(ra.Username, s.cfg.Realm, Password(s.cfg.Secret, ra.Username)), true
}

// onAuth logs requests whose HMAC did not match (wrong secret or password).
func (s *Server) onAuth(src, _ net.Addr, proto, username, _, method string, ok bool) {
	if ok {
		return
	}
	s.stats.authRefused.Add(1)
	s.log.Warn("turn credentials refused", "client", src.String(), "transport", proto, "method", method,
		"username", clip(username), "err", "message integrity does not match (wrong password or secret)")
}

// ICEServers are the STUN/TURN servers and fresh credentials of uid, as
// handed out in "joined": the embedded server's URLs (one per listener),
// then each external server's.
func (s *Server) ICEServers(uid string) []protocol.ICEServer {
	var out []protocol.ICEServer
	if s.turn != nil {
		c := Mint(s.cfg.Secret, uid, s.now(), s.cfg.CredentialTTL)
		out = append(out, protocol.ICEServer{URLs: s.URLs(), Username: c.Username, Credential: c.Password})
	}
	for _, e := range s.cfg.External {
		c := Mint(e.Secret, uid, s.now(), s.cfg.CredentialTTL)
		out = append(out, protocol.ICEServer{URLs: e.URLs, Username: c.Username, Credential: c.Password})
	}
	return out
}

// SelfTestUID is the user of the /test page's credentials: its relays
// reach only the SFU's media address.
const SelfTestUID = "switchboard-selftest"

// SelfTestICEServers are the embedded server's URLs with credentials for
// SelfTestUID, good for two minutes (nil when the server is off).
func (s *Server) SelfTestICEServers() []protocol.ICEServer {
	if s.turn == nil {
		return nil
	}
	c := Mint(s.cfg.Secret, SelfTestUID, s.now(), 2*time.Minute)
	return []protocol.ICEServer{{URLs: s.URLs(), Username: c.Username, Credential: c.Password}}
}

// URLs are the embedded server's TURN URLs, one per listener.
func (s *Server) URLs() []string {
	var urls []string
	hostPort := func(a net.Addr) string { return net.JoinHostPort(s.host, strconv.Itoa(int(addrPort(a).Port()))) }
	if s.udp != nil {
		urls = append(urls, "turn:"+hostPort(s.udp.LocalAddr())+"?transport=udp")
	}
	if s.tcp != nil {
		urls = append(urls, "turn:"+hostPort(s.tcp.Addr())+"?transport=tcp")
	}
	if s.tls != nil {
		urls = append(urls, "turns:"+hostPort(s.tls.Addr())+"?transport=tcp")
	}
	return urls
}

// Enabled reports whether the embedded server runs.
func (s *Server) Enabled() bool { return s.turn != nil }

// UDPAddr, TCPAddr and TLSAddr are the bound listeners (nil when off).
func (s *Server) UDPAddr() net.Addr {
	if s.udp == nil {
		return nil
	}
	return s.udp.LocalAddr()
}

// TCPAddr is the TURN-over-TCP listener (nil when off).
func (s *Server) TCPAddr() net.Addr {
	if s.tcp == nil {
		return nil
	}
	return s.tcp.Addr()
}

// TLSAddr is the TURN-over-TLS listener (nil when off).
func (s *Server) TLSAddr() net.Addr {
	if s.tls == nil {
		return nil
	}
	return s.tls.Addr()
}

// Allocations is the number of live allocations.
func (s *Server) Allocations() int { return int(s.stats.allocations.Load()) }

// Close stops the listeners and every allocation.
func (s *Server) Close() error {
	if s.turn != nil {
		return s.turn.Close()
	}
	s.closeListeners()
	return nil
}

func (s *Server) closeListeners() {
	var errs []error
	if s.udp != nil {
		errs = append(errs, s.udp.Close())
	}
	for _, l := range []net.Listener{s.tcp, s.tls} {
		if l != nil {
			errs = append(errs, l.Close())
		}
	}
	_ = errors.Join(errs...)
}

func addrString(a net.Addr) string {
	if a == nil {
		return "off"
	}
	return a.String()
}
