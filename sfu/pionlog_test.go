package sfu

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// Pion's warnings reach the log at warn, but for the ones every
// connection gives as it closes, which go to debug.
func TestPionTeardownWarningsAreDebug(t *testing.T) {
	var buf bytes.Buffer
	l := newPionLogs(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))).NewLogger("ice")
	l.Warnf("Failed to read from candidate %s: %v", "udp4 host 127.0.0.1:7882", "io: read/write on closed pipe")
	l.Warn("Failed to ping without candidate pairs. Connection is not possible yet.")
	l.Warnf("Failed to accept RTP %v", "stream is already closed")
	l.Warnf("Failed to add remote candidate %s: %v", "10.0.0.1", "bad address")
	l.Errorf("dtls: %v", "handshake failed")
	got := buf.String()
	if strings.Contains(got, "closed pipe") || strings.Contains(got, "Failed to ping") || strings.Contains(got, "already closed") {
		t.Errorf("teardown noise at warn:\n%s", got)
	}
	if !strings.Contains(got, "Failed to add remote candidate") || !strings.Contains(got, "handshake failed") {
		t.Errorf("a real warning is missing:\n%s", got)
	}
}
