package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/switchboard-rtc/switchboard/cluster"
	"github.com/switchboard-rtc/switchboard/notify"
	"github.com/switchboard-rtc/switchboard/outbox"
	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/sfu"
	"github.com/switchboard-rtc/switchboard/signaling"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
	"github.com/switchboard-rtc/switchboard/turnserver"
	"github.com/switchboard-rtc/switchboard/web"
	"github.com/switchboard-rtc/switchboard/webhook"
)

// Config is a whole switchboard's configuration: the YAML file's
// top level (cmd adds the log section) plus what only code can set.
type Config struct {
	// Keys maps API key -> secret (at least 32 characters). Tokens signed
	// with any of them are accepted.
	Keys map[string]string `yaml:"keys"`
	// SigningKey is the API key the server mints tokens with ("" = the
	// lexically first key).
	SigningKey string           `yaml:"signing_key"`
	Server     web.Config       `yaml:"server"`
	Ringing    signaling.Config `yaml:"ringing"`
	Media      sfu.Config       `yaml:"media"`
	Store      store.Config     `yaml:"store"`
	Push       push.Config      `yaml:"push"`
	Webhooks   webhook.Config   `yaml:"webhooks"`
	Outbox     outbox.Config    `yaml:"outbox"`
	Cluster    cluster.Config   `yaml:"cluster"`
	TURN       TURNConfig       `yaml:"turn"`

	// Log receives the server's logs (nil: discard).
	Log *slog.Logger `yaml:"-"`
	// Now is the clock of tokens and ringing (nil: time.Now).
	Now func() time.Time `yaml:"-"`
	// ProviderTLS, if set, is the TLS client config of pushes and webhooks
	// (tests: trust the local fakes). nil: the system roots.
	ProviderTLS *tls.Config `yaml:"-"`
}

// DefaultConfig returns every package's documented defaults, no keys.
func DefaultConfig() Config {
	return Config{
		Server:   web.DefaultConfig(),
		Ringing:  signaling.DefaultConfig(),
		Media:    sfu.DefaultConfig(),
		Store:    store.DefaultConfig(),
		Push:     push.DefaultConfig(),
		Webhooks: webhook.DefaultConfig(),
		Outbox:   outbox.DefaultConfig(),
		Cluster:  cluster.DefaultConfig(),
		TURN:     turnserver.DefaultConfig(),
	}
}

// LocalConfig returns a loopback-only configuration for tests and demos:
// HTTP on 127.0.0.1 with a free port, media bound to 127.0.0.1 on a free UDP
// port with loopback candidates and no ICE-TCP, the dev login on, the store
// at dbPath, and a fresh random API key.
func LocalConfig(dbPath string) Config {
	cfg := DefaultConfig()
	key, secret, err := tokens.GenerateKey()
	if err == nil {
		cfg.Keys = map[string]string{key: secret}
	}
	cfg.Server.Listen = "127.0.0.1:0"
	cfg.Server.Dev = true
	cfg.Server.ShutdownGrace = 5 * time.Second
	cfg.Media.BindAddress = "127.0.0.1"
	cfg.Media.UDPPort = 0
	cfg.Media.TCPPort = 0
	cfg.Media.IncludeLoopback = true
	cfg.Media.IPs = []string{"127.0.0.1"}
	cfg.Store.Path = dbPath
	return cfg
}

// App is a running switchboard.
type App struct {
	cfg    Config
	log    *slog.Logger
	store  store.Store
	tokens *tokens.Issuer
	media  *sfu.Server
	turn   *turnserver.Server
	hub    *signaling.Hub
	// hubUp is hub once signaling.New has returned: the notifier's worker
	// asks it which devices are online, and may do so while New still runs
	// (the hooks of the calls a crashed run left open, closed in New).
	hubUp    atomic.Pointer[signaling.Hub]
	pusher   *push.Sender
	hooks    *webhook.Sender
	quality  *qualityRecorder // the SFU's quality rows to the store
	outbox   *outbox.Dispatcher
	notifier *notify.Notifier
	link     *clusterLink // nil: not in a cluster
	web      *web.Server
	registry *prometheus.Registry
	http     *http.Server
	listener net.Listener
	metrics  *http.Server // on server.metrics_listen (nil: /metrics is on listener)
	metricsL net.Listener
	tls      *tls.Config        // nil: plain HTTP
	cancel   context.CancelFunc // cancels every connection's context
	serveErr chan error         // an HTTP server's failure, the first (served)

	closeOnce sync.Once
	closeErr  error
}

