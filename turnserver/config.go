package turnserver

import (
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/pion/transport/v4"
)

// Config is the turn: block of the YAML file.
type Config struct {
	// Enabled runs the embedded TURN server (off by default, and in --dev).
	Enabled bool `yaml:"enabled"`
	// Secret is the shared secret of the TURN REST credentials (at least 16
	// characters). coturn's static-auth-secret must be the same to accept them.
	Secret string `yaml:"secret"`
	// ListenUDP and ListenTCP are the TURN listeners ("" = off); default
	// ":3478" for both.
	ListenUDP string `yaml:"listen_udp"`
	ListenTCP string `yaml:"listen_tcp"`
	// ListenTLS is the TURN-over-TLS listener ("" = off), e.g. ":5349", or
	// ":443" on a host of its own for networks that allow only HTTPS. It
	// needs TLSCert and TLSKey (PEM files).
	ListenTLS string `yaml:"listen_tls"`
	TLSCert   string `yaml:"tls_cert"`
	TLSKey    string `yaml:"tls_key"`
	// PublicIP is the address clients reach this host at: it is the
	// relayed address announced to clients and the host of the TURN URLs
	// (unless Host is set). Required when the listeners bind all interfaces.
	PublicIP string `yaml:"public_ip"`
	// Host is the name put in the TURN URLs instead of PublicIP (needed for
	// turns: so that the certificate's name matches).
	Host string `yaml:"host"`
	// RelayAddress is the local IP relay sockets bind to ("" = the UDP or
	// TCP listener's IP if specific, else all interfaces).
	RelayAddress string `yaml:"relay_address"`
	// RelayPortMin and RelayPortMax bound the relay ports (0, 0 = any free port).
	RelayPortMin int `yaml:"relay_port_min"`
	RelayPortMax int `yaml:"relay_port_max"`
	// Realm is the TURN realm.
	Realm string `yaml:"realm"`
	// CredentialTTL is how long a minted credential may open new
	// allocations; an allocation made in time is refreshed for as long as
	// its client keeps it.
	CredentialTTL time.Duration `yaml:"credential_ttl"`
	// MaxAllocationsPerUser caps one uid's simultaneous allocations (a
	// browser makes one per TURN URL per connection, two connections per call).
	MaxAllocationsPerUser int `yaml:"max_allocations_per_user"`
	// MaxBitrate caps each allocation's relayed traffic, in bits per second
	// and per direction; beyond it packets are dropped. 0 = no cap.
	MaxBitrate int64 `yaml:"max_bitrate"`
	// AllowedPeers (CIDRs) may be relayed to even when inside the ranges
	// refused by default (loopback, link-local, private, this host's).
	AllowedPeers []string `yaml:"allowed_peers"`
	// DeniedPeers (CIDRs) are never relayed to.
	DeniedPeers []string `yaml:"denied_peers"`
	// External lists other TURN servers (e.g. coturn with use-auth-secret)
	// whose URLs are handed to clients with credentials minted from their
	// own secret.
	External []External `yaml:"external"`

	// Net, if set, opens the relay sockets (tests: inside a network
	// namespace). nil: the host's network.
	Net transport.Net `yaml:"-"`
}

// External is a TURN server run elsewhere that shares a TURN REST secret.
type External struct {
	URLs   []string `yaml:"urls"`
	Secret string   `yaml:"secret"`
}

// DefaultConfig returns the documented defaults (disabled).
func DefaultConfig() Config {
	return Config{
		ListenUDP:             ":3478",
		ListenTCP:             ":3478",
		Realm:                 "switchboard",
		CredentialTTL:         6 * time.Hour,
		MaxAllocationsPerUser: 12,
		MaxBitrate:            10_000_000,
		RelayPortMin:          49160,
		RelayPortMax:          49999,
	}
}

// minSecret is the shortest shared secret accepted.
const minSecret = 16

