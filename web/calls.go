package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// handleCallLog is GET /v1/calls?limit=&after=&before=&status=&direction=
// with an auth token: the caller's call log, newest first, and the next
// page's after when the page is full.
func (s *Server) handleCallLog(w http.ResponseWriter, r *http.Request) {
	claims, err := s.verify(r, tokens.KindAuth, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q, err := logQueryOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.limits.take(claims.UID, time.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.refuseDisabled(r.Context(), claims.UID); err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.deps.Hub.CallLogPage(r.Context(), claims.UID, q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page.Calls = nonNil(page.Calls)
	writeJSON(w, http.StatusOK, page)
}

// logQueryOf reads a call log query (limit, after, before, status,
// direction, and the extra parameters the endpoint takes besides).
func logQueryOf(r *http.Request, extra ...string) (protocol.LogQuery, error) {
	v := r.URL.Query()
	q := protocol.LogQuery{Status: v.Get("status"), Direction: v.Get("direction")}
	if err := checkQuery(r, append([]string{"limit", "after", "before", "status", "direction"}, extra...)...); err != nil {
		return q, err
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return q, protocol.Errorf(protocol.CodeBadRequest, "limit must be a number from 1 to 100, not %q", s)
		}
		q.Limit = n
	}
	if s := v.Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return q, protocol.Errorf(protocol.CodeBadRequest, "before must be a time in unix milliseconds, not %q", s)
		}
		q.Before = n
	}
	if v.Has("after") {
		if v.Has("before") {
			return q, protocol.Errorf(protocol.CodeBadRequest, "after and before are two ways to say where a page starts: pass one")
		}
		if _, err := protocol.ParseLogCursor("after", v.Get("after")); err != nil {
			return q, err
		}
		q.After = v.Get("after")
	}
	if q.Direction != "" && q.Direction != "incoming" && q.Direction != "outgoing" {
		return q, protocol.Errorf(protocol.CodeBadRequest, "direction must be incoming or outgoing, not %q", q.Direction)
	}
	return q, nil
}
