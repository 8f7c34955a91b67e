package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/switchboard-rtc/switchboard/sfu"
	"github.com/switchboard-rtc/switchboard/signaling"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// AppConfig is a whole switchboard's configuration: the YAML file's
// top level (cmd adds the log section) plus what only code can set.
type AppConfig struct {
	// Keys maps API key -> secret (at least 32 characters). Tokens signed
	// with any of them are accepted.
	Keys map[string]string `yaml:"keys"`
	// SigningKey is the API key the server mints tokens with ("" = the
	// lexically first key).
	SigningKey string           `yaml:"signing_key"`
	Server     Config           `yaml:"server"`
	Ringing    signaling.Config `yaml:"ringing"`
	Media      sfu.Config       `yaml:"media"`
	Store      store.Config     `yaml:"store"`

	// Log receives the server's logs (nil: discard).
	Log *slog.Logger `yaml:"-"`
	// Now is the clock of tokens and ringing (nil: time.Now).
	Now func() time.Time `yaml:"-"`
}

// DefaultAppConfig returns every package's documented defaults, no keys.
func DefaultAppConfig() AppConfig {
	return AppConfig{
		Server:  DefaultConfig(),
		Ringing: signaling.DefaultConfig(),
		Media:   sfu.DefaultConfig(),
		Store:   store.DefaultConfig(),
	}
}

// LocalConfig returns a loopback-only configuration for tests and demos:
// HTTP on 127.0.0.1 with a free port, media bound to 127.0.0.1 on a free UDP
// port with loopback candidates and no ICE-TCP, the dev login on, the store
// at dbPath, and a fresh random API key.
func LocalConfig(dbPath string) AppConfig {
	cfg := DefaultAppConfig()
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
	cfg      AppConfig
	log      *slog.Logger
	store    store.Store
	tokens   *tokens.Issuer
	media    *sfu.Server
	hub      *signaling.Hub
	web      *Server
	registry *prometheus.Registry
	http     *http.Server
	listener net.Listener
	cancel   context.CancelFunc // cancels every connection's context
	serveErr chan error         // the HTTP server's failure, if any

	closeOnce sync.Once
	closeErr  error
}

// Start opens the store, builds tokens, the SFU and the hub, wires them, and
// serves HTTP on cfg.Server.Listen. ctx bounds the start only; the App runs
// until Close. On error everything opened so far is closed.
func Start(ctx context.Context, cfg AppConfig) (*App, error) {
	if len(cfg.Keys) == 0 {
		return nil, ErrNoKeys
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a := &App{cfg: cfg, log: cfg.Log, serveErr: make(chan error, 1)}
	appCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancel = cancel
	if err := a.assemble(ctx, appCtx); err != nil {
		_ = a.Close()
		return nil, err
	}
	if err := a.listen(appCtx); err != nil {
		_ = a.Close()
		return nil, err
	}
	return a, nil
}

// assemble builds every part; a.Close releases whatever was built.
func (a *App) assemble(ctx, appCtx context.Context) error {
	cfg := a.cfg
	var err error
	if a.tokens, err = tokens.New(cfg.Keys, cfg.SigningKey, cfg.Now); err != nil {
		return err
	}
	a.tokens.LimitLifetime(tokens.KindAuth, cfg.Server.MaxAuthTokenTTL)
	if cfg.Store.Now == nil {
		cfg.Store.Now = cfg.Now
	}
	if a.store, err = store.Open(ctx, cfg.Store, a.log.With("part", "store")); err != nil {
		return err
	}
	a.registry = prometheus.NewRegistry()
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if a.media, err = sfu.New(cfg.Media, sfu.Deps{Log: a.log.With("part", "sfu"), Metrics: a.registry}); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	a.hub, err = signaling.New(appCtx, cfg.Ringing, signaling.Deps{
		Store: a.store, Tokens: a.tokens, Media: a.media, Log: a.log.With("part", "ringing"),
		Now: cfg.Now, Metrics: a.registry,
	})
	if err != nil {
		return fmt.Errorf("ringing: %w", err)
	}
	a.hub.SetMedia(a.media)
	a.media.SetHooks(a.hub)
	a.web, err = New(cfg.Server, Deps{
		Store: a.store, Tokens: a.tokens, Hub: a.hub, SFU: a.media,
		Log: a.log.With("part", "http"), Registry: a.registry,
	})
	return err
}

func (a *App) listen(appCtx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("server.listen %q: %w", a.cfg.Server.Listen, err)
	}
	a.listener = ln
	a.http = &http.Server{
		Handler:           a.web,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return appCtx },
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelDebug),
	}
	go func() {
		if err := a.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.serveErr <- err
		}
	}()
	a.log.Info("listening", "http", a.URL(), "media_udp_port", a.media.UDPPort(),
		"ice_tcp_port", a.media.TCPPort(), "media_bind", a.cfg.Media.BindAddress,
		"public_ip", a.cfg.Media.PublicIP, "db", a.cfg.Store.Path, "dev", a.cfg.Server.Dev)
	return nil
}

// URL is the server's base URL, e.g. http://127.0.0.1:7880.
func (a *App) URL() string {
	addr := a.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
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
func (a *App) Handler() *Server { return a.web }

// ServeErr delivers the HTTP server's error if it stops on its own.
func (a *App) ServeErr() <-chan error { return a.serveErr }
