package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// errNoKeys is serve's refusal to start without API keys.
var errNoKeys = errors.New(`no API keys configured. Make a key with "switchboard keys generate", ` +
	`then put it in the config file under "keys:" (key: secret) or set SWITCHBOARD_KEYS=key:secret; ` +
	`or try switchboard on your laptop with "switchboard serve --dev"`)

func newServeCmd(env cliEnv) *cobra.Command {
	var configPath, profile string
	var dev bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the switchboard server",
		Long: `Run the switchboard server: the web page, the ringing WebSocket (/v1/ws),
the media WebSocket (/v1/rtc), the admin API (/v1/admin), /healthz and /metrics.

--dev makes it usable in one command on a laptop: an ephemeral API key and
secret (printed), the dev login on the web page, HTTP on 127.0.0.1:7880 and
media for this machine only (media.local_only: every address, nothing taken
from another host), unless you set those keys yourself.

Browsers give the camera and microphone only to https:// pages (and to
localhost): to call from a phone or another computer, serve HTTPS with
--self-signed (a certificate made at start; the browser warns once) or
--tls-cert and --tls-key, and open the https:// address printed.

Without --dev, serve needs API keys (switchboard keys generate).

SIGTERM or SIGINT drains: /healthz answers 503, new connections are
refused, ongoing calls may finish for up to server.shutdown_grace, then
everything closes. A second signal exits at once with status 1.
SIGHUP is logged and ignored: the configuration is read at start
(restart to apply it); TLS certificate files are reloaded on their own.`,
		Example: `  switchboard serve --dev
  switchboard serve --dev --listen :7880 --bind "" --self-signed   # try it from a phone on your LAN
  switchboard serve --config /etc/switchboard.yaml
  SWITCHBOARD_KEYS=SBkey:secret switchboard serve --listen :8080 --public-ip 203.0.113.7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := loadFor(cmd, env, configPath)
			if err != nil {
				return err
			}
			keepMonitorAwake(env, l.Runtime)
			stop, err := startCPUProfile(profile)
			if err != nil {
				return err
			}
			return errors.Join(runServe(env, l, dev), stop())
		},
	}
	addConfigFlags(cmd.Flags(), &configPath)
	cmd.Flags().BoolVar(&dev, "dev", false, "laptop mode: ephemeral key, dev login, HTTP on loopback, media for this machine only")
	cmd.Flags().StringVar(&profile, "cpuprofile", "", "write a CPU profile of the server's whole run to this file (switchboard bench --server-profile uses it)")
	return cmd
}

// runServe finishes the config, starts the server and serves until a signal.
func runServe(env cliEnv, l loaded, dev bool) error {
	var banner []string
	if dev {
		var err error
		if banner, err = applyDev(&l); err != nil {
			return err
		}
	}
	if err := l.validate(); err != nil {
		return err
	}
	if len(l.Keys) == 0 {
		return errNoKeys
	}
	log := newLogger(l.Log, env.stderr)
	cfg := l.Config.Config
	cfg.Log = log
	for _, name := range missingInterfaces(cfg.Media.Interfaces, hostInterfaces()) {
		log.Warn("media.interfaces names an interface this host does not have (yet): no media address on it until it appears", "interface", name)
	}
	warning := devLoginWarning(cfg.Server.Dev, cfg.Server.Listen)
	if warning != "" { // server.dev from YAML or the environment turns it on as well as --dev
		log.Warn(warning, "listen", cfg.Server.Listen)
	}
	app, err := server.Start(context.Background(), cfg)
	if err != nil {
		return err
	}
	if warning != "" {
		banner = append([]string{"  warning:     " + warning}, banner...)
	}
	printBanner(env.stdout, app, cfg, dev, banner)
	if env.started != nil {
		env.started(app.URL())
	}
	return serveUntilSignal(app, env, log, cfg.Server.ShutdownGrace)
}

// devLoginWarning is what serve says when the dev login is on (--dev, or
// server.dev from the config file or SWITCHBOARD_SERVER_DEV): "" when off.
func devLoginWarning(dev bool, listen string) string {
	if !dev {
		return ""
	}
	const w = "the dev login is on (server.dev): anyone who can reach this server can sign in as any user"
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		host = listen
	}
	if ip, err := netip.ParseAddr(host); host == "localhost" || err == nil && ip.IsLoopback() {
		return w
	}
	return w + ", and it listens beyond loopback (" + listen + "); never on a public server"
}

// applyDev sets the laptop defaults for keys the user left alone and
// returns the banner lines about the ephemeral key (if one was made).
func applyDev(l *loaded) ([]string, error) {
	l.Server.Dev = true
	if !l.set["server.listen"] {
		l.Server.Listen = "127.0.0.1:7880"
	}
	if !l.set["media.bind_address"] {
		// Every address of this host, answering this host only: a browser
		// on this machine reaches the server on its LAN address (Firefox
		// takes no media from 127.0.0.1), nothing from another host does.
		// (Not with a public address or the TURN server on: those are for
		// other hosts.)
		l.Media.BindAddress = ""
		if !l.set["media.local_only"] && l.Media.PublicIP == "" && !l.TURN.Enabled {
			l.Media.LocalOnly = true
		}
	}
	if !l.set["media.include_loopback"] {
		l.Media.IncludeLoopback = true
	}
	if len(l.Keys) > 0 {
		return nil, nil
	}
	key, secret, err := tokens.GenerateKey()
	if err != nil {
		return nil, err
	}
	l.Keys = map[string]string{key: secret}
	return []string{
		"  API key:     " + key,
		"  API secret:  " + secret + "   (ephemeral: gone when the server stops)",
	}, nil
}

// printBanner says where to open the server, then the lines given (the dev
// login's warning, the ephemeral key) and, in dev mode, an admin token.
func printBanner(w io.Writer, app *server.App, cfg server.Config, dev bool, keyLines []string) {
	srv := cfg.Server
	say := func(line string) { _, _ = fmt.Fprintln(w, line) }
	if dev {
		say("switchboard is running in dev mode (for trying it out only; never on a public server)")
	} else {
		say("switchboard is running")
	}
	say("  open:        " + app.URL())
	lan := app.LANURLs()
	for _, u := range lan {
		say("  on your LAN: " + u)
	}
	switch {
	case srv.SelfSigned && srv.TLSCert == "":
		say("  certificate: self-signed, made for this run; the browser warns once: proceed if it shows")
		say("               SHA-256 " + app.Fingerprint())
	case !srv.HTTPS() && len(lan) > 0:
		say("  note:        over http:// other devices get no camera or microphone; add --self-signed for https")
	}
	for _, line := range keyLines {
		say(line)
	}
	if !dev {
		return
	}
	if tok, err := app.Tokens().MintAdmin("dev", 24*time.Hour); err == nil {
		say("  admin token: " + tok)
	}
	say("  stop:        Ctrl-C")
}

// serveUntilSignal waits for a signal (or the HTTP server failing), then
// drains and closes. A second signal during the drain exits at once.
// SIGHUP (a closed terminal, a "reload") is logged and changes nothing.
func serveUntilSignal(app *server.App, env cliEnv, log *slog.Logger, grace time.Duration) error {
	var sig os.Signal
	for sig == nil {
		select {
		case sig = <-env.signals:
			if ignoredSignal(log, sig) {
				sig = nil
			}
		case err := <-app.ServeErr():
			_ = app.Close()
			return fmt.Errorf("http server stopped: %w", err)
		}
	}
	log.Info("signal received: draining; send it again to exit at once", "signal", sig.String(), "grace", grace)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case sig := <-env.signals:
				if ignoredSignal(log, sig) {
					continue
				}
				log.Warn("second signal: exiting at once", "signal", sig.String())
				env.exit(1)
				return
			case <-done:
				return
			}
		}
	}()
	if calls, inMedia := app.Drain(context.Background()); calls > 0 || inMedia > 0 {
		log.Warn("closing calls still active after the grace period", "calls", calls, "media_participants", inMedia)
	}
	return app.Close()
}

// ignoredSignal logs SIGHUP and says it is ignored: serve reads its
// configuration only at start, and its TLS certificate files are read
// again on their own when they change.
func ignoredSignal(log *slog.Logger, sig os.Signal) bool {
	if sig != syscall.SIGHUP {
		return false
	}
	log.Warn("SIGHUP ignored: the configuration is read at start (restart to apply a change; a drain is SIGTERM); TLS certificates are reloaded on their own")
	return true
}
