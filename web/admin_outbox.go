package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// Replayer is the outbox as the admin API sees it (outbox.Dispatcher).
type Replayer interface {
	// Replay makes a delivered or failed item pending again until
	// deadline, and delivers it.
	Replay(ctx context.Context, id int64, deadline time.Time) (store.OutboxItem, error)
}

// GET /v1/admin/outbox?state=&channel=&after=&limit=: outbox items
// (webhook deliveries and pushes), oldest first, and next (the last id,
// for after) when more follow.
func (s *Server) listOutbox(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	v := r.URL.Query()
	q := store.OutboxQuery{State: v.Get("state"), Channel: v.Get("channel")}
	if err := checkQuery(r, "state", "channel", "after", "limit"); err != nil {
		return 0, nil, err
	}
	if c := q.Channel; c != "" && c != store.ChannelWebhook && c != store.ChannelPush {
		return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "outbox channel %q; use %s or %s", c, store.ChannelWebhook, store.ChannelPush)
	}
	if a := v.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "after must be an item id, not %q", a)
		}
		q.AfterID = n
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 { // as the other lists: 0 is not "the default" here
			return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "limit must be a number from 1 to 100, not %q", l)
		}
		q.Limit = n
	}
	items, more, err := store.ReadPage(q.Limit, func(n int, after *store.OutboxItem) ([]store.OutboxItem, error) {
		q := q
		q.Limit = n
		if after != nil {
			q.AfterID = after.ID
		}
		return s.deps.Store.ListOutbox(r.Context(), q)
	})
	if err != nil {
		return 0, nil, err
	}
	out := make([]outboxView, len(items))
	for i, it := range items {
		out[i] = viewOutbox(it)
	}
	page := struct {
		Items []outboxView `json:"items"`
		Next  string       `json:"next,omitempty"`
	}{Items: out}
	if more {
		page.Next = strconv.FormatInt(items[len(items)-1].ID, 10)
	}
	return http.StatusOK, page, nil
}

// POST /v1/admin/outbox/{id}/replay: a failed (or delivered) item is sent
// again with the same event id, retried for another max age.
func (s *Server) replayOutbox(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, nil, protocol.Errorf(protocol.CodeBadRequest, "item id must be a positive number, not %q", r.PathValue("id"))
	}
	age := s.deps.ReplayAge
	if age <= 0 {
		age = 24 * time.Hour
	}
	if s.deps.Outbox == nil {
		return 0, nil, protocol.Errorf(protocol.CodeInvalidState, "the outbox is not running")
	}
	it, err := s.deps.Outbox.Replay(r.Context(), id, time.Now().Add(age))
	if errors.Is(err, store.ErrInvalid) { // the item is still pending: a conflict with its state, not a bad request
		return 0, nil, &protocol.Error{Code: protocol.CodeConflict, Message: trimSentinel(err, store.ErrInvalid)}
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, viewOutbox(it), nil
}

// outboxView is an item as the admin API shows it (payload as JSON).
type outboxView struct {
	ID            int64           `json:"id"`
	EventID       string          `json:"eventId"`
	Channel       string          `json:"channel"`
	Target        string          `json:"target"`
	State         string          `json:"state"`
	Attempts      int             `json:"attempts"`
	CreatedAt     int64           `json:"createdAt"`
	NextAttemptAt int64           `json:"nextAttemptAt"`
	Deadline      int64           `json:"deadline"`
	LastError     string          `json:"lastError,omitempty"`
	DoneAt        protocol.Millis `json:"doneAt"`
	Payload       rawOrString     `json:"payload"`
	Node          string          `json:"node,omitempty"` // the cluster node that delivers it while pending
}

func viewOutbox(it store.OutboxItem) outboxView {
	v := outboxView{ID: it.ID, EventID: it.EventID, Channel: it.Channel, Target: it.Target, State: it.State,
		Attempts: it.Attempts, CreatedAt: it.CreatedAt.UnixMilli(), NextAttemptAt: it.NextAttemptAt.UnixMilli(),
		Deadline: it.Deadline.UnixMilli(), LastError: it.LastError, Payload: rawOrString(it.Payload),
		DoneAt: protocol.MillisOf(it.DoneAt), Node: it.Node}
	return v
}

// rawOrString marshals JSON bytes as themselves (the stored payloads are JSON).
type rawOrString []byte

func (r rawOrString) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}
