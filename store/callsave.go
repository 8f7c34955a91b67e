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
)

// callStmts are the prepared statements of saveCallTx.
type callStmts struct {
	upsert, deleteParts, insertPart *sql.Stmt
}

func prepareCallStmts(ctx context.Context, db *sql.DB) (*callStmts, error) {
	var st callStmts
	var err error
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{{&st.upsert, upsertCallSQL}, {&st.deleteParts, deleteParticipantsSQL}, {&st.insertPart, insertParticipantSQL}} {
		if *p.dst, err = db.PrepareContext(ctx, p.sql); err != nil {
			st.close()
			return nil, fmt.Errorf("store: prepare call statements: %w", err)
		}
	}
	return &st, nil
}

func (st *callStmts) close() {
	for _, s := range []*sql.Stmt{st.upsert, st.deleteParts, st.insertPart} {
		if s != nil {
			_ = s.Close()
		}
	}
}

// SaveCall inserts or replaces a call and all its participants in one
// transaction. Times are kept to the millisecond.
func (s *sqliteStore) SaveCall(ctx context.Context, c Call) error {
	return s.SaveCalls(ctx, []Call{c})
}

// SaveCalls saves calls in order, as SaveCall does, all in one transaction:
// either every call is saved or none is (an invalid call fails the batch
// before anything is written). A call listed twice ends as its last entry.
func (s *sqliteStore) SaveCalls(ctx context.Context, calls []Call) error {
	if len(calls) == 0 {
		return nil
	}
	for _, c := range calls {
		if err := validateCall(c); err != nil {
			return err
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		bound := callStmts{
			upsert:      tx.StmtContext(ctx, s.calls.upsert),
			deleteParts: tx.StmtContext(ctx, s.calls.deleteParts),
			insertPart:  tx.StmtContext(ctx, s.calls.insertPart),
		}
		defer bound.close() // a statement bound to a tx is closed with it anyway
		for i := range calls {
			if err := bound.save(ctx, &calls[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// save writes one call with statements bound to the write transaction.
func (st *callStmts) save(ctx context.Context, c *Call) error {
	_, err := st.upsert.ExecContext(ctx, c.SessionID, c.CallType, c.ReceiverType, c.InitiatorUID,
		c.ReceiverID, c.Status, ms(c.InitiatedAt), ms(c.JoinedAt), ms(c.EndedAt), c.Timeout, c.EndReason)
	if err == nil {
		_, err = st.deleteParts.ExecContext(ctx, c.SessionID)
	}
	if err != nil {
		return fmt.Errorf("store: save call %q: %w", c.SessionID, err)
	}
	initiated := ms(c.InitiatedAt)
	for i, p := range c.Participants {
		if _, err := st.insertPart.ExecContext(ctx, c.SessionID, p.UID, i, p.Status,
			ms(p.JoinedAt), ms(p.LeftAt), initiated); err != nil {
			return fmt.Errorf("store: save call %q participant %q: %w", c.SessionID, p.UID, err)
		}
	}
	return nil
}
