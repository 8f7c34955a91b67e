package sfu

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// qualityMetrics are Prometheus histograms of every media session's
// quality, observed when it ends (never per packet).
type qualityMetrics struct {
	loss    *prometheus.HistogramVec // by direction
	jitter  *prometheus.HistogramVec // by direction
	bitrate *prometheus.HistogramVec // by direction
	rtt     prometheus.Histogram
	mos     prometheus.Histogram
	freezes prometheus.Histogram
}

// Directions of the histograms' direction label.
const (
	dirSent     = "sent"
	dirReceived = "received"
)

// newQualityMetrics registers the histograms on reg; nil reg: unregistered
// (observations are kept in memory only).
func newQualityMetrics(reg prometheus.Registerer) (*qualityMetrics, error) {
	dir := []string{"direction"}
	m := &qualityMetrics{
		loss: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_sfu_quality_packet_loss_ratio",
			Help:    "Packet loss of a participant's media session (0-1), by direction (sent: participant to server).",
			Buckets: []float64{0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5}}, dir),
		jitter: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_sfu_quality_jitter_seconds",
			Help:    "Interarrival jitter of a participant's media session (its mean over the session; the worst of its tracks), by direction.",
			Buckets: []float64{0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2}}, dir),
		bitrate: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_sfu_quality_bitrate_bits_per_second",
			Help:    "Average bitrate of a participant's media session, by direction.",
			Buckets: prometheus.ExponentialBuckets(16_000, 2, 10)}, dir),
		rtt: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "switchboard_sfu_quality_rtt_seconds",
			Help:    "Round-trip time between the server and a participant, the mean over its media session.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8}}),
		mos: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "switchboard_sfu_quality_mos",
			Help:    "Estimated mean opinion score (1-4.5) per media session.",
			Buckets: []float64{2, 2.5, 3, 3.5, 3.8, 4, 4.2, 4.4}}),
		freezes: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "switchboard_sfu_quality_freezes",
			Help:    "Video freezes (> 500 ms) a participant received per media session: the server held its video back, or its decoder waited that long for the keyframe it asked for.",
			Buckets: []float64{0, 1, 2, 5, 10, 20}}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.loss, m.jitter, m.bitrate, m.rtt, m.mos, m.freezes} {
		if err := reg.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return nil, err
			}
		}
	}
	return m, nil
}

// observe records one ended media session.
func (m *qualityMetrics) observe(q protocol.Quality) {
	if q.LossSent != nil {
		m.loss.WithLabelValues(dirSent).Observe(*q.LossSent)
	}
	if q.LossReceived != nil {
		m.loss.WithLabelValues(dirReceived).Observe(*q.LossReceived)
	}
	if q.JitterSentMs != nil {
		m.jitter.WithLabelValues(dirSent).Observe(*q.JitterSentMs / 1000)
	}
	if q.JitterReceivedMs != nil {
		m.jitter.WithLabelValues(dirReceived).Observe(*q.JitterReceivedMs / 1000)
	}
	if q.RTTMs != nil {
		m.rtt.Observe(*q.RTTMs / 1000)
	}
	m.bitrate.WithLabelValues(dirSent).Observe(float64(q.BitrateSent))
	m.bitrate.WithLabelValues(dirReceived).Observe(float64(q.BitrateReceived))
	m.mos.Observe(q.MOS)
	m.freezes.Observe(float64(q.Freezes))
}
