package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// TestAdminOutboxPagesWithNext: a page of GET /v1/admin/outbox with more
// items after it has next, the last item's id, and after=next lists the
// rest (docs/api.md: lists paged by id); the last page has none, full or not.
func TestAdminOutboxPagesWithNext(t *testing.T) {
	app, admin := adminApp(t)
	later := time.Now().Add(time.Hour)
	var batch []store.OutboxItem
	for i := range 3 {
		batch = append(batch, store.OutboxItem{
			EventID: "ev-" + strconv.Itoa(i), Channel: "webhook", Target: "https://example.com/hook", OrderKey: "k",
			Payload: []byte(`{}`), NextAttemptAt: later, Deadline: later.Add(time.Hour),
		})
	}
	items, err := app.Store().EnqueueOutbox(context.Background(), batch)
	if err != nil || len(items) != 3 {
		t.Fatalf("enqueue = %v, %v", items, err)
	}
	type page struct {
		Items []struct{ ID int64 }
		Next  *string
	}
	var first page
	r := admin("GET", "/v1/admin/outbox?limit=2", "")
	r.decode(t, &first)
	if r.status != 200 || len(first.Items) != 2 || first.Next == nil || *first.Next != strconv.FormatInt(items[1].ID, 10) {
		t.Fatalf("GET /v1/admin/outbox?limit=2 = %d %s, want 2 items and next %d", r.status, r.body, items[1].ID)
	}
	var rest page
	r = admin("GET", "/v1/admin/outbox?limit=2&after="+*first.Next, "")
	r.decode(t, &rest)
	if r.status != 200 || len(rest.Items) != 1 || rest.Items[0].ID != items[2].ID || rest.Next != nil {
		t.Fatalf("the page after next = %d %s, want item %d alone, no next", r.status, r.body, items[2].ID)
	}
	var all page
	r = admin("GET", "/v1/admin/outbox?limit=3", "")
	r.decode(t, &all)
	if r.status != 200 || len(all.Items) != 3 || all.Next != nil {
		t.Fatalf("GET /v1/admin/outbox?limit=3 = %d %s, want the 3 items and no next (none follows)", r.status, r.body)
	}
	var hooks page
	r = admin("GET", "/v1/admin/outbox?channel=webhook", "")
	r.decode(t, &hooks)
	if r.status != 200 || len(hooks.Items) != 3 {
		t.Fatalf("channel=webhook = %d %s, want the 3 items", r.status, r.body)
	}
	// A mistyped channel is a 400, not an empty list that reads "nothing failed".
	if r = admin("GET", "/v1/admin/outbox?state=failed&channel=webhooks", ""); r.status != 400 || r.errorCode() != "bad_request" || !strings.Contains(string(r.body), `outbox channel \"webhooks\"; use webhook or push`) {
		t.Fatalf("channel=webhooks = %d %s, want 400 bad_request naming the channels", r.status, r.body)
	}
}
