package server

import (
	"context"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// downStore refuses SaveQuality as a full disk does while down is set.
type downStore struct {
	store.Store
	down  atomic.Bool
	mu    sync.Mutex
	saved []string // session ids, in order
}

func (s *downStore) SaveQuality(_ context.Context, q store.Quality) error {
	if s.down.Load() {
		return fmt.Errorf("store: save quality: %w", driver.ErrBadConn)
	}
	if q.SessionID == "refused" {
		return fmt.Errorf("%w: a row the store will never take", store.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saved = append(s.saved, q.SessionID)
	return nil
}

func (s *downStore) rows() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.saved...)
}

// TestQualityRowsKeptWhileTheStoreIsDown: rows of calls that end while the
// store cannot write (a full disk) are kept and written, in order, once it
// can; a row the store refuses for good is dropped and logged, not retried.
// They used to be dropped with a warning.
func TestQualityRowsKeptWhileTheStoreIsDown(t *testing.T) {
	st := &downStore{}
	st.down.Store(true)
	var logs logbuf.Buffer
	q := newQualityRecorder(st, slog.New(slog.NewTextHandler(&logs, nil)))
	for _, sid := range []string{"s1", "refused", "s2", "s3"} {
		q.record(sid, protocol.Quality{UID: "alice", Rating: "good"})
	}
	time.Sleep(300 * time.Millisecond) // several retries while down
	if got := st.rows(); len(got) != 0 {
		t.Fatalf("rows written while the store was down: %v", got)
	}
	st.down.Store(false)
	deadline := time.Now().Add(10 * time.Second)
	for len(st.rows()) < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	q.close()
	if got := fmt.Sprint(st.rows()); got != "[s1 s2 s3]" {
		t.Fatalf("rows written = %s, want [s1 s2 s3] once the store was back", got)
	}
	for _, want := range []string{"quality rows kept", "quality rows written again", "quality row not saved"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("no %q in the log:\n%s", want, logs.String())
		}
	}
}
