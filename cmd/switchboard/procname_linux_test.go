package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
)

// TestServeProcessKeepsItsNameAndIgnoresSIGHUP runs the built binary as an
// operator does: after its start-up re-exec (runtime.keep_monitor_awake)
// the process is still named switchboard (it was "exe": pgrep -x and
// killall did not find it); SIGHUP is logged and serve goes on (it killed
// the process at once); SIGTERM drains and it exits 0.
func TestServeProcessKeepsItsNameAndIgnoresSIGHUP(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "switchboard")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	var out, errOut logbuf.Buffer
	cmd := exec.Command(bin, "serve", "--dev", "--listen", "127.0.0.1:0", "--bind", "127.0.0.1", "--udp-port", "0", "--tcp-port", "0",
		"--db", filepath.Join(dir, "switchboard.db"))
	cmd.Stdout, cmd.Stderr, cmd.Dir = &out, &errOut, dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SWITCHBOARD_") && !strings.HasPrefix(kv, "GODEBUG=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if err := <-exited; err != nil {
			t.Logf("serve ended: %v", err)
		}
	})
	open := regexp.MustCompile(`open:\s+(http://127\.0\.0\.1:\d+)`)
	var url string
	for deadline := time.Now().Add(20 * time.Second); url == ""; time.Sleep(20 * time.Millisecond) {
		if m := open.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no URL printed within 20 s:\n%s\n%s", out.String(), errOut.String())
		}
	}
	if code, _ := get(t, url+"/healthz"); code != 200 {
		t.Fatalf("/healthz = %d", code)
	}
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/comm")
	if err != nil || strings.TrimSpace(string(comm)) != "switchboard" {
		t.Errorf("process name %q (%v), want switchboard", strings.TrimSpace(string(comm)), err)
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(errOut.String(), "SIGHUP ignored"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no log line about SIGHUP within 5 s:\n%s", errOut.String())
		}
	}
	if code, _ := get(t, url+"/healthz"); code != 200 {
		t.Fatalf("/healthz after SIGHUP = %d, want 200", code)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		exited <- err // for the cleanup
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM, want status 0:\n%s", err, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not exit within 20 s of SIGTERM")
	}
}
