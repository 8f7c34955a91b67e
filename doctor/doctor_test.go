package doctor

import (
	"bytes"
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
	"github.com/switchboard-rtc/switchboard/sfu"
	"github.com/switchboard-rtc/switchboard/turnserver"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const secret = "doctor-test-secret-0123"

// loopback is a config whose every port is on 127.0.0.1 and free.
func loopback(t *testing.T) Config {
	t.Helper()
	media := sfu.DefaultConfig()
	media.BindAddress, media.UDPPort, media.TCPPort = "127.0.0.1", freeUDP(t), 0
	turn := turnserver.DefaultConfig()
	turn.Enabled, turn.Secret = true, secret
	turn.ListenUDP, turn.ListenTCP = "127.0.0.1:0", "127.0.0.1:0"
	turn.RelayPortMin, turn.RelayPortMax = 0, 0
	return Config{HTTPListen: "127.0.0.1:0", Media: media, TURN: turn}
}

func freeUDP(t *testing.T) int {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

func find(r Report, prefix string) (Check, bool) {
	for _, c := range r.Checks {
		if strings.HasPrefix(c.What, prefix) {
			return c, true
		}
	}
	return Check{}, false
}

func TestDoctorAllocatesAgainstItsOwnTURN(t *testing.T) {
	cfg := loopback(t)
	r := Run(context.Background(), cfg)
	var out bytes.Buffer
	_ = r.Write(&out)
	for _, what := range []string{"TURN over udp", "TURN over tcp", "TURN peer ranges", "media UDP", "HTTP"} {
		if c, ok := find(r, what); !ok || c.Status != OK {
			t.Errorf("%s: %+v\n%s", what, c, &out)
		}
	}
	if c, _ := find(r, "TURN over udp"); !strings.Contains(c.Detail, "may reach the SFU at 127.0.0.1:"+strconv.Itoa(cfg.Media.UDPPort)) {
		t.Errorf("udp probe: %s", c.Detail)
	}
	if r.Failed() {
		t.Errorf("failed:\n%s", &out)
	}
	for _, want := range []string{"udp    " + strconv.Itoa(cfg.Media.UDPPort), "TURN over UDP", "TURN over TCP", "firewall"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, &out)
		}
	}
}

