package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Call statuses, as stored.
const (
	CallInitiated  = "initiated"
	CallOngoing    = "ongoing"
	CallBusy       = "busy"
	CallRejected   = "rejected"
	CallCancelled  = "cancelled"
	CallEnded      = "ended"
	CallUnanswered = "unanswered"
)

const callCols = `session_id, call_type, receiver_type, initiator_uid, receiver_id, status,
	initiated_at, joined_at, ended_at, timeout_s, end_reason`

// callSaveCols are the columns a save writes: callCols and the two flags
// that say which of the call log's indexes hold the call (unlisted).
const callSaveCols = callCols + `, initiator_unlisted, receiver_unlisted`

func scanCall(sc scanner) (Call, error) {
	var c Call
	var initiated, joined, ended sql.NullInt64
	if err := sc.Scan(&c.SessionID, &c.CallType, &c.ReceiverType, &c.InitiatorUID, &c.ReceiverID,
		&c.Status, &initiated, &joined, &ended, &c.Timeout, &c.EndReason); err != nil {
		return Call{}, err
	}
	c.InitiatedAt, c.JoinedAt, c.EndedAt = fromMS(initiated), fromMS(joined), fromMS(ended)
	return c, nil
}

// GetCall returns one call with its participants, or ErrNotFound.
func (s *sqlStore) GetCall(ctx context.Context, sessionID string) (Call, error) {
	if err := ValidateID("session id", sessionID); err != nil {
		return Call{}, err
	}
	var c Call
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scanCall(tx.QueryRowContext(ctx, `SELECT `+callCols+` FROM calls WHERE session_id = ?1`, sessionID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("call %q %w", sessionID, ErrNotFound)
		case err != nil:
			return fmt.Errorf("store: get call %q: %w", sessionID, err)
		}
		calls := []Call{c}
		if err := loadParticipants(ctx, tx, calls); err != nil {
			return err
		}
		c = calls[0]
		return nil
	})
	return c, err
}

// ListCalls returns q.UID's call log, newest first: calls the user
// initiated, received (1:1), or took part in. Calls initiated in the same
// millisecond are ordered by session id (descending); a page boundary
// given by Before alone skips the rest of such a tie, one given by Before
// and BeforeSessionID (the last call of the previous page) loses nothing.
func (s *sqlStore) ListCalls(ctx context.Context, q CallQuery) ([]Call, error) {
	if err := ValidateID("uid", q.UID); err != nil {
		return nil, err
	}
	if q.Status != "" && !knownCallStatus(q.Status) {
		return nil, fmt.Errorf("%w: status %q is not a call status; use one of %s", ErrInvalid, q.Status, strings.Join(callStatuses, ", "))
	}
	n, before, err := pageOfCalls(q)
	if err != nil {
		return nil, err
	}
	return s.readCalls(ctx, "calls of "+q.UID, listCallsSQL, q.UID, before, q.Status, n, q.BeforeSessionID)
}

// ListOpenCalls returns the calls still initiated or ongoing, of every
// user, newest first, paged as ListCalls is (Before, BeforeSessionID).
// q.UID must be empty; q.Status, if set, is initiated or ongoing.
func (s *sqlStore) ListOpenCalls(ctx context.Context, q CallQuery) ([]Call, error) {
	if q.UID != "" {
		return nil, fmt.Errorf("%w: the open calls are everyone's: no uid", ErrInvalid)
	}
	if q.Status != "" && q.Status != CallInitiated && q.Status != CallOngoing {
		return nil, fmt.Errorf("%w: status %q: an open call is %s or %s", ErrInvalid, q.Status, CallInitiated, CallOngoing)
	}
	n, before, err := pageOfCalls(q)
	if err != nil {
		return nil, err
	}
	return s.readCalls(ctx, "open calls", `SELECT `+callCols+` FROM calls
		WHERE status IN ('initiated', 'ongoing') AND (?3 = '' OR status = ?3)
			AND (CAST(?1 AS BIGINT) IS NULL OR initiated_at < ?1 OR (initiated_at = ?1 AND session_id < ?2))
		ORDER BY initiated_at DESC, session_id DESC LIMIT ?4`, before, q.BeforeSessionID, q.Status, n)
}

// pageOfCalls checks q's page: its size (1..100, 0 = 50) and where it
// starts (Before, with BeforeSessionID only together with it).
func pageOfCalls(q CallQuery) (n int, before sql.NullInt64, err error) {
	if n, err = limit(q.Limit); err != nil {
		return 0, before, err
	}
	if !q.Before.IsZero() {
		before = sql.NullInt64{Int64: q.Before.UnixMilli(), Valid: true}
	}
	if q.BeforeSessionID != "" {
		if !before.Valid {
			return 0, before, fmt.Errorf("%w: a call log position needs both its time (Before) and its session id", ErrInvalid)
		}
		if err := ValidateID("session id", q.BeforeSessionID); err != nil {
			return 0, before, err
		}
	}
	return n, before, nil
}

// readCalls runs a query of calls (callCols) in one read transaction and
// loads their participants.
func (s *sqlStore) readCalls(ctx context.Context, what, query string, args ...any) ([]Call, error) {
	calls := []Call{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("store: list %s: %w", what, err)
		}
		if calls, err = collectCalls(rows); err != nil {
			return err
		}
		return loadParticipants(ctx, tx, calls)
	})
	if err != nil {
		return nil, err
	}
	return calls, nil
}

