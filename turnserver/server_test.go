package turnserver

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/internal/netlab"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const secret = "test-secret-0123456789"

// loopbackConfig is a TURN server on 127.0.0.1 (UDP, TCP, TLS) whose
// relays may reach 127.0.0.1 (the peers of these tests).
func loopbackConfig(t *testing.T) Config {
	cfg := DefaultConfig()
	cfg.Enabled = true
	cfg.Secret = secret
	cfg.ListenUDP, cfg.ListenTCP, cfg.ListenTLS = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	cfg.TLSCert, cfg.TLSKey = selfSigned(t)
	cfg.RelayPortMin, cfg.RelayPortMax = 0, 0
	cfg.AllowedPeers = []string{"127.0.0.1/32"}
	return cfg
}

type fixture struct {
	srv *Server
	reg *prometheus.Registry
	log *logbuf.Buffer
	now time.Time
}

func start(t *testing.T, cfg Config) *fixture {
	t.Helper()
	f := &fixture{reg: prometheus.NewRegistry(), log: &logbuf.Buffer{}, now: time.Now()}
	srv, err := New(cfg, Deps{Log: slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug})), Metrics: f.reg, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	f.srv = srv
	return f
}

// probe allocates as uid with fresh credentials over transport.
func (f *fixture) probe(t *testing.T, transport, user, pass string, peers ...net.Addr) (*Relay, error) {
	t.Helper()
	addr := map[string]net.Addr{"udp": f.srv.UDPAddr(), "tcp": f.srv.TCPAddr(), "tls": f.srv.TLSAddr()}[transport]
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return Allocate(ctx, ProbeConfig{Server: addr.String(), Transport: transport, Username: user, Password: pass,
		TLS: &tls.Config{InsecureSkipVerify: true}, Peers: peers}) //nolint:gosec // the test's own certificate
}

func (f *fixture) creds(uid string) (string, string) {
	c := Mint(secret, uid, f.now, time.Hour)
	return c.Username, c.Password
}

func echoPeer(t *testing.T) net.PacketConn {
	t.Helper()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			_, _ = pc.WriteTo(buf[:n], from)
		}
	}()
	t.Cleanup(func() { _ = pc.Close() })
	return pc
}

// roundTrip sends msg through the relay to the echo peer and reads it back.
func roundTrip(t *testing.T, r *Relay, peer net.Addr, msg string) {
	t.Helper()
	if _, err := r.WriteTo([]byte(msg), peer); err != nil {
		t.Fatal(err)
	}
	_ = r.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 1500)
	n, from, err := r.ReadFrom(buf)
	if err != nil || string(buf[:n]) != msg || from.String() != peer.String() {
		t.Fatalf("read %q from %v: %v", buf[:n], from, err)
	}
}

func TestRelayRoundTripOverEveryTransport(t *testing.T) {
	f := start(t, loopbackConfig(t))
	peer := echoPeer(t)
	for _, tr := range []string{"udp", "tcp", "tls"} {
		t.Run(tr, func(t *testing.T) {
			user, pass := f.creds("alice")
			r, err := f.probe(t, tr, user, pass, peer.LocalAddr())
			if err != nil {
				t.Log(f.log)
				t.Fatal(err)
			}
			defer r.Close()
			if !strings.HasPrefix(r.LocalAddr().String(), "127.0.0.1:") {
				t.Fatalf("relayed address %v", r.LocalAddr())
			}
			roundTrip(t, r, peer.LocalAddr(), "hello over "+tr)
		})
	}
	if got := metric(t, f.reg, "switchboard_turn_relayed_bytes_total", "to_peer"); got < float64(len("hello over udp")) {
		t.Fatalf("relayed bytes to peer %v", got)
	}
	if got := metric(t, f.reg, "switchboard_turn_relayed_bytes_total", "from_peer"); got < float64(len("hello over udp")) {
		t.Fatalf("relayed bytes from peer %v", got)
	}
}

func TestBadCredentialsAreRefusedAndLogged(t *testing.T) {
	f := start(t, loopbackConfig(t))
	user, pass := f.creds("alice")
	expired := Mint(secret, "alice", f.now.Add(-2*time.Hour), time.Hour)
	other := Mint("another-secret-0123456789", "alice", f.now, time.Hour)
	cases := map[string][2]string{
		"wrong password":   {user, "bm90IHRoZSBwYXNzd29yZA=="},
		"other secret":     {other.Username, other.Password},
		"expired":          {expired.Username, expired.Password},
		"no expiry":        {"alice", Password(secret, "alice")},
		"garbage username": {"\x01\x02:", "x"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if r, err := f.probe(t, "udp", c[0], c[1]); err == nil {
				_ = r.Close()
				t.Fatal("allocated")
			}
		})
	}
	if got := metric(t, f.reg, "switchboard_turn_auth_refused_total", ""); got < float64(len(cases)) {
		t.Fatalf("auth refusals counted %v, want >= %d", got, len(cases))
	}
	for _, want := range []string{"credential expired", "not expiry:uid", "message integrity does not match"} {
		if !strings.Contains(f.log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, f.log)
		}
	}
	// the refusals disturbed nobody: a good credential still allocates.
	r, err := f.probe(t, "udp", user, pass)
	if err != nil {
		t.Fatal(err)
	}
	_ = r.Close()
}

