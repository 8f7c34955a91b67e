package signaling

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// metrics are the hub's Prometheus series. Updates are atomic; the hub loop
// sets the gauges after each command.
type metrics struct {
	calls      *prometheus.CounterVec // by terminal status
	terminal   map[string]prometheus.Counter
	ringing    prometheus.Gauge
	ongoing    prometheus.Gauge
	conns      prometheus.Gauge
	saveErrors prometheus.Counter
	// storeDegraded is 1 while call saves fail and are kept for retry.
	storeDegraded prometheus.Gauge
	// probes counts the pings of quiet bound sockets handed a ring
	// (asleep.go), by whether they answered.
	probes               *prometheus.CounterVec
	answered, unanswered prometheus.Counter
	lostMidRing          prometheus.Counter // devices pushed because their socket went mid-ring
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_calls_total",
			Help: "Calls that reached a terminal status, by status.",
		}, []string{"status"}),
		ringing: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "switchboard_calls_ringing", Help: "Calls ringing now."}),
		ongoing: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "switchboard_calls_ongoing", Help: "Calls ongoing now."}),
		conns: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "switchboard_ringing_connections", Help: "Open /v1/ws connections."}),
		saveErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "switchboard_call_save_errors_total", Help: "Call log writes that failed."}),
		storeDegraded: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "switchboard_store_degraded", Help: "1 while call log writes fail (kept and retried) or the database (PostgreSQL) does not answer; new calls refused."}),
		probes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_ring_probes_total",
			Help: "Pings of a quiet socket bound to a push target that was handed a ring (push policy offline-only), by result: answered, or unanswered (taken for a suspended app: closed, its device pushed)."},
			[]string{"result"}),
		lostMidRing: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "switchboard_ring_pushes_after_socket_lost_total",
			Help: "Ring pushes to a device whose socket went while a call rang it (push policy offline-only)."}),
		terminal: make(map[string]prometheus.Counter),
	}
	m.answered, m.unanswered = m.probes.WithLabelValues("answered"), m.probes.WithLabelValues("unanswered")
	for _, s := range []string{protocol.StatusBusy, protocol.StatusRejected, protocol.StatusCancelled, protocol.StatusEnded, protocol.StatusUnanswered} {
		m.terminal[s] = m.calls.WithLabelValues(s)
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.calls, m.ringing, m.ongoing, m.conns, m.saveErrors, m.storeDegraded, m.probes, m.lostMidRing} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) ended(status string) {
	if c := m.terminal[status]; c != nil {
		c.Inc()
	}
}
