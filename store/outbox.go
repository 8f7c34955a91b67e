package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Outbox item states.
const (
	OutboxPending   = "pending"   // waiting for its first or next attempt
	OutboxDelivered = "delivered" // the receiver took it
	OutboxFailed    = "failed"    // given up on (deadline passed or refused for good); can be replayed
)

var outboxStates = []string{OutboxPending, OutboxDelivered, OutboxFailed}

// The server's outbox channels (the webhook and push packages name theirs
// after these; the outbox itself delivers any channel it is given).
const (
	ChannelWebhook = "webhook"
	ChannelPush    = "push"
)

// Bounds on outbox fields.
const (
	MaxOutboxPayload = 64 << 10 // bytes
	maxOutboxError   = 500      // bytes of last_error kept
)

// OutboxItem is one thing that must leave the server: a push to one device
// or a webhook delivery to one endpoint. Items with the same OrderKey are
// delivered one at a time, in the order they were enqueued (ID order).
type OutboxItem struct {
	ID            int64     `json:"id"`
	EventID       string    `json:"eventId"` // unique; receivers de-duplicate on it
	Channel       string    `json:"channel"` // e.g. push, webhook
	Target        string    `json:"target"`  // the device or endpoint, in the channel's terms
	OrderKey      string    `json:"orderKey"`
	Payload       []byte    `json:"payload"`
	State         string    `json:"state"`
	Attempts      int       `json:"attempts"`
	CreatedAt     time.Time `json:"createdAt"`
	NextAttemptAt time.Time `json:"nextAttemptAt"`
	Deadline      time.Time `json:"deadline"` // no attempt after this: the item fails
	LastError     string    `json:"lastError,omitempty"`
	DoneAt        time.Time `json:"doneAt"` // delivered or failed at; zero while pending
	// Node is the node that delivers the item while it is pending: the
	// one that stored it (or replayed it), or took it over ("" for a
	// server that runs alone).
	Node string `json:"node"`
}

// OutboxQuery selects outbox items for the admin API, oldest first.
type OutboxQuery struct {
	State   string // optional: pending, delivered or failed
	Channel string // optional
	AfterID int64  // keyset paging: ids strictly greater
	Limit   int    // 1..100 (0 means 50)
}

func validateOutboxItem(it OutboxItem) error {
	switch {
	case it.EventID == "" || len(it.EventID) > 255:
		return fmt.Errorf("%w: outbox event id must be 1..255 bytes", ErrInvalid)
	case it.Channel == "" || len(it.Channel) > maxStatusLen:
		return fmt.Errorf("%w: outbox channel %q", ErrInvalid, it.Channel)
	case it.Target == "" || len(it.Target) > 2*MaxIDLen+MaxAppIDLen:
		return fmt.Errorf("%w: outbox target %q", ErrInvalid, it.Target)
	case it.OrderKey == "" || len(it.OrderKey) > 4*MaxIDLen:
		return fmt.Errorf("%w: outbox order key %q", ErrInvalid, it.OrderKey)
	case len(it.Payload) == 0 || len(it.Payload) > MaxOutboxPayload:
		return fmt.Errorf("%w: outbox payload is %d bytes; use 1..%d", ErrInvalid, len(it.Payload), MaxOutboxPayload)
	case it.Deadline.IsZero():
		return fmt.Errorf("%w: outbox item %s has no deadline", ErrInvalid, it.EventID)
	case len(it.Node) > MaxIDLen:
		return fmt.Errorf("%w: outbox node %q is longer than %d bytes", ErrInvalid, it.Node, MaxIDLen)
	}
	return nil
}

const outboxCols = `id, event_id, channel, target, order_key, payload, state, attempts,
	created_at, next_attempt_at, deadline, last_error, done_at, node`