func TestAllocationQuotaPerUser(t *testing.T) {
	cfg := loopbackConfig(t)
	cfg.MaxAllocationsPerUser = 2
	f := start(t, cfg)
	user, pass := f.creds("alice")
	var open []*Relay
	defer func() {
		for _, r := range open {
			_ = r.Close()
		}
	}()
	for range 2 {
		r, err := f.probe(t, "udp", user, pass)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, r)
	}
	_, err := f.probe(t, "tcp", user, pass)
	if err == nil || !strings.Contains(err.Error(), "Quota") && !strings.Contains(err.Error(), "486") {
		t.Fatalf("third allocation: %v, want a quota refusal", err)
	}
	bobUser, bobPass := f.creds("bob") // another user is not affected
	r, err := f.probe(t, "udp", bobUser, bobPass)
	if err != nil {
		t.Fatal(err)
	}
	open = append(open, r)
	if got := f.srv.Allocations(); got != 3 {
		t.Fatalf("allocations %d, want 3", got)
	}
	_ = open[0].Close()
	open = open[1:]
	waitFor(t, func() bool { return f.srv.Allocations() == 2 })
	r, err = f.probe(t, "udp", user, pass)
	if err != nil {
		t.Fatalf("after releasing one: %v", err)
	}
	open = append(open, r)
}

