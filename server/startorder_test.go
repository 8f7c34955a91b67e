package server_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/server"
)

// TestBusyPortWritesNothing: when a port the server needs is taken, Start
// fails naming the config key and the database file is never created.
func TestBusyPortWritesNothing(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tcp.Close() }()
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = udp.Close() }()
	tcpPort := tcp.Addr().(*net.TCPAddr).Port
	udpPort := udp.LocalAddr().(*net.UDPAddr).Port
	tests := []struct {
		name string
		edit func(*server.Config)
		want []string
	}{
		{"http", func(c *server.Config) { c.Server.Listen = tcp.Addr().String() },
			[]string{"server.listen", "address already in use", "another program"}},
		{"media udp", func(c *server.Config) { c.Media.UDPPort = udpPort },
			[]string{"media.udp_port " + strconv.Itoa(udpPort), "address already in use", "another program"}},
		{"media tcp", func(c *server.Config) { c.Media.TCPPort = tcpPort },
			[]string{"media.tcp_port " + strconv.Itoa(tcpPort), "address already in use", "another program"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := server.LocalConfig(filepath.Join(dir, "switchboard.db"))
			tc.edit(&cfg)
			app, err := server.Start(context.Background(), cfg)
			if err == nil {
				_ = app.Close()
				t.Fatal("started on a busy port")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if files, _ := os.ReadDir(dir); len(files) > 0 {
				t.Errorf("Start wrote %v before failing", files[0].Name())
			}
		})
	}
}
