package turnserver

import (
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// counters are the TURN server's figures, read by Prometheus at scrape time.
type counters struct {
	allocations      atomic.Int64
	allocationsTotal atomic.Uint64
	authRefused      atomic.Uint64
	quotaRefused     atomic.Uint64
	peerRefused      atomic.Uint64
	toPeer           atomic.Uint64
	fromPeer         atomic.Uint64
	dropped          atomic.Uint64
}

func (c *counters) register(reg prometheus.Registerer) error {
	if reg == nil {
		return nil
	}
	counter := func(name, help string, v *atomic.Uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(v.Load()) })
	}
	bytes := func(dir string, v *atomic.Uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_turn_relayed_bytes_total",
			Help: "Bytes relayed by TURN allocations, by direction.", ConstLabels: prometheus.Labels{"direction": dir}},
			func() float64 { return float64(v.Load()) })
	}
	cs := []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "switchboard_turn_allocations", Help: "TURN allocations alive."},
			func() float64 { return float64(c.allocations.Load()) }),
		counter("switchboard_turn_allocations_total", "TURN allocations made.", &c.allocationsTotal),
		counter("switchboard_turn_auth_refused_total", "TURN requests refused for bad, expired or unknown credentials.", &c.authRefused),
		counter("switchboard_turn_quota_refused_total", "TURN allocations refused by the per-user quota.", &c.quotaRefused),
		counter("switchboard_turn_peer_refused_total", "TURN permissions and datagrams refused for a peer outside the allowed ranges.", &c.peerRefused),
		counter("switchboard_turn_dropped_bytes_total", "Bytes dropped by the per-allocation bandwidth cap.", &c.dropped),
		bytes("to_peer", &c.toPeer),
		bytes("from_peer", &c.fromPeer),
	}
	for _, col := range cs {
		if err := reg.Register(col); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return err
			}
		}
	}
	return nil
}

// logLimiter keeps a flood of refusals from flooding the log: at most one
// line per interval, with the count of lines left out.
type logLimiter struct {
	every time.Duration

	// mu guards last and skipped.
	mu      sync.Mutex
	last    time.Time
	skipped int
}

func (l *logLimiter) warn(log *slog.Logger, msg string, args ...any) {
	l.mu.Lock()
	now := time.Now()
	if now.Sub(l.last) < l.every {
		l.skipped++
		l.mu.Unlock()
		return
	}
	skipped := l.skipped
	l.last, l.skipped = now, 0
	l.mu.Unlock()
	log.Warn(msg, append(args, "similar_lines_left_out", skipped)...)
}