// Start binds the HTTP listener and the media sockets first, then opens the
// store, builds tokens and the hub, wires them, and serves HTTP on
// cfg.Server.Listen: a port that is taken fails before anything is written.
// ctx bounds the start only; the App runs until Close. On error everything
// opened so far is closed.
func Start(ctx context.Context, cfg Config) (*App, error) {
	if len(cfg.Keys) == 0 {
		return nil, ErrNoKeys
	}
	if err := checkRole(cfg); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a := &App{cfg: cfg, log: cfg.Log, serveErr: make(chan error, 1)}
	appCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancel = cancel
	if err := a.bind(); err != nil {
		_ = a.Close()
		return nil, err
	}
	if err := a.assemble(ctx, appCtx); err != nil {
		_ = a.Close()
		return nil, err
	}
	a.serve(appCtx)
	return a, nil
}

// bind checks the keys and binds every socket (HTTP, media UDP and TCP):
// what can fail without writing anything. a.Close releases what was bound.
func (a *App) bind() error {
	cfg := a.cfg
	var err error
	if a.tokens, err = tokens.New(cfg.Keys, cfg.SigningKey, cfg.Now); err != nil {
		return err
	}
	a.tokens.LimitLifetime(tokens.KindAuth, cfg.Server.MaxAuthTokenTTL)
	a.tokens.LimitLifetime(tokens.KindAdmin, cfg.Server.MaxAdminTokenTTL)
	if a.tls, err = cfg.Server.TLSConfig(a.log); err != nil {
		return err
	}
	if a.listener, err = net.Listen("tcp", cfg.Server.Listen); err != nil {
		return fmt.Errorf("server.listen %q: %w%s", cfg.Server.Listen, err, portHint(err))
	}
	if cfg.Server.MetricsListen != "" {
		if a.metricsL, err = net.Listen("tcp", cfg.Server.MetricsListen); err != nil {
			return fmt.Errorf("server.metrics_listen %q: %w%s", cfg.Server.MetricsListen, err, portHint(err))
		}
	}
	a.registry = prometheus.NewRegistry()
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	media := cfg.Media
	media.Off = !cfg.HostsMedia()
	if a.media, err = sfu.New(media, sfu.Deps{Log: a.log.With("part", "sfu"), Metrics: a.registry, ICEServers: a.iceServers}); err != nil {
		return fmt.Errorf("%w%s", err, portHint(err))
	}
	return a.bindTURN()
}

// HostsMedia reports whether this node hosts calls' media: every node but
// a cluster node of role signal.
func (c Config) HostsMedia() bool { return c.Cluster.Role != cluster.RoleSignal }

// selfTester is the /test page's media server: none (404) on a node that
// hosts no media.
func (a *App) selfTester() web.SelfTester {
	if !a.cfg.HostsMedia() {
		return nil
	}
	return a.media
}

// portHint tells what to do about a port another program holds.
func portHint(err error) string {
	if errors.Is(err, syscall.EADDRINUSE) {
		return " (another program, perhaps another switchboard, uses this port: stop it or set another port)"
	}
	return ""
}

// assemble opens the store and builds the hub and the HTTP handler on the
// bound sockets; a.Close releases whatever was built.
func (a *App) assemble(ctx, appCtx context.Context) error {
	cfg := a.cfg
	var err error
	if cfg.Store.Now == nil {
		cfg.Store.Now = cfg.Now
	}
	if a.store, err = store.Open(ctx, cfg.Store, a.log.With("part", "store")); err != nil {
		if !strings.Contains(err.Error(), "store.") { // every start-up error names its key
			err = fmt.Errorf("store.path: %w", err)
		}
		return err
	}
	cl, err := a.joinCluster(ctx)
	if err != nil {
		return err
	}
	if err := a.assembleOutbox(); err != nil {
		return err
	}
	deps := signaling.Deps{
		Store: a.store, Tokens: a.tokens, Media: a.media, Log: a.log.With("part", "ringing"),
		Now: cfg.Now, Metrics: a.registry, Devices: a.hasPushTarget, Outbox: a.outbox,
		PushKinds: a.pusher.Enabled,
		PushOffline: a.pusher.Policy() != push.PolicyAlways &&
			(a.pusher.Enabled(store.DeviceAPNs) || a.pusher.Enabled(store.DeviceFCM)),
	}
	if a.notifier != nil {
		deps.Notifier = a.notifier
	}
	if p, ok := a.store.(store.Pinger); ok && cfg.Store.Driver == store.DriverPostgres {
		deps.StorePing = p.Ping // a server of its own: its outage shows on /healthz without a failed save
	}
	deps.Cluster = cl
	ringCfg := cfg.Ringing
	ringCfg.MaxCallParticipants = cfg.Media.WithDefaults().MaxParticipants
	a.hub, err = signaling.New(appCtx, ringCfg, deps)
	if err != nil {
		return fmt.Errorf("ringing: %w", err)
	}
	a.hubUp.Store(a.hub)
	if a.link != nil {
		a.link.setHub(a.hub)
	}
	a.hub.SetMedia(a.media)
	a.media.SetHooks(a.hub)
	var place web.Placement
	if a.link != nil {
		a.hub.SetMedia(clusterMedia{local: a.media, link: a.link})
		a.media.SetHooks(mediaHooks{hub: a.hub, link: a.link})
		place = placement{node: a.link.node}
	}
	a.quality = newQualityRecorder(a.store, a.log.With("part", "quality"))
	a.media.SetQualitySink(a.quality.record)
	a.web, err = web.New(cfg.Server, web.Deps{
		Store: a.store, Tokens: a.tokens, Hub: a.hub, SFU: mediaFront{a.media},
		Log: a.log.With("part", "http"), Registry: a.registry,
		Outbox: a.outbox, ReplayAge: cfg.Webhooks.MaxAge, SelfTest: a.selfTester(), SelfTestICE: a.selfTestICE,
		Placement: place, UserRate: cfg.Ringing.RequestRate, UserBurst: cfg.Ringing.RequestBurst,
	})
	return err
}

