package turnserver

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// pionLogs routes pion/turn's logs into slog: its errors and warnings
// become debug lines (a TURN server sees junk from the internet all day;
// what matters is logged by this package), the rest is dropped.
type pionLogs struct{ log *slog.Logger }

func (f pionLogs) NewLogger(scope string) logging.LeveledLogger {
	return pionLogger{f.log.With("component", "pion", "scope", scope)}
}

type pionLogger struct{ log *slog.Logger }

func (l pionLogger) emitf(format string, args ...any) {
	if l.log.Enabled(context.Background(), slog.LevelDebug) {
		l.log.Debug(fmt.Sprintf(format, args...))
	}
}

func (pionLogger) Trace(string)               {}
func (pionLogger) Tracef(string, ...any)      {}
func (pionLogger) Debug(string)               {}
func (pionLogger) Debugf(string, ...any)      {}
func (pionLogger) Info(string)                {}
func (pionLogger) Infof(string, ...any)       {}
func (l pionLogger) Warn(msg string)          { l.emitf("%s", msg) }
func (l pionLogger) Warnf(f string, a ...any) { l.emitf(f, a...) }
func (l pionLogger) Error(msg string)         { l.emitf("%s", msg) }
func (l pionLogger) Errorf(f string, a ...any) {
	l.emitf(f, a...)
}
