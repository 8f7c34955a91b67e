package web_test

import "testing"

// PATCH /v1/admin/groups/{guid} renames a group (its members stay); bad
// input is refused and changes nothing.
func TestAdminRenamesAGroup(t *testing.T) {
	_, admin := adminApp(t)
	admin("POST", "/v1/admin/users", `{"uid":"alice","name":"alice"}`)
	if r := admin("POST", "/v1/admin/groups", `{"guid":"team","name":"The Team"}`); r.status != 201 {
		t.Fatalf("create group = %d %s", r.status, r.body)
	}
	admin("POST", "/v1/admin/groups/team/members", `{"uids":["alice"]}`)
	var g struct {
		GUID, Name string
		Members    int `json:"membersCount"`
	}
	r := admin("PATCH", "/v1/admin/groups/team", `{"name":"Night Shift"}`)
	r.decode(t, &g)
	if r.status != 200 || g.GUID != "team" || g.Name != "Night Shift" || g.Members != 1 {
		t.Fatalf("rename = %d %s", r.status, r.body)
	}
	for _, body := range []string{``, `{}`, `{"name":""}`, `{"name":"a\u0007b"}`, `{"name":"x","guid":"other"}`} {
		if r := admin("PATCH", "/v1/admin/groups/team", body); r.status != 400 || r.errorCode() != "bad_request" {
			t.Errorf("rename with %q = %d %s, want 400", body, r.status, r.body)
		}
	}
	if r := admin("PATCH", "/v1/admin/groups/nope", `{"name":"X"}`); r.status != 404 || r.errorCode() != "not_found" {
		t.Errorf("rename of an unknown group = %d %s, want 404", r.status, r.body)
	}
	admin("GET", "/v1/admin/groups/team", "").decode(t, &g)
	if g.Name != "Night Shift" {
		t.Errorf("after bad renames the name is %q, want Night Shift", g.Name)
	}
}
