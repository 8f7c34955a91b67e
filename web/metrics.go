package web

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// httpMetrics are the front door's own collectors.
type httpMetrics struct {
	requests *prometheus.CounterVec // by route pattern and status code
	sockets  *prometheus.GaugeVec   // open WebSockets by endpoint
}

func newHTTPMetrics(reg prometheus.Registerer) (*httpMetrics, error) {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_http_requests_total",
			Help: "HTTP requests by route pattern and status code (101 = WebSocket upgraded).",
		}, []string{"route", "code"}),
		sockets: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchboard_websockets_open",
			Help: "Open WebSocket connections by endpoint (ws = ringing, rtc = media).",
		}, []string{"endpoint"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.sockets} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, endpoint := range []string{"ws", "rtc"} { // 0 from the start, not absent until the first socket
		m.sockets.WithLabelValues(endpoint)
	}
	return m, nil
}

func (m *httpMetrics) observe(route string, status int) {
	if route == "" {
		route = "none"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
}

// statusRecorder remembers the status code written, and still lets
// websocket.Accept hijack the connection.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	route       string // the metrics route when the handler names one (else the mux pattern)
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

// Hijack hands over the connection (a WebSocket upgrade: status 101).
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("web: response writer cannot hijack")
	}
	r.status, r.wroteHeader = http.StatusSwitchingProtocols, true
	return hj.Hijack()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// MetricsHandler serves reg's metrics for Prometheus: on Config.Listen, or
// on Config.MetricsListen (the server assembly runs it there).
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
