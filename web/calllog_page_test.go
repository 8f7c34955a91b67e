package web_test

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
)

// tiedCalls saves three ended calls of bob's: "tie-a" and "tie-b" initiated
// in the same millisecond, "older" a second before. Newest first, the log
// is tie-b, tie-a, older.
func tiedCalls(t *testing.T, app *server.App) {
	t.Helper()
	ctx := t.Context()
	at := time.UnixMilli(1_700_000_000_123)
	for _, c := range []struct {
		sid string
		at  time.Time
	}{{"older", at.Add(-time.Second)}, {"tie-a", at}, {"tie-b", at}} {
		err := app.Store().SaveCall(ctx, store.Call{
			SessionID: c.sid, CallType: "audio", ReceiverType: "user", InitiatorUID: "alice", ReceiverID: "bob",
			Status: store.CallEnded, InitiatedAt: c.at, JoinedAt: c.at, EndedAt: c.at.Add(time.Minute), Timeout: 45,
			EndReason: "ended", Participants: []store.Participant{
				{UID: "alice", Status: "left", JoinedAt: c.at, LeftAt: c.at.Add(time.Minute)},
				{UID: "bob", Status: "left", JoinedAt: c.at, LeftAt: c.at.Add(time.Minute)},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// callLogPage is the answer of GET /v1/calls and GET /v1/admin/calls.
type callLogPage struct {
	Calls []client.Call
	Next  *string
}

// TestCallLogPagesThroughOneMillisecond: two calls initiated in the same
// millisecond are both listed when a client pages with limit=1 and the
// answers' next, on GET /v1/calls, GET /v1/admin/calls?uid= and /v1/ws
// listCallPage; before=<initiatedAt> (the old way) still answers as it did.
func TestCallLogPagesThroughOneMillisecond(t *testing.T) {
	app := startApp(t)
	tiedCalls(t, app)
	bob, _ := app.Tokens().MintAuth("bob", "Bob", 0)
	admin, _ := app.Tokens().MintAdmin("ops", 0)
	want := []string{"tie-b", "tie-a", "older"}

	for _, ep := range []struct{ path, header string }{
		{"/v1/calls?limit=1", bearer(bob)},
		{"/v1/admin/calls?uid=bob&limit=1", bearer(admin)},
	} {
		var got []string
		path := ep.path
		for range 5 {
			var page callLogPage
			r := do(t, "GET", app.URL()+path, "", ep.header)
			r.decode(t, &page)
			if r.status != 200 {
				t.Fatalf("GET %s = %d %s", path, r.status, r.body)
			}
			for _, c := range page.Calls {
				got = append(got, c.SessionID)
			}
			if page.Next == nil {
				break
			}
			path = ep.path + "&after=" + url.QueryEscape(*page.Next)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("GET %s, following next: %v, want %v", ep.path, got, want)
		}
		// The old way, unchanged: before=<the first page's initiatedAt>
		// skips the rest of that millisecond (documented).
		var old callLogPage
		do(t, "GET", app.URL()+ep.path+"&before=1700000000123", "", ep.header).decode(t, &old)
		if len(old.Calls) != 1 || old.Calls[0].SessionID != "older" {
			t.Errorf("GET %s&before=1700000000123 = %+v, want [older]", ep.path, old.Calls)
		}
	}

	c, err := client.DialWith(t.Context(), app.URL(), bob, client.DialOptions{OnFrame: protocoltest.Hook(t, protocoltest.WS)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	var got []string
	q := client.LogQuery{Limit: 1}
	for range 5 {
		page, err := c.ListCallPage(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range page.Calls {
			got = append(got, call.SessionID)
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("listCallPage, following next: %v, want %v", got, want)
	}
	page, err := c.ListCallPage(t.Context(), client.LogQuery{Limit: 5})
	if err != nil || len(page.Calls) != 3 || page.Next != "" {
		t.Errorf("listCallPage limit 5 = %+v, %v; want 3 calls and no next", page, err)
	}
	if calls, err := c.ListCalls(t.Context(), client.LogQuery{Limit: 2, After: page.Calls[0].SessionID}); err == nil {
		t.Errorf("listCalls with a session id as after = %v, want bad_request", calls)
	}
}

// TestCallLogRefusesBadCursors: an after that is not a next the server
// made is a 400 bad_request naming after, as is after with before.
func TestCallLogRefusesBadCursors(t *testing.T) {
	app := startApp(t)
	tiedCalls(t, app)
	bob, _ := app.Tokens().MintAuth("bob", "Bob", 0)
	var first callLogPage
	do(t, "GET", app.URL()+"/v1/calls?limit=1", "", bearer(bob)).decode(t, &first)
	if first.Next == nil {
		t.Fatal("a full page has no next")
	}
	for _, q := range []string{
		"after=", "after=garbage!", "after=tie-a", "after=MTcwMDAwMDAwMDEyMw", // base64 of a time alone
		"after=MDA6dGllLWE", // "00:tie-a"
		"after=" + url.QueryEscape(*first.Next) + "&before=1700000000123",
	} {
		r := do(t, "GET", app.URL()+"/v1/calls?"+q, "", bearer(bob))
		if r.status != 400 || r.errorCode() != "bad_request" || !strings.Contains(r.body, "after") {
			t.Errorf("GET /v1/calls?%s = %d %s, want 400 bad_request naming after", q, r.status, r.body)
		}
	}
}