// externalTURN starts a TURN server on loopback with the test secret, as an
// external one (coturn) would be, and returns its UDP URL.
func externalTURN(t *testing.T) string {
	t.Helper()
	ext := loopback(t).TURN
	ext.AllowedPeers = []string{"127.0.0.1/32"}
	srv, err := turnserver.New(ext, turnserver.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return "turn:" + srv.UDPAddr().String() + "?transport=udp"
}

func TestDoctorFindsAnExternalTURNWithAnotherSecret(t *testing.T) {
	url := externalTURN(t)
	for _, tc := range []struct {
		secret string
		want   Status
		says   string
	}{{secret, OK, "relay allocated"},
		{"not-the-same-secret-000", Fail, "the TURN server refused the credentials (error 400): turn.external[0].secret is not the server's shared secret"}} {
		cfg := loopback(t)
		cfg.TURN.Enabled = false
		cfg.TURN.External = []turnserver.External{{URLs: []string{url}, Secret: tc.secret}}
		r := Run(context.Background(), cfg)
		if c, ok := find(r, "turn.external[0]"); !ok || c.Status != tc.want || !strings.Contains(c.Detail, tc.says) {
			t.Errorf("secret %q: %+v, want %s saying %q", tc.secret, c, tc.want, tc.says)
		}
	}
}

// TestDoctorNamesTheMediaAddressItBinds: the media port lines name the
// address the bind test used (media.bind_address), not media.public_ip,
// which has a line of its own (here: not on this host, NAT 1:1).
func TestDoctorNamesTheMediaAddressItBinds(t *testing.T) {
	cfg := loopback(t)
	cfg.TURN.Enabled = false
	cfg.Media.TCPPort = freeUDP(t) // a TCP port free as well, most likely; only the label matters
	cfg.Media.PublicIP = "203.0.113.7"
	r := Run(context.Background(), cfg)
	for _, what := range []string{"media UDP 127.0.0.1:" + strconv.Itoa(cfg.Media.UDPPort), "media ICE-TCP 127.0.0.1:" + strconv.Itoa(cfg.Media.TCPPort)} {
		if _, ok := find(r, what); !ok {
			t.Errorf("no check %q: %+v", what, r.Checks)
		}
	}
	for _, c := range r.Checks {
		if strings.HasPrefix(c.What, "media ") && strings.Contains(c.What, "203.0.113.7") && c.Status == OK {
			t.Errorf("%q %s %q: the bind test did not use media.public_ip", c.What, c.Status, c.Detail)
		}
	}
	if c, ok := find(r, "media.public_ip 203.0.113.7"); !ok || c.Status != Warn {
		t.Errorf("media.public_ip: %+v", c)
	}
}

// A node that hosts no media (cluster.role signal) binds no media port:
// none is checked, none is held, and the firewall table opens only HTTP.
func TestDoctorLeavesMediaPortsOfANodeWithoutMedia(t *testing.T) {
	cfg := loopback(t)
	cfg.TURN.Enabled = false
	held, err := net.ListenPacket("udp4", "127.0.0.1:"+strconv.Itoa(cfg.Media.UDPPort)) // another node's, on this host
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	cfg.Media.Off = true
	r := Run(context.Background(), cfg)
	if r.Failed() {
		t.Errorf("a check failed: %+v", r.Checks)
	}
	if c, ok := find(r, "media"); !ok || c.What != "media" || c.Status != OK || !strings.Contains(c.Detail, "role signal") {
		t.Errorf("the media line: %+v (all: %+v)", c, r.Checks)
	}
	for _, rule := range r.Firewall {
		if rule.Proto != "tcp" || strings.Contains(rule.Why, "media (") || strings.Contains(rule.Why, "ICE-TCP") {
			t.Errorf("firewall rule for a node without media: %+v", rule)
		}
	}
	// its TURN line named media ports it does not bind (the cluster operator's audit)
	if c, ok := find(r, "TURN"); !ok || c.Status != OK || strings.Contains(c.Detail, strconv.Itoa(cfg.Media.UDPPort)) {
		t.Errorf("the TURN line of a node without media: %+v", c)
	}
}

// TestDoctorChecksICEServers: media.ice_servers go to clients as they
// are: a URL a WebRTC stack refuses fails naming the key, a TURN entry is
// allocated on with its own username and credential (a wrong credential
// fails), a STUN URL is taken, and TURN there counts as TURN configured.
func TestDoctorChecksICEServers(t *testing.T) {
	cred := turnserver.Mint(secret, "someone", time.Now(), time.Hour)
	url := externalTURN(t)
	cfg := loopback(t)
	cfg.TURN.Enabled = false
	cfg.Media.ICEServers = []sfu.ICEServer{
		{URLs: []string{"stun:stun.example.com:3478"}},
		{URLs: []string{"stun;typo.example.com:3478"}},
		{URLs: []string{url}, Username: cred.Username, Credential: cred.Password},
		{URLs: []string{url}, Username: cred.Username, Credential: "wrong"},
		{URLs: []string{url}},
	}
	r := Run(context.Background(), cfg)
	for _, tc := range []struct {
		what string
		want Status
		says string
	}{
		{"media.ice_servers[0] stun:", OK, "STUN only"},
		{"media.ice_servers[1]", Fail, `media.ice_servers[1].urls[0]: "stun;typo.example.com:3478" is not a STUN or TURN URL`},
		{"media.ice_servers[2] turn:", OK, "relay allocated"},
		{"media.ice_servers[3] turn:", Fail, "no relay: the TURN server refused the credentials (error 400): media.ice_servers[3]'s username and credential"},
		{"media.ice_servers[4]", Fail, "needs a username and a credential"},
	} {
		if c, ok := find(r, tc.what); !ok || c.Status != tc.want || !strings.Contains(c.Detail, tc.says) {
			t.Errorf("%s: %+v, want %s saying %q", tc.what, c, tc.want, tc.says)
		}
	}
	if c, ok := find(r, "TURN"); ok && strings.Contains(c.Detail, "off") {
		t.Errorf("TURN in media.ice_servers, yet %+v", c)
	}
}

// TestDoctorWarnsOfMissingInterfaces: an interface of media.interfaces
// this host lacks is a warning (one that exists is not mentioned).
func TestDoctorWarnsOfMissingInterfaces(t *testing.T) {
	cfg := loopback(t)
	cfg.TURN.Enabled = false
	cfg.Media.Interfaces = []string{"lo", "nosuchif0"}
	r := Run(context.Background(), cfg)
	if c, ok := find(r, "media.interfaces nosuchif0"); !ok || c.Status != Warn {
		t.Errorf("nosuchif0: %+v", c)
	}
	if c, ok := find(r, "media.interfaces lo"); ok {
		t.Errorf("lo: %+v", c)
	}
}

func TestDoctorSaysWhatHoldsAPort(t *testing.T) {
	cfg := loopback(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg.HTTPListen = ln.Addr().String()
	cfg.TURN.Enabled = false
	r := Run(context.Background(), cfg)
	if c, _ := find(r, "HTTP"); c.Status != Warn || !strings.Contains(c.Detail, "in use") {
		t.Errorf("HTTP check %+v", c)
	}
	if c, _ := find(r, "TURN"); c.Status != Warn || !strings.Contains(c.Detail, "off") {
		t.Errorf("TURN check %+v", c)
	}
}

// TestDoctorChecksCertificates: a configured certificate is loaded and its
// expiry told: valid for long is ok, within two weeks a warning, expired
// or unloadable a failure. (The lab certificate is valid for an hour; the
// clock is moved instead.)
func TestDoctorChecksCertificates(t *testing.T) {
	cert, key := netlab.SelfSignedCert(t, net.IPv4(127, 0, 0, 1))
	for _, tc := range []struct {
		name string
		at   time.Time
		want Status
		says string
	}{
		{"valid for a month", time.Now().Add(-30 * 24 * time.Hour), OK, "valid until"},
		{"an hour left", time.Now(), Warn, "expires in 0 days"},
		{"expired", time.Now().Add(2 * time.Hour), Fail, "expired on"},
	} {
		var r Report
		checkCertificates(&r, Config{TLSCert: cert, TLSKey: key}, tc.at)
		if c, ok := find(r, "server.tls_cert"); !ok || c.Status != tc.want || !strings.Contains(c.Detail, tc.says) {
			t.Errorf("%s: %+v, want %s saying %q", tc.name, c, tc.want, tc.says)
		}
	}
	var r Report
	checkCertificates(&r, Config{TLSCert: cert, TLSKey: cert}, time.Now()) // the key file is not a key
	if c, _ := find(r, "server.tls_cert"); c.Status != Fail || !strings.Contains(c.Detail, "cannot load") {
		t.Errorf("a bad key: %+v, want a failure", c)
	}
	r = Report{}
	checkCertificates(&r, Config{}, time.Now())
	if len(r.Checks) != 0 {
		t.Errorf("no certificate configured: %+v, want no check", r.Checks)
	}
}

// TestDoctorChecksSocketBuffers: the media sockets' buffers are what
// media.socket_buffer asks (as root, or with rmem_max raised), or left to
// the OS when it says 0.
func TestDoctorChecksSocketBuffers(t *testing.T) {
	cfg := loopback(t)
	cfg.TURN.Enabled = false
	if c, _ := find(Run(context.Background(), cfg), "media UDP buffers"); c.Status != OK || !strings.Contains(c.Detail, "4194304 bytes each way") {
		if os.Geteuid() == 0 {
			t.Errorf("default: %+v", c)
		} else if c.Status != Warn || !strings.Contains(c.Detail, "net.core.rmem_max") {
			t.Errorf("default, not root: %+v", c)
		}
	}
	cfg.Media.SocketBuffer = 0
	if c, _ := find(Run(context.Background(), cfg), "media UDP buffers"); c.Status != OK || !strings.Contains(c.Detail, "OS") {
		t.Errorf("0: %+v", c)
	}
}
