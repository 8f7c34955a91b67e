package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"go.uber.org/goleak"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/tokens"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// run runs the CLI in process with args and environ.
func run(t *testing.T, environ []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cliEnv{stdout: &out, stderr: &errOut, environ: environ,
		exit: func(code int) { t.Errorf("exit(%d) called", code) }}
	cmd := newRootCmd(env)
	cmd.SetArgs(args)
	err = cmd.Execute()
	return out.String(), errOut.String(), err
}

func TestKeysGenerate(t *testing.T) {
	out, _, err := run(t, nil, "keys", "generate")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^API key:    (SB[0-9a-f]{16})\nAPI secret: ([A-Za-z0-9_-]{43})$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("output does not start with the key and secret:\n%s", out)
	}
	key, secret := m[1], m[2]
	if !strings.Contains(out, "keys:\n  "+key+": "+secret+"\n") ||
		!strings.Contains(out, "SWITCHBOARD_KEYS="+key+":"+secret+"\n") {
		t.Errorf("output lacks the config and environment forms:\n%s", out)
	}
	// What it prints is accepted as is by the config and by tokens.
	l, err := loadConfig(writeFile(t, out[strings.Index(out, "keys:"):strings.Index(out, "\nOr")]), nil, nil, nil)
	if err != nil {
		t.Fatalf("the printed config snippet does not load: %v", err)
	}
	if _, err := tokens.New(l.Keys, "", nil); err != nil {
		t.Fatalf("tokens refuses the generated key: %v", err)
	}
	again, _, _ := run(t, nil, "keys", "generate")
	if again == out {
		t.Error("two runs printed the same key")
	}
}

func TestTokenCreateRoundTrip(t *testing.T) {
	key, secret, err := tokens.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	environ := []string{"SWITCHBOARD_KEYS=" + key + ":" + secret}
	issuer, err := tokens.New(map[string]string{key: secret}, "", nil)
	if err != nil {
		t.Fatal(err)
	}

	out, _, err := run(t, environ, "token", "create", "--user", "alice", "--name", "Alice Smith", "--ttl", "1h")
	if err != nil {
		t.Fatal(err)
	}
	c, err := issuer.VerifyAuth(strings.TrimSpace(out))
	if err != nil {
		t.Fatalf("minted auth token does not verify: %v", err)
	}
	if c.UID != "alice" || c.Name != "Alice Smith" || c.ExpiresAt.Sub(c.IssuedAt.Time).String() != "1h0m0s" {
		t.Errorf("claims = uid %q name %q ttl %s", c.UID, c.Name, c.ExpiresAt.Sub(c.IssuedAt.Time))
	}

	out, _, err = run(t, environ, "token", "create", "--admin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := issuer.VerifyAdmin(strings.TrimSpace(out)); err != nil {
		t.Errorf("minted admin token does not verify as admin: %v", err)
	}
	if _, err := issuer.VerifyAuth(strings.TrimSpace(out)); err == nil {
		t.Error("an admin token verified as an auth token")
	}
}

func TestTokenCreateErrors(t *testing.T) {
	key, secret, _ := tokens.GenerateKey()
	environ := []string{"SWITCHBOARD_KEYS=" + key + ":" + secret}
	tests := []struct {
		name    string
		environ []string
		args    []string
		want    string
	}{
		{"no keys", nil, []string{"--user", "a"}, "switchboard keys generate"},
		{"no user", environ, nil, "--user is required"},
		{"bad uid", environ, []string{"--user", "a b"}, "--user"},
		{"bad ttl", environ, []string{"--user", "a", "--ttl", "-1h"}, "--ttl"},
		{"ttl over the maximum", environ, []string{"--user", "a", "--ttl", "1000h"}, "--ttl 1000h0m0s is above server.max_auth_token_ttl (720h0m0s)"},
		{"ttl over a configured maximum", append([]string{"SWITCHBOARD_SERVER_MAX_AUTH_TOKEN_TTL=2h"}, environ...),
			[]string{"--user", "a", "--ttl", "3h"}, "above server.max_auth_token_ttl (2h0m0s)"},
		{"unknown flag", environ, []string{"--usr", "a"}, "unknown flag: --usr (see switchboard token create --help)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := run(t, tc.environ, append([]string{"token", "create"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v; want it to contain %q", err, tc.want)
			}
			if out != "" {
				t.Errorf("printed %q despite the error", out)
			}
		})
	}
}

