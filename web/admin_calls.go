package web

import (
	"net/http"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// GET /v1/admin/calls?uid=U[&limit&after&before&status&direction]: user
// U's call log, as U sees it in GET /v1/calls, with next when the page is
// full (the log is kept per user: uid is required).
func (s *Server) adminCallLog(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	uid := r.URL.Query().Get("uid")
	if uid == "" {
		return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "uid is required: the call log is kept per user (GET /v1/admin/calls?uid=alice; every user's live calls: GET /v1/admin/calls/live)")
	}
	if err := validateID("uid", uid); err != nil {
		return 0, nil, err
	}
	q, err := logQueryOf(r, "uid")
	if err != nil {
		return 0, nil, err
	}
	page, err := s.deps.Hub.CallLogPage(r.Context(), uid, q)
	if err != nil {
		return 0, nil, err
	}
	page.Calls = nonNil(page.Calls)
	return http.StatusOK, page, nil
}

// GET /v1/admin/calls/live[?limit&after&status]: every user's calls still
// ringing or ongoing, on any node, newest first, with next when the page
// is full.
func (s *Server) adminLiveCalls(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	if err := checkQuery(r, "limit", "after", "status"); err != nil {
		return 0, nil, err
	}
	q, err := logQueryOf(r)
	if err != nil {
		return 0, nil, err
	}
	page, err := s.deps.Hub.LiveCalls(r.Context(), q)
	if err != nil {
		return 0, nil, err
	}
	page.Calls = nonNil(page.Calls)
	return http.StatusOK, page, nil
}

// GET /v1/admin/calls/{sid}: the call as the log holds it (its own status,
// every participant's), 404 when unknown.
func (s *Server) adminCall(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	call, err := s.deps.Hub.LoggedCall(r.Context(), r.PathValue("sid"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, call, nil
}
