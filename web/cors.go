package web

import (
	"net/http"
	"strings"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// corsHeaders are the request headers a browser on another origin may send
// (the SDK and /v1/calls use Authorization and Content-Type).
const corsHeaders = "Authorization, Content-Type"

// cors answers CORS for the origins of server.allowed_origins, so an app on
// another origin can import the SDK modules (/sdk/...), read /v1/calls and the
// other user endpoints, and learn why a WebSocket was refused (the SDK reads
// GET /v1/ws or /v1/rtc's status). The admin API, /metrics and the dev login
// stay same-origin. It returns true when it answered a preflight itself.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || sameHost(origin, r.Host) || !corsPath(r.URL.Path) {
		return false
	}
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	if s.origins.check(r) != nil {
		if preflight {
			writeJSON(w, http.StatusForbidden, errorBody{Error: protocol.Errorf(protocol.CodeForbidden,
				"origin %q may not call this server from a browser; add it to server.allowed_origins", origin)})
		}
		return preflight
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "Retry-After")
	if !preflight {
		return false
	}
	h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS")
	h.Set("Access-Control-Allow-Headers", corsHeaders)
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// corsPath reports whether a path is one a browser app on another origin uses.
func corsPath(path string) bool {
	if strings.HasPrefix(path, "/v1/admin") || strings.HasPrefix(path, "/v1/dev/") || path == "/metrics" {
		return false
	}
	return strings.HasPrefix(path, "/v1/") || strings.HasPrefix(path, "/sdk/") || path == "/healthz"
}

// sameHost reports whether origin is the request's own host (no CORS needed).
func sameHost(origin, host string) bool {
	i := strings.Index(origin, "://")
	return i >= 0 && strings.EqualFold(origin[i+3:], host)
}
