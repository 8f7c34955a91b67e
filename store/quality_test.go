package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func sampleQuality(session, uid string, at time.Time) Quality {
	f := func(v float64) *float64 { return &v }
	return Quality{SessionID: session, UID: uid, JoinedAt: at, LeftAt: at.Add(90 * time.Second),
		Rating: "good", MOS: 4.35, LossSent: f(0.0012), LossReceived: f(0.02), JitterSentMs: f(4.5),
		JitterReceivedMs: f(12.25), RTTMs: f(38.5), BitrateSent: 812_000, BitrateReceived: 1_400_000,
		Freezes: 1, LayerSwitches: 3, Candidate: "srflx"}
}

func TestQualitySaveAndRead(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	a := sampleQuality("s1", "ann", t0)
	b := sampleQuality("s1", "ben", t0.Add(time.Second))
	b.LossReceived, b.RTTMs, b.Candidate, b.Rating = nil, nil, "", "poor" // not measured
	again := sampleQuality("s1", "ann", t0.Add(2*time.Minute))            // a rejoin: another row
	other := sampleQuality("s2", "cat", t0)
	for _, q := range []Quality{a, b, again, other} {
		if err := s.SaveQuality(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.CallQuality(ctx, []string{"s1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Quality{a, b, again}; !reflect.DeepEqual(got, want) {
		t.Fatalf("CallQuality(s1) =\n%+v\nwant\n%+v", got, want)
	}
	got, _ = s.CallQuality(ctx, []string{"s2", "none", "s1"})
	if len(got) != 4 {
		t.Fatalf("CallQuality(s2, none, s1) has %d rows, want 4", len(got))
	}
	if got, err = s.CallQuality(ctx, nil); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("CallQuality(none) = %v, %v; want an empty list", got, err)
	}
}

func TestQualityRejects(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	bad := func(f func(*Quality)) Quality {
		q := sampleQuality("s1", "ann", t0)
		f(&q)
		return q
	}
	neg := -0.5
	for _, tc := range []struct {
		q    Quality
		part string
	}{
		{bad(func(q *Quality) { q.SessionID = "" }), "session id"},
		{bad(func(q *Quality) { q.UID = "a b" }), "uid"},
		{bad(func(q *Quality) { q.LeftAt = t0.Add(-time.Second) }), "before joining"},
		{bad(func(q *Quality) { q.Rating = "fine" }), `rating "fine"`},
		{bad(func(q *Quality) { q.Candidate = "tcp" }), `candidate type "tcp"`},
		{bad(func(q *Quality) { q.LossSent = &neg }), "loss sent -0.5"},
		{bad(func(q *Quality) { q.MOS = 0 }), "mos 0"},
		{bad(func(q *Quality) { q.Freezes = -1 }), "negative"},
	} {
		wantErr(t, s.SaveQuality(ctx, tc.q), ErrInvalid, tc.part)
	}
	if got, _ := s.CallQuality(ctx, []string{"s1"}); len(got) != 0 {
		t.Fatalf("rejected rows were stored: %+v", got)
	}
	many := make([]string, MaxQualitySessions+1)
	for i := range many {
		many[i] = "s"
	}
	_, err := s.CallQuality(ctx, many)
	wantErr(t, err, ErrInvalid, "at most 100")
}
