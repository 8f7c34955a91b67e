package turnserver_test

// Relay through real networks (internal/netlab): the server namespace sits
// on two LANs. The "media" LAN holds the SFU's media address (UDP mux and
// ICE-TCP) and Bob, a direct client. The "edge" LAN holds the HTTP
// listener's and the TURN listener's address and Alice. Alice's namespace
// has no route to the media LAN (no default route, no forwarding): with no
// iptables/nft here, the topology is the firewall, and of the server she
// can reach only what listens on the edge address. Each subtest turns on
// exactly one TURN listener there (UDP, TCP, TLS), so that listener is the
// only media path she has; she also asks for relay candidates only.

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/internal/calltest"
	"github.com/switchboard-rtc/switchboard/internal/netlab"
	"github.com/switchboard-rtc/switchboard/server"
)

const waitLimit = 20 * time.Second

// relayLab is the two-LAN topology with a switchboard running in srv.
type relayLab struct {
	lab             *netlab.Lab
	srv, alice, bob *netlab.Namespace
	mediaIP, edgeIP string
	app             *server.App
	httpPort        string
	caFile          string
}

func newRelayLab(t *testing.T, transport string) *relayLab {
	t.Helper()
	l := &relayLab{lab: netlab.New(t)}
	media, edge := l.lab.LAN(), l.lab.LAN()
	l.srv, l.alice, l.bob = l.lab.Namespace("srv"), l.lab.Namespace("alice"), l.lab.Namespace("bob")
	l.mediaIP, l.edgeIP = media.Plug(l.srv).Addr.String(), edge.Plug(l.srv).Addr.String()
	edge.Plug(l.alice)
	media.Plug(l.bob)

	cfg := server.LocalConfig(filepath.Join(t.TempDir(), "switchboard.db"))
	cfg.Server.Listen = "0.0.0.0:0" // inside srv: both LANs
	cfg.Media.BindAddress, cfg.Media.IPs, cfg.Media.IncludeLoopback = l.mediaIP, []string{l.mediaIP}, false
	cfg.Media.TCPPort = -1 // ICE-TCP on the media address, which Alice cannot reach
	cfg.Media.DisableMDNS = true
	cfg.TURN.Enabled, cfg.TURN.Secret = true, "netlab-turn-secret-0123"
	cfg.TURN.ListenUDP, cfg.TURN.ListenTCP, cfg.TURN.ListenTLS = "", "", ""
	listen := l.edgeIP + ":3478"
	switch transport {
	case "udp":
		cfg.TURN.ListenUDP = listen
	case "tcp":
		cfg.TURN.ListenTCP = listen
	case "tls":
		cfg.TURN.ListenTLS = l.edgeIP + ":5349"
		l.caFile, cfg.TURN.TLSCert, cfg.TURN.TLSKey = netlab.TrustedCert(t, net.ParseIP(l.edgeIP))
	}
	cfg.TURN.Host = l.edgeIP
	cfg.TURN.RelayAddress = l.mediaIP // relays talk to the SFU on the media LAN
	cfg.TURN.RelayPortMin, cfg.TURN.RelayPortMax = 0, 0
	n, err := l.srv.Net()
	if err != nil {
		t.Fatal(err)
	}
	cfg.TURN.Net = n
	if err := l.srv.Do(func() error {
		var err error
		l.app, err = server.Start(context.Background(), cfg)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.app.Close() })
	_, l.httpPort, _ = net.SplitHostPort(l.app.Addr().String())
	return l
}

// join opens the media session from ns (its sockets and Pion's live there).
func (l *relayLab) join(t *testing.T, ns *netlab.Namespace, ip, token string, relayOnly bool) *client.Session {
	t.Helper()
	n, err := ns.Net()
	if err != nil {
		t.Fatal(err)
	}
	var s *client.Session
	err = ns.Do(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		var err error
		s, err = client.JoinSession(ctx, "http://"+net.JoinHostPort(ip, l.httpPort), token, client.MediaOptions{
			Audio: true, Video: "vp8", RelayOnly: relayOnly, HTTPClient: ns.HTTPClient(),
			Settings: func(se *webrtc.SettingEngine) {
				se.SetNet(n)
				se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
				se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeTCP4})
			},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestRelayOnlyGoClientThroughEachTURNTransport: Alice, who reaches only
// the TURN listener (UDP, then TCP only, then TLS only), calls Bob, who
// reaches the SFU directly; media flows both ways, through an allocation.
func TestRelayOnlyGoClientThroughEachTURNTransport(t *testing.T) {
	for _, tr := range []string{"udp", "tcp", "tls"} {
		t.Run(tr, func(t *testing.T) {
			l := newRelayLab(t, tr)
			if l.caFile != "" {
				// pion's TURN-over-TLS client verifies against the system
				// roots: this test binary's are the test CA (one per process:
				// crypto/x509 reads SSL_CERT_FILE once).
				t.Setenv("SSL_CERT_FILE", l.caFile)
			}
			// the topology is the firewall: Alice cannot reach the media LAN
			if c, err := l.alice.DialContext(context.Background(), "tcp", net.JoinHostPort(l.mediaIP, l.httpPort)); err == nil {
				_ = c.Close()
				t.Fatal("alice reaches the media address")
			}
			alice := calltest.SignIn(t, l.app, "http://"+net.JoinHostPort(l.edgeIP, l.httpPort), "alice", client.DialOptions{HTTPClient: l.alice.HTTPClient()})
			bob := calltest.SignIn(t, l.app, "http://"+net.JoinHostPort(l.mediaIP, l.httpPort), "bob", client.DialOptions{HTTPClient: l.bob.HTTPClient()})
			aliceTok, bobTok := calltest.Ring(t, alice, bob, "bob")
			b := l.join(t, l.bob, l.mediaIP, bobTok, false)
			a := l.join(t, l.alice, l.edgeIP, aliceTok, true)
			urls := a.Info().ICEServers[0].URLs
			if len(urls) != 1 || !strings.Contains(urls[0], l.edgeIP) {
				t.Fatalf("alice's TURN URLs %v", urls)
			}
			flow(t, a, b)
			if l.app.TURN().Allocations() == 0 {
				t.Fatal("media flowed without an allocation")
			}
		})
	}
}

// flow writes on both sides' tracks until each receives both remote tracks.
func flow(t *testing.T, sessions ...*client.Session) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		done := true
		for _, s := range sessions {
			for _, lt := range s.LocalTracks() {
				_ = lt.Write([]byte{0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a}, 3000, true)
			}
			got := 0
			for _, rt := range s.RemoteTracks() {
				if rt.Packets() > 0 {
					got++
				}
			}
			done = done && got >= 2
		}
		if done {
			return
		}
		time.Sleep(10 * time.Millisecond) // media pacing
	}
	t.Fatal("media did not arrive both ways")
}