// TestTokenCreateChecksOnlyTheKeys: token create, run with the server's
// config as api.md says, uses only the keys and the token lifetime maxima:
// it does not refuse over server settings it never uses (a PostgreSQL DSN
// kept in the service's environment, a push key file only the service
// can read), and still refuses a bad key or signing_key, naming the line.
func TestTokenCreateChecksOnlyTheKeys(t *testing.T) {
	key, secret, _ := tokens.GenerateKey()
	keys := "keys: {" + key + ": \"" + secret + "\"}\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"postgres without store.dsn", keys + "store:\n  driver: postgres\ncluster:\n  redis: redis://127.0.0.1:6379/0\n", ""},
		{"unreadable apns key", keys + "push:\n  apns:\n    key_file: /nonexistent/AuthKey.p8\n    key_id: ABCDE12345\n    team_id: TEAM123456\n", ""},
		{"unreadable fcm credentials", keys + "push:\n  fcm:\n    credentials_file: /nonexistent.json\n", ""},
		{"missing tls files", keys + "server:\n  tls_cert: /nonexistent/cert.pem\n  tls_key: /nonexistent/key.pem\n", ""},
		{"bad log level", keys + "log:\n  level: loud\n", ""},
		{"short secret", "store:\n  driver: postgres\nkeys:\n  k1: short\n", "switchboard.yaml:4: keys.k1: the secret is 5 characters"},
		{"unknown signing key", keys + "signing_key: nope\n", `switchboard.yaml:2: signing_key: "nope" is not one of the API keys`},
		{"no lifetime", keys + "server:\n  max_auth_token_ttl: 0s\n", "switchboard.yaml:3: server.max_auth_token_ttl: must be a duration above 0"},
		{"unknown key", keys + "stor:\n  driver: postgres\n", "switchboard.yaml:2: stor: unknown key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := run(t, nil, "token", "create", "--config", writeFile(t, tc.yaml), "--user", "alice")
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want == "" && !strings.HasPrefix(out, "ey"):
				t.Fatalf("printed %q, want a token", out)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v; want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestServeRefusesWithoutKeys(t *testing.T) {
	_, _, err := run(t, nil, "serve", "--listen", "127.0.0.1:0", "--db", t.TempDir()+"/x.db")
	if err == nil {
		t.Fatal("serve started without keys")
	}
	for _, want := range []string{"no API keys configured", "switchboard keys generate", "SWITCHBOARD_KEYS", "--dev"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, err := run(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "switchboard dev (go1.") {
		t.Errorf("version printed %q, err %v", out, err)
	}
}

// TestEveryCommandHasHelp: Short, Long and Example on every command a user sees.
func TestEveryCommandHasHelp(t *testing.T) {
	root := newRootCmd(cliEnv{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
	stack := root.Commands()
	for len(stack) > 0 {
		c := stack[0]
		stack = append(stack[1:], c.Commands()...)
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" { // hidden: internal, not for users
			continue
		}
		if c.Short == "" || c.Long == "" || c.Example == "" {
			t.Errorf("%s lacks Short, Long or Example", c.CommandPath())
		}
	}
}

// TestServeDevAnswersAndDrains runs `serve --dev` in process on free
// loopback ports, checks the banner and /healthz, then sends SIGTERM.
func TestServeDevAnswersAndDrains(t *testing.T) {
	dir := t.TempDir()
	sigs := make(chan os.Signal, 2)
	urls := make(chan string, 1)
	var out, errOut logbuf.Buffer
	env := cliEnv{stdout: &out, stderr: &errOut, signals: sigs,
		exit:    func(code int) { t.Errorf("exit(%d) called", code) },
		started: func(url string) { urls <- url }}
	cmd := newRootCmd(env)
	cmd.SetArgs([]string{"serve", "--dev", "--listen", "127.0.0.1:0", "--bind", "127.0.0.1", "--udp-port", "0", "--tcp-port", "0",
		"--db", dir + "/switchboard.db"})
	done := make(chan error, 1)
	go func() { done <- cmd.Execute() }()
	var url string
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("serve --dev stopped: %v\n%s", err, errOut.String())
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("url %q is not on loopback", url)
	}
	banner := out.String()
	for _, want := range []string{"open:        " + url, "API key:     SB", "API secret:  ", "admin token: "} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if code, body := get(t, url+"/healthz"); code != 200 || body["status"] != "ok" {
		t.Errorf("/healthz = %d %v", code, body)
	}
	resp, err := http.Post(url+"/v1/dev/login", "application/json", strings.NewReader(`{"name":"Alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("dev login = %d, want 200 in --dev", resp.StatusCode)
	}
	sigs <- syscall.SIGTERM
	if err := <-done; err != nil {
		t.Errorf("serve returned %v after SIGTERM", err)
	}
	logs := errOut.String()
	if !strings.Contains(logs, "draining") || !strings.Contains(logs, "listening") {
		t.Errorf("no listening or draining log line:\n%s", logs)
	}
	secret := regexp.MustCompile(`API secret:  (\S+)`).FindStringSubmatch(banner)
	admin := regexp.MustCompile(`admin token: (\S+)`).FindStringSubmatch(banner)
	if secret == nil || admin == nil || strings.Contains(logs, secret[1]) || strings.Contains(logs, admin[1]) {
		t.Errorf("the logs show the secret or the admin token (or the banner lacks them):\n%s", logs)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("still answering after serve returned")
	}
}

func get(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}