func scanOutbox(sc scanner) (OutboxItem, error) {
	var it OutboxItem
	var created, next, deadline, done sql.NullInt64
	if err := sc.Scan(&it.ID, &it.EventID, &it.Channel, &it.Target, &it.OrderKey, &it.Payload, &it.State,
		&it.Attempts, &created, &next, &deadline, &it.LastError, &done, &it.Node); err != nil {
		return OutboxItem{}, err
	}
	it.CreatedAt, it.NextAttemptAt, it.Deadline, it.DoneAt = fromMS(created), fromMS(next), fromMS(deadline), fromMS(done)
	return it, nil
}

// insertOutboxSQL stores one pending item and returns its id (none for a
// known event id).
const insertOutboxSQL = `INSERT INTO outbox
	(event_id, channel, target, order_key, payload, state, attempts, created_at, next_attempt_at, deadline, node)
	VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?7, ?8, ?9) ON CONFLICT (event_id) DO NOTHING RETURNING id`

// lazyStmt is a statement prepared on the writer pool at its first use and
// kept until Close (parsing it for every batch was a tenth of
// EnqueueOutbox's cost).
type lazyStmt struct {
	// mu guards st.
	mu sync.Mutex
	st *sql.Stmt
}

func (l *lazyStmt) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.st != nil {
		return l.st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	l.st = st
	return st, nil
}

func (l *lazyStmt) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.st != nil {
		_ = l.st.Close()
		l.st = nil
	}
}

// EnqueueOutbox stores items as pending, due at once (or at NextAttemptAt
// if set), in one transaction: all or none. An event id seen before is
// skipped (enqueueing is idempotent). It returns the items stored, with
// their ids, in order.
func (s *sqlStore) EnqueueOutbox(ctx context.Context, items []OutboxItem) ([]OutboxItem, error) {
	return s.SaveCallsOutbox(ctx, nil, items)
}

