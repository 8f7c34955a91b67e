package turnserver_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/doctor"
	"github.com/switchboard-rtc/switchboard/internal/calltest"
	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/turnserver"
)

const coturnBin = "/usr/bin/turnserver"

// startCoturn runs Debian's coturn on 127.0.0.1 with the TURN REST secret
// and returns its host:port once it allocates.
func startCoturn(t *testing.T, secret string) string {
	t.Helper()
	if _, err := os.Stat(coturnBin); err != nil {
		if os.Getenv("CI") == "1" {
			t.Fatalf("CI=1 and coturn is missing (%v); scripts/test installs it", err)
		}
		t.Skipf("coturn not installed (%v): apt-get install coturn, or run scripts/test", err)
	}
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := pc.LocalAddr().(*net.UDPAddr).Port
	_ = pc.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, coturnBin, "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
		"--listening-port="+strconv.Itoa(port), "--use-auth-secret", "--static-auth-secret="+secret, "--realm=switchboard",
		"--allow-loopback-peers", "--no-tcp", "--no-tls", "--no-dtls", "--no-cli", "--no-rfc5780", "--no-stun-backward-compatibility",
		"--min-port=40000", "--max-port=40999", "--pidfile="+filepath.Join(dir, "pid"), "--log-file=stdout", "--simple-log")
	// UDP only (--no-tcp): the port was free for UDP; on TCP another
	// test's socket may hold it, and coturn then retries its bind forever.
	out := &logbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("coturn output:\n%s", out)
		}
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	c := turnserver.Mint(secret, "probe", time.Now(), time.Minute)
	deadline := time.Now().Add(10 * time.Second)
	for {
		pctx, pcancel := context.WithTimeout(context.Background(), time.Second)
		r, err := turnserver.Allocate(pctx, turnserver.ProbeConfig{Server: addr, Transport: "udp", Username: c.Username, Password: c.Password})
		pcancel()
		if err == nil {
			_ = r.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("coturn never allocated: %v\n%s", err, out)
		}
		time.Sleep(50 * time.Millisecond) // waiting for a process to start listening
	}
}

// TestExternalCoturnWithTheSameSecret: with the embedded server off and
// coturn listed in turn.external, joined hands out coturn's URL with
// credentials coturn accepts; a relay-only client calls through it, media
// both ways. A credential from another secret is refused by coturn, and
// doctor says so.
func TestExternalCoturnWithTheSameSecret(t *testing.T) {
	const secret = "coturn-shared-secret-0123"
	addr := startCoturn(t, secret)
	url := "turn:" + addr + "?transport=udp"
	cfg := server.LocalConfig(filepath.Join(t.TempDir(), "switchboard.db"))
	cfg.TURN.External = []turnserver.External{{URLs: []string{url}, Secret: secret}}
	app, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()

	alice, bob := calltest.SignIn(t, app, app.URL(), "alice", client.DialOptions{}), calltest.SignIn(t, app, app.URL(), "bob", client.DialOptions{})
	aliceTok, bobTok := calltest.Ring(t, alice, bob, "bob")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	a, err := client.JoinSession(ctx, app.URL(), aliceTok, client.MediaOptions{Audio: true, Video: "vp8", Loopback: true, RelayOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := client.JoinSession(ctx, app.URL(), bobTok, client.MediaOptions{Audio: true, Video: "vp8", Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if ice := a.Info().ICEServers; len(ice) != 1 || ice[0].URLs[0] != url || !strings.HasSuffix(ice[0].Username, ":alice") {
		t.Fatalf("iceServers %+v", ice)
	}
	flow(t, a, b)

	for _, tc := range []struct {
		secret string
		want   doctor.Status
	}{{secret, doctor.OK}, {"another-secret-entirely", doctor.Fail}} {
		r := doctor.Run(ctx, doctor.Config{HTTPListen: "127.0.0.1:0", Media: cfg.Media,
			TURN: turnserver.Config{External: []turnserver.External{{URLs: []string{url}, Secret: tc.secret}}}})
		got := doctor.Status("missing")
		for _, c := range r.Checks {
			if strings.HasPrefix(c.What, "turn.external[0]") {
				got = c.Status
			}
		}
		if got != tc.want {
			t.Errorf("doctor with secret %q: %s, want %s: %+v", tc.secret, got, tc.want, r.Checks)
		}
	}
}
