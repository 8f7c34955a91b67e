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
	upsertCallSQL = `INSERT INTO calls (` + callSaveCols + `)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
		ON CONFLICT (session_id) DO UPDATE SET
			call_type = excluded.call_type, receiver_type = excluded.receiver_type,
			initiator_uid = excluded.initiator_uid, receiver_id = excluded.receiver_id,
			status = excluded.status, initiated_at = excluded.initiated_at,
			joined_at = excluded.joined_at, ended_at = excluded.ended_at,
			timeout_s = excluded.timeout_s, end_reason = excluded.end_reason,
			initiator_unlisted = excluded.initiator_unlisted, receiver_unlisted = excluded.receiver_unlisted`
	deleteParticipantsSQL = `DELETE FROM call_participants WHERE session_id = ?1`
	insertParticipantSQL  = `INSERT INTO call_participants
		(session_id, uid, pos, status, joined_at, left_at, initiated_at, earlier_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`
	// A call saved again (initiated, then ongoing, then ended) usually
	// changes only its status and times: updated in place, the indexes on
	// the fixed columns are left alone. (The unlisted flags depend on the
	// participants, which this path keeps; setUnlistedSQL follows when it
	// finds them changed.)
	updateCallSQL = `UPDATE calls SET status = ?6, joined_at = ?8, ended_at = ?9,
		timeout_s = ?10, end_reason = ?11
		WHERE session_id = ?1 AND call_type = ?2 AND receiver_type = ?3 AND initiator_uid = ?4
			AND receiver_id = ?5 AND initiated_at = ?7`
	updateParticipantSQL = `UPDATE call_participants SET pos = ?3, status = ?4, joined_at = ?5, left_at = ?6, earlier_ms = ?8
		WHERE session_id = ?1 AND uid = ?2 AND initiated_at = ?7`
	countParticipantsSQL = `SELECT count(*) FROM call_participants WHERE session_id = ?1`
	setUnlistedSQL       = `UPDATE calls SET initiator_unlisted = ?2, receiver_unlisted = ?3 WHERE session_id = ?1`
	// A call this store has not saved yet is usually new: inserted, and
	// its participants with it, without looking for older rows first.
	insertCallSQL = `INSERT INTO calls (` + callSaveCols + `)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
		ON CONFLICT (session_id) DO NOTHING`
	// A 1:1 call's two participants (most saves) take one statement, not
	// two: ?1 session, ?2-?5 and ?6-?9 uid, status, joined, left of each,
	// ?10 the call's initiated_at. They leave earlier_ms alone: a call
	// with a participant who joined again is saved the general way
	// (pairSaved).
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

// callStmts are the prepared statements of SaveCalls.
type callStmts struct {
	upsert, deleteParts, insertPart *sql.Stmt
	update, updatePart, countParts  *sql.Stmt
	insert, insertPair, updatePair  *sql.Stmt
	setUnlisted                     *sql.Stmt
}

// all lists every statement (for preparing, binding and closing).
func (st *callStmts) all() []stmtSQL {
	return []stmtSQL{{&st.upsert, upsertCallSQL}, {&st.deleteParts, deleteParticipantsSQL},
		{&st.insertPart, insertParticipantSQL}, {&st.update, updateCallSQL}, {&st.updatePart, updateParticipantSQL},
		{&st.countParts, countParticipantsSQL}, {&st.insert, insertCallSQL}, {&st.insertPair, insertPairSQL},
		{&st.updatePair, updatePairSQL}, {&st.setUnlisted, setUnlistedSQL}}
}

type stmtSQL struct {
	dst **sql.Stmt
	sql string
}

func prepareCallStmts(ctx context.Context, db *sql.DB) (*callStmts, error) {
	var st callStmts
	var err error
	for _, p := range st.all() {
		if *p.dst, err = db.PrepareContext(ctx, p.sql); err != nil {
			st.close()
			return nil, fmt.Errorf("store: prepare call statements: %w", err)
		}
	}
	return &st, nil
}

func (st *callStmts) close() {
	for _, p := range st.all() {
		if *p.dst != nil {
			_ = (*p.dst).Close()
		}
	}
}

