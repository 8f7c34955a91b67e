package web

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// Deps are the Server's collaborators. Store, Tokens, Hub and SFU are
// required; the assembly (package server) connects the ringing hub and the
// media server to them through the interfaces in deps.go.
type Deps struct {
	Store  store.Store
	Tokens *tokens.Issuer
	Hub    Ringing
	SFU    Media
	Log    *slog.Logger // nil: discard
	// Registry receives the HTTP metrics and is served at /metrics
	// (nil: a fresh registry).
	Registry *prometheus.Registry
	// Outbox replays items for the admin API (nil: replay is refused).
	Outbox Replayer
	// ReplayAge is how long a replayed item is retried (0: 24 h).
	ReplayAge time.Duration
	// SelfTest answers the /test page (nil: /v1/selftest answers 404);
	// SelfTestICE, if set, gives the page its TURN servers.
	SelfTest    SelfTester
	SelfTestICE func() []protocol.ICEServer
	// Placement, in a cluster, refuses what another node serves (nil:
	// this node rings and hosts every call's media).
	Placement Placement
	// UserRate and UserBurst bound each user's requests to the HTTPS user
	// endpoints (ringing.request_rate and request_burst; UserRate <= 0: no
	// limit).
	UserRate  float64
	UserBurst int
}

// Server is switchboard's HTTP handler. See the package doc.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	mux     *http.ServeMux
	metrics *httpMetrics
	origins originPolicy

	limits *userLimits // per user, HTTPS user endpoints (nil: none)

	draining atomic.Bool
	// sockets counts WebSocket handlers in flight (see Wait).
	sockets sync.WaitGroup
}

// New builds the HTTP handler.
func New(cfg Config, deps Deps) (*Server, error) {
	if deps.Store == nil || deps.Tokens == nil || deps.Hub == nil || deps.SFU == nil {
		return nil, errors.New("web: Store, Tokens, Hub and SFU are required")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultConfig().MaxBodyBytes
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if deps.Registry == nil {
		deps.Registry = prometheus.NewRegistry()
	}
	m, err := newHTTPMetrics(deps.Registry)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:     cfg,
		deps:    deps,
		log:     deps.Log,
		mux:     http.NewServeMux(),
		metrics: m,
		limits:  newUserLimits(deps.UserRate, deps.UserBurst),
		origins: newOriginPolicy(cfg.AllowedOrigins),
	}
	if err := s.routes(); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	if s.cors(rec, r) { // a preflight, answered
		s.metrics.observe("OPTIONS (CORS preflight)", rec.status)
		return
	}
	if r.ContentLength != 0 && r.Header.Get("Upgrade") == "" {
		// A declared body is bounded from the start: net/http drains one
		// no handler read (a refusal before the body, a static file)
		// before the answer, and a client sending it a byte a minute
		// would hold the connection forever. readBody sets it again when
		// it reads one, and lifts it once the body is read whole.
		_ = http.NewResponseController(rec).SetReadDeadline(time.Now().Add(s.bodyTimeout()))
	}
	s.mux.ServeHTTP(rec, r)
	route := r.Pattern
	if rec.route != "" {
		route = rec.route
	}
	s.metrics.observe(route, rec.status)
}

// StartDrain makes /healthz answer 503 and refuses new /v1/ws connections.
// Connections already open stay open.
func (s *Server) StartDrain() { s.draining.Store(true) }

// Draining reports whether StartDrain was called.
func (s *Server) Draining() bool { return s.draining.Load() }

// Wait blocks until every WebSocket handler has returned (their contexts
// must have been cancelled or their connections closed).
func (s *Server) Wait() { s.sockets.Wait() }
