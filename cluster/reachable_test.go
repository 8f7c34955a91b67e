package cluster

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/switchboard-rtc/switchboard/cluster/redistest"
	"github.com/switchboard-rtc/switchboard/internal/logbuf"
)

// TestRedisReachableAgainIsLogged: after "Redis unavailable" the node says
// "Redis reachable again" once Redis answers, whether it kept its data or
// came back empty (as deploy/compose.yaml's Redis always does), so that
// an operator pairing the two lines (docs/cluster.md) sees the outage end.
func TestRedisReachableAgainIsLogged(t *testing.T) {
	for _, tc := range []struct {
		name     string
		keepData bool
		says     string
	}{
		{"data kept", true, `msg="cluster: Redis reachable again"`},
		{"data lost", false, `msg="cluster: Redis reachable again; it lost its data: re-publishing this node's devices and calls"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := redistest.Start(t)
			var logs logbuf.Buffer
			cfg := fastConfig("n1")
			cfg.Expiry = 2 * time.Second // outlives the outage: Redis that kept its data still has the registration
			n, err := Join(context.Background(), cfg, Deps{Options: srv.Options(), Log: slog.New(slog.NewTextHandler(&logs, nil)),
				Resync: func(context.Context, bool) {}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = n.Close() })
			if tc.keepData {
				rdb := redis.NewClient(srv.Options())
				if err := rdb.Save(context.Background()).Err(); err != nil {
					t.Fatal(err)
				}
				_ = rdb.Close()
			}
			srv.Stop()
			eventually(t, 5*time.Second, "the node sees Redis down", func() bool { return !n.Up() })
			if err := srv.Begin(); err != nil {
				t.Fatal(err)
			}
			eventually(t, 5*time.Second, "the node up again", n.Up)
			out := logs.String()
			if got := strings.Count(out, "cluster: Redis unavailable"); got != 1 {
				t.Errorf("%d \"Redis unavailable\" lines, want 1:\n%s", got, out)
			}
			if got := strings.Count(out, "cluster: Redis reachable again"); got != 1 || !strings.Contains(out, tc.says) {
				t.Errorf("want one %s line:\n%s", tc.says, out)
			}
		})
	}
}
