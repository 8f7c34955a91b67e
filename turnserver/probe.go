package turnserver

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/pion/turn/v5"
)

// ProbeConfig is one TURN client check: allocate a relay on Server over
// Transport ("udp", "tcp" or "tls") with the credentials, then ask for
// permission towards each of Peers.
type ProbeConfig struct {
	Server    string // host:port
	Transport string
	TLS       *tls.Config // for "tls" (nil: system roots, ServerName from Server)
	Username  string
	Password  string
	Peers     []net.Addr
	Log       *slog.Logger // nil: discard pion's logs
}

// Relay is an open probe allocation; Close releases it.
type Relay struct {
	net.PacketConn // the relayed socket: WriteTo a permitted peer
	client         *turn.Client
	conn           net.PacketConn
}

// Close releases the allocation and the connection to the server.
func (r *Relay) Close() error {
	err := r.PacketConn.Close()
	r.client.Close()
	_ = r.conn.Close()
	return err
}

// Allocate runs the probe and returns the open relay. It fails on the
// first refused step, saying which.
func Allocate(ctx context.Context, p ProbeConfig) (*Relay, error) {
	conn, err := dialTURN(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("connect to %s over %s: %w", p.Server, p.Transport, err)
	}
	log := p.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c, err := turn.NewClient(&turn.ClientConfig{TURNServerAddr: p.Server, STUNServerAddr: p.Server, Conn: conn,
		Username: p.Username, Password: p.Password, LoggerFactory: pionLogs{log}, RTO: 200 * time.Millisecond})
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	fail := func(step string, err error) (*Relay, error) {
		c.Close()
		_ = conn.Close()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("%s over %s: %w", step, p.Transport, err)
	}
	if err := c.Listen(); err != nil {
		return fail("listen", err)
	}
	relay, err := c.Allocate()
	if err != nil {
		return fail("allocate", err)
	}
	r := &Relay{PacketConn: relay, client: c, conn: conn}
	if len(p.Peers) > 0 {
		if err := c.CreatePermission(p.Peers...); err != nil {
			_ = r.Close()
			return nil, fmt.Errorf("permission towards %v over %s: %w", p.Peers, p.Transport, err)
		}
	}
	return r, nil
}

// dialTURN opens the client side of one transport as a PacketConn.
func dialTURN(ctx context.Context, p ProbeConfig) (net.PacketConn, error) {
	var d net.Dialer
	switch p.Transport {
	case "udp":
		var lc net.ListenConfig
		// The family of the relay asked for follows the socket's; a
		// loopback server is probed from loopback.
		network, local := "udp4", ":0"
		if ap, err := netip.ParseAddrPort(p.Server); err == nil {
			if ap.Addr().Is6() && !ap.Addr().Is4In6() {
				network = "udp6"
			}
			if ap.Addr().IsLoopback() {
				local = net.JoinHostPort(ap.Addr().String(), "0")
			}
		}
		return lc.ListenPacket(ctx, network, local)
	case "tcp":
		c, err := d.DialContext(ctx, "tcp", p.Server)
		if err != nil {
			return nil, err
		}
		return turn.NewSTUNConn(c), nil
	case "tls":
		cfg := p.TLS
		if cfg == nil {
			host, _, _ := net.SplitHostPort(p.Server)
			cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		td := tls.Dialer{NetDialer: &d, Config: cfg}
		c, err := td.DialContext(ctx, "tcp", p.Server)
		if err != nil {
			return nil, err
		}
		return turn.NewSTUNConn(c), nil
	}
	return nil, fmt.Errorf("transport %q: want udp, tcp or tls", p.Transport)
}
