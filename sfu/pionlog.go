package sfu

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"

	"github.com/pion/logging"
)

// pionLogs routes Pion's own logs into the server's slog logger (instead of
// Pion's default of stderr), tagged with Pion's scope. Pion's errors and
// warnings become slog warnings; its info and debug lines become debug;
// trace lines are dropped, and so are (to debug) the warnings every
// connection gives as it closes (teardownNoise). Pion asks for several
// loggers per PeerConnection; one per scope is made and shared by all of
// them.
type pionLogs struct {
	log *slog.Logger

	// mu guards byScope.
	mu      sync.Mutex
	byScope map[string]pionLogger
}

func newPionLogs(log *slog.Logger) *pionLogs {
	return &pionLogs{log: log, byScope: map[string]pionLogger{}}
}

func (f *pionLogs) NewLogger(scope string) logging.LeveledLogger {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.byScope[scope]
	if !ok {
		l = pionLogger{log: f.log.With("component", "pion", "scope", scope)}
		f.byScope[scope] = l
	}
	return l
}

type pionLogger struct{ log *slog.Logger }

func (l pionLogger) emit(level slog.Level, msg string) {
	l.log.Log(context.Background(), level, redactSecrets(msg))
}

// pionSecret matches a secret a Pion line may quote: the ICE agent logs
// the remote ICE password at debug ("remotePwd: \"...\""); a password,
// credential or secret anywhere else is taken out the same way.
var pionSecret = regexp.MustCompile(`(?i)((?:pwd|password|credential|secret)"?\s*[:=]\s*)("[^"]*"|[^\s,;]+)`)

// redactSecrets is msg with what pionSecret matches read "redacted" (the
// server's log never holds a secret: docs/operations.md).
func redactSecrets(msg string) string {
	return pionSecret.ReplaceAllString(msg, `${1}"redacted"`)
}

func (l pionLogger) emitf(level slog.Level, format string, args ...any) {
	if l.log.Enabled(context.Background(), level) {
		l.emit(level, fmt.Sprintf(format, args...))
	}
}

func (l pionLogger) Trace(string)          {}
func (l pionLogger) Tracef(string, ...any) {}
func (l pionLogger) Debug(msg string)      { l.emit(slog.LevelDebug, msg) }
func (l pionLogger) Debugf(f string, a ...any) {
	l.emitf(slog.LevelDebug, f, a...)
}
func (l pionLogger) Info(msg string)          { l.emit(slog.LevelDebug, msg) }
func (l pionLogger) Infof(f string, a ...any) { l.emitf(slog.LevelDebug, f, a...) }
func (l pionLogger) Warn(msg string)          { l.warn(msg) }
func (l pionLogger) Warnf(f string, a ...any) { l.warn(fmt.Sprintf(f, a...)) }
func (l pionLogger) Error(msg string)         { l.warn(msg) }
func (l pionLogger) Errorf(f string, a ...any) {
	l.warn(fmt.Sprintf(f, a...))
}

// warn logs a Pion warning or error at warn, unless it is teardown noise.
func (l pionLogger) warn(msg string) {
	level := slog.LevelWarn
	if teardownNoise(msg) {
		level = slog.LevelDebug
	}
	l.emit(level, msg)
}

// teardownNoise: what Pion warns of while a connection closes (its sockets
// are closed under its reading and pinging goroutines, and its SRTP
// session under the goroutine that waits for a stream it has not been told
// of: "Failed to accept RTP stream is already closed"; a poll of the
// selected pair's stats that meets a closed agent), about 16 lines a call
// that say nothing is wrong; and an ICE-TCP connection a client closed
// before its first packet (it had UDP by then); and a DTLS alert (content
// type 21: the peer's close_notify) that comes after the connection's DTLS
// endpoint closed; and, as a connection comes up, a packet (DTLS 22, RTP or
// RTCP) that arrives before its endpoint is set up, which Pion queues for it
// ("adding to queue": several lines a call start, nothing lost; one it does
// not queue is a loss and stays a warning).
func teardownNoise(msg string) bool {
	for _, s := range []string{"closed pipe", "use of closed network connection", "Failed to ping without candidate pairs",
		"stream is already closed", "the agent is closed", "no endpoint for packet starting with 21,"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	if strings.Contains(msg, "no endpoint for packet starting with ") && strings.Contains(msg, ", adding to queue") {
		return true
	}
	return strings.HasPrefix(msg, "Error reading first packet from ") && strings.HasSuffix(msg, ": EOF")
}
