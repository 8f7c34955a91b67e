package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The statements that save a call, prepared once on the writer pool (one
// connection) and bound to each write transaction with Tx.StmtContext, so
// SQLite parses them once per store instead of once per save.
const (
	upsertCallSQL = `INSERT INTO calls (` + callCols + `)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
		ON CONFLICT (session_id) DO UPDATE SET
			call_type = excluded.call_type, receiver_type = excluded.receiver_type,
			initiator_uid = excluded.initiator_uid, receiver_id = excluded.receiver_id,
			status = excluded.status, initiated_at = excluded.initiated_at,
			joined_at = excluded.joined_at, ended_at = excluded.ended_at,
			timeout_s = excluded.timeout_s, end_reason = excluded.end_reason`
	deleteParticipantsSQL = `DELETE FROM call_participants WHERE session_id = ?1`
	insertParticipantSQL  = `INSERT INTO call_participants
		(session_id, uid, pos, status, joined_at, left_at, initiated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`
	// A call saved again (initiated, then ongoing, then ended) usually
	// changes only its status and times: updated in place, the indexes on
	// the fixed columns are left alone.
	updateCallSQL = `UPDATE calls SET status = ?6, joined_at = ?8, ended_at = ?9,
		timeout_s = ?10, end_reason = ?11
		WHERE session_id = ?1 AND call_type = ?2 AND receiver_type = ?3 AND initiator_uid = ?4
			AND receiver_id = ?5 AND initiated_at = ?7`
	updateParticipantSQL = `UPDATE call_participants SET pos = ?3, status = ?4, joined_at = ?5, left_at = ?6
		WHERE session_id = ?1 AND uid = ?2 AND initiated_at = ?7`
	countParticipantsSQL = `SELECT count(*) FROM call_participants WHERE session_id = ?1`
	// A call this store has not saved yet is usually new: inserted, and
	// its participants with it, without looking for older rows first.
	insertCallSQL = `INSERT INTO calls (` + callCols + `)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
		ON CONFLICT (session_id) DO NOTHING`
	// A 1:1 call's two participants (most saves) take one statement, not
	// two: ?1 session, ?2-?5 and ?6-?9 uid, status, joined, left of each,
	// ?10 the call's initiated_at.
	insertPairSQL = `INSERT INTO call_participants
		(session_id, uid, pos, status, joined_at, left_at, initiated_at)
		VALUES (?1, ?2, 0, ?3, ?4, ?5, ?10), (?1, ?6, 1, ?7, ?8, ?9, ?10)`
	updatePairSQL = `UPDATE call_participants SET
			pos = CASE uid WHEN ?2 THEN 0 ELSE 1 END,
			status = CASE uid WHEN ?2 THEN CAST(?3 AS TEXT) ELSE CAST(?7 AS TEXT) END,
			joined_at = CASE uid WHEN ?2 THEN CAST(?4 AS BIGINT) ELSE CAST(?8 AS BIGINT) END,
			left_at = CASE uid WHEN ?2 THEN CAST(?5 AS BIGINT) ELSE CAST(?9 AS BIGINT) END
		WHERE session_id = ?1 AND uid IN (?2, ?6) AND initiated_at = ?10`
)

// callStmt names one statement of a save.
type callStmt int

const (
	stUpsert callStmt = iota
	stDeleteParts
	stInsertPart
	stUpdate
	stUpdatePart
	stCountParts
	stInsert
	stInsertPair
	stUpdatePair
	numCallStmts
)

// callSQL is each statement's text.
var callSQL = [numCallStmts]string{
	stUpsert: upsertCallSQL, stDeleteParts: deleteParticipantsSQL, stInsertPart: insertParticipantSQL,
	stUpdate: updateCallSQL, stUpdatePart: updateParticipantSQL, stCountParts: countParticipantsSQL,
	stInsert: insertCallSQL, stInsertPair: insertPairSQL, stUpdatePair: updatePairSQL,
}

// callRunner runs the statements of a save: prepared statements bound to
// a database/sql transaction (callStmts), or statements on a pgx
// connection inside its pipelined transaction (pgxRunner, pgsave.go).
type callRunner interface {
	// exec runs statement k and returns the rows it changed.
	exec(ctx context.Context, k callStmt, args ...any) (int64, error)
	// countParts counts a call's participant rows.
	countParts(ctx context.Context, sessionID string) (int, error)
}

// callStmts are the prepared statements of SaveCalls.
type callStmts struct {
	st [numCallStmts]*sql.Stmt
}

func prepareCallStmts(ctx context.Context, db *sql.DB) (*callStmts, error) {
	var st callStmts
	var err error
	for k, q := range callSQL {
		if st.st[k], err = db.PrepareContext(ctx, q); err != nil {
			st.close()
			return nil, fmt.Errorf("store: prepare call statements: %w", err)
		}
	}
	return &st, nil
}

func (st *callStmts) close() {
	for _, p := range st.st {
		if p != nil {
			_ = p.Close()
		}
	}
}

// bind returns the statements bound to tx.
func (st *callStmts) bind(ctx context.Context, tx *sql.Tx) *callStmts {
	var bound callStmts
	for k, p := range st.st {
		bound.st[k] = tx.StmtContext(ctx, p)
	}
	return &bound
}

func (st *callStmts) exec(ctx context.Context, k callStmt, args ...any) (int64, error) {
	res, err := st.st[k].ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (st *callStmts) countParts(ctx context.Context, sessionID string) (int, error) {
	var n int
	err := st.st[stCountParts].QueryRowContext(ctx, sessionID).Scan(&n)
	return n, err
}

// SaveCall inserts or replaces a call and all its participants in one
// transaction. Times are kept to the millisecond.
func (s *sqlStore) SaveCall(ctx context.Context, c Call) error {
	return s.SaveCalls(ctx, []Call{c})
}

// SaveCalls saves calls in order, as SaveCall does, all in one transaction:
// either every call is saved or none is (an invalid call fails the batch
// before anything is written). A call listed twice ends as its last entry.
func (s *sqlStore) SaveCalls(ctx context.Context, calls []Call) error {
	if len(calls) == 0 {
		return nil
	}
	for _, c := range calls {
		if err := validateCall(c); err != nil {
			return err
		}
	}
	saved := make([]int, len(calls)) // participants stored per call, per the hint (-1: unknown)
	if s.pg {
		s.saved.lookup(calls, saved)
		err := s.savePG(ctx, calls, saved)
		if err == nil {
			s.saved.remember(calls)
		}
		return err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		bound := s.calls.bind(ctx, tx)
		defer bound.close() // a statement bound to a tx is closed with it anyway
		s.saved.lookup(calls, saved)
		for i := range calls {
			if err := saveCall(ctx, bound, &calls[i], saved[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		s.saved.remember(calls)
	}
	return err
}

// saveCall writes one call with st (statements of the write transaction).
// known is how many participants this store committed for it last time
// (-1: it has not saved the call, which is then usually new): a new call is
// inserted with its participants; a known one is updated in place when it
// keeps its fixed columns and participants (the usual second and third save
// of a call: only statuses and times change, so no index but calls_open is
// touched); anything else is rewritten whole. known is a hint: each path
// checks what it changed and falls back to the next when the rows are not
// what the hint said.
func saveCall(ctx context.Context, st callRunner, c *Call, known int) error {
	if known < 0 {
		n, err := st.exec(ctx, stInsert, callArgs(c)...)
		if err != nil {
			return fmt.Errorf("store: save call %q: %w", c.SessionID, err)
		}
		if n == 1 { // new: it has no participant rows
			return insertParts(ctx, st, c)
		}
	}
	if done, err := updateInPlace(ctx, st, c, known); done || err != nil {
		return err
	}
	_, err := st.exec(ctx, stUpsert, callArgs(c)...)
	if err == nil {
		_, err = st.exec(ctx, stDeleteParts, c.SessionID)
	}
	if err != nil {
		return fmt.Errorf("store: save call %q: %w", c.SessionID, err)
	}
	return insertParts(ctx, st, c)
}

func insertParts(ctx context.Context, st callRunner, c *Call) error {
	initiated := ms(c.InitiatedAt)
	if len(c.Participants) == 2 {
		if _, err := st.exec(ctx, stInsertPair, pairArgs(c)...); err != nil {
			return fmt.Errorf("store: save call %q participants: %w", c.SessionID, err)
		}
		return nil
	}
	for i, p := range c.Participants {
		if _, err := st.exec(ctx, stInsertPart, c.SessionID, p.UID, i, p.Status,
			ms(p.JoinedAt), ms(p.LeftAt), initiated); err != nil {
			return fmt.Errorf("store: save call %q participant %q: %w", c.SessionID, p.UID, err)
		}
	}
	return nil
}

// updateInPlace updates c where it is stored with the same fixed columns
// and the same participants; it reports whether it did. A call that is not
// stored, or differs in those, is left for the full save (nothing written).
// known >= 0 is the number of participant rows this store last committed
// for c (so they need not be counted); -1 counts them.
func updateInPlace(ctx context.Context, st callRunner, c *Call, known int) (bool, error) {
	n, err := st.exec(ctx, stUpdate, callArgs(c)...)
	if err != nil {
		return false, fmt.Errorf("store: save call %q: %w", c.SessionID, err)
	}
	if n == 0 {
		return false, nil
	}
	stored := known
	if stored < 0 {
		if stored, err = st.countParts(ctx, c.SessionID); err != nil {
			return false, fmt.Errorf("store: save call %q: %w", c.SessionID, err)
		}
	}
	same := stored == len(c.Participants)
	if same {
		if same, err = updateParts(ctx, st, c); err != nil {
			return false, err
		}
	}
	if !same { // a participant added or removed: rewrite them (the call row is already right)
		if _, err := st.exec(ctx, stDeleteParts, c.SessionID); err != nil {
			return false, fmt.Errorf("store: save call %q: %w", c.SessionID, err)
		}
		return true, insertParts(ctx, st, c)
	}
	return true, nil
}

// updateParts updates c's participant rows in place; it reports whether
// each of them was there to update.
func updateParts(ctx context.Context, st callRunner, c *Call) (bool, error) {
	if len(c.Participants) == 2 {
		n, err := st.exec(ctx, stUpdatePair, pairArgs(c)...)
		if err != nil {
			return false, fmt.Errorf("store: save call %q participants: %w", c.SessionID, err)
		}
		return n == 2, nil
	}
	initiated := ms(c.InitiatedAt)
	for i := range c.Participants {
		p := &c.Participants[i]
		n, err := st.exec(ctx, stUpdatePart, c.SessionID, p.UID, i, p.Status, ms(p.JoinedAt), ms(p.LeftAt), initiated)
		if err != nil {
			return false, fmt.Errorf("store: save call %q participant %q: %w", c.SessionID, p.UID, err)
		}
		if n != 1 {
			return false, nil
		}
	}
	return true, nil
}

// callArgs are the arguments of the statements on the calls row
// (insertCallSQL, upsertCallSQL, updateCallSQL).
func callArgs(c *Call) []any {
	return []any{c.SessionID, c.CallType, c.ReceiverType, c.InitiatorUID,
		c.ReceiverID, c.Status, ms(c.InitiatedAt), ms(c.JoinedAt), ms(c.EndedAt), c.Timeout, c.EndReason}
}

// pairArgs are the arguments of insertPairSQL and updatePairSQL for c's
// two participants.
func pairArgs(c *Call) []any {
	a, b := &c.Participants[0], &c.Participants[1]
	return []any{c.SessionID, a.UID, a.Status, ms(a.JoinedAt), ms(a.LeftAt),
		b.UID, b.Status, ms(b.JoinedAt), ms(b.LeftAt), ms(c.InitiatedAt)}
}
