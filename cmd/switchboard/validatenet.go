package main

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// validateOrigins checks server.allowed_origins: each "*" or an origin as
// browsers send it (scheme://host[:port]); anything else never matches,
// and every preflight from that app gets 403.
func (c *Config) validateOrigins(bad func(key, format string, args ...any)) {
	for i, o := range c.Server.AllowedOrigins {
		key := fmt.Sprintf("server.allowed_origins[%d]", i)
		s := strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
		if s == "*" {
			continue
		}
		u, err := url.Parse(s)
		switch {
		case !strings.Contains(s, "://"):
			bad(key, "%q is not an origin: it needs its scheme, as browsers send it (e.g. %q); use scheme://host[:port] or \"*\"", o, "https://"+s)
		case err != nil || u.Host == "" || u.Hostname() == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "":
			bad(key, "%q is not an origin; use scheme://host[:port] (no path), e.g. \"https://app.example.com\", or \"*\"", o)
		case u.Scheme == "https" && u.Port() == "443" || u.Scheme == "http" && u.Port() == "80":
			bad(key, "%q names the default port, which browsers leave out of Origin; write %q", o, u.Scheme+"://"+u.Hostname())
		}
	}
}

// validateInterfaces refuses media.interfaces when none of them is on
// this host: the SFU would gather no candidate and no call would connect.
// (Some missing is allowed: an interface may come up later, e.g. a VPN.)
func (c *Config) validateInterfaces(bad func(key, format string, args ...any), have []string) {
	want := c.Media.Interfaces
	if len(want) == 0 || slices.ContainsFunc(want, func(n string) bool { return slices.Contains(have, n) }) {
		return
	}
	bad("media.interfaces", "none of %q is an interface of this host, so media would have no address; this host has %s ([] = all)",
		want, strings.Join(have, ", "))
}

// missingInterfaces are the names of want that have lacks.
func missingInterfaces(want, have []string) []string {
	var out []string
	for _, n := range want {
		if !slices.Contains(have, n) {
			out = append(out, n)
		}
	}
	return out
}

// hostInterfaces names this host's network interfaces.
func hostInterfaces() []string {
	ifaces, _ := net.Interfaces()
	names := make([]string, 0, len(ifaces))
	for _, i := range ifaces {
		names = append(names, i.Name)
	}
	return names
}