func TestPeersOutsideTheAllowedRangesAreRefused(t *testing.T) {
	cfg := loopbackConfig(t)
	cfg.AllowedPeers = nil // 127.0.0.1 is now refused, except the media port
	f := start(t, cfg)
	media := echoPeer(t)
	other := echoPeer(t)
	f.srv.Close()
	srv, err := New(cfg, Deps{Log: slog.New(slog.NewTextHandler(f.log, nil)), Metrics: prometheus.NewRegistry(),
		Media: MediaAddrs{IPs: []string{"127.0.0.1"}, Port: media.LocalAddr().(*net.UDPAddr).Port}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f.srv = srv
	user, pass := f.creds("mallory")
	for _, peer := range []string{"169.254.1.1:9", "10.1.2.3:9", "192.168.0.1:9", "[::1]:9", "224.0.0.1:9", "198.18.0.1:9", "[64:ff9b::a9fe:a9fe]:9", "[2002:a00:1::1]:9"} {
		addr, _ := net.ResolveUDPAddr("udp", peer)
		if r, err := f.probe(t, "udp", user, pass, addr); err == nil {
			_ = r.Close()
			t.Errorf("permission towards %s granted", peer)
		}
	}
	r, err := f.probe(t, "udp", user, pass, media.LocalAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	roundTrip(t, r, media.LocalAddr(), "to the SFU")
	// the same host on another port is not relayed to
	_, _ = r.WriteTo([]byte("to ssh"), other.LocalAddr())
	_ = r.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, from, err := r.ReadFrom(make([]byte, 100)); err == nil {
		t.Fatalf("datagram to a refused port came back: %d bytes from %v", n, from)
	}
	if !strings.Contains(f.log.String(), "turn permission refused") || !strings.Contains(f.log.String(), "refused peer dropped") {
		t.Fatalf("refusals not logged:\n%s", f.log)
	}
}

func TestBandwidthCapDropsTheExcess(t *testing.T) {
	cfg := loopbackConfig(t)
	cfg.MaxBitrate = 8 * 64 << 10 // 64 KiB/s: the burst
	f := start(t, cfg)
	peer := echoPeer(t)
	user, pass := f.creds("alice")
	r, err := f.probe(t, "udp", user, pass, peer.LocalAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Far above the burst, written in bursts of 50 KB until the server has
	// dropped 100 KB: all at once, a loaded machine's socket buffer dropped
	// most of it before the server read it (once in CI).
	chunk := make([]byte, 1000)
	start := time.Now()
	deadline := start.Add(5 * time.Second)
	for metric(t, f.reg, "switchboard_turn_dropped_bytes_total", "") <= 100_000 {
		if time.Now().After(deadline) {
			t.Fatalf("dropped %v bytes after %v of writing; want over 100,000",
				metric(t, f.reg, "switchboard_turn_dropped_bytes_total", ""), time.Since(start).Round(time.Millisecond))
		}
		for range 50 {
			_, _ = r.WriteTo(chunk, peer.LocalAddr())
		}
		time.Sleep(2 * time.Millisecond) // let the server read them
	}
	// the burst, the refill since (64 KiB a second) and a datagram or two in flight
	limit := float64(64<<10) + time.Since(start).Seconds()*float64(64<<10) + 4000
	if got := metric(t, f.reg, "switchboard_turn_relayed_bytes_total", "to_peer"); got > limit {
		t.Fatalf("relayed %v bytes to the peer in %v; the cap lets %v through", got, time.Since(start).Round(time.Millisecond), limit)
	}
}

func TestConfigErrorsNameTheirKey(t *testing.T) {
	base := loopbackConfig(t)
	for key, mut := range map[string]func(*Config){
		"turn.secret":                   func(c *Config) { c.Secret = "short" },
		"turn.public_ip":                func(c *Config) { c.ListenUDP, c.ListenTCP, c.ListenTLS = ":0", ":0", "" },
		"turn.relay_port":               func(c *Config) { c.RelayPortMin, c.RelayPortMax = 5000, 10 },
		"turn.allowed_peers":            func(c *Config) { c.AllowedPeers = []string{"nonsense"} },
		"turn.tls_cert":                 func(c *Config) { c.TLSCert = "" },
		"turn.external[0]":              func(c *Config) { c.External = []External{{URLs: []string{"http://x"}, Secret: secret}} },
		"turn.listen_udp":               func(c *Config) { c.ListenUDP = "256.0.0.1:1" },
		"turn.credential_ttl":           func(c *Config) { c.CredentialTTL = 0 },
		"turn.max_bitrate":              func(c *Config) { c.MaxBitrate = 7 },
		"turn.max_allocations_per_user": func(c *Config) { c.MaxAllocationsPerUser = 0 },
		"turn.tls_cert/tls_key":         func(c *Config) { c.TLSCert = filepath.Join(t.TempDir(), "missing.pem") },
	} {
		cfg := base
		mut(&cfg)
		srv, err := New(cfg, Deps{})
		if err == nil {
			_ = srv.Close()
			t.Errorf("%s: accepted", key)
			continue
		}
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: error %v", key, err)
		}
	}
}

// TestMaxBitrateZeroIsNoCap: 0 is documented as no cap, and taken.
func TestMaxBitrateZeroIsNoCap(t *testing.T) {
	cfg := loopbackConfig(t)
	cfg.MaxBitrate = 0
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestICEServersHandOutFreshCredentials(t *testing.T) {
	cfg := loopbackConfig(t)
	cfg.External = []External{{URLs: []string{"turn:turn.example.org:3478"}, Secret: "external-secret-0123"}}
	f := start(t, cfg)
	ice := f.srv.ICEServers("alice")
	if len(ice) != 2 || len(ice[0].URLs) != 3 || !strings.HasPrefix(ice[0].URLs[2], "turns:127.0.0.1:") {
		t.Fatalf("ice servers %+v", ice)
	}
	exp, uid, err := ParseUsername(ice[1].Username)
	if err != nil || uid != "alice" || exp.Sub(f.now) > cfg.CredentialTTL || ice[1].Credential != Password("external-secret-0123", ice[1].Username) {
		t.Fatalf("external credential %+v (%v %q %v)", ice[1], exp, uid, err)
	}
	off, err := New(Config{External: cfg.External}, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	if got := off.ICEServers("bob"); len(got) != 1 || got[0].URLs[0] != "turn:turn.example.org:3478" || off.Enabled() {
		t.Fatalf("disabled server hands out %+v", got)
	}
}

// metric reads a counter or gauge (the series whose first label has value
// label, or the only one when label is "").
func metric(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if label == "" || len(m.GetLabel()) > 0 && m.GetLabel()[0].GetValue() == label {
				return m.GetCounter().GetValue() + m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no metric %s{%s}", name, label)
	return 0
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t testing.TB) (certFile, keyFile string) {
	return netlab.SelfSignedCert(t, net.IPv4(127, 0, 0, 1))
}

// TestSelfTestCredentialsReachOnlyTheSFU: the /test page's anonymous
// credentials relay to the SFU's media socket and nowhere else, even where
// allowed_peers would let a user's relay through.
func TestSelfTestCredentialsReachOnlyTheSFU(t *testing.T) {
	cfg := loopbackConfig(t) // allowed_peers: 127.0.0.1/32
	media, other := echoPeer(t), echoPeer(t)
	reg := prometheus.NewRegistry()
	srv, err := New(cfg, Deps{Metrics: reg, Media: MediaAddrs{IPs: []string{"127.0.0.1"}, Port: media.LocalAddr().(*net.UDPAddr).Port}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ice := srv.SelfTestICEServers()
	if exp, uid, err := ParseUsername(ice[0].Username); err != nil || uid != SelfTestUID || time.Until(exp) > 2*time.Minute {
		t.Fatalf("self-test credential %q: %v", ice[0].Username, err)
	}
	f := &fixture{srv: srv, reg: reg}
	r, err := f.probe(t, "udp", ice[0].Username, ice[0].Credential, media.LocalAddr(), other.LocalAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	roundTrip(t, r, media.LocalAddr(), "to the SFU")
	_, _ = r.WriteTo([]byte("elsewhere"), other.LocalAddr())
	_ = r.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, from, err := r.ReadFrom(make([]byte, 100)); err == nil {
		t.Fatalf("a self-test relay reached %v", from)
	}
}
