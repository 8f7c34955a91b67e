package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// go-redis writes its own lines (a dial that failed, a pool that gave up)
// to the standard logger, unstructured and outside log.format. They repeat
// what the node already says once (Redis unavailable, then reachable
// again), so they go to the node's logger at debug level. go-redis has one
// logger per process: the last node joined gives it its logger.
var redisLog atomic.Pointer[slog.Logger]

type redisLogger struct{}

func (redisLogger) Printf(ctx context.Context, format string, v ...any) {
	if l := redisLog.Load(); l != nil {
		l.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
	}
}

func init() { redis.SetLogger(redisLogger{}) }
