package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// configFlagKeys maps the flags that set config keys to their keys.
func configFlagKeys() map[string]string {
	return map[string]string{
		"listen":      "server.listen",
		"udp-port":    "media.udp_port",
		"tcp-port":    "media.tcp_port",
		"public-ip":   "media.public_ip",
		"bind":        "media.bind_address",
		"db":          "store.path",
		"tls-cert":    "server.tls_cert",
		"tls-key":     "server.tls_key",
		"self-signed": "server.self_signed",
		"log-level":   "log.level",
		"log-format":  "log.format",
		"role":        "cluster.role",
	}
}

// addConfigFlags adds --config and the key-setting flags. Their defaults are
// shown from the documented defaults; only flags the user sets are applied.
func addConfigFlags(fs *pflag.FlagSet, configPath *string) {
	d := defaultConfig()
	fs.StringVarP(configPath, "config", "c", "", "YAML config file (see configs/switchboard.yaml)")
	fs.String("listen", d.Server.Listen, "HTTP address (server.listen)")
	fs.Int("udp-port", d.Media.UDPPort, "UDP port shared by all media (media.udp_port)")
	fs.Int("tcp-port", d.Media.TCPPort, "ICE-TCP fallback port, 0 disables (media.tcp_port)")
	fs.String("public-ip", d.Media.PublicIP, "IP announced to clients behind 1:1 NAT (media.public_ip)")
	fs.String("bind", d.Media.BindAddress, "IP the media sockets bind to (media.bind_address)")
	fs.String("db", d.Store.Path, "SQLite database file (store.path)")
	fs.String("tls-cert", d.Server.TLSCert, "HTTPS certificate chain, PEM (server.tls_cert)")
	fs.String("tls-key", d.Server.TLSKey, "HTTPS private key, PEM (server.tls_key)")
	fs.Bool("self-signed", d.Server.SelfSigned, "HTTPS with a certificate generated at start, to try it from a phone (server.self_signed)")
	fs.String("log-level", d.Log.Level, "debug, info, warn or error (log.level)")
	fs.String("log-format", d.Log.Format, "text or json (log.format)")
	fs.String("role", d.Cluster.Role, "all, signal (ringing only) or media (media only); signal and media need cluster.redis (cluster.role)")
}

// loadFor layers the config for cmd (not validated).
func loadFor(cmd *cobra.Command, env cliEnv, configPath string) (loaded, error) {
	return loadConfig(configPath, env.environ, cmd.Flags(), configFlagKeys())
}