// listCallsSQL takes the newest ?4 calls of each way a user (?1) is in a
// call, each read newest first from its own index and bounded by ?2
// (Before), ?5 (BeforeSessionID: with ?2, the calls of ?2's millisecond
// that sort after it in the log; empty takes none, no id sorting before
// it) and ?3 (Status), then merges them: the top ?4 of the union is
// the top ?4 overall, without reading the rest of a long log.
const listCallsSQL = `SELECT ` + callCols + ` FROM calls WHERE session_id IN (
	SELECT session_id FROM (SELECT session_id FROM calls
		WHERE initiator_uid = ?1 AND initiator_unlisted = 1 AND (CAST(?2 AS BIGINT) IS NULL OR initiated_at < ?2 OR (initiated_at = ?2 AND session_id < ?5)) AND (?3 = '' OR status = ?3)
		ORDER BY initiated_at DESC, session_id DESC LIMIT ?4) AS by_initiator
	UNION SELECT session_id FROM (SELECT session_id FROM calls
		WHERE receiver_id = ?1 AND receiver_unlisted = 1 AND receiver_type = 'user' AND (CAST(?2 AS BIGINT) IS NULL OR initiated_at < ?2 OR (initiated_at = ?2 AND session_id < ?5)) AND (?3 = '' OR status = ?3)
		ORDER BY initiated_at DESC, session_id DESC LIMIT ?4) AS by_receiver
	UNION SELECT session_id FROM (SELECT p.session_id FROM call_participants p JOIN calls c ON c.session_id = p.session_id
		WHERE p.uid = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR p.initiated_at < ?2 OR (p.initiated_at = ?2 AND p.session_id < ?5)) AND (?3 = '' OR c.status = ?3)
		ORDER BY p.initiated_at DESC, p.session_id DESC LIMIT ?4) AS by_participant)
	ORDER BY initiated_at DESC, session_id DESC LIMIT ?4`

func collectCalls(rows *sql.Rows) ([]Call, error) {
	defer rows.Close()
	calls := []Call{}
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan call: %w", err)
		}
		calls = append(calls, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list calls: %w", err)
	}
	return calls, nil
}

// loadParticipants fills in the participants of calls (at most MaxLimit)
// with one query, in the order they were saved.
func loadParticipants(ctx context.Context, tx *sql.Tx, calls []Call) error {
	if len(calls) == 0 {
		return nil
	}
	index := make(map[string]int, len(calls))
	args := make([]any, len(calls))
	marks := make([]string, len(calls))
	for i, c := range calls {
		index[c.SessionID] = i
		args[i] = c.SessionID
		marks[i] = "?"
	}
	rows, err := tx.QueryContext(ctx, `SELECT session_id, uid, status, joined_at, left_at, earlier_ms
		FROM call_participants WHERE session_id IN (`+strings.Join(marks, ",")+`)
		ORDER BY session_id, pos`, args...)
	if err != nil {
		return fmt.Errorf("store: load participants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid string
		var p Participant
		var joined, left sql.NullInt64
		var earlier int64
		if err := rows.Scan(&sid, &p.UID, &p.Status, &joined, &left, &earlier); err != nil {
			return fmt.Errorf("store: scan participant: %w", err)
		}
		p.JoinedAt, p.LeftAt, p.Earlier = fromMS(joined), fromMS(left), time.Duration(earlier)*time.Millisecond
		i := index[sid]
		calls[i].Participants = append(calls[i].Participants, p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: load participants: %w", err)
	}
	return nil
}

// CloseOpenCalls ends every call still initiated or ongoing as a clean
// shutdown does (signaling's finish): it becomes "ended" if it had been
// joined (JoinedAt set), else "cancelled", with EndedAt = at and EndReason =
// reason. Participants still "ongoing" become "left" with LeftAt = at; those
// still "initiated" become "cancelled" in a call never joined, and in a
// joined call "left" (the initiator, position 0) or "missed" (a callee).
// It returns how many calls it closed.
func (s *sqlStore) CloseOpenCalls(ctx context.Context, reason string, at time.Time) ([]Call, error) {
	if err := validateEndReason(reason); err != nil {
		return nil, err
	}
	if at.IsZero() {
		return nil, fmt.Errorf("%w: close time is zero", ErrInvalid)
	}
	var sids []string
	err := s.write(ctx, func(tx *sql.Tx) error {
		const open = `SELECT session_id FROM calls WHERE status IN ('initiated', 'ongoing')`
		rows, err := tx.QueryContext(ctx, open)
		if err != nil {
			return fmt.Errorf("store: close open calls: %w", err)
		}
		for rows.Next() {
			var sid string
			if err := rows.Scan(&sid); err != nil {
				rows.Close()
				return fmt.Errorf("store: close open calls: %w", err)
			}
			sids = append(sids, sid)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("store: close open calls: %w", err)
		}
		if len(sids) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE call_participants
			SET left_at = CASE WHEN left_at IS NULL AND joined_at IS NOT NULL THEN ?1 ELSE left_at END,
				status = CASE
					WHEN status = 'ongoing' THEN 'left'
					WHEN status != 'initiated' THEN status
					WHEN (SELECT c.joined_at FROM calls c WHERE c.session_id = call_participants.session_id) IS NULL THEN 'cancelled'
					WHEN pos = 0 THEN 'left'
					ELSE 'missed' END
			WHERE session_id IN (`+open+`)`,
			at.UnixMilli()); err != nil {
			return fmt.Errorf("store: close open calls: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE calls
			SET status = CASE WHEN joined_at IS NOT NULL THEN 'ended' ELSE 'cancelled' END, ended_at = ?1, end_reason = ?2
			WHERE status IN ('initiated', 'ongoing')`, at.UnixMilli(), reason); err != nil {
			return fmt.Errorf("store: close open calls: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	closed := make([]Call, 0, len(sids))
	for _, sid := range sids {
		c, err := s.GetCall(ctx, sid)
		if err != nil {
			return closed, fmt.Errorf("store: read a closed call: %w", err)
		}
		closed = append(closed, c)
	}
	return closed, nil
}
