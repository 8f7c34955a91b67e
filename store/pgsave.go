package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL, SaveCalls sends a batch's saves as one pipeline: BEGIN and
// one statement per 1:1 call go out together and are answered in one round
// trip, then COMMIT (two round trips per batch, where database/sql took one
// for BEGIN, one per statement, two statements per save, and one for
// COMMIT). Each piped statement is the usual path of a save in one
// statement (pgInsertPairSQL, pgUpdatePairSQL: the calls row and its two
// participants, through a data-modifying WITH); a call it does not fit
// (another number of participants, no hint, or rows that are not what the
// hint said: fewer than two participant rows changed) is saved after the
// pipeline by saveCall's checking path, in the same transaction.

const (
	// A new 1:1 call (no hint): inserted with its two participants, or
	// nothing when the session id is taken (0 rows: the checking path).
	// $1-$11 are callArgs, $12-$19 the two participants (pgPairArgs).
	pgInsertPairSQL = `WITH c AS (
		INSERT INTO calls (` + callCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (session_id) DO NOTHING RETURNING session_id)
	INSERT INTO call_participants (session_id, uid, pos, status, joined_at, left_at, initiated_at)
	SELECT c.session_id, v.uid, v.pos, v.status, v.joined_at, v.left_at, $7 FROM c, (VALUES
		($12::text, 0, $13::text, $14::bigint, $15::bigint),
		($16::text, 1, $17::text, $18::bigint, $19::bigint)) AS v(uid, pos, status, joined_at, left_at)`
	// A 1:1 call saved before with two participants: updateCallSQL and
	// updatePairSQL in one statement; 2 rows when both were there as
	// the hint said.
	pgUpdatePairSQL = `WITH c AS (
		UPDATE calls SET status = $6, joined_at = $8, ended_at = $9, timeout_s = $10, end_reason = $11
		WHERE session_id = $1 AND call_type = $2 AND receiver_type = $3 AND initiator_uid = $4
			AND receiver_id = $5 AND initiated_at = $7 RETURNING session_id)
	UPDATE call_participants AS p SET pos = v.pos, status = v.status, joined_at = v.joined_at, left_at = v.left_at
	FROM c, (VALUES
		($12::text, 0, $13::text, $14::bigint, $15::bigint),
		($16::text, 1, $17::text, $18::bigint, $19::bigint)) AS v(uid, pos, status, joined_at, left_at)
	WHERE p.session_id = c.session_id AND p.uid = v.uid AND p.initiated_at = $7`
)

// pgPairArgs are the arguments of pgInsertPairSQL and pgUpdatePairSQL.
func pgPairArgs(c *Call) []any {
	a, b := &c.Participants[0], &c.Participants[1]
	return append(callArgs(c), a.UID, a.Status, ms(a.JoinedAt), ms(a.LeftAt),
		b.UID, b.Status, ms(b.JoinedAt), ms(b.LeftAt))
}

// savePG is SaveCalls on PostgreSQL (see above): all of calls or none, in
// one transaction on the writer's connection. known are the hints.
func (s *sqlStore) savePG(ctx context.Context, calls []Call, known []int) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() { _ = conn.Close() }()
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(pgConn)
		if !ok {
			return fmt.Errorf("store: writer connection is a %T, not PostgreSQL's", dc)
		}
		return pgSaveTx(ctx, pc.Conn, calls, known)
	})
}

// pgSaveTx runs the pipeline and the checking path, then commits; on any
// error it rolls back, and a connection left inside a transaction is
// reported bad (database/sql then closes it).
func pgSaveTx(ctx context.Context, sc *stdlib.Conn, calls []Call, known []int) error {
	conn := sc.Conn()
	calls, known = lastOfEach(calls, known)
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	piped := make([]bool, len(calls))
	for i := range calls {
		c := &calls[i]
		switch {
		case len(c.Participants) != 2:
		case known[i] < 0:
			b.Queue(pgInsertPairSQL, pgPairArgs(c)...)
			piped[i] = true
		case known[i] == 2:
			b.Queue(pgUpdatePairSQL, pgPairArgs(c)...)
			piped[i] = true
		}
	}
	err := pgPipe(conn.SendBatch(ctx, b), piped, known)
	for i := range calls {
		if err != nil {
			break
		}
		if !piped[i] {
			err = saveCall(ctx, pgxRunner{conn}, &calls[i], known[i])
		}
	}
	if err == nil {
		// COMMIT of a failed transaction answers ROLLBACK, not an error.
		tag, cerr := conn.Exec(ctx, "COMMIT")
		if cerr == nil && tag.String() != "COMMIT" {
			cerr = fmt.Errorf("the transaction ended in %s", tag)
		}
		if cerr != nil {
			err = fmt.Errorf("store: commit: %w", cerr)
		}
	}
	if err == nil {
		return nil
	}
	if conn.PgConn().TxStatus() != 'I' {
		if _, rerr := conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil || conn.PgConn().TxStatus() != 'I' {
			return errors.Join(err, driver.ErrBadConn)
		}
	}
	return err
}

// pgPipe reads the pipeline's answers: BEGIN's, then one per piped call.
// A piped call whose statement did not change what its path expects
// (2 participant rows) is left for the checking path (piped[i] false,
// known[i] -1: nothing is assumed about its rows).
func pgPipe(br pgx.BatchResults, piped []bool, known []int) error {
	_, err := br.Exec()
	for i := range piped {
		if err != nil {
			break
		}
		if !piped[i] {
			continue
		}
		var tag pgconn.CommandTag
		if tag, err = br.Exec(); err == nil && tag.RowsAffected() != 2 {
			piped[i], known[i] = false, -1
		}
	}
	if err != nil {
		err = fmt.Errorf("store: save calls: %w", err)
	}
	return errors.Join(err, br.Close())
}

// lastOfEach keeps the last entry of each call (a call listed twice ends as
// its last entry: a save sets every column and participant, so the
// earlier ones change nothing that stays); order is kept otherwise.
func lastOfEach(calls []Call, known []int) ([]Call, []int) {
	last := make(map[string]int, len(calls))
	for i := range calls {
		last[calls[i].SessionID] = i
	}
	if len(last) == len(calls) {
		return calls, known
	}
	var cs []Call
	var ks []int
	for i := range calls {
		if last[calls[i].SessionID] == i {
			cs, ks = append(cs, calls[i]), append(ks, known[i])
		}
	}
	return cs, ks
}

// pgxRunner runs saveCall's statements on a pgx connection (inside
// pgSaveTx's transaction); pgx prepares and caches them per connection.
type pgxRunner struct{ conn *pgx.Conn }

func (r pgxRunner) exec(ctx context.Context, k callStmt, args ...any) (int64, error) {
	tag, err := r.conn.Exec(ctx, pgPlaceholders(callSQL[k]), args...)
	return tag.RowsAffected(), err
}

func (r pgxRunner) countParts(ctx context.Context, sessionID string) (int, error) {
	var n int
	err := r.conn.QueryRow(ctx, pgPlaceholders(callSQL[stCountParts]), sessionID).Scan(&n)
	return n, err
}