// SaveCallsOutbox saves calls (as SaveCalls) and stores items (as
// EnqueueOutbox) in one transaction.
func (s *sqlStore) SaveCallsOutbox(ctx context.Context, calls []Call, items []OutboxItem) ([]OutboxItem, error) {
	for _, c := range calls {
		if err := validateCall(c); err != nil {
			return nil, err
		}
	}
	for _, it := range items {
		if err := validateOutboxItem(it); err != nil {
			return nil, err
		}
	}
	// Prepared before the transaction: it holds the writer's only connection.
	ins, err := s.outboxInsert.get(ctx, s.w, insertOutboxSQL)
	if err != nil {
		return nil, fmt.Errorf("store: enqueue outbox: %w", err)
	}
	var out []OutboxItem
	saved := make([]int, len(calls)) // participants stored per call, per the hint (-1: unknown)
	rows := make([][]rowState, len(calls))
	err = s.write(ctx, func(tx *sql.Tx) error {
		if len(calls) > 0 {
			bound := s.calls.bind(ctx, tx)
			defer bound.close()
			s.saved.lookup(calls, saved, rows)
			for i := range calls {
				if err := bound.save(ctx, &calls[i], saved[i], rows[i]); err != nil {
					return err
				}
				yield()
			}
		}
		var err error
		out, err = s.insertOutbox(ctx, tx, ins, items)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.saved.remember(calls)
	return out, nil
}

// yield lets other goroutines run between the statements of a long
// transaction. A server on one CPU (GOMAXPROCS=1) otherwise runs a batch's
// statements and commit (several ms for a few hundred rows) before the
// ringing loop and the sockets get their turn; a statement costs ~20 µs, a
// yield ~0.1 µs. The transaction holds the writer connection a little
// longer; nothing else writes while it runs but the call writer itself.
func yield() { runtime.Gosched() }

// insertOutbox stores items with ins in tx; it returns those stored.
func (s *sqlStore) insertOutbox(ctx context.Context, tx *sql.Tx, ins *sql.Stmt, items []OutboxItem) ([]OutboxItem, error) {
	if len(items) == 0 {
		return nil, nil
	}
	st := tx.StmtContext(ctx, ins)
	defer st.Close()
	now := s.stamp(time.Time{})
	out := make([]OutboxItem, 0, len(items))
	for _, it := range items {
		it.CreatedAt = s.stamp(it.CreatedAt)
		if it.NextAttemptAt.IsZero() {
			it.NextAttemptAt = now
		}
		it.NextAttemptAt = time.UnixMilli(it.NextAttemptAt.UnixMilli()).UTC()
		it.Deadline = time.UnixMilli(it.Deadline.UnixMilli()).UTC()
		err := st.QueryRowContext(ctx, it.EventID, it.Channel, it.Target, it.OrderKey, it.Payload,
			ms(it.CreatedAt), ms(it.NextAttemptAt), ms(it.Deadline), it.Node).Scan(&it.ID)
		if errors.Is(err, sql.ErrNoRows) {
			continue // a known event id
		}
		if err != nil {
			return nil, fmt.Errorf("store: enqueue outbox %s: %w", it.EventID, err)
		}
		it.State, it.Attempts = OutboxPending, 0
		out = append(out, it)
		yield()
	}
	return out, nil
}

// PendingOutbox returns up to limit pending items with ids above afterID,
// in id order, whichever node delivers them (a sweep looks for items left
// behind with it).
func (s *sqlStore) PendingOutbox(ctx context.Context, afterID int64, limit int) ([]OutboxItem, error) {
	return s.queryOutbox(ctx, "pending outbox", `SELECT `+outboxCols+` FROM outbox
		WHERE state = 'pending' AND id > ?1 ORDER BY id LIMIT ?2`, afterID, limit)
}

// PendingOutboxOf is PendingOutbox for the items node delivers (the
// dispatcher loads its own work with it).
func (s *sqlStore) PendingOutboxOf(ctx context.Context, node string, afterID int64, limit int) ([]OutboxItem, error) {
	return s.queryOutbox(ctx, "pending outbox", `SELECT `+outboxCols+` FROM outbox
		WHERE state = 'pending' AND id > ?1 AND node = ?3 ORDER BY id LIMIT ?2`, afterID, limit, node)
}

// ClaimOutbox makes node the one that delivers the pending items among ids
// (a node taking over what another left behind).
func (s *sqlStore) ClaimOutbox(ctx context.Context, node string, ids []int64) error {
	if len(node) > MaxIDLen {
		return fmt.Errorf("%w: outbox node %q is longer than %d bytes", ErrInvalid, node, MaxIDLen)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		for len(ids) > 0 {
			n := min(len(ids), 500)
			args := []any{node}
			for _, id := range ids[:n] {
				args = append(args, id)
			}
			q := `UPDATE outbox SET node = ?1 WHERE state = 'pending' AND id IN (?` + strings.Repeat(",?", n-1) + `)`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("store: claim outbox: %w", err)
			}
			ids = ids[n:]
		}
		return nil
	})
}

