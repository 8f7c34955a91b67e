package sfu

import (
	"log/slog"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// receiveBuffer is the kernel's receive buffer of c, as asked (halved).
func receiveBuffer(t *testing.T, b *batchConn) int {
	t.Helper()
	raw, err := b.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := raw.Control(func(fd uintptr) { v, err = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF) }); err != nil {
		t.Fatal(err)
	}
	return v / 2
}

// The media sockets get media.socket_buffer (the default one at 212,992
// bytes dropped thousands of packets at 20 1:1 calls), and 0 leaves them
// as the OS makes them.
func TestMediaSocketBuffers(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the buffer with Linux socket options")
	}
	for _, tc := range []struct {
		name            string
		buffer          int
		atLeast, atMost int
	}{
		{"default", defaultSocketBuffer, defaultSocketBuffer, 1 << 30},
		{"set", 3 << 20, 3 << 20, 1 << 30},
		{"os default", 0, 1, 1 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.BindAddress, cfg.UDPPort, cfg.TCPPort, cfg.SocketBuffer = "127.0.0.1", 0, 0, tc.buffer
			e, err := newEngine(cfg.WithDefaults(), slog.New(slog.DiscardHandler), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer e.close()
			if got := receiveBuffer(t, e.batches[0]); got < tc.atLeast || got > tc.atMost {
				t.Errorf("receive buffer %d bytes, want %d..%d (as root, or net.core.rmem_max >= it)", got, tc.atLeast, tc.atMost)
			}
		})
	}
}
