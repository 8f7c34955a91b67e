package web_test

import (
	"strings"
	"testing"
)

// TestListsRefuseUnknownQuery: a query parameter a list endpoint does not
// take, or one given twice, is a 400 naming it (docs/api.md: a bad query
// is 400), and the documented ones still work.
func TestListsRefuseUnknownQuery(t *testing.T) {
	app, admin := adminApp(t)
	auth, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	user := func(path string) reply { return do(t, "GET", app.URL()+path, "", bearer(auth)) }
	for _, tc := range []struct {
		path string
		get  func(string) reply
	}{
		{"/v1/calls?bogus=1", user},
		{"/v1/calls?limit=5&Direction=incoming", user},
		{"/v1/devices?all=1", user},
		{"/v1/admin/users?limit=2&sort=name", func(p string) reply { return admin("GET", p, "") }},
		{"/v1/admin/groups?q=team", func(p string) reply { return admin("GET", p, "") }},
		{"/v1/admin/groups/team/members?limit=2", func(p string) reply { return admin("GET", p, "") }},
		{"/v1/admin/outbox?status=failed", func(p string) reply { return admin("GET", p, "") }},
	} {
		r := tc.get(tc.path)
		_, q, _ := strings.Cut(tc.path, "?")
		var bad string
		for _, kv := range strings.Split(q, "&") {
			if k, _, _ := strings.Cut(kv, "="); k != "limit" {
				bad = k
			}
		}
		if tc.path == "/v1/admin/groups/team/members?limit=2" {
			bad = "limit"
		}
		if r.status != 400 || r.errorCode() != "bad_request" || !strings.Contains(r.body, `\"`+bad+`\"`) {
			t.Errorf("GET %s = %d %s, want 400 naming %q", tc.path, r.status, r.body, bad)
		}
	}
	for _, path := range []string{"/v1/calls?status=ended&status=missed", "/v1/calls?limit=5&limit=6"} {
		if r := user(path); r.status != 400 || !strings.Contains(r.body, "2 times") {
			t.Errorf("GET %s = %d %s, want 400: a parameter given twice", path, r.status, r.body)
		}
	}
	if r := admin("GET", "/v1/admin/calls/live?status=initiated&status=ongoing", ""); r.status != 400 || !strings.Contains(r.body, `\"status\"`) {
		t.Errorf("live calls with status twice = %d %s, want 400 naming status", r.status, r.body)
	}
	for _, path := range []string{
		"/v1/calls?limit=5&before=1700000000000&status=ended&direction=incoming",
		"/v1/devices",
	} {
		if r := user(path); r.status != 200 {
			t.Errorf("GET %s = %d %s, want 200", path, r.status, r.body)
		}
	}
	for _, path := range []string{
		"/v1/admin/users?limit=2&after=alice",
		"/v1/admin/groups?limit=2&after=team",
		"/v1/admin/outbox?state=failed&channel=webhook&after=1&limit=10",
	} {
		if r := admin("GET", path, ""); r.status != 200 {
			t.Errorf("GET %s = %d %s, want 200", path, r.status, r.body)
		}
	}
}

// TestOutboxLimitRange: the outbox list takes limit 1..100 as the other
// lists do (docs/api.md); ?limit=0 was taken as the default.
func TestOutboxLimitRange(t *testing.T) {
	_, admin := adminApp(t)
	for _, l := range []string{"0", "101", "-1", "x"} {
		if r := admin("GET", "/v1/admin/outbox?limit="+l, ""); r.status != 400 || !strings.Contains(r.body, "limit") {
			t.Errorf("?limit=%s = %d %s, want 400", l, r.status, r.body)
		}
	}
	for _, l := range []string{"1", "100"} {
		if r := admin("GET", "/v1/admin/outbox?limit="+l, ""); r.status != 200 {
			t.Errorf("?limit=%s = %d %s, want 200", l, r.status, r.body)
		}
	}
}
