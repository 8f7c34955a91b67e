package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// TestAdminReplayPendingIsConflict: replaying an item that is still pending
// is a 409 conflict with its state (docs/api.md), not a 400.
func TestAdminReplayPendingIsConflict(t *testing.T) {
	app, admin := adminApp(t)
	later := time.Now().Add(time.Hour)
	items, err := app.Store().EnqueueOutbox(context.Background(), []store.OutboxItem{{
		EventID: "ev-pending", Channel: "webhook", Target: "https://example.com/hook", OrderKey: "k",
		Payload: []byte(`{}`), NextAttemptAt: later, Deadline: later.Add(time.Hour),
	}})
	if err != nil || len(items) != 1 {
		t.Fatalf("enqueue = %v, %v", items, err)
	}
	id := strconv.FormatInt(items[0].ID, 10)
	r := admin("POST", "/v1/admin/outbox/"+id+"/replay", "")
	if r.status != 409 || r.errorCode() != "conflict" || !strings.Contains(r.body, "still pending") {
		t.Errorf("replay pending = %d %s, want 409 conflict", r.status, r.body)
	}
	if r := admin("POST", "/v1/admin/outbox/999999/replay", ""); r.status != 404 {
		t.Errorf("replay missing = %d %s, want 404", r.status, r.body)
	}
}
