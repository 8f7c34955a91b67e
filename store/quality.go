package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"
)

// Quality is one participant's media quality over one media session of a
// call (join to leave), as the SFU measured it. Loss is a fraction 0-1;
// a nil figure could not be measured.
type Quality struct {
	SessionID        string
	UID              string
	JoinedAt, LeftAt time.Time
	Rating           string // good | poor
	MOS              float64
	LossSent         *float64
	LossReceived     *float64
	JitterSentMs     *float64
	JitterReceivedMs *float64
	RTTMs            *float64
	BitrateSent      int64 // bit/s
	BitrateReceived  int64
	Freezes          int
	LayerSwitches    int
	Candidate        string // host | srflx | prflx | relay | "" (unknown)
}

// MaxQualitySessions bounds how many calls one CallQuality reads.
const MaxQualitySessions = 100

// ValidateQuality checks q's identity, times and ranges (ErrInvalid).
func ValidateQuality(q Quality) error {
	if err := ValidateID("session id", q.SessionID); err != nil {
		return err
	}
	if err := ValidateID("uid", q.UID); err != nil {
		return err
	}
	if q.JoinedAt.IsZero() || q.LeftAt.Before(q.JoinedAt) {
		return fmt.Errorf("%w: quality of %s in %s: left %v before joining %v", ErrInvalid, q.UID, q.SessionID, q.LeftAt, q.JoinedAt)
	}
	if q.Rating != "good" && q.Rating != "poor" {
		return fmt.Errorf("%w: quality rating %q; use good or poor", ErrInvalid, q.Rating)
	}
	switch q.Candidate {
	case "", "host", "srflx", "prflx", "relay":
	default:
		return fmt.Errorf("%w: candidate type %q; use host, srflx, prflx or relay", ErrInvalid, q.Candidate)
	}
	for _, f := range []struct {
		name   string
		v      *float64
		lo, hi float64
	}{{"loss sent", q.LossSent, 0, 1}, {"loss received", q.LossReceived, 0, 1},
		{"jitter sent", q.JitterSentMs, 0, 1e6}, {"jitter received", q.JitterReceivedMs, 0, 1e6},
		{"rtt", q.RTTMs, 0, 1e6}, {"mos", &q.MOS, 1, 5}} {
		if f.v != nil && (math.IsNaN(*f.v) || *f.v < f.lo || *f.v > f.hi) {
			return fmt.Errorf("%w: quality %s %v is outside %v..%v", ErrInvalid, f.name, *f.v, f.lo, f.hi)
		}
	}
	if q.BitrateSent < 0 || q.BitrateReceived < 0 || q.Freezes < 0 || q.LayerSwitches < 0 {
		return fmt.Errorf("%w: quality counts must not be negative", ErrInvalid)
	}
	return nil
}

const qualityCols = `session_id, uid, joined_at, left_at, rating, mos, loss_sent, loss_received,
	jitter_sent_ms, jitter_received_ms, rtt_ms, bitrate_sent, bitrate_received, freezes, layer_switches, candidate`

// SaveQuality stores one media session's quality.
func (s *sqlStore) SaveQuality(ctx context.Context, q Quality) error {
	if err := ValidateQuality(q); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO call_quality (`+qualityCols+`)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)`,
			q.SessionID, q.UID, q.JoinedAt.UnixMilli(), q.LeftAt.UnixMilli(), q.Rating, q.MOS,
			nullFloat(q.LossSent), nullFloat(q.LossReceived), nullFloat(q.JitterSentMs), nullFloat(q.JitterReceivedMs),
			nullFloat(q.RTTMs), q.BitrateSent, q.BitrateReceived, q.Freezes, q.LayerSwitches, q.Candidate)
		if err != nil {
			return fmt.Errorf("store: save quality of %q in %q: %w", q.UID, q.SessionID, err)
		}
		return nil
	})
}

// CallQuality returns the quality rows of the given calls (at most
// MaxQualitySessions), by call, oldest row first; none is not an error.
func (s *sqlStore) CallQuality(ctx context.Context, sessionIDs []string) ([]Quality, error) {
	if len(sessionIDs) > MaxQualitySessions {
		return nil, fmt.Errorf("%w: %d calls; at most %d at once", ErrInvalid, len(sessionIDs), MaxQualitySessions)
	}
	out := []Quality{}
	if len(sessionIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(sessionIDs))
	marks := ""
	for i, id := range sessionIDs {
		if err := ValidateID("session id", id); err != nil {
			return nil, err
		}
		args[i] = id
		if i > 0 {
			marks += ", "
		}
		marks += fmt.Sprintf("?%d", i+1)
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+qualityCols+` FROM call_quality WHERE session_id IN (`+marks+`) ORDER BY session_id, id`, args...)
		if err != nil {
			return fmt.Errorf("store: read quality: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			q, err := scanQuality(rows)
			if err != nil {
				return fmt.Errorf("store: scan quality: %w", err)
			}
			out = append(out, q)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func scanQuality(sc scanner) (Quality, error) {
	var q Quality
	var joined, left int64
	var loss, lossR, jit, jitR, rtt sql.NullFloat64
	if err := sc.Scan(&q.SessionID, &q.UID, &joined, &left, &q.Rating, &q.MOS, &loss, &lossR, &jit, &jitR, &rtt,
		&q.BitrateSent, &q.BitrateReceived, &q.Freezes, &q.LayerSwitches, &q.Candidate); err != nil {
		return Quality{}, err
	}
	q.JoinedAt, q.LeftAt = time.UnixMilli(joined).UTC(), time.UnixMilli(left).UTC()
	q.LossSent, q.LossReceived, q.JitterSentMs, q.JitterReceivedMs, q.RTTMs = floatOf(loss), floatOf(lossR), floatOf(jit), floatOf(jitR), floatOf(rtt)
	return q, nil
}

func nullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

func floatOf(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	return &n.Float64
}
