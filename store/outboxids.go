package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// maxEventIDs bounds one OutboxEventsPresent lookup.
const maxEventIDs = 100

// OutboxEventsPresent reports which of eventIDs are outbox items' event
// ids, in any state: each one is a lookup on the event id's unique index
// (a node that ends another node's call numbers its events after the
// last one stored).
func (s *sqlStore) OutboxEventsPresent(ctx context.Context, eventIDs []string) (map[string]bool, error) {
	if len(eventIDs) > maxEventIDs {
		return nil, fmt.Errorf("%w: %d event ids at once; at most %d", ErrInvalid, len(eventIDs), maxEventIDs)
	}
	found := make(map[string]bool, len(eventIDs))
	if len(eventIDs) == 0 {
		return found, nil
	}
	var q strings.Builder
	q.WriteString(`SELECT event_id FROM outbox WHERE event_id IN (`)
	args := make([]any, len(eventIDs))
	for i, id := range eventIDs {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("?" + strconv.Itoa(i+1))
		args[i] = id
	}
	q.WriteString(")")
	rows, err := s.r.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("store: outbox event ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: outbox event ids: %w", err)
		}
		found[id] = true
	}
	return found, rows.Err()
}
