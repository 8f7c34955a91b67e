package web

import (
	"net/http"
	"strconv"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// adminHandler is an admin API endpoint: it returns the HTTP status and the
// JSON body to send, or an error.
type adminHandler func(r *http.Request, w http.ResponseWriter) (int, any, error)

// admin checks the Bearer admin token, runs h and writes its answer.
func (s *Server) admin(h adminHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		claims, err := s.verify(r, tokens.KindAdmin, false)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		status, body, err := h(r, w)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.log.Info("admin", "method", r.Method, "path", r.URL.Path, "admin", claims.UID, "status", status)
		if body == nil {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, body)
	}
}

type userBody struct {
	UID      string  `json:"uid"`
	Name     *string `json:"name"`
	Avatar   *string `json:"avatar"`
	Disabled *bool   `json:"disabled"`
}

func (s *Server) createUser(r *http.Request, w http.ResponseWriter) (int, any, error) {
	var in userBody
	if err := s.decodeBody(w, r, &in); err != nil {
		return 0, nil, err
	}
	if in.Name == nil {
		return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "name is required")
	}
	u := store.User{UID: in.UID, Name: *in.Name, Avatar: deref(in.Avatar), Disabled: in.Disabled != nil && *in.Disabled}
	if err := validateUser(u); err != nil {
		return 0, nil, err
	}
	u, err := s.deps.Store.CreateUser(r.Context(), u)
	return http.StatusCreated, u, err
}

func (s *Server) updateUser(r *http.Request, w http.ResponseWriter) (int, any, error) {
	uid := r.PathValue("uid")
	if err := validateID("uid", uid); err != nil {
		return 0, nil, err
	}
	var in userBody
	if err := s.decodeBody(w, r, &in); err != nil {
		return 0, nil, err
	}
	if in.UID != "" && in.UID != uid {
		return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "uid in the body (%q) differs from the path (%q); a uid cannot change", in.UID, uid)
	}
	if in.Name == nil && in.Avatar == nil && in.Disabled == nil {
		return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "nothing to update: send name, avatar (\"\" removes it) and/or disabled")
	}
	if in.Name != nil {
		if err := validateName("name", *in.Name); err != nil {
			return 0, nil, err
		}
	}
	if in.Avatar != nil {
		if err := validateAvatar(*in.Avatar); err != nil {
			return 0, nil, err
		}
	}
	u, err := s.deps.Store.UpdateUser(r.Context(), uid, store.UserEdit{Name: in.Name, Avatar: in.Avatar, Disabled: in.Disabled})
	switch {
	case err != nil || in.Disabled == nil:
	case *in.Disabled:
		// Stored first, so no new socket or request of theirs is let in;
		// then what is live. Sending disabled:true again redoes this.
		err = s.deps.Hub.DisableUser(r.Context(), uid)
	default:
		err = s.deps.Hub.EnableUser(r.Context(), uid)
	}
	return http.StatusOK, u, err
}

// deleteUser is DELETE /v1/admin/users/{uid}: an account deleted in the
// app. The store forgets the user's name, avatar, push targets and group
// memberships and keeps the uid disabled; then the user is taken out of
// what is live, as a disable does. The answer is the user as left.
func (s *Server) deleteUser(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	uid, err := pathID(r, "uid")
	if err != nil {
		return 0, nil, err
	}
	if _, err := s.deps.Store.EraseUser(r.Context(), uid); err != nil {
		return 0, nil, err
	}
	if err := s.deps.Hub.DisableUser(r.Context(), uid); err != nil {
		return 0, nil, err
	}
	// Again, now that every node refuses their push targets: one
	// registered by a request already under way when the first erase ran
	// is gone too.
	u, err := s.deps.Store.EraseUser(r.Context(), uid)
	return http.StatusOK, u, err
}

func (s *Server) getUser(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	uid := r.PathValue("uid")
	if err := validateID("uid", uid); err != nil {
		return 0, nil, err
	}
	u, err := s.deps.Store.GetUser(r.Context(), uid)
	return http.StatusOK, u, err
}

func (s *Server) listUsers(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	p, err := pageOf(r, "uid")
	if err != nil {
		return 0, nil, err
	}
	users, more, err := store.ReadPage(p.Limit, func(n int, after *store.User) ([]store.User, error) {
		q := store.Page{Limit: n, After: p.After}
		if after != nil {
			q.After = after.UID
		}
		return s.deps.Store.ListUsers(r.Context(), q)
	})
	if err != nil {
		return 0, nil, err
	}
	out := struct {
		Users []store.User `json:"users"`
		Next  string       `json:"next,omitempty"`
	}{Users: nonNil(users)}
	if more {
		out.Next = users[len(users)-1].UID
	}
	return http.StatusOK, out, nil
}

func validateUser(u store.User) error {
	if err := validateID("uid", u.UID); err != nil {
		return err
	}
	if err := validateName("name", u.Name); err != nil {
		return err
	}
	return validateAvatar(u.Avatar)
}

func validateAvatar(avatar string) error {
	if len(avatar) > 2048 {
		return protocol.Errorf(protocol.CodeBadRequest, "avatar is %d bytes; the limit is 2048 (a URL)", len(avatar))
	}
	return nil
}

// pageOf reads ?limit=1..100&after=ID.
func pageOf(r *http.Request, idName string) (store.Page, error) {
	q := r.URL.Query()
	p := store.Page{After: q.Get("after")}
	if err := checkQuery(r, "limit", "after"); err != nil {
		return p, err
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return p, protocol.Errorf(protocol.CodeBadRequest, "limit must be a number from 1 to 100, not %q", v)
		}
		p.Limit = n
	}
	if p.After != "" {
		if err := validateID("after ("+idName+")", p.After); err != nil {
			return p, err
		}
	}
	return p, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
