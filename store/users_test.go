package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestCreateAndGetUser(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	got, err := s.CreateUser(ctx, User{UID: "alice", Name: "Alice Ünal", Avatar: "https://x.test/a.png"})
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(clk.Now()) || !got.UpdatedAt.Equal(clk.Now()) {
		t.Fatalf("times = %v/%v, want both %v", got.CreatedAt, got.UpdatedAt, clk.Now())
	}
	read, err := s.GetUser(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if read != got {
		t.Fatalf("GetUser = %+v, want %+v", read, got)
	}
}

func TestCreateUserRejects(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	mustCreateUsers(t, s, "alice")
	tests := []struct {
		name     string
		user     User
		sentinel error
		parts    []string
	}{
		{"duplicate uid", User{UID: "alice", Name: "Other"}, ErrConflict, []string{`user "alice" already exists`}},
		{"empty uid", User{Name: "X"}, ErrInvalid, []string{"uid is empty"}},
		{"bad uid", User{UID: "a b", Name: "X"}, ErrInvalid, []string{"uid", "' '"}},
		{"no name", User{UID: "bob"}, ErrInvalid, []string{"name is empty"}},
		{"control char in name", User{UID: "bob", Name: "B\nob"}, ErrInvalid, []string{"control character"}},
		{"long avatar", User{UID: "bob", Name: "Bob", Avatar: strings.Repeat("a", 2049)}, ErrInvalid, []string{"avatar", "2048"}},
		{"space in avatar", User{UID: "bob", Name: "Bob", Avatar: "https://x/a b"}, ErrInvalid, []string{"avatar"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateUser(ctx, tc.user)
			wantErr(t, err, tc.sentinel, tc.parts...)
		})
	}
	// Nothing of the rejected users was written, and alice is unchanged.
	users, err := s.ListUsers(ctx, Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 || users[0].Name != "Name of alice" {
		t.Fatalf("users after rejects = %+v, want only the original alice", users)
	}
}

func TestGetUserMissing(t *testing.T) {
	s, _ := newStore(t)
	_, err := s.GetUser(context.Background(), "ghost")
	wantErr(t, err, ErrNotFound, `user "ghost" not found`)
	_, err = s.GetUser(context.Background(), "")
	wantErr(t, err, ErrInvalid, "uid")
}

func TestUpsertUser(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	created := clk.Now()

	u, err := s.UpsertUser(ctx, User{UID: "carol"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "carol" || !u.CreatedAt.Equal(created) {
		t.Fatalf("new user without name = %+v, want it named after its uid, created now", u)
	}

	clk.Advance(time.Minute)
	u, err = s.UpsertUser(ctx, User{UID: "carol", Name: "Carol", Avatar: "https://x.test/c.png"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Carol" || u.Avatar != "https://x.test/c.png" || !u.UpdatedAt.Equal(clk.Now()) || !u.CreatedAt.Equal(created) {
		t.Fatalf("after rename = %+v", u)
	}
	renamedAt := clk.Now()

	clk.Advance(time.Minute)
	u, err = s.UpsertUser(ctx, User{UID: "carol"}) // empty fields keep what is stored
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Carol" || u.Avatar != "https://x.test/c.png" || !u.UpdatedAt.Equal(renamedAt) {
		t.Fatalf("upsert without changes = %+v, want name, avatar and UpdatedAt kept", u)
	}
	u, err = s.UpsertUser(ctx, User{UID: "carol", Name: "Carol"}) // same name: no change
	if err != nil {
		t.Fatal(err)
	}
	if !u.UpdatedAt.Equal(renamedAt) {
		t.Fatalf("UpdatedAt = %v after an identical upsert, want %v", u.UpdatedAt, renamedAt)
	}
	if got, _ := s.GetUser(ctx, "carol"); got != u {
		t.Fatalf("GetUser = %+v, want %+v", got, u)
	}
	_, err = s.UpsertUser(ctx, User{UID: "carol", Name: "\x01"})
	wantErr(t, err, ErrInvalid, "control character")
}

func TestUpdateUser(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	mustCreateUsers(t, s, "dave")
	clk.Advance(time.Hour)
	str := func(v string) *string { return &v }

	u, err := s.UpdateUser(ctx, "dave", UserEdit{Name: str("Dave D")})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Dave D" || !u.UpdatedAt.Equal(clk.Now()) || u.CreatedAt.Equal(u.UpdatedAt) {
		t.Fatalf("UpdateUser = %+v", u)
	}
	clk.Advance(time.Hour)
	u, err = s.UpdateUser(ctx, "dave", UserEdit{Avatar: str("https://x.test/d.png")})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Dave D" || u.Avatar != "https://x.test/d.png" || !u.UpdatedAt.Equal(clk.Now()) {
		t.Fatalf("avatar-only update = %+v, want the name kept and updatedAt now", u)
	}
	// the same values again: nothing changed, nor does updatedAt
	clk.Advance(time.Hour)
	if u2, err := s.UpdateUser(ctx, "dave", UserEdit{Name: str("Dave D"), Avatar: str("https://x.test/d.png")}); err != nil || u2 != u {
		t.Fatalf("unchanged update = %+v, %v; want %+v", u2, err, u)
	}
	// an empty avatar removes it
	u, err = s.UpdateUser(ctx, "dave", UserEdit{Avatar: str("")})
	if err != nil || u.Avatar != "" || u.Name != "Dave D" || !u.UpdatedAt.Equal(clk.Now()) {
		t.Fatalf("avatar removed = %+v, %v", u, err)
	}
	if got, _ := s.GetUser(ctx, "dave"); got != u {
		t.Fatalf("GetUser after = %+v, want %+v", got, u)
	}
	_, err = s.UpdateUser(ctx, "dave", UserEdit{Name: str("")})
	wantErr(t, err, ErrInvalid, "name")
	_, err = s.UpdateUser(ctx, "nobody", UserEdit{Name: str("N")})
	wantErr(t, err, ErrNotFound, `user "nobody" not found`)
	if _, err := s.GetUser(ctx, "nobody"); err == nil {
		t.Fatal("UpdateUser of a missing user created it")
	}
}

func TestListUsersPages(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	var want []string
	for i := range 7 {
		uid := fmt.Sprintf("u%02d", 6-i) // created out of order
		mustCreateUsers(t, s, uid)
		want = append([]string{uid}, want...)
	}
	var got []string
	after := ""
	for {
		page, err := s.ListUsers(ctx, Page{Limit: 3, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 3 {
			t.Fatalf("page of %d users, limit 3", len(page))
		}
		if len(page) == 0 {
			break
		}
		for _, u := range page {
			got = append(got, u.UID)
		}
		after = page[len(page)-1].UID
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("paged uids = %v, want %v", got, want)
	}

	all, err := s.ListUsers(ctx, Page{})
	if err != nil || len(all) != 7 {
		t.Fatalf("ListUsers(default) = %d users, %v", len(all), err)
	}
	for _, bad := range []int{-1, 101} {
		_, err := s.ListUsers(ctx, Page{Limit: bad})
		wantErr(t, err, ErrInvalid, "limit", "1..100")
	}
}

func TestListUsersEmptyIsNotNil(t *testing.T) {
	s, _ := newStore(t)
	users, err := s.ListUsers(context.Background(), Page{})
	if err != nil || users == nil || len(users) != 0 {
		t.Fatalf("ListUsers on an empty store = %#v, %v; want an empty, non-nil slice", users, err)
	}
}

// A user disabled and enabled again: the flag and its time survive a
// rename, an upsert (a connect) and a second disable; the group's member
// list shows it; a user can be created disabled.
func TestDisableUser(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	mustCreateUsers(t, s, "erin")
	yes, no := true, false
	clk.Advance(time.Hour)
	u, err := s.UpdateUser(ctx, "erin", UserEdit{Disabled: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if !u.Disabled || !u.DisabledAt.Equal(clk.Now()) || !u.UpdatedAt.Equal(clk.Now()) {
		t.Fatalf("disabled = %+v, want disabled at and updated at %v", u, clk.Now())
	}
	first := clk.Now()
	clk.Advance(time.Hour)
	name := "Erin E"
	if u, err = s.UpdateUser(ctx, "erin", UserEdit{Disabled: &yes, Name: &name}); err != nil || !u.Disabled || !u.DisabledAt.Equal(first) {
		t.Fatalf("disabled again with a rename = %+v, %v; want the first disabledAt %v kept", u, err, first)
	}
	if u, err = s.UpsertUser(ctx, User{UID: "erin", Name: "Erin"}); err != nil || !u.Disabled {
		t.Fatalf("upsert (a connect) = %+v, %v; want still disabled", u, err)
	}
	if got, err := s.GetUser(ctx, "erin"); err != nil || !got.Disabled || !got.DisabledAt.Equal(first) {
		t.Fatalf("GetUser = %+v, %v", got, err)
	}
	if _, err := s.CreateGroup(ctx, Group{GUID: "team", Name: "Team"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(ctx, "team", []string{"erin"}); err != nil {
		t.Fatal(err)
	}
	if ms, err := s.ListMembers(ctx, "team"); err != nil || len(ms) != 1 || !ms[0].Disabled {
		t.Fatalf("ListMembers = %+v, %v; want erin disabled", ms, err)
	}
	clk.Advance(time.Hour)
	if u, err = s.UpdateUser(ctx, "erin", UserEdit{Disabled: &no}); err != nil || u.Disabled || !u.DisabledAt.IsZero() || !u.UpdatedAt.Equal(clk.Now()) {
		t.Fatalf("enabled = %+v, %v", u, err)
	}
	if got, _ := s.GetUser(ctx, "erin"); got.Disabled {
		t.Fatalf("GetUser after enabling = %+v", got)
	}
	if list, err := s.ListUsers(ctx, Page{}); err != nil || len(list) != 1 || list[0].Disabled {
		t.Fatalf("ListUsers = %+v, %v", list, err)
	}
	u, err = s.CreateUser(ctx, User{UID: "finn", Name: "Finn", Disabled: true})
	if err != nil || !u.Disabled || !u.DisabledAt.Equal(clk.Now()) {
		t.Fatalf("created disabled = %+v, %v", u, err)
	}
	if got, _ := s.GetUser(ctx, "finn"); got != u {
		t.Fatalf("GetUser = %+v, want %+v", got, u)
	}
}

// An account deleted in the app: EraseUser removes the user's name,
// avatar, push targets and group memberships, and leaves the uid disabled
// (a connect's upsert does not bring the name back as enabled); another
// user's data is untouched; an unknown user is ErrNotFound.
func TestEraseUser(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	if _, err := s.CreateUser(ctx, User{UID: "gail", Name: "Gail G", Avatar: "https://x.test/g.png"}); err != nil {
		t.Fatal(err)
	}
	mustCreateUsers(t, s, "hank")
	if _, err := s.CreateGroup(ctx, Group{GUID: "crew", Name: "Crew"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(ctx, "crew", []string{"gail", "hank"}); err != nil {
		t.Fatal(err)
	}
	for _, uid := range []string{"gail", "hank"} {
		if _, err := s.PutDevice(ctx, Device{UID: uid, DeviceID: "phone", Kind: DeviceFCM, Token: "tok-" + uid, AppID: "com.example.app"}); err != nil {
			t.Fatal(err)
		}
	}
	if devs, _ := s.ListDevices(ctx, "gail"); len(devs) != 1 { // cached on SQLite: EraseUser must drop it
		t.Fatalf("gail's devices before = %+v", devs)
	}
	clk.Advance(time.Hour)
	u, err := s.EraseUser(ctx, "gail")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "gail" || u.Avatar != "" || !u.Disabled || !u.DisabledAt.Equal(clk.Now()) || !u.UpdatedAt.Equal(clk.Now()) {
		t.Fatalf("erased = %+v, want name = uid, no avatar, disabled now", u)
	}
	if got, err := s.GetUser(ctx, "gail"); err != nil || got != u {
		t.Fatalf("GetUser = %+v, %v; want %+v", got, err, u)
	}
	if devs, err := s.ListDevices(ctx, "gail"); err != nil || len(devs) != 0 {
		t.Fatalf("gail's devices after = %+v, %v; want none", devs, err)
	}
	if ms, err := s.ListMembers(ctx, "crew"); err != nil || len(ms) != 1 || ms[0].UID != "hank" {
		t.Fatalf("crew's members = %+v, %v; want hank only", ms, err)
	}
	if devs, _ := s.ListDevices(ctx, "hank"); len(devs) != 1 {
		t.Fatalf("hank's devices = %+v, want his phone kept", devs)
	}
	if u, err := s.UpsertUser(ctx, User{UID: "gail", Name: "Gail G"}); err != nil || !u.Disabled {
		t.Fatalf("a connect with an old token = %+v, %v; want still disabled", u, err)
	}
	_, err = s.EraseUser(ctx, "nobody")
	wantErr(t, err, ErrNotFound, "nobody")
	_, err = s.EraseUser(ctx, "bad uid")
	wantErr(t, err, ErrInvalid)
}
