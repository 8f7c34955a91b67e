package web_test

import (
	"strings"
	"testing"
)

// TestMethodNotAllowedCountedUnderItsRoute: a 405 is counted under the
// endpoint's path pattern (without the request's method, which the client
// chooses), not under the "/v1/" catch-all; a 404 still is.
func TestMethodNotAllowedCountedUnderItsRoute(t *testing.T) {
	app := startApp(t)
	if r := do(t, "PUT", app.URL()+"/v1/admin/users/alice", ""); r.status != 405 {
		t.Fatalf("PUT /v1/admin/users/alice = %d %s, want 405", r.status, r.body)
	}
	if r := do(t, "GET", app.URL()+"/v1/nothing-here", ""); r.status != 404 {
		t.Fatalf("GET /v1/nothing-here = %d %s, want 404", r.status, r.body)
	}
	m := do(t, "GET", app.URL()+"/metrics", "").body
	for _, want := range []string{
		`switchboard_http_requests_total{code="405",route="/v1/admin/users/{uid}"} 1`,
		`switchboard_http_requests_total{code="404",route="/v1/"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(m, `code="405",route="/v1/"`) {
		t.Error(`a 405 is counted under route "/v1/"`)
	}
}
