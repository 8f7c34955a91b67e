package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
)

func TestAwakeMonitorEnv(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		want    []string
		again   bool
	}{
		{"no GODEBUG", []string{"A=1"}, []string{"A=1", "GODEBUG=" + monitorSetting}, true},
		{"empty GODEBUG", []string{"GODEBUG=", "B=2"}, []string{"GODEBUG=" + monitorSetting, "B=2"}, true},
		{"other settings kept", []string{"GODEBUG=madvdontneed=1,gctrace=0"}, []string{"GODEBUG=madvdontneed=1,gctrace=0," + monitorSetting}, true},
		{"schedtrace already set (an operator's own)", []string{"GODEBUG=gctrace=0,schedtrace=1000"}, []string{"GODEBUG=gctrace=0,schedtrace=1000"}, false},
		{"started again already", []string{"GODEBUG=" + monitorSetting}, []string{"GODEBUG=" + monitorSetting}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, again := awakeMonitorEnv(tc.environ)
			if again != tc.again || !slices.Equal(got, tc.want) {
				t.Fatalf("awakeMonitorEnv(%q) = %q, %v; want %q, %v", tc.environ, got, again, tc.want, tc.again)
			}
		})
	}
}

// TestServeStartsAgainWithTheMonitorAwake: serve asks to be started again
// with the setting added (before anything else: here it has no keys, so it
// then refuses), says so on stderr when that fails, and does not ask when
// the key is off or GODEBUG sets schedtrace already.
func TestServeStartsAgainWithTheMonitorAwake(t *testing.T) {
	serve := func(environ []string) (asked []string, stderr string) {
		var out, errOut logbuf.Buffer
		env := cliEnv{stdout: &out, stderr: &errOut, environ: environ,
			exit: func(code int) { t.Errorf("exit(%d) called", code) },
			reexec: func(e []string) error {
				asked = e
				return errors.New("exec refused")
			}}
		cmd := newRootCmd(env)
		cmd.SetArgs([]string{"serve", "--listen", "127.0.0.1:0", "--db", t.TempDir() + "/x.db"})
		if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "no API keys configured") {
			t.Fatalf("serve without keys = %v, want the keys refusal", err)
		}
		return asked, errOut.String()
	}
	asked, stderr := serve([]string{"PATH=/bin"})
	if !slices.Equal(asked, []string{"PATH=/bin", "GODEBUG=" + monitorSetting}) {
		t.Fatalf("serve asked to start again with %q", asked)
	}
	if !strings.Contains(stderr, "could not start again with runtime.keep_monitor_awake (exec refused); serving without it") {
		t.Fatalf("stderr after a refused exec: %q", stderr)
	}
	for _, environ := range [][]string{
		{"SWITCHBOARD_RUNTIME_KEEP_MONITOR_AWAKE=false"},
		{"GODEBUG=schedtrace=5000"},
	} {
		if asked, stderr := serve(environ); asked != nil || stderr != "" {
			t.Fatalf("with %q serve asked to start again (%q), stderr %q", environ, asked, stderr)
		}
	}
}

// TestServeBinaryRunsWithTheMonitorAwake runs the real binary: the process
// that serves (same process id) has the setting in its environment.
func TestServeBinaryRunsWithTheMonitorAwake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "switchboard")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--dev", "--listen", "127.0.0.1:0", "--bind", "127.0.0.1", "--udp-port", "0", "--tcp-port", "0",
		"--db", filepath.Join(dir, "x.db"))
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GODEBUG=") || strings.HasPrefix(kv, "SWITCHBOARD_")
	})
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		said := false
		for sc.Scan() {
			if !said && strings.Contains(sc.Text(), "http://127.0.0.1:") {
				said = true
				ready <- true
			}
		}
		if !said {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("serve --dev exited before it served")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve --dev did not say where it serves within 30 s")
	}
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/environ")
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if !slices.Contains(strings.Split(string(raw), "\x00"), "GODEBUG="+monitorSetting) {
		t.Fatalf("the serving process (pid %d) has no GODEBUG=%s in its environment", cmd.Process.Pid, monitorSetting)
	}
}
