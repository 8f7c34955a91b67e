package main

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
)

// TestSecondSignalExitsAtOnce: with a call ongoing, SIGTERM drains (health
// 503, serve keeps running); a second SIGTERM exits with status 1 at once.
// SIGHUP, before the drain and during it, is logged and changes nothing
// (it used to kill the process: Go's default for a signal not asked for).
func TestSecondSignalExitsAtOnce(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	urls := make(chan string, 1)
	exits := make(chan int, 1)
	var out, errOut logbuf.Buffer
	env := cliEnv{stdout: &out, stderr: &errOut, signals: sigs,
		exit:    func(code int) { exits <- code },
		started: func(url string) { urls <- url }}
	cmd := newRootCmd(env)
	cmd.SetArgs([]string{"serve", "--dev", "--listen", "127.0.0.1:0", "--bind", "127.0.0.1", "--udp-port", "0", "--tcp-port", "0",
		"--db", t.TempDir() + "/switchboard.db"})
	done := make(chan error, 1)
	go func() { done <- cmd.Execute() }()
	var url string
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("serve --dev stopped: %v", err)
	}

	alice, bob := devClient(t, url, "Alice"), devClient(t, url, "Bob")
	call, err := alice.InitiateCall(t.Context(), client.CallRequest{ReceiverID: "bob", ReceiverType: "user", CallType: "audio"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.AcceptCall(t.Context(), call.SessionID); err != nil {
		t.Fatal(err)
	}

	sigs <- syscall.SIGHUP
	for !strings.Contains(errOut.String(), "SIGHUP ignored") {
		time.Sleep(5 * time.Millisecond)
	}
	if code, _ := get(t, url+"/healthz"); code != 200 {
		t.Fatalf("healthz after SIGHUP = %d, want 200 (no drain)", code)
	}
	sigs <- syscall.SIGTERM
	for {
		if code, _ := get(t, url+"/healthz"); code == 503 {
			break
		}
	}
	sigs <- syscall.SIGHUP
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("serve returned (%v) while a call was ongoing and the grace is 30s", err)
	case code := <-exits:
		t.Fatalf("SIGHUP during the drain exited with %d", code)
	default:
	}
	sigs <- syscall.SIGTERM
	if code := <-exits; code != 1 {
		t.Errorf("second signal exited with %d, want 1", code)
	}
	// Our fake exit returns; end the call so serve finishes and nothing leaks.
	if _, err := alice.EndCall(t.Context(), call.SessionID); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	if !strings.Contains(errOut.String(), "second signal") {
		t.Errorf("no log line about the second signal:\n%s", errOut.String())
	}
}

// devClient logs in through the dev login and connects to /v1/ws.
func devClient(t *testing.T, url, name string) *client.Client {
	t.Helper()
	resp, err := http.Post(url+"/v1/dev/login", "application/json", strings.NewReader(`{"name":"`+name+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var login struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&login); err != nil || login.Token == "" {
		t.Fatalf("dev login %s: %d %v", name, resp.StatusCode, err)
	}
	c, err := client.DialWith(t.Context(), url, login.Token, client.DialOptions{OnFrame: protocoltest.Hook(t, protocoltest.WS)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}
