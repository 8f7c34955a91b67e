package server

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// qualityQueue is how many quality rows may wait for the store; beyond it
// a row is dropped with a warning (the SFU's room goroutines never wait).
const qualityQueue = 1024

// qualitySaveLimit bounds one row's write.
const qualitySaveLimit = 10 * time.Second

// qualityRecorder writes the SFU's quality rows (sfu.QualitySink) to the
// store from one goroutine of its own; close drains what waits.
type qualityRecorder struct {
	st    store.Store
	log   *slog.Logger
	queue chan store.Quality
	done  chan struct{}

	failing bool // run's: the last write found the store unavailable

	// mu guards closed against a send on the closed queue.
	mu     sync.Mutex
	closed bool
}

func newQualityRecorder(st store.Store, log *slog.Logger) *qualityRecorder {
	q := &qualityRecorder{st: st, log: log, queue: make(chan store.Quality, qualityQueue), done: make(chan struct{})}
	go q.run()
	return q
}

// record is the sfu.QualitySink: it never blocks.
func (q *qualityRecorder) record(sessionID string, pq protocol.Quality) {
	row := qualityRow(sessionID, pq)
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	select {
	case q.queue <- row:
	default:
		q.log.Warn("quality row dropped: the store is behind", "session", sessionID, "uid", pq.UID)
	}
}

// Rows the store cannot write now (a full disk, PostgreSQL down: see
// store.Unavailable) are kept, in order, at most qualityKept (beyond, the
// oldest are dropped and counted in the log), and tried again after
// qualityRetryMin, doubling up to qualityRetryMax; at close, once more.
const (
	qualityKept     = 10_000
	qualityRetryMin = 100 * time.Millisecond
	qualityRetryMax = 5 * time.Second
)

func (q *qualityRecorder) run() {
	defer close(q.done)
	var kept []store.Quality
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	defer retry.Stop()
	var backoff time.Duration // > 0: the store is failing, retry armed
	for {
		select {
		case row, ok := <-q.queue:
			if !ok {
				if kept = q.save(kept); len(kept) > 0 {
					q.log.Error("quality rows lost at shutdown: the store could not write them", "rows", len(kept))
				}
				return
			}
			kept = append(kept, row)
			if backoff > 0 { // wait for the retry
				if over := len(kept) - qualityKept; over > 0 {
					q.log.Error("quality rows dropped: the store has not written them for too long", "rows", over)
					kept = append(kept[:0], kept[over:]...)
				}
				continue
			}
		case <-retry.C:
		}
		if kept = q.save(kept); len(kept) == 0 {
			backoff = 0
			continue
		}
		backoff = min(max(2*backoff, qualityRetryMin), qualityRetryMax)
		retry.Reset(backoff)
	}
}

// save writes rows in order until the store cannot write now, and returns
// those left (the rows it refuses for another reason are logged and
// dropped: they would never be written).
func (q *qualityRecorder) save(rows []store.Quality) []store.Quality {
	for i, row := range rows {
		ctx, cancel := context.WithTimeout(context.Background(), qualitySaveLimit)
		err := q.st.SaveQuality(ctx, row)
		cancel()
		switch {
		case err == nil:
			if q.failing {
				q.failing = false
				q.log.Info("quality rows written again", "kept", len(rows)-i)
			}
		case store.Unavailable(err):
			if !q.failing {
				q.failing = true
				q.log.Warn("quality rows kept: the store cannot write them now; retried", "err", err)
			}
			return rows[i:]
		default:
			q.log.Warn("quality row not saved", "session", row.SessionID, "uid", row.UID, "err", err)
		}
	}
	return rows[:0]
}

// close stops taking rows and waits until those queued are written.
func (q *qualityRecorder) close() {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.queue)
	}
	q.mu.Unlock()
	<-q.done
}

func qualityRow(sessionID string, q protocol.Quality) store.Quality {
	return store.Quality{SessionID: sessionID, UID: q.UID,
		JoinedAt: time.UnixMilli(int64(q.JoinedAt)).UTC(), LeftAt: time.UnixMilli(int64(q.LeftAt)).UTC(),
		Rating: q.Rating, MOS: q.MOS, LossSent: q.LossSent, LossReceived: q.LossReceived,
		JitterSentMs: q.JitterSentMs, JitterReceivedMs: q.JitterReceivedMs, RTTMs: q.RTTMs,
		BitrateSent: q.BitrateSent, BitrateReceived: q.BitrateReceived, Freezes: q.Freezes,
		LayerSwitches: q.LayerSwitches, Candidate: q.Candidate}
}
