package store

import (
	"context"
	"testing"
	"time"
)

func groupIDs(gs []Group) []string {
	ids := make([]string, len(gs))
	for i, g := range gs {
		ids[i] = g.GUID
	}
	return ids
}

func userIDs(us []User) []string {
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = u.UID
	}
	return ids
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCreateGetListGroups(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	g, err := s.CreateGroup(ctx, Group{GUID: "team", Name: "The Team"})
	if err != nil {
		t.Fatal(err)
	}
	if !g.CreatedAt.Equal(clk.Now()) || g.Members != 0 {
		t.Fatalf("CreateGroup = %+v", g)
	}
	got, err := s.GetGroup(ctx, "team")
	if err != nil || got != g {
		t.Fatalf("GetGroup = %+v, %v; want %+v", got, err, g)
	}
	for _, guid := range []string{"b", "a", "c"} {
		if _, err := s.CreateGroup(ctx, Group{GUID: guid, Name: "G " + guid}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.ListGroups(ctx, Page{Limit: 2})
	if err != nil || !sameStrings(groupIDs(page), []string{"a", "b"}) {
		t.Fatalf("ListGroups first page = %v, %v", groupIDs(page), err)
	}
	page, err = s.ListGroups(ctx, Page{Limit: 2, After: "b"})
	if err != nil || !sameStrings(groupIDs(page), []string{"c", "team"}) {
		t.Fatalf("ListGroups second page = %v, %v", groupIDs(page), err)
	}
	_, err = s.ListGroups(ctx, Page{Limit: 1000})
	wantErr(t, err, ErrInvalid, "limit")
}

func TestCreateGroupRejects(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	if _, err := s.CreateGroup(ctx, Group{GUID: "g", Name: "G"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		group    Group
		sentinel error
		part     string
	}{
		{"duplicate", Group{GUID: "g", Name: "Again"}, ErrConflict, `group "g" already exists`},
		{"bad guid", Group{GUID: "g/1", Name: "X"}, ErrInvalid, "guid"},
		{"no name", Group{GUID: "h"}, ErrInvalid, "group name is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateGroup(ctx, tc.group)
			wantErr(t, err, tc.sentinel, tc.part)
		})
	}
	if g, _ := s.GetGroup(ctx, "g"); g.Name != "G" {
		t.Fatalf("group after a duplicate create = %+v, want the original", g)
	}
}

func TestMembers(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	mustCreateUsers(t, s, "ann", "ben", "cat")
	for _, guid := range []string{"g1", "g2"} {
		if _, err := s.CreateGroup(ctx, Group{GUID: guid, Name: guid}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddMembers(ctx, "g1", []string{"cat", "ann"}); err != nil {
		t.Fatal(err)
	}
	// Adding again, with a duplicate in the list, is harmless.
	if err := s.AddMembers(ctx, "g1", []string{"ann", "ben", "ben"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(ctx, "g2", []string{"ann"}); err != nil {
		t.Fatal(err)
	}
	members, err := s.ListMembers(ctx, "g1")
	if err != nil || !sameStrings(userIDs(members), []string{"ann", "ben", "cat"}) {
		t.Fatalf("ListMembers(g1) = %v, %v", userIDs(members), err)
	}
	if members[0].Name != "Name of ann" {
		t.Fatalf("member = %+v, want the full user", members[0])
	}
	if g, _ := s.GetGroup(ctx, "g1"); g.Members != 3 {
		t.Fatalf("g1 has %d members, want 3", g.Members)
	}
	groups, err := s.GroupsOf(ctx, "ann")
	if err != nil || !sameStrings(groupIDs(groups), []string{"g1", "g2"}) || groups[0].Members != 3 {
		t.Fatalf("GroupsOf(ann) = %+v, %v", groups, err)
	}

	if err := s.RemoveMember(ctx, "g1", "ben"); err != nil {
		t.Fatal(err)
	}
	members, _ = s.ListMembers(ctx, "g1")
	if !sameStrings(userIDs(members), []string{"ann", "cat"}) {
		t.Fatalf("after RemoveMember: %v", userIDs(members))
	}
	wantErr(t, s.RemoveMember(ctx, "g1", "ben"), ErrNotFound, `"ben" is not a member of group "g1"`)
	wantErr(t, s.RemoveMember(ctx, "nope", "ann"), ErrNotFound, `group "nope" not found`)

	groups, err = s.GroupsOf(ctx, "stranger")
	if err != nil || groups == nil || len(groups) != 0 {
		t.Fatalf("GroupsOf(unknown user) = %#v, %v; want empty", groups, err)
	}
}

func TestAddMembersAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	mustCreateUsers(t, s, "ann", "ben")
	if _, err := s.CreateGroup(ctx, Group{GUID: "g", Name: "G"}); err != nil {
		t.Fatal(err)
	}
	err := s.AddMembers(ctx, "g", []string{"ann", "zed", "ben", "yan"})
	wantErr(t, err, ErrNotFound, `users "yan", "zed" not found (nothing was added)`)
	if members, _ := s.ListMembers(ctx, "g"); len(members) != 0 {
		t.Fatalf("members after a failed add = %v, want none", userIDs(members))
	}

	wantErr(t, s.AddMembers(ctx, "missing", []string{"ann"}), ErrNotFound, `group "missing" not found`)
	wantErr(t, s.AddMembers(ctx, "g", nil), ErrInvalid, "uids is empty")
	wantErr(t, s.AddMembers(ctx, "g", []string{"ann", "b@d id"}), ErrInvalid, "uid")
	if members, _ := s.ListMembers(ctx, "g"); len(members) != 0 {
		t.Fatalf("members after invalid adds = %v, want none", userIDs(members))
	}
}

func TestDeleteGroupRemovesMembers(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	mustCreateUsers(t, s, "ann")
	if _, err := s.CreateGroup(ctx, Group{GUID: "g", Name: "G"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(ctx, "g", []string{"ann"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteGroup(ctx, "g"); err != nil {
		t.Fatal(err)
	}
	_, err := s.GetGroup(ctx, "g")
	wantErr(t, err, ErrNotFound, `group "g" not found`)
	_, err = s.ListMembers(ctx, "g")
	wantErr(t, err, ErrNotFound, `group "g" not found`)
	if gs, _ := s.GroupsOf(ctx, "ann"); len(gs) != 0 {
		t.Fatalf("ann still in %v after the group was deleted", groupIDs(gs))
	}
	wantErr(t, s.DeleteGroup(ctx, "g"), ErrNotFound, `group "g" not found`)

	// A group re-created with the same guid starts empty.
	clk.Advance(time.Second)
	if _, err := s.CreateGroup(ctx, Group{GUID: "g", Name: "G2"}); err != nil {
		t.Fatal(err)
	}
	if g, _ := s.GetGroup(ctx, "g"); g.Members != 0 || g.Name != "G2" {
		t.Fatalf("re-created group = %+v, want empty", g)
	}
}

func TestRenameGroup(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	mustCreateUsers(t, s, "ann")
	if _, err := s.CreateGroup(ctx, Group{GUID: "g", Name: "G"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(ctx, "g", []string{"ann"}); err != nil {
		t.Fatal(err)
	}
	g, err := s.RenameGroup(ctx, "g", "Night Shift")
	if err != nil || g.GUID != "g" || g.Name != "Night Shift" || g.Members != 1 {
		t.Fatalf("RenameGroup = %+v, %v; want g named Night Shift with its member", g, err)
	}
	_, err = s.RenameGroup(ctx, "missing", "X")
	wantErr(t, err, ErrNotFound, `group "missing" not found`)
	_, err = s.RenameGroup(ctx, "g", "")
	wantErr(t, err, ErrInvalid, "group name")
	if g, _ := s.GetGroup(ctx, "g"); g.Name != "Night Shift" {
		t.Fatalf("name after a refused rename = %q", g.Name)
	}
}
