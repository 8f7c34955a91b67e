package main

import (
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// TestServeStartupErrorsNameTheKey runs `serve` as a user would, with each
// start-up mistake, and checks the message names the config key and says
// what is wrong, and that nothing was written.
func TestServeStartupErrorsNameTheKey(t *testing.T) {
	key, secret, err := tokens.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	environ := []string{"SWITCHBOARD_KEYS=" + key + ":" + secret}
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = udp.Close() }()
	busyUDP := strconv.Itoa(udp.LocalAddr().(*net.UDPAddr).Port)
	http, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = http.Close() }()
	local := []string{"serve", "--listen", "127.0.0.1:0", "--bind", "127.0.0.1", "--udp-port", "0", "--tcp-port", "0"}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"busy media port", []string{"--udp-port", busyUDP},
			[]string{"media.udp_port " + busyUDP, "address already in use"}},
		{"busy http port", []string{"--listen", http.Addr().String()},
			[]string{"server.listen", "address already in use"}},
		{"db in /proc", []string{"--db", "/proc/sb.db"},
			[]string{"store.path", "/proc/sb.db", "directory /proc is not writable"}},
		{"ice server url clients refuse", []string{"--config", writeFile(t, "media:\n  ice_servers:\n    - urls: [\"stun;typo.example.com:3478\"]\n")},
			[]string{"switchboard.yaml:3: media.ice_servers[0].urls[0]", "is not a STUN or TURN URL"}},
		{"push policy", []string{"--config", writeFile(t, "push:\n  policy: sometimes\n")},
			[]string{"switchboard.yaml:2: push.policy", `"sometimes" is not a policy`}},
		{"apns key file missing", []string{"--config", writeFile(t, "push:\n  apns:\n    key_file: /nonexistent.p8\n    key_id: ABCDE12345\n    team_id: T\n")},
			[]string{"switchboard.yaml:3: push.apns.key_file", "/nonexistent.p8"}},
		{"fcm credentials missing", []string{"--config", writeFile(t, "push:\n  fcm:\n    credentials_file: /nonexistent.json\n")},
			[]string{"switchboard.yaml:3: push.fcm.credentials_file", "/nonexistent.json"}},
		{"ice-tcp on the http port", []string{"--listen", "127.0.0.1:17880", "--tcp-port", "17880"},
			[]string{"media.tcp_port: TCP port 17880 is also server.listen's (127.0.0.1)"}},
		{"mis-indented yaml", []string{"--config", writeFile(t, "server:\n  listen: 127.0.0.1:0\n   shutdown_grace: 30s\n")},
			[]string{"switchboard.yaml:3:", `"   shutdown_grace: 30s"`, "indentation"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append(append(local, "--db", filepath.Join(dir, "switchboard.db")), tc.args...)
			_, _, err := run(t, environ, args...)
			if err == nil {
				t.Fatal("serve started")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not mention %q", err, w)
				}
			}
			if files, _ := os.ReadDir(dir); len(files) > 0 {
				t.Errorf("serve wrote %s before failing", files[0].Name())
			}
		})
	}
}

// TestServeSelfSigned runs `serve --dev --self-signed` and checks it prints
// the https URL and the certificate's fingerprint, and answers there.
func TestServeSelfSigned(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	urls := make(chan string, 1)
	var out, errOut logbuf.Buffer
	env := cliEnv{stdout: &out, stderr: &errOut, signals: sigs,
		exit:    func(code int) { t.Errorf("exit(%d) called", code) },
		started: func(url string) { urls <- url }}
	cmd := newRootCmd(env)
	cmd.SetArgs([]string{"serve", "--dev", "--self-signed", "--listen", "127.0.0.1:0", "--bind", "127.0.0.1", "--udp-port", "0", "--tcp-port", "0",
		"--db", filepath.Join(t.TempDir(), "switchboard.db")})
	done := make(chan error, 1)
	go func() { done <- cmd.Execute() }()
	var url string
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, errOut.String())
	}
	banner := out.String()
	if !strings.HasPrefix(url, "https://127.0.0.1:") || !strings.Contains(banner, "open:        "+url) {
		t.Errorf("url %q; banner:\n%s", url, banner)
	}
	m := regexp.MustCompile(`SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})`).FindStringSubmatch(banner)
	if m == nil || !strings.Contains(banner, "self-signed") {
		t.Fatalf("banner lacks the self-signed certificate's fingerprint:\n%s", banner)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} // checked by fingerprint
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	sum := sha256.Sum256(resp.TLS.PeerCertificates[0].Raw)
	if got := strings.ToUpper(strings.ReplaceAll(fmt.Sprintf("% x", sum), " ", ":")); got != m[1] || resp.StatusCode != 200 {
		t.Errorf("/healthz = %d with certificate %s; the banner says %s", resp.StatusCode, got, m[1])
	}
	sigs <- syscall.SIGTERM
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
}
