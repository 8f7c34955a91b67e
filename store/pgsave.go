package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// On PostgreSQL, SaveCalls first tries a batch of 1:1 calls as one
// pipeline: one statement per call (pgInsertPairSQL, pgUpdatePairSQL: the
// usual path of a save, the calls row and both participants through a
// data-modifying WITH), sent together and answered in one round trip, in
// the implicit transaction PostgreSQL runs a pipeline's statements in up to
// its Sync (all of them or none; no BEGIN, no COMMIT). database/sql took a
// round trip for BEGIN, one per statement (two per save) and one for
// COMMIT. A statement that finds the rows other than the store's hint said
// (fewer than two participant rows written: the call exists although it
// was thought new, or its participants or fixed columns changed
// meanwhile) fails on purpose, which rolls the whole pipeline back; the
// batch is then saved again by the checking path (saveCall), as after any
// statement PostgreSQL refuses, and as is a batch with another kind of call
// in it. A connection that fails is an error, as on the usual path.

// The statements' failure: its text is what PostgreSQL's log shows, as
// "invalid input syntax for type integer", when a hint was wrong. It
// depends on the row count so that the planner cannot fold it (and fail)
// before the statement runs.
const pgHintMissed = `CAST(count(*) || ' rows: call ' || $1 || ' is not as this node saved it' AS int)`

const (
	// A new 1:1 call (no hint): inserted with its two participants.
	// $1-$11 as insertCallSQL, $12-$19 the participants, $20 and $21 the
	// unlisted flags (pgPairArgs).
	pgInsertPairSQL = `WITH c AS (
		INSERT INTO calls (` + callSaveCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $20, $21)
		ON CONFLICT (session_id) DO NOTHING RETURNING session_id),
	p AS (INSERT INTO call_participants (session_id, uid, pos, status, joined_at, left_at, initiated_at)
		SELECT c.session_id, v.uid, v.pos, v.status, v.joined_at, v.left_at, $7 FROM c, (VALUES
			($12::text, 0, $13::text, $14::bigint, $15::bigint),
			($16::text, 1, $17::text, $18::bigint, $19::bigint)) AS v(uid, pos, status, joined_at, left_at)
		RETURNING 1)
	SELECT CASE WHEN count(*) = 2 THEN 2 ELSE ` + pgHintMissed + ` END FROM p`
	// A 1:1 call this store saved with two participants: updateCallSQL
	// and updatePairSQL in one statement.
	pgUpdatePairSQL = `WITH c AS (
		UPDATE calls SET status = $6, joined_at = $8, ended_at = $9, timeout_s = $10, end_reason = $11
		WHERE session_id = $1 AND call_type = $2 AND receiver_type = $3 AND initiator_uid = $4
			AND receiver_id = $5 AND initiated_at = $7 RETURNING session_id),
	p AS (UPDATE call_participants AS p SET pos = v.pos, status = v.status, joined_at = v.joined_at, left_at = v.left_at
		FROM c, (VALUES
			($12::text, 0, $13::text, $14::bigint, $15::bigint),
			($16::text, 1, $17::text, $18::bigint, $19::bigint)) AS v(uid, pos, status, joined_at, left_at)
		WHERE p.session_id = c.session_id AND p.uid = v.uid AND p.initiated_at = $7
		RETURNING 1)
	SELECT CASE WHEN count(*) = 2 THEN 2 ELSE ` + pgHintMissed + ` END FROM p`
)

// savePiped saves calls as one pipeline (see above) and reports whether it
// did. Not done and no error: nothing was written (the batch does not fit,
// or PostgreSQL refused a statement, a missed hint among others), the
// caller saves the batch its usual way. An error: the writer connection or
// the pipeline failed otherwise (PostgreSQL unreachable, ctx ended), which
// the usual way would meet too; nothing was written.
func (s *sqlStore) savePiped(ctx context.Context, calls []Call) (bool, error) {
	b := pipedSaves(calls, s.saved.hints(calls))
	if b == nil {
		return false, nil
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("store: save calls: %w", err)
	}
	defer func() { _ = conn.Close() }()
	err = conn.Raw(func(dc any) error {
		pc, ok := dc.(pgConn)
		if !ok {
			return fmt.Errorf("store: writer connection is a %T, not PostgreSQL's", dc)
		}
		return pc.Conn.Conn().SendBatch(ctx, b).Close()
	})
	var refused *pgconn.PgError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &refused):
		return false, nil
	}
	return false, fmt.Errorf("store: save calls: %w", err)
}

// pipedSaves is the pipeline of calls given their hints (known), or nil
// when a call does not fit it: not two participants (neither of whom
// joined again: pairSaved), saved before with another number of
// participants, or listed twice.
func pipedSaves(calls []Call, known []int) *pgx.Batch {
	b := &pgx.Batch{}
	seen := make(map[string]bool, len(calls))
	for i := range calls {
		c := &calls[i]
		if !pairSaved(c) || seen[c.SessionID] {
			return nil
		}
		seen[c.SessionID] = true
		switch known[i] {
		case -1:
			byInitiator, byReceiver := unlisted(c)
			b.Queue(pgInsertPairSQL, append(pgPairArgs(c), byInitiator, byReceiver)...)
		case 2:
			b.Queue(pgUpdatePairSQL, pgPairArgs(c)...)
		default:
			return nil
		}
	}
	return b
}

// pgPairArgs are the arguments of pgUpdatePairSQL, and of pgInsertPairSQL
// but its last two (the unlisted flags).
func pgPairArgs(c *Call) []any {
	a, b := &c.Participants[0], &c.Participants[1]
	return []any{c.SessionID, c.CallType, c.ReceiverType, c.InitiatorUID, c.ReceiverID, c.Status,
		ms(c.InitiatedAt), ms(c.JoinedAt), ms(c.EndedAt), c.Timeout, c.EndReason,
		a.UID, a.Status, ms(a.JoinedAt), ms(a.LeftAt), b.UID, b.Status, ms(b.JoinedAt), ms(b.LeftAt)}
}