// serve starts the HTTP server on the bound listener.
func (a *App) serve(appCtx context.Context) {
	ln := a.listener
	if a.tls != nil {
		ln = tls.NewListener(ln, a.tls)
	}
	a.http = &http.Server{
		Handler:           a.web,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return appCtx },
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelDebug),
	}
	go func() {
		if err := a.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.served(err)
		}
	}()
	if a.metricsL != nil {
		a.metrics = &http.Server{Handler: metricsOnly(web.MetricsHandler(a.registry)), ReadHeaderTimeout: 10 * time.Second,
			ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)}
		go func() {
			if err := a.metrics.Serve(a.metricsL); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.served(fmt.Errorf("server.metrics_listen: %w", err))
			}
		}()
	}
	attrs := []any{"url", a.URL(), "metrics", a.MetricsURL(), "lan", a.LANURLs(), "https", a.tls != nil}
	if a.cfg.HostsMedia() {
		attrs = append(attrs, "media_udp_port", a.media.UDPPort(), "ice_tcp_port", a.media.TCPPort(), "media_bind", a.cfg.Media.BindAddress,
			"media_local_only", a.cfg.Media.ThisHostOnly(), "public_ip", a.cfg.Media.PublicIP)
	} else {
		attrs = append(attrs, "media", "off (role signal)")
	}
	a.log.Info("listening", append(attrs, "store", a.cfg.Store.Driver, "db", a.cfg.Store.Where(), "dev", a.cfg.Server.Dev)...)
}

// served reports an HTTP server's failure on ServeErr: the first one (the
// app stops on it); another is dropped, never waited on.
func (a *App) served(err error) {
	select {
	case a.serveErr <- err:
	default:
	}
}

// MetricsURL is where Prometheus scrapes this server: URL()/metrics, or
// the server.metrics_listen address's.
func (a *App) MetricsURL() string {
	if a.metricsL == nil {
		return a.URL() + "/metrics"
	}
	return "http://" + hereHostPort(a.metricsL) + "/metrics"
}

// metricsOnly serves h at GET /metrics and 404 elsewhere.
func metricsOnly(h http.Handler) http.Handler {
	m := http.NewServeMux()
	m.Handle("GET /metrics", h)
	return m
}

// URL is the server's base URL on this host, e.g. http://127.0.0.1:7880 or
// https://127.0.0.1:7880.
func (a *App) URL() string { return a.scheme() + "://" + hereHostPort(a.listener) }

// hereHostPort is ln's address as this host reaches it (127.0.0.1 for an
// unspecified address).
func hereHostPort(ln net.Listener) string {
	addr := ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, fmt.Sprint(addr.Port))
}

// Addr is the address the HTTP server listens on.
func (a *App) Addr() net.Addr { return a.listener.Addr() }

// Tokens is the App's token issuer (mint auth/admin/call tokens in tests).
func (a *App) Tokens() *tokens.Issuer { return a.tokens }

// Store is the App's store.
func (a *App) Store() store.Store { return a.store }

// Hub is the App's ringing hub.
func (a *App) Hub() *signaling.Hub { return a.hub }

// SFU is the App's media server.
func (a *App) SFU() *sfu.Server { return a.media }

// Registry is the Prometheus registry served at /metrics.
func (a *App) Registry() *prometheus.Registry { return a.registry }

// Handler is the App's HTTP handler.
func (a *App) Handler() *web.Server { return a.web }

// ServeErr delivers the HTTP server's error if it stops on its own.
func (a *App) ServeErr() <-chan error { return a.serveErr }

// mediaFront adapts the SFU to the front door's Media interface.
type mediaFront struct{ s *sfu.Server }

func (m mediaFront) Serve(ctx context.Context, ws *websocket.Conn, p web.MediaParticipant) {
	m.s.Serve(ctx, ws, sfu.Participant{SessionID: p.SessionID, UID: p.UID, Name: p.Name, Resume: p.Resume, ResumeOnly: p.ResumeOnly})
}
