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

func (q *qualityRecorder) run() {
	defer close(q.done)
	for row := range q.queue {
		ctx, cancel := context.WithTimeout(context.Background(), qualitySaveLimit)
		if err := q.st.SaveQuality(ctx, row); err != nil {
			q.log.Warn("quality row not saved", "session", row.SessionID, "uid", row.UID, "err", err)
		}
		cancel()
	}
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
