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
	l.Errorf("Failed to get selected candidate pair stats: %v", "the agent is closed")
	l.Warnf("Error reading first packet from %s: %s", "127.0.0.1:51000", "EOF")
	l.Warnf("Error reading first packet from %s: %s", "127.0.0.1:51001", "read: connection reset by peer")
	l.Warnf("Failed to add remote candidate %s: %v", "10.0.0.1", "bad address")
	l.Errorf("dtls: %v", "handshake failed")
	l.Warnf("Warning: mux: no endpoint for packet starting with %d, adding to queue size(%d)", 21, 0)      // a late close_notify (an aiortc author's audit)
	l.Warnf("Warning: mux: no endpoint for packet starting with %d, adding to queue size(%d)", 22, 0)      // before its endpoint: queued for it
	l.Warnf("Warning: mux: no endpoint for packet starting with %d, not adding to queue size(%d)", 144, 0) // RTP with nowhere to go: lost
	got := buf.String()
	if strings.Contains(got, "closed pipe") || strings.Contains(got, "Failed to ping") || strings.Contains(got, "already closed") ||
		strings.Contains(got, "agent is closed") || strings.Contains(got, "51000") || strings.Contains(got, "starting with 21,") ||
		strings.Contains(got, "starting with 22,") {
		t.Errorf("teardown noise at warn:\n%s", got)
	}
	if !strings.Contains(got, "Failed to add remote candidate") || !strings.Contains(got, "handshake failed") || !strings.Contains(got, "connection reset") ||
		!strings.Contains(got, "starting with 144,") {
		t.Errorf("a real warning is missing:\n%s", got)
	}
}

// The ICE agent logs the remote ICE password at debug; the server's log
// never holds it (docs/operations.md: secrets are never logged). Before,
// --log-level debug wrote every participant's remotePwd.
func TestPionSecretsRedacted(t *testing.T) {
	var buf bytes.Buffer
	l := newPionLogs(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))).NewLogger("ice")
	l.Debugf("Started agent: isControlling? %t, remoteUfrag: %q, remotePwd: %q", false, "xjMAcGJmapokKZPo", "qfuSCnKFkNjjbPzuGFhVSkhsmuzlVwEw")
	l.Warnf("turn: bad password=%s for %s", "hunter2", "alice")
	got := buf.String()
	if strings.Contains(got, "qfuSCnKFkNjjbPzuGFhVSkhsmuzlVwEw") || strings.Contains(got, "hunter2") {
		t.Fatalf("a secret in the log:\n%s", got)
	}
	if !strings.Contains(got, "xjMAcGJmapokKZPo") || !strings.Contains(got, "alice") || strings.Count(got, "redacted") != 2 {
		t.Fatalf("the lines lost more than their secrets:\n%s", got)
	}
}
