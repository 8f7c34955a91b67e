package signaling

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/wire"
)

// LogQuery filters CallLog (the params of listCalls and GET /v1/calls).
type LogQuery struct {
	Limit     int    `json:"limit,omitempty"`     // 1..100, 0 means 50
	Before    int64  `json:"before,omitempty"`    // unix ms: calls initiated strictly before
	Status    string `json:"status,omitempty"`    // the viewer's status, e.g. missed
	Direction string `json:"direction,omitempty"` // incoming | outgoing
}

// logScanPages bounds how many store pages one filtered CallLog reads.
const logScanPages = 20

func (q LogQuery) validate() error {
	if q.Limit < 0 || q.Limit > 100 {
		return wire.Errorf(wire.CodeBadRequest, "limit must be from 1 to 100, not %d", q.Limit)
	}
	if q.Before < 0 {
		return wire.Errorf(wire.CodeBadRequest, "before must be unix milliseconds, not %d", q.Before)
	}
	switch q.Direction {
	case "", "incoming", "outgoing":
	default:
		return wire.Errorf(wire.CodeBadRequest, "direction must be incoming or outgoing, not %q", q.Direction)
	}
	switch q.Status {
	case "", StatusInitiated, StatusOngoing, StatusBusy, StatusRejected, StatusCancelled,
		StatusEnded, StatusMissed, StatusUnanswered:
	default:
		return wire.Errorf(wire.CodeBadRequest, "status %q is not a call status", q.Status)
	}
	return nil
}

func (q LogQuery) keep(c Call, uid string) bool {
	if q.Status != "" && c.Status != q.Status {
		return false
	}
	switch q.Direction {
	case "outgoing":
		return c.Initiator.UID == uid
	case "incoming":
		return c.Initiator.UID != uid
	}
	return true
}

// CallLog returns uid's call log, newest first, with uid's view of each
// status. Calls that ended before it was called are always in it. Bad
// queries are a *wire.Error (bad_request).
func (h *Hub) CallLog(ctx context.Context, uid string, q LogQuery) ([]Call, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	if err := h.writer.flush(ctx); err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	sq := store.CallQuery{UID: uid, Limit: limit}
	filtered := q.Status != "" || q.Direction != ""
	if filtered {
		sq.Limit = 100
	}
	if q.Before > 0 {
		sq.Before = time.UnixMilli(q.Before)
	}
	names := newNameCache(h.st)
	out := make([]Call, 0, limit)
	for page := 0; page < logScanPages && len(out) < limit; page++ {
		recs, err := h.st.ListCalls(ctx, sq)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			v := logView(r, uid, names.user(ctx, r.InitiatorUID), names.receiver(ctx, r.ReceiverType, r.ReceiverID))
			if q.keep(v, uid) && len(out) < limit {
				out = append(out, v)
			}
		}
		if !filtered || len(recs) < sq.Limit {
			break
		}
		sq.Before = recs[len(recs)-1].InitiatedAt
	}
	return out, nil
}

// nameCache looks up display names once per CallLog.
type nameCache struct {
	st    store.Store
	names map[string]string
}

func newNameCache(st store.Store) *nameCache {
	return &nameCache{st: st, names: make(map[string]string)}
}

func (n *nameCache) user(ctx context.Context, uid string) string {
	if name, ok := n.names["u:"+uid]; ok {
		return name
	}
	u, err := n.st.GetUser(ctx, uid)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return ""
	}
	n.names["u:"+uid] = u.Name
	return u.Name
}

func (n *nameCache) receiver(ctx context.Context, typ, id string) string {
	if typ != ReceiverGroup {
		return n.user(ctx, id)
	}
	if name, ok := n.names["g:"+id]; ok {
		return name
	}
	g, _ := n.st.GetGroup(ctx, id)
	n.names["g:"+id] = g.Name
	return g.Name
}
