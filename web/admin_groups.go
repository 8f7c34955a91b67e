package web

import (
	"net/http"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// maxMembersPerRequest bounds one add-members request.
const maxMembersPerRequest = 100

func (s *Server) createGroup(r *http.Request, w http.ResponseWriter) (int, any, error) {
	var in struct {
		GUID string `json:"guid"`
		Name string `json:"name"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return 0, nil, err
	}
	if err := validateID("guid", in.GUID); err != nil {
		return 0, nil, err
	}
	if err := validateName("name", in.Name); err != nil {
		return 0, nil, err
	}
	g, err := s.deps.Store.CreateGroup(r.Context(), store.Group{GUID: in.GUID, Name: in.Name})
	return http.StatusCreated, g, err
}

func (s *Server) getGroup(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	guid, err := pathID(r, "guid")
	if err != nil {
		return 0, nil, err
	}
	g, err := s.deps.Store.GetGroup(r.Context(), guid)
	return http.StatusOK, g, err
}

// PATCH /v1/admin/groups/{guid} {"name"}: renames the group; 200 and the
// group, 404 if unknown. Calls in progress keep the name they began with.
func (s *Server) renameGroup(r *http.Request, w http.ResponseWriter) (int, any, error) {
	guid, err := pathID(r, "guid")
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		Name *string `json:"name"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return 0, nil, err
	}
	if in.Name == nil {
		return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "name is required: a group's name is all that can change")
	}
	if err := validateName("name", *in.Name); err != nil {
		return 0, nil, err
	}
	g, err := s.deps.Store.RenameGroup(r.Context(), guid, *in.Name)
	return http.StatusOK, g, err
}

func (s *Server) listGroups(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	p, err := pageOf(r, "guid")
	if err != nil {
		return 0, nil, err
	}
	groups, more, err := store.ReadPage(p.Limit, func(n int, after *store.Group) ([]store.Group, error) {
		q := store.Page{Limit: n, After: p.After}
		if after != nil {
			q.After = after.GUID
		}
		return s.deps.Store.ListGroups(r.Context(), q)
	})
	if err != nil {
		return 0, nil, err
	}
	out := struct {
		Groups []store.Group `json:"groups"`
		Next   string        `json:"next,omitempty"`
	}{Groups: nonNil(groups)}
	if more {
		out.Next = groups[len(groups)-1].GUID
	}
	return http.StatusOK, out, nil
}

func (s *Server) deleteGroup(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	guid, err := pathID(r, "guid")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, s.deps.Store.DeleteGroup(r.Context(), guid)
}

func (s *Server) addMembers(r *http.Request, w http.ResponseWriter) (int, any, error) {
	guid, err := pathID(r, "guid")
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		UIDs []string `json:"uids"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return 0, nil, err
	}
	if len(in.UIDs) == 0 || len(in.UIDs) > maxMembersPerRequest {
		return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "uids must list 1 to %d users, not %d", maxMembersPerRequest, len(in.UIDs))
	}
	for _, uid := range in.UIDs {
		if err := validateID("uid", uid); err != nil {
			return 0, nil, err
		}
	}
	if err := s.deps.Store.AddMembers(r.Context(), guid, in.UIDs); err != nil {
		return 0, nil, err
	}
	return s.membersOf(r, guid)
}

func (s *Server) listMembers(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	guid, err := pathID(r, "guid")
	if err != nil {
		return 0, nil, err
	}
	if err := checkQuery(r); err != nil {
		return 0, nil, err
	}
	return s.membersOf(r, guid)
}

func (s *Server) membersOf(r *http.Request, guid string) (int, any, error) {
	users, err := s.deps.Store.ListMembers(r.Context(), guid)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, struct {
		GUID    string       `json:"guid"`
		Members []store.User `json:"members"`
	}{GUID: guid, Members: nonNil(users)}, nil
}

func (s *Server) removeMember(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	guid, err := pathID(r, "guid")
	if err != nil {
		return 0, nil, err
	}
	uid, err := pathID(r, "uid")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, s.deps.Store.RemoveMember(r.Context(), guid, uid)
}

func pathID(r *http.Request, name string) (string, error) {
	id := r.PathValue(name)
	return id, validateID(name, id)
}
