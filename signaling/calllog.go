package signaling

import (
	"cmp"
	"context"
	"errors"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// logScanPages bounds how many store pages one filtered CallLog reads
// (a variable: tests lower it).
var logScanPages = 20

// validateLogQuery checks listCalls params.
func validateLogQuery(q protocol.LogQuery) error {
	if q.Limit < 0 || q.Limit > 100 {
		return protocol.Errorf(protocol.CodeBadRequest, "limit must be from 1 to 100, not %d", q.Limit)
	}
	if q.Before < 0 {
		return protocol.Errorf(protocol.CodeBadRequest, "before must be unix milliseconds, not %d", q.Before)
	}
	if q.After != "" {
		if q.Before != 0 {
			return protocol.Errorf(protocol.CodeBadRequest, "after and before are two ways to say where a page starts: pass one")
		}
		if _, err := protocol.ParseLogCursor("after", q.After); err != nil {
			return err
		}
	}
	switch q.Direction {
	case "", protocol.DirectionIncoming, protocol.DirectionOutgoing:
	default:
		return protocol.Errorf(protocol.CodeBadRequest, "direction must be incoming or outgoing, not %q", q.Direction)
	}
	switch q.Status {
	case "", protocol.StatusInitiated, protocol.StatusOngoing, protocol.StatusBusy, protocol.StatusRejected, protocol.StatusCancelled,
		protocol.StatusEnded, protocol.StatusMissed, protocol.StatusUnanswered:
	default:
		return protocol.Errorf(protocol.CodeBadRequest, "status %q is not a call status", q.Status)
	}
	return nil
}

// keepInLog reports whether c (uid's view) passes q's filters.
func keepInLog(q protocol.LogQuery, c protocol.Call, uid string) bool {
	if q.Status != "" && c.Status != q.Status {
		return false
	}
	switch q.Direction {
	case protocol.DirectionOutgoing:
		return c.Initiator.UID == uid
	case protocol.DirectionIncoming:
		return c.Initiator.UID != uid
	}
	return true
}

// CallLog returns uid's call log, newest first, with uid's view of each
// status: CallLogPage's calls.
func (h *Hub) CallLog(ctx context.Context, uid string, q protocol.LogQuery) ([]protocol.Call, error) {
	p, err := h.CallLogPage(ctx, uid, q)
	return p.Calls, err
}

// CallLogPage returns a page of uid's call log, newest first, with uid's
// view of each status, and where the next page starts: after the page's
// last call when it is full, or, for a filtered log (status, direction)
// whose scan stopped at logScanPages store pages before the page filled,
// after the last call it read ("" when the log has no more). Calls that
// ended before it was called are always in it, and so is every change
// handed to the loop before it (a media leave the SFU posted before
// answering the leave). Bad queries are a *protocol.Error (bad_request).
func (h *Hub) CallLogPage(ctx context.Context, uid string, q protocol.LogQuery) (protocol.CallPage, error) {
	if err := validateLogQuery(q); err != nil {
		return protocol.CallPage{}, err
	}
	// What the loop has been told so far (a media leave posted by the SFU
	// before its reply went out) is applied, then written.
	_ = h.run(func() {}) // ErrClosed: nothing more will change
	if err := h.writer.flush(ctx); err != nil {
		return protocol.CallPage{}, err
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
	if q.After != "" {
		at, _ := protocol.ParseLogCursor("after", q.After) // validateLogQuery checked it
		sq.Before, sq.BeforeSessionID = time.UnixMilli(at.InitiatedAt), at.SessionID
	}
	names := newNameCache(h.st)
	view := func(r store.Call) protocol.Call {
		return names.view(ctx, r, uid)
	}
	var out []protocol.Call
	next := ""
	if !filtered {
		recs, more, err := store.ReadPage(limit, callsAfter(ctx, sq, h.st.ListCalls))
		if err != nil {
			return protocol.CallPage{}, err
		}
		out = make([]protocol.Call, 0, len(recs))
		for _, r := range recs {
			out = append(out, view(r))
		}
		if more {
			next = logCursorAfter(out)
		}
	} else {
		// One match more than the page holds says whether the log goes on.
		out = make([]protocol.Call, 0, limit+1)
		for page := 0; len(out) <= limit; page++ {
			if page == logScanPages {
				next = protocol.LogCursor{InitiatedAt: sq.Before.UnixMilli(), SessionID: sq.BeforeSessionID}.String()
				break
			}
			recs, err := h.st.ListCalls(ctx, sq)
			if err != nil {
				return protocol.CallPage{}, err
			}
			for _, r := range recs {
				if v := view(r); keepInLog(q, v, uid) && len(out) <= limit {
					out = append(out, v)
				}
			}
			if len(recs) < sq.Limit {
				break
			}
			last := recs[len(recs)-1]
			sq.Before, sq.BeforeSessionID = last.InitiatedAt, last.SessionID
		}
		if len(out) > limit {
			out = out[:limit]
			next = logCursorAfter(out)
		}
	}
	if err := h.withQuality(ctx, out); err != nil {
		return protocol.CallPage{}, err
	}
	return protocol.CallPage{Calls: out, Next: next}, nil
}

// callsAfter reads q's calls for store.ReadPage: n of them, after a call
// (where q starts when none).
func callsAfter(ctx context.Context, q store.CallQuery, list func(context.Context, store.CallQuery) ([]store.Call, error)) func(int, *store.Call) ([]store.Call, error) {
	return func(n int, after *store.Call) ([]store.Call, error) {
		q := q
		q.Limit = n
		if after != nil {
			q.Before, q.BeforeSessionID = after.InitiatedAt, after.SessionID
		}
		return list(ctx, q)
	}
}

// logCursorAfter is the next of a page that ends with calls' last one.
func logCursorAfter(calls []protocol.Call) string {
	last := calls[len(calls)-1]
	return protocol.LogCursor{InitiatedAt: int64(last.InitiatedAt), SessionID: last.SessionID}.String()
}

// LiveCalls is a page of every user's calls still ringing or ongoing, on
// any node, newest first, each as the log holds it (its own status), for
// the admin API. q.Status, if set, is initiated or ongoing; q.After pages
// on; q.Before and q.Direction are refused (nobody's view is taken). This
// node's changes are written first; another node's are as its last save
// left them (a moment behind at most).
func (h *Hub) LiveCalls(ctx context.Context, q protocol.LogQuery) (protocol.CallPage, error) {
	if err := validateLogQuery(q); err != nil {
		return protocol.CallPage{}, err
	}
	if q.Before != 0 || q.Direction != "" {
		return protocol.CallPage{}, protocol.Errorf(protocol.CodeBadRequest, "live calls are paged with after only, and are nobody's in particular (no direction)")
	}
	if q.Status != "" && q.Status != protocol.StatusInitiated && q.Status != protocol.StatusOngoing {
		return protocol.CallPage{}, protocol.Errorf(protocol.CodeBadRequest, "status %q: a live call is initiated (ringing) or ongoing", q.Status)
	}
	_ = h.run(func() {}) // what the loop has been told is applied, then written
	if err := h.writer.flush(ctx); err != nil {
		return protocol.CallPage{}, err
	}
	limit := cmp.Or(q.Limit, 50)
	sq := store.CallQuery{Limit: limit, Status: q.Status}
	if q.After != "" {
		at, _ := protocol.ParseLogCursor("after", q.After) // validateLogQuery checked it
		sq.Before, sq.BeforeSessionID = time.UnixMilli(at.InitiatedAt), at.SessionID
	}
	recs, more, err := store.ReadPage(limit, callsAfter(ctx, sq, h.st.ListOpenCalls))
	if err != nil {
		return protocol.CallPage{}, err
	}
	names := newNameCache(h.st)
	out := make([]protocol.Call, 0, len(recs))
	for _, r := range recs {
		out = append(out, names.view(ctx, r, r.InitiatorUID))
	}
	next := ""
	if more {
		next = logCursorAfter(out)
	}
	return protocol.CallPage{Calls: out, Next: next}, nil
}

// nameCache looks up users' and groups' names (and users' avatars) once
// per call log.
type nameCache struct {
	st      store.Store
	parties map[string]protocol.Party
}

func newNameCache(st store.Store) *nameCache {
	return &nameCache{st: st, parties: make(map[string]protocol.Party)}
}

func (n *nameCache) user(ctx context.Context, uid string) protocol.Party {
	if p, ok := n.parties["u:"+uid]; ok {
		return p
	}
	u, err := n.st.GetUser(ctx, uid)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return protocol.Party{UID: uid} // not kept: the next call asks again
	}
	p := protocol.Party{UID: uid, Name: u.Name, Avatar: u.Avatar}
	n.parties["u:"+uid] = p
	return p
}

func (n *nameCache) receiver(ctx context.Context, typ, id string) protocol.Party {
	if typ != protocol.ReceiverGroup {
		return n.user(ctx, id)
	}
	if p, ok := n.parties["g:"+id]; ok {
		return p
	}
	g, _ := n.st.GetGroup(ctx, id)
	p := protocol.Party{GUID: id, Name: g.Name}
	n.parties["g:"+id] = p
	return p
}

// view renders r for uid's log.
func (n *nameCache) view(ctx context.Context, r store.Call, uid string) protocol.Call {
	return logView(r, uid, n.user(ctx, r.InitiatorUID), n.receiver(ctx, r.ReceiverType, r.ReceiverID))
}
