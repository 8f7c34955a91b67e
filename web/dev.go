package web

import (
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// handleInfo is GET /v1/info: what a page needs to know before signing in
// (whether the dev login exists). It always answers 200, so a page can ask
// without a failed request in its console.
func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"devLogin": s.cfg.Dev})
}

// handleDevLogin is POST /v1/dev/login {"name":"Alice"} (only with
// Config.Dev): it upserts the user whose uid is the name's slug and returns
// {uid, name, token} with an auth token.
func (s *Server) handleDevLogin(w http.ResponseWriter, r *http.Request) {
	if err := s.devLoginRefusal(r); err != nil {
		status := httpStatus(err.Code)
		if err.Code == protocol.CodeBadRequest {
			status = http.StatusUnsupportedMediaType
		}
		writeJSON(w, status, errorBody{Error: err})
		return
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := validateName("name", in.Name); err != nil {
		s.writeError(w, r, err)
		return
	}
	uid := slug(in.Name)
	if uid == "" {
		s.writeError(w, r, protocol.Errorf(protocol.CodeBadRequest, "name %q has no letter or digit to make a uid from", in.Name))
		return
	}
	u, err := s.deps.Store.UpsertUser(r.Context(), store.User{UID: uid, Name: in.Name})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	token, err := s.deps.Tokens.MintAuth(u.UID, u.Name, 0)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"uid": u.UID, "name": u.Name, "token": token})
}

// devLoginRefusal refuses the dev login to another site's page. A browser
// request (it carries Origin, as every browser's POST does) must be
// Content-Type: application/json: another site can send text/plain or a
// form without asking (no CORS preflight), but not JSON, and this endpoint
// answers no CORS. And the Host must not be a name another site could own
// (DNS rebinding: a page of attacker.com whose name then resolves to
// 127.0.0.1 is same-origin with the server as far as the browser knows);
// see devHostAllowed.
func (s *Server) devLoginRefusal(r *http.Request) *protocol.Error {
	if r.Header.Get("Origin") != "" {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "application/json" {
			return protocol.Errorf(protocol.CodeBadRequest, "the dev login takes Content-Type: application/json from a browser (got %q)", r.Header.Get("Content-Type"))
		}
	}
	if !s.devHostAllowed(r.Host) {
		return protocol.Errorf(protocol.CodeForbidden, "the dev login does not answer on %q: a name in public DNS could be pointed at this server by another site (DNS rebinding); open the server by IP address or localhost, or add this origin to server.allowed_origins", r.Host)
	}
	return nil
}

// devHostAllowed reports whether host (a request's Host, with or without
// a port) may use the dev login: an IP address; a name outside the public
// DNS (under no ICANN top-level domain: localhost, a single label, .local,
// .test, .lan, .internal, ..., or under home.arpa), which no other site
// can point here; or a host of server.allowed_origins.
func (s *Server) devHostAllowed(host string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.TrimSuffix(strings.ToLower(strings.Trim(name, "[]")), ".")
	if _, err := netip.ParseAddr(name); err == nil || name == "" || s.origins.hosts[name] {
		return true
	}
	if name == "home.arpa" || strings.HasSuffix(name, ".home.arpa") {
		return true
	}
	tld := name[strings.LastIndexByte(name, '.')+1:]
	if _, icann := publicsuffix.PublicSuffix(tld); icann && strings.Contains(name, ".") {
		return false
	}
	return true
}

// slug lowercases name and keeps [a-z0-9], joining runs of anything else
// with one "-": "Alice Smith" -> "alice-smith", "Zoë" -> "zo".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > store.MaxIDLen {
		out = strings.TrimRight(out[:store.MaxIDLen], "-")
	}
	return out
}
