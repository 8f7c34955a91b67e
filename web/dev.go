package web

import (
	"net/http"
	"strings"

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
