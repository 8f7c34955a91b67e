package web_test

import (
	"context"
	"testing"

	"github.com/switchboard-rtc/switchboard/server"
)

// One user's HTTPS requests (here POST /v1/devices, a database write
// each) are bounded as a /v1/ws connection's are (ringing.request_rate,
// request_burst): past the burst a 429 rate_limited with Retry-After, and
// nothing written; another user is not held back. Before, one user
// registered devices as fast as the database took them (450 a second).
func TestUserHTTPSRequestsAreRateLimited(t *testing.T) {
	app, _ := startPushApp(t, func(c *server.Config) { c.Ringing.RequestRate, c.Ringing.RequestBurst = 1, 3 })
	bob, ann := newPhone(t, app, "bob", "Bob"), newPhone(t, app, "ann", "Ann")
	var limited reply
	ok := 0
	for i := range 6 {
		r := bob.do("POST", "/v1/devices", `{"deviceId":"d`+string(rune('0'+i))+`","kind":"fcm","token":"t`+string(rune('0'+i))+`","appId":"com.example.calls"}`)
		if r.status == 429 {
			limited = r
			break
		}
		if r.status != 200 {
			t.Fatalf("register %d: %d %s", i, r.status, r.body)
		}
		ok++
	}
	if limited.status != 429 || limited.errorCode() != "rate_limited" || limited.header.Get("Retry-After") == "" {
		t.Fatalf("bob's requests past the burst: %d %s (Retry-After %q), want 429 rate_limited", limited.status, limited.body, limited.header.Get("Retry-After"))
	}
	if d, err := app.Store().ListDevices(context.Background(), "bob"); err != nil || len(d) != ok {
		t.Fatalf("bob has %d devices (%v) after %d registrations; the refused one must write nothing", len(d), err, ok)
	}
	if r := ann.do("GET", "/v1/devices", ""); r.status != 200 {
		t.Fatalf("ann, another user: %d %s", r.status, r.body)
	}
}
