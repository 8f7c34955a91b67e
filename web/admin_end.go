package web

import "net/http"

// POST /v1/admin/calls/{sid}/end (no body, or {}): the app's backend ends
// a live call for everyone (endReason ended_by_admin); 200 and the call as
// it ended, 409 invalid_state if it had ended, 404 if the server never had
// it.
func (s *Server) adminEndCall(r *http.Request, w http.ResponseWriter) (int, any, error) {
	var none struct{}
	if err := s.decodeOptionalBody(w, r, &none); err != nil {
		return 0, nil, err
	}
	res, err := s.deps.Hub.AdminEndCall(r.Context(), r.PathValue("sid"))
	return http.StatusOK, res, err
}
