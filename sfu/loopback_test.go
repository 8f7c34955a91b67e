package sfu

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// A loopback-bound server drops media from other hosts; the first drop is
// logged at warn, once (every test sends to 127.0.0.1 only, so the drop
// itself is not provoked here).
func TestLoopbackBindLogsTheFirstDroppedSourceOnce(t *testing.T) {
	var buf bytes.Buffer
	c := &loopbackOnly{log: slog.New(slog.NewTextHandler(&buf, nil))}
	c.dropped("198.51.100.4:5000")
	c.dropped("198.51.100.5:5000")
	out := buf.String()
	if n := strings.Count(out, "level=WARN"); n != 1 || !strings.Contains(out, "198.51.100.4:5000") || !strings.Contains(out, "bind_address") {
		t.Errorf("want one warn line naming the first source and media.bind_address, got:\n%s", out)
	}
}