// Validate checks the block; every error names its key.
func (c Config) Validate() error {
	for i, e := range c.External {
		if err := e.validate(); err != nil {
			return fmt.Errorf("%w: turn.external[%d].%v", ErrConfig, i, err) // "urls[0]: ..." names turn.external[0].urls[0]
		}
	}
	if !c.Enabled {
		return nil
	}
	if len(c.Secret) < minSecret {
		return fmt.Errorf("%w: turn.secret: at least %d characters are needed", ErrConfig, minSecret)
	}
	if c.ListenUDP == "" && c.ListenTCP == "" && c.ListenTLS == "" {
		return fmt.Errorf("%w: turn.listen_udp, listen_tcp, listen_tls: all are off", ErrConfig)
	}
	if c.ListenTLS != "" && (c.TLSCert == "" || c.TLSKey == "") {
		return fmt.Errorf("%w: turn.listen_tls: needs turn.tls_cert and turn.tls_key (the certificate of turns:)", ErrConfig)
	}
	if c.RelayPortMin < 0 || c.RelayPortMax > 65535 || c.RelayPortMin > c.RelayPortMax || (c.RelayPortMin == 0) != (c.RelayPortMax == 0) {
		return fmt.Errorf("%w: turn.relay_port_min/max: %d-%d is not a port range", ErrConfig, c.RelayPortMin, c.RelayPortMax)
	}
	if c.CredentialTTL <= 0 {
		return fmt.Errorf("%w: turn.credential_ttl: must be positive", ErrConfig)
	}
	if c.MaxAllocationsPerUser <= 0 {
		return fmt.Errorf("%w: turn.max_allocations_per_user: %d is not a limit; use 1 or more", ErrConfig, c.MaxAllocationsPerUser)
	}
	if c.MaxBitrate < 0 || c.MaxBitrate > 0 && c.MaxBitrate < 8 { // the cap counts bytes: 1..7 bit/s would be none
		return fmt.Errorf("%w: turn.max_bitrate: %d is not a cap; use bits per second (8 or more), or 0 for no cap", ErrConfig, c.MaxBitrate)
	}
	if _, err := c.announcedIP(); err != nil {
		return err
	}
	if _, err := parsePrefixes("turn.allowed_peers", c.AllowedPeers); err != nil {
		return err
	}
	_, err := parsePrefixes("turn.denied_peers", c.DeniedPeers)
	return err
}

func (e External) validate() error {
	if len(e.URLs) == 0 {
		return fmt.Errorf("urls: at least one is needed")
	}
	for j, u := range e.URLs {
		if _, err := ParseICEURL(u); err != nil {
			return fmt.Errorf("urls[%d]: %w", j, err)
		}
	}
	if len(e.Secret) < minSecret {
		return fmt.Errorf("secret: at least %d characters are needed", minSecret)
	}
	return nil
}

// listenIP is the IP of the first listener bound to one address (invalid
// when they all bind every interface).
func (c Config) listenIP() netip.Addr {
	for _, l := range []string{c.ListenUDP, c.ListenTCP, c.ListenTLS} {
		host, _, err := net.SplitHostPort(l)
		if err != nil {
			continue
		}
		if ip, err := netip.ParseAddr(host); err == nil && !ip.IsUnspecified() {
			return ip
		}
	}
	return netip.Addr{}
}

// announcedIP is the relayed address clients are told: PublicIP, else the
// relay address, else the listener's specific IP.
func (c Config) announcedIP() (netip.Addr, error) {
	for key, s := range map[string]string{"turn.public_ip": c.PublicIP, "turn.relay_address": c.RelayAddress} {
		if s == "" {
			continue
		}
		if _, err := netip.ParseAddr(s); err != nil {
			return netip.Addr{}, fmt.Errorf("%w: %s: %q is not an IP address", ErrConfig, key, s)
		}
	}
	for _, s := range []string{c.PublicIP, c.RelayAddress} {
		if ip, err := netip.ParseAddr(s); err == nil && !ip.IsUnspecified() {
			return ip.Unmap(), nil
		}
	}
	if ip := c.listenIP(); ip.IsValid() {
		return ip.Unmap(), nil
	}
	return netip.Addr{}, fmt.Errorf("%w: turn.public_ip: needed when the TURN listeners bind all interfaces (the address clients reach this host at)", ErrConfig)
}

// bindIP is where relay sockets are bound.
func (c Config) bindIP() string {
	if c.RelayAddress != "" {
		return c.RelayAddress
	}
	if ip := c.listenIP(); ip.IsValid() {
		return ip.String()
	}
	return "0.0.0.0"
}

func parsePrefixes(key string, cidrs []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(cidrs))
	for _, s := range cidrs {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			ip, ierr := netip.ParseAddr(s)
			if ierr != nil {
				return nil, fmt.Errorf("%w: %s: %q is not a CIDR or IP", ErrConfig, key, s)
			}
			p = netip.PrefixFrom(ip, ip.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