// queryOutbox runs a query of outbox rows (what names it in errors).
func (s *sqlStore) queryOutbox(ctx context.Context, what, query string, args ...any) ([]OutboxItem, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := []OutboxItem{}
	for rows.Next() {
		it, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan outbox: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// OutboxResult is the outcome of one delivery attempt.
type OutboxResult struct {
	ID    int64
	State string    // delivered, failed, or pending to retry at Retry
	Retry time.Time // the next attempt (pending only)
	Error string    // what went wrong (kept in last_error)
	At    time.Time // when the attempt ended
}

// FinishOutbox records attempt results in one transaction; each counts one
// attempt.
func (s *sqlStore) FinishOutbox(ctx context.Context, results []OutboxResult) error {
	for _, r := range results {
		if !slices.Contains(outboxStates, r.State) {
			return fmt.Errorf("%w: outbox state %q", ErrInvalid, r.State)
		}
		if r.State == OutboxPending && r.Retry.IsZero() {
			return fmt.Errorf("%w: outbox item %d to retry has no retry time", ErrInvalid, r.ID)
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var delivered []any // the usual outcome: one statement for all of them
		var st *sql.Stmt
		for _, r := range results {
			if r.State == OutboxDelivered && r.Error == "" {
				delivered = append(delivered, r.ID)
				continue
			}
			if st == nil {
				var err error
				if st, err = tx.PrepareContext(ctx, `UPDATE outbox SET state = ?2, attempts = attempts + 1,
					next_attempt_at = COALESCE(CAST(?3 AS BIGINT), next_attempt_at), last_error = ?4, done_at = ?5 WHERE id = ?1`); err != nil {
					return fmt.Errorf("store: finish outbox: %w", err)
				}
				defer st.Close()
			}
			done := sql.NullInt64{}
			if r.State != OutboxPending {
				done = ms(s.stamp(r.At))
			}
			e := r.Error
			if len(e) > maxOutboxError {
				e = e[:maxOutboxError]
			}
			if _, err := st.ExecContext(ctx, r.ID, r.State, ms(r.Retry), e, done); err != nil {
				return fmt.Errorf("store: finish outbox %d: %w", r.ID, err)
			}
		}
		doneAt := ms(s.stamp(time.Time{}))
		for len(delivered) > 0 {
			n := min(len(delivered), 500)
			args := append([]any{doneAt}, delivered[:n]...)
			q := `UPDATE outbox SET state = 'delivered', attempts = attempts + 1, last_error = '', done_at = ?1
				WHERE id IN (?` + strings.Repeat(",?", n-1) + `)`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("store: finish outbox: %w", err)
			}
			delivered = delivered[n:]
			yield()
		}
		return nil
	})
}

// ListOutbox returns items matching q, oldest first.
func (s *sqlStore) ListOutbox(ctx context.Context, q OutboxQuery) ([]OutboxItem, error) {
	n, err := limit(q.Limit)
	if err != nil {
		return nil, err
	}
	if q.State != "" && !slices.Contains(outboxStates, q.State) {
		return nil, fmt.Errorf("%w: outbox state %q; use one of %s", ErrInvalid, q.State, strings.Join(outboxStates, ", "))
	}
	return s.queryOutbox(ctx, "list outbox", `SELECT `+outboxCols+` FROM outbox
		WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR channel = ?2) AND id > ?3 ORDER BY id LIMIT ?4`,
		q.State, q.Channel, q.AfterID, n)
}

// ReplayOutbox makes a failed (or delivered) item pending again, due at
// now with a new deadline, delivered by node; its event id is kept so the
// receiver can tell a replay from a new event. ErrNotFound if there is no
// such item; ErrInvalid if it is still pending.
func (s *sqlStore) ReplayOutbox(ctx context.Context, id int64, deadline time.Time, node string) (OutboxItem, error) {
	now := s.stamp(time.Time{})
	var out OutboxItem
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanOutbox(tx.QueryRowContext(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = ?2,
			deadline = ?3, done_at = NULL, node = ?4 WHERE id = ?1 AND state <> 'pending' RETURNING `+outboxCols,
			id, ms(now), ms(deadline), node))
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT state FROM outbox WHERE id = ?1`, id).Scan(&state); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("outbox item %d %w", id, ErrNotFound)
		} else if err != nil {
			return err
		}
		return fmt.Errorf("%w: outbox item %d is still pending", ErrInvalid, id)
	})
	if err != nil {
		if errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotFound) {
			return OutboxItem{}, err
		}
		return OutboxItem{}, fmt.Errorf("store: replay outbox %d: %w", id, err)
	}
	return out, nil
}

// PruneOutbox deletes items delivered or failed before cutoff; it returns
// how many.
func (s *sqlStore) PruneOutbox(ctx context.Context, cutoff time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM outbox WHERE state <> 'pending' AND done_at < ?1`, cutoff.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: prune outbox: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
