package web

import (
	"net/http"
	"strings"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/tokens"
)

func (s *Server) routes() error {
	var mediaOrigins func(*http.Request) []string
	if p := s.deps.Placement; p != nil {
		mediaOrigins = func(r *http.Request) []string { return p.MediaOrigins(r.Context()) }
	}
	static, err := newStaticHandler(mediaOrigins)
	if err != nil {
		return err
	}
	m := s.mux
	m.HandleFunc("GET /healthz", s.handleHealth)
	if s.cfg.MetricsListen == "" {
		m.Handle("GET /metrics", MetricsHandler(s.deps.Registry))
	}

	m.HandleFunc("POST /v1/admin/users", s.admin(s.createUser))
	m.HandleFunc("GET /v1/admin/users", s.admin(s.listUsers))
	m.HandleFunc("GET /v1/admin/users/{uid}", s.admin(s.getUser))
	m.HandleFunc("PATCH /v1/admin/users/{uid}", s.admin(s.updateUser))
	m.HandleFunc("DELETE /v1/admin/users/{uid}", s.admin(s.deleteUser))
	m.HandleFunc("POST /v1/admin/groups", s.admin(s.createGroup))
	m.HandleFunc("GET /v1/admin/groups", s.admin(s.listGroups))
	m.HandleFunc("GET /v1/admin/groups/{guid}", s.admin(s.getGroup))
	m.HandleFunc("PATCH /v1/admin/groups/{guid}", s.admin(s.renameGroup))
	m.HandleFunc("DELETE /v1/admin/groups/{guid}", s.admin(s.deleteGroup))
	m.HandleFunc("POST /v1/admin/groups/{guid}/members", s.admin(s.addMembers))
	m.HandleFunc("GET /v1/admin/groups/{guid}/members", s.admin(s.listMembers))
	m.HandleFunc("DELETE /v1/admin/groups/{guid}/members/{uid}", s.admin(s.removeMember))

	if s.cfg.Dev {
		m.HandleFunc("POST /v1/dev/login", s.handleDevLogin)
	}
	m.HandleFunc("GET /v1/info", s.handleInfo)
	m.HandleFunc("GET /v1/protocol.schema.json", handleProtocolSchema)
	m.HandleFunc("GET /v1/admin/outbox", s.admin(s.listOutbox))
	m.HandleFunc("POST /v1/admin/outbox/{id}/replay", s.admin(s.replayOutbox))
	m.HandleFunc("GET /v1/admin/calls", s.admin(s.adminCallLog))
	m.HandleFunc("GET /v1/admin/calls/live", s.admin(s.adminLiveCalls))
	m.HandleFunc("GET /v1/admin/calls/{sid}", s.admin(s.adminCall))
	m.HandleFunc("GET /v1/admin/calls/{sid}/quality", s.admin(s.callQuality))
	m.HandleFunc("POST /v1/admin/calls/{sid}/end", s.admin(s.adminEndCall))
	m.HandleFunc("GET /v1/calls", s.handleCallLog)
	m.HandleFunc("POST /v1/calls", s.ringing(s.initiateCall))
	m.HandleFunc("GET /v1/calls/{sid}", s.ringing(s.getCall))
	m.HandleFunc("POST /v1/calls/{sid}/ack", s.ringing(s.answered(s.deps.Hub.AckCall)))
	m.HandleFunc("POST /v1/calls/{sid}/accept", s.ringing(s.answered(s.deps.Hub.AcceptCall)))
	m.HandleFunc("POST /v1/calls/{sid}/reject", s.ringing(s.rejectCall))
	m.HandleFunc("POST /v1/calls/{sid}/end", s.ringing(s.answered(s.deps.Hub.EndCall)))
	m.HandleFunc("GET /v1/devices", s.user(s.listDevices))
	m.HandleFunc("POST /v1/devices", s.user(s.putDevice))
	m.HandleFunc("DELETE /v1/devices/{deviceId}", s.user(s.deleteDevice))
	m.HandleFunc("GET /v1/ws", s.handleWS)
	m.HandleFunc("GET /v1/rtc", s.handleRTC)
	m.HandleFunc("GET /v1/selftest", s.handleSelfTestInfo)
	m.HandleFunc("POST /v1/selftest", s.handleSelfTest)
	m.HandleFunc("/v1/", s.handleUnknownAPI)

	m.Handle("/", static)
	return nil
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if s.Draining() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "draining"})
		return
	}
	if reason, detail := s.deps.Hub.Degraded(); reason != "" { // new calls are refused until it clears
		code := http.StatusServiceUnavailable
		if reason == protocol.HealthStoreUnreachable {
			// PostgreSQL, shared by every node (as Redis): a load balancer that took them all
			// out would only cut the calls in progress off their signaling. The body says it.
			code = http.StatusOK
		}
		writeJSON(w, code, healthBody(reason, detail, s.isAdmin(r)))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// healthBody is /healthz's degraded answer. Anyone may read /healthz, so
// the reason is a short code (store_failing: call saves fail;
// store_unreachable: the database does not answer); the store's own error
// (which names its host, user and database) goes only to a caller with an
// admin token, as "detail", and to the log.
func healthBody(reason, detail string, admin bool) map[string]string {
	body := map[string]string{"status": "degraded", "reason": reason}
	if admin {
		body["detail"] = detail
	}
	return body
}

// isAdmin reports whether r carries a valid admin token (no error answer:
// for endpoints that show more to an admin, not ones that need one).
func (s *Server) isAdmin(r *http.Request) bool {
	if r.Header.Get("Authorization") == "" {
		return false
	}
	_, err := s.verify(r, tokens.KindAdmin, false)
	return err == nil
}

// handleUnknownAPI answers a /v1/ request no endpoint took: 405 with Allow
// when the path is an endpoint's with another method (the catch-all
// pattern matches any method, so the mux's own 405 never comes), else 404.
func (s *Server) handleUnknownAPI(w http.ResponseWriter, r *http.Request) {
	if allow, route := s.allowedMethods(r); len(allow) > 0 {
		if rec, ok := w.(*statusRecorder); ok { // counted under the endpoint's path, not "/v1/"
			rec.route = route
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: protocol.Errorf(protocol.CodeBadRequest,
			"method %s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allow, " or "))})
		return
	}
	s.writeError(w, r, protocol.Errorf(protocol.CodeNotFound, "no endpoint %s %s (see docs/api.md)", r.Method, r.URL.Path))
}

// allowedMethods are the methods an endpoint has on r's path (HEAD with
// GET), and the endpoint's path pattern without a method (its metrics
// route: the request's own method is the client's choice, unbounded).
func (s *Server) allowedMethods(r *http.Request) (allow []string, route string) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		_, pattern := s.mux.Handler(probe)
		if pattern == "" || pattern == "/v1/" {
			continue
		}
		if _, path, ok := strings.Cut(pattern, " "); ok && route == "" {
			route = path
		}
		allow = append(allow, m)
		if m == http.MethodGet {
			allow = append(allow, http.MethodHead)
		}
	}
	return allow, route
}
