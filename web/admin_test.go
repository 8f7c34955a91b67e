package web_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/server"

	"github.com/switchboard-rtc/switchboard/store"
)

func writeGarbage(path string) error { return os.WriteFile(path, []byte("not a db"), 0o600) }

func adminApp(t *testing.T) (*server.App, func(method, path, body string) reply) {
	app := startApp(t, func(c *server.Config) { c.Server.MaxBodyBytes = 1024 })
	tok, err := app.Tokens().MintAdmin("ops", 0)
	if err != nil {
		t.Fatal(err)
	}
	return app, func(method, path, body string) reply {
		t.Helper()
		return do(t, method, app.URL()+path, body, bearer(tok), "Content-Type: application/json")
	}
}

func TestAdminNeedsAnAdminToken(t *testing.T) {
	app := startApp(t)
	auth, _ := app.Tokens().MintAuth("alice", "", 0)
	for _, h := range []string{"", bearer(auth), bearer("garbage"), "Authorization: Basic YTpi"} {
		r := do(t, "GET", app.URL()+"/v1/admin/users", "", h)
		if r.status != 401 || r.errorCode() != "unauthorized" || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("with %q: %d %s", h, r.status, r.body)
		}
	}
}

func TestAdminUsers(t *testing.T) {
	_, admin := adminApp(t)
	r := admin("POST", "/v1/admin/users", `{"uid":"alice","name":"Alice","avatar":"https://x/a.png"}`)
	var u struct{ UID, Name, Avatar string }
	r.decode(t, &u)
	if r.status != 201 || u.UID != "alice" || u.Name != "Alice" || u.Avatar != "https://x/a.png" {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	if r := admin("POST", "/v1/admin/users", `{"uid":"alice","name":"Other"}`); r.status != 409 || r.errorCode() != "conflict" {
		t.Errorf("duplicate create = %d %s", r.status, r.body)
	}
	var created struct{ UpdatedAt time.Time }
	r.decode(t, &created)
	time.Sleep(5 * time.Millisecond) // so that a new updatedAt differs (milliseconds)
	r = admin("PATCH", "/v1/admin/users/alice", `{"name":"Alice A."}`)
	r.decode(t, &u)
	var patched struct{ UpdatedAt time.Time }
	r.decode(t, &patched)
	if r.status != 200 || u.Name != "Alice A." || u.Avatar != "https://x/a.png" || !patched.UpdatedAt.After(created.UpdatedAt) {
		t.Errorf("patch name = %d %s (avatar must stay, updatedAt move on from %v)", r.status, r.body, created.UpdatedAt)
	}
	r = admin("PATCH", "/v1/admin/users/alice", `{"avatar":""}`)
	var removed struct{ UID, Name, Avatar string }
	r.decode(t, &removed)
	if r.status != 200 || removed.Name != "Alice A." || removed.Avatar != "" {
		t.Errorf(`patch {"avatar":""} = %d %s (the avatar removed)`, r.status, r.body)
	}
	r = admin("GET", "/v1/admin/users/alice", "")
	r.decode(t, &u)
	if r.status != 200 || u.Name != "Alice A." {
		t.Errorf("get = %d %s", r.status, r.body)
	}
	if r := admin("GET", "/v1/admin/users/bob", ""); r.status != 404 || r.errorCode() != "not_found" {
		t.Errorf("get missing = %d %s", r.status, r.body)
	}
	if r := admin("PATCH", "/v1/admin/users/bob", `{"name":"B"}`); r.status != 404 {
		t.Errorf("patch missing = %d %s", r.status, r.body)
	}
	for _, uid := range []string{"bob", "carol", "dave"} {
		if r := admin("POST", "/v1/admin/users", `{"uid":"`+uid+`","name":"`+uid+`"}`); r.status != 201 {
			t.Fatalf("create %s = %d %s", uid, r.status, r.body)
		}
	}
	var page struct {
		Users []struct{ UID string }
		Next  string
	}
	admin("GET", "/v1/admin/users?limit=2", "").decode(t, &page)
	if len(page.Users) != 2 || page.Users[0].UID != "alice" || page.Next != "bob" {
		t.Errorf("page 1 = %+v", page)
	}
	page.Next = ""
	admin("GET", "/v1/admin/users?limit=2&after=bob", "").decode(t, &page)
	if len(page.Users) != 2 || page.Users[0].UID != "carol" || page.Next != "" {
		t.Errorf("page 2 = %+v, want carol and dave and no next (no user follows)", page)
	}
	admin("GET", "/v1/admin/users?limit=3&after=alice", "").decode(t, &page)
	if len(page.Users) != 3 || page.Next != "" {
		t.Errorf("limit=3 after alice = %+v, want bob, carol, dave and no next", page)
	}
}

// TestAdminBadRequests: each bad input is one clear 4xx, and nothing is written.
func TestAdminBadRequests(t *testing.T) {
	app, admin := adminApp(t)
	tests := []struct {
		method, path, body string
		status             int
		code, mention      string
	}{
		{"POST", "/v1/admin/users", `{"uid":"a b","name":"A"}`, 400, "bad_request", "uid"},
		{"POST", "/v1/admin/users", `{"uid":"","name":"A"}`, 400, "bad_request", "uid"},
		{"POST", "/v1/admin/users", `{"uid":"` + strings.Repeat("a", 101) + `","name":"A"}`, 400, "bad_request", "uid"},
		{"POST", "/v1/admin/users", `{"uid":"a"}`, 400, "bad_request", "name"},
		{"POST", "/v1/admin/users", `{"uid":"a","name":"A\n"}`, 400, "bad_request", "name"},
		{"POST", "/v1/admin/users", `{"uid":"a","name":"A","role":"x"}`, 400, "bad_request", "unknown field"},
		{"POST", "/v1/admin/users", `{"uid":5,"name":"A"}`, 400, "bad_request", "must be a string"},
		{"POST", "/v1/admin/users", `{"uid":"a","name":"A"} {}`, 400, "bad_request", "after"},
		{"POST", "/v1/admin/users", `{"uid":"a",`, 400, "bad_request", "JSON"},
		{"POST", "/v1/admin/users", ``, 400, "bad_request", "empty"},
		{"POST", "/v1/admin/users", `{"uid":"a","name":"` + strings.Repeat("x", 2000) + `"}`, 413, "too_large", "1024"},
		{"PATCH", "/v1/admin/users/a", `{}`, 400, "bad_request", "nothing to update"},
		{"PATCH", "/v1/admin/users/a", `{"Disabled":true}`, 400, "bad_request", "case-sensitive"},
		{"PATCH", "/v1/admin/users/a", `{"disabled":true,"disabled":false}`, 400, "bad_request", "given twice"},
		{"GET", "/v1/admin/users?limit=0", ``, 400, "bad_request", "limit"},
		{"GET", "/v1/admin/users?limit=x", ``, 400, "bad_request", "limit"},
		{"GET", "/v1/admin/users/a%20b", ``, 400, "bad_request", "uid"},
		{"POST", "/v1/admin/groups", `{"guid":"g/1","name":"G"}`, 400, "bad_request", "guid"},
		{"POST", "/v1/admin/groups/nope/members", `{"uids":["a"]}`, 404, "not_found", "nope"},
		{"POST", "/v1/admin/groups/nope/members", `{"uids":[]}`, 400, "bad_request", "uids"},
		{"DELETE", "/v1/admin/groups/nope", ``, 404, "not_found", "nope"},
	}
	for _, tc := range tests {
		r := admin(tc.method, tc.path, tc.body)
		if r.status != tc.status || r.errorCode() != tc.code || !strings.Contains(r.body, tc.mention) {
			t.Errorf("%s %s %.60s = %d %s; want %d %s mentioning %s", tc.method, tc.path, tc.body, r.status, r.body, tc.status, tc.code, tc.mention)
		}
	}
	users, err := app.Store().ListUsers(context.Background(), storePage())
	if err != nil || len(users) != 0 {
		t.Errorf("bad requests wrote users: %v %v", users, err)
	}
}

func TestAdminGroupsAndMembers(t *testing.T) {
	app, admin := adminApp(t)
	for _, uid := range []string{"alice", "bob"} {
		admin("POST", "/v1/admin/users", `{"uid":"`+uid+`","name":"`+uid+`"}`)
	}
	if r := admin("POST", "/v1/admin/groups", `{"guid":"team","name":"The Team"}`); r.status != 201 {
		t.Fatalf("create group = %d %s", r.status, r.body)
	}
	if r := admin("POST", "/v1/admin/groups", `{"guid":"team","name":"Again"}`); r.status != 409 {
		t.Errorf("duplicate group = %d %s", r.status, r.body)
	}
	r := admin("POST", "/v1/admin/groups/team/members", `{"uids":["alice","bob"]}`)
	var members struct {
		GUID    string
		Members []struct{ UID string }
	}
	r.decode(t, &members)
	if r.status != 200 || len(members.Members) != 2 {
		t.Errorf("add members = %d %s", r.status, r.body)
	}
	// All or nothing: one unknown uid adds nobody.
	admin("POST", "/v1/admin/users", `{"uid":"carol","name":"carol"}`)
	if r := admin("POST", "/v1/admin/groups/team/members", `{"uids":["carol","zed"]}`); r.status != 404 || !strings.Contains(r.body, "zed") {
		t.Errorf("add unknown member = %d %s", r.status, r.body)
	}
	admin("GET", "/v1/admin/groups/team/members", "").decode(t, &members)
	if len(members.Members) != 2 {
		t.Errorf("members after a failed add = %+v; want alice and bob only", members.Members)
	}
	if r := admin("DELETE", "/v1/admin/groups/team/members/bob", ""); r.status != 204 {
		t.Errorf("remove member = %d %s", r.status, r.body)
	}
	admin("GET", "/v1/admin/groups/team/members", "").decode(t, &members)
	if len(members.Members) != 1 || members.Members[0].UID != "alice" {
		t.Errorf("members after removing bob = %+v", members.Members)
	}
	var groups struct {
		Groups []struct {
			GUID    string
			Members int `json:"membersCount"`
		}
	}
	admin("GET", "/v1/admin/groups", "").decode(t, &groups)
	if len(groups.Groups) != 1 || groups.Groups[0].GUID != "team" || groups.Groups[0].Members != 1 {
		t.Errorf("list groups = %+v", groups)
	}
	if r := admin("DELETE", "/v1/admin/groups/team", ""); r.status != 204 {
		t.Errorf("delete group = %d %s", r.status, r.body)
	}
	if r := admin("GET", "/v1/admin/groups/team", ""); r.status != 404 {
		t.Errorf("get deleted group = %d %s", r.status, r.body)
	}
	if _, err := app.Store().GetUser(context.Background(), "bob"); err != nil {
		t.Errorf("deleting a group removed a user: %v", err)
	}
}

func storePage() store.Page { return store.Page{Limit: 100} }
