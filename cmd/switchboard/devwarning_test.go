package main

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
)

// TestDevLoginFromTheEnvironmentIsWarnedAbout: server.dev set by
// SWITCHBOARD_SERVER_DEV (no --dev) turns the dev login on; serve says so
// in a WARN log line and in the banner.
func TestDevLoginFromTheEnvironmentIsWarnedAbout(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	urls := make(chan string, 1)
	var out, errOut logbuf.Buffer
	env := cliEnv{stdout: &out, stderr: &errOut, signals: sigs,
		environ: []string{"SWITCHBOARD_SERVER_DEV=true", "SWITCHBOARD_MEDIA_BIND_ADDRESS=127.0.0.1",
			"SWITCHBOARD_KEYS=SB34cd45a340e95e3e:9s3R8wcGAMkZ-5Hez3mafw9zotjfk99j3q4K8EnoxfU"},
		exit:    func(code int) { t.Errorf("exit(%d) called", code) },
		started: func(url string) { urls <- url }}
	cmd := newRootCmd(env)
	cmd.SetArgs([]string{"serve", "--listen", "127.0.0.1:0", "--udp-port", "0", "--tcp-port", "0", "--db", t.TempDir() + "/x.db"})
	done := make(chan error, 1)
	go func() { done <- cmd.Execute() }()
	select {
	case <-urls:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, errOut.String())
	}
	sigs <- syscall.SIGTERM
	if err := <-done; err != nil {
		t.Errorf("serve returned %v after SIGTERM", err)
	}
	const says = "anyone who can reach this server can sign in as any user"
	if logs := errOut.String(); !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, says) {
		t.Errorf("no WARN line about the dev login:\n%s", logs)
	}
	if banner := out.String(); !strings.Contains(banner, "warning:     the dev login is on") || !strings.Contains(banner, says) {
		t.Errorf("the banner does not warn about the dev login:\n%s", banner)
	}
}

// TestDevLoginWarningNamesAnAddressBeyondLoopback: the warning says when
// the server listens beyond loopback, and nothing is said when the dev
// login is off.
func TestDevLoginWarningNamesAnAddressBeyondLoopback(t *testing.T) {
	for _, tc := range []struct {
		listen string
		beyond bool
	}{
		{"127.0.0.1:7880", false}, {"[::1]:7880", false}, {"localhost:7880", false},
		{":7880", true}, {"0.0.0.0:7880", true}, {"192.168.1.20:7880", true},
	} {
		w := devLoginWarning(true, tc.listen)
		if !strings.Contains(w, "anyone who can reach this server can sign in as any user") ||
			strings.Contains(w, "beyond loopback ("+tc.listen+")") != tc.beyond {
			t.Errorf("%s: %q", tc.listen, w)
		}
	}
	if w := devLoginWarning(false, ":7880"); w != "" {
		t.Errorf("dev login off: %q", w)
	}
}
