package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

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
	defer udp.Close()
	busyUDP := strconv.Itoa(udp.LocalAddr().(*net.UDPAddr).Port)
	http, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer http.Close()
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
