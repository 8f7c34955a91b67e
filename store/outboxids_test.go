package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// OutboxEventsPresent finds stored event ids whatever their state, and
// nothing else; more than 100 at once is ErrInvalid.
func TestOutboxEventsPresent(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	dl := clk.Now().Add(time.Hour)
	stored, err := s.EnqueueOutbox(ctx, []OutboxItem{item("evt_S_1.app", "A", dl), item("evt_S_2.app", "A", dl), item("evt_T_1.app", "B", dl)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FinishOutbox(ctx, []OutboxResult{{ID: stored[0].ID, State: OutboxDelivered, At: clk.Now()}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.OutboxEventsPresent(ctx, []string{"evt_S_1.app", "evt_S_2.app", "evt_S_3.app", "evt_S_1.other"})
	if err != nil || len(got) != 2 || !got["evt_S_1.app"] || !got["evt_S_2.app"] {
		t.Fatalf("present = %v, %v; want evt_S_1.app and evt_S_2.app", got, err)
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprint("evt_S_", i)
	}
	_, err = s.OutboxEventsPresent(ctx, many)
	wantErr(t, err, ErrInvalid, "at most 100")
}