// bind returns the statements bound to tx.
func (st *callStmts) bind(ctx context.Context, tx *sql.Tx) *callStmts {
	var bound callStmts
	mine, theirs := st.all(), bound.all()
	for i := range mine {
		*theirs[i].dst = tx.StmtContext(ctx, *mine[i].dst)
	}
	return &bound
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
	if s.pg {
		done, err := s.savePiped(ctx, calls)
		if done {
			s.saved.remember(calls)
		}
		if done || err != nil {
			return err
		}
	}
	saved := make([]int, len(calls)) // participants stored per call, per the hint (-1: unknown)
	rows := make([][]rowState, len(calls))
	err := s.write(ctx, func(tx *sql.Tx) error {
		bound := s.calls.bind(ctx, tx)
		defer bound.close() // a statement bound to a tx is closed with it anyway
		s.saved.lookup(calls, saved, rows)
		for i := range calls {
			if err := bound.save(ctx, &calls[i], saved[i], rows[i]); err != nil {
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

// save writes one call with statements bound to the write transaction.
// known is how many participants this store committed for it last time
// (-1: it has not saved the call, which is then usually new): a new call is
// inserted with its participants; a known one is updated in place when it
// keeps its fixed columns and participants (the usual second and third save
// of a call: only statuses and times change, so no index but calls_open is
// touched); anything else is rewritten whole. known is a hint: each path
// checks what it changed and falls back to the next when the rows are not
// what the hint said. rows are c's participant rows as this store
// committed them (savedHints; nil: unknown): a row unchanged is not
// written again.
func (st *callStmts) save(ctx context.Context, c *Call, known int, rows []rowState) error {
	initiatorUnlisted, receiverUnlisted := unlisted(c)
	if known < 0 {
		res, err := st.insert.ExecContext(ctx, c.SessionID, c.CallType, c.ReceiverType, c.InitiatorUID,
			c.ReceiverID, c.Status, ms(c.InitiatedAt), ms(c.JoinedAt), ms(c.EndedAt), c.Timeout, c.EndReason,
			initiatorUnlisted, receiverUnlisted)
		if err != nil {
			return fmt.Errorf("store: save call %q: %w", c.SessionID, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 1 { // new: it has no participant rows
			return st.insertParts(ctx, c)
		}
	}
	if done, err := st.updateInPlace(ctx, c, known, rows); done || err != nil {
		return err
	}
	_, err := st.upsert.ExecContext(ctx, c.SessionID, c.CallType, c.ReceiverType, c.InitiatorUID,
		c.ReceiverID, c.Status, ms(c.InitiatedAt), ms(c.JoinedAt), ms(c.EndedAt), c.Timeout, c.EndReason,
		initiatorUnlisted, receiverUnlisted)
	if err == nil {
		_, err = st.deleteParts.ExecContext(ctx, c.SessionID)
	}
	if err != nil {
		return fmt.Errorf("store: save call %q: %w", c.SessionID, err)
	}
	return st.insertParts(ctx, c)
}

func (st *callStmts) insertParts(ctx context.Context, c *Call) error {
	initiated := ms(c.InitiatedAt)
	if pairSaved(c) {
		if _, err := st.insertPair.ExecContext(ctx, pairArgs(c)...); err != nil {
			return fmt.Errorf("store: save call %q participants: %w", c.SessionID, err)
		}
		return nil
	}
	for i, p := range c.Participants {
		if _, err := st.insertPart.ExecContext(ctx, c.SessionID, p.UID, i, p.Status,
			ms(p.JoinedAt), ms(p.LeftAt), initiated, p.Earlier.Milliseconds()); err != nil {
			return fmt.Errorf("store: save call %q participant %q: %w", c.SessionID, p.UID, err)
		}
	}
	return nil
}

// updateInPlace updates c where it is stored with the same fixed columns
// and the same participants; it reports whether it did. A call that is not
// stored, or differs in those, is left for the full save (nothing written).
// known >= 0 is the number of participant rows this store last committed
// for c (so they need not be counted); -1 counts them. rows: see save.
func (st *callStmts) updateInPlace(ctx context.Context, c *Call, known int, rows []rowState) (bool, error) {
	initiated := ms(c.InitiatedAt)
	res, err := st.update.ExecContext(ctx, c.SessionID, c.CallType, c.ReceiverType, c.InitiatorUID,
		c.ReceiverID, c.Status, initiated, ms(c.JoinedAt), ms(c.EndedAt), c.Timeout, c.EndReason)
	if err != nil {
		return false, fmt.Errorf("store: save call %q: %w", c.SessionID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	stored := known
	if stored < 0 {
		if err := st.countParts.QueryRowContext(ctx, c.SessionID).Scan(&stored); err != nil {
			return false, fmt.Errorf("store: save call %q: %w", c.SessionID, err)
		}
	}
	same := stored == len(c.Participants)
	if same {
		if same, err = st.updateParts(ctx, c, rows); err != nil {
			return false, err
		}
	}
	if !same { // a participant added or removed: rewrite them, and the flags that depend on them
		i, r := unlisted(c)
		if _, err := st.setUnlisted.ExecContext(ctx, c.SessionID, i, r); err != nil {
			return false, fmt.Errorf("store: save call %q: %w", c.SessionID, err)
		}
		if _, err := st.deleteParts.ExecContext(ctx, c.SessionID); err != nil {
			return false, fmt.Errorf("store: save call %q: %w", c.SessionID, err)
		}
		return true, st.insertParts(ctx, c)
	}
	return true, nil
}

// updateParts updates c's participant rows in place, but those rows says
// this store committed as they are; it reports whether each row it updated
// was there to update.
func (st *callStmts) updateParts(ctx context.Context, c *Call, rows []rowState) (bool, error) {
	if pairSaved(c) {
		res, err := st.updatePair.ExecContext(ctx, pairArgs(c)...)
		if err != nil {
			return false, fmt.Errorf("store: save call %q participants: %w", c.SessionID, err)
		}
		n, err := res.RowsAffected()
		return n == 2, err
	}
	initiated := ms(c.InitiatedAt)
	for i := range c.Participants {
		p := &c.Participants[i]
		if len(rows) == len(c.Participants) && rows[i] == rowOf(p) {
			continue
		}
		res, err := st.updatePart.ExecContext(ctx, c.SessionID, p.UID, i, p.Status, ms(p.JoinedAt), ms(p.LeftAt), initiated, p.Earlier.Milliseconds())
		if err != nil {
			return false, fmt.Errorf("store: save call %q participant %q: %w", c.SessionID, p.UID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return false, err
		}
	}
	return true, nil
}

// unlisted are c's initiator_unlisted and receiver_unlisted columns: 1
// when its initiator, or its receiving user, is not among its participants
// (then the call log finds the call through calls_by_initiator or
// calls_by_receiver, which hold only such calls), else 0.
func unlisted(c *Call) (initiator, receiver int) {
	initiator, receiver = 1, 0
	if c.ReceiverType == "user" {
		receiver = 1
	}
	for i := range c.Participants {
		switch c.Participants[i].UID {
		case c.InitiatorUID:
			initiator = 0
		case c.ReceiverID:
			receiver = 0
		}
	}
	return initiator, receiver
}

// pairSaved reports whether c's participants are saved by one pair
// statement: two of them, neither with time in the call before its
// joinedAt (the pair statements do not write earlier_ms).
func pairSaved(c *Call) bool {
	return len(c.Participants) == 2 && c.Participants[0].Earlier == 0 && c.Participants[1].Earlier == 0
}

// pairArgs are the arguments of insertPairSQL and updatePairSQL for c's
// two participants.
func pairArgs(c *Call) []any {
	a, b := &c.Participants[0], &c.Participants[1]
	return []any{c.SessionID, a.UID, a.Status, ms(a.JoinedAt), ms(a.LeftAt),
		b.UID, b.Status, ms(b.JoinedAt), ms(b.LeftAt), ms(c.InitiatedAt)}
}
