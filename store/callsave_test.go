package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// SaveCalls saves every call of the batch, in order: a call listed twice
// ends as its last entry, and each call keeps its own participants.
func TestSaveCalls(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	if err := s.SaveCalls(ctx, nil); err != nil {
		t.Fatalf("SaveCalls(nil) = %v", err)
	}
	first := oneToOne("s1", "ann", "ben", 0)
	ended := first
	ended.Status, ended.EndedAt, ended.EndReason = CallEnded, t0.Add(time.Minute), "ended"
	ended.Participants = []Participant{{UID: "ann", Status: "left"}, {UID: "ben", Status: "left"}}
	other := oneToOne("s2", "cat", "dan", 1)
	if err := s.SaveCalls(ctx, []Call{first, other, ended}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []Call{ended, other} {
		got, err := s.GetCall(ctx, want.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("GetCall(%s) =\n%+v\nwant\n%+v", want.SessionID, got, want)
		}
	}
	log, err := s.ListCalls(ctx, CallQuery{UID: "ann"})
	if err != nil || len(log) != 1 || log[0].Status != CallEnded {
		t.Fatalf("ann's log = %+v, %v; want the one ended call", log, err)
	}
}

// Saving a call again gives back exactly the new version, whatever
// changed: statuses and times (updated in place), the participants (added,
// removed, swapped for another user, reordered) or a fixed column.
func TestSaveCallAgainReplacesIt(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	base := oneToOne("r1", "ann", "ben", 0)
	steps := []struct {
		name string
		edit func(c *Call)
	}{
		{"as placed", func(c *Call) {}},
		{"answered", func(c *Call) {
			c.Status, c.JoinedAt = CallOngoing, t0.Add(time.Second)
			c.Participants[0].Status, c.Participants[1].Status = "ongoing", "ongoing"
			c.Participants[1].JoinedAt = t0.Add(time.Second)
		}},
		{"one left and joined again", func(c *Call) { // two participants still, but not the pair statements' job
			c.Participants[1].Earlier, c.Participants[1].JoinedAt = 20*time.Second+7*time.Millisecond, t0.Add(30*time.Second)
		}},
		{"a participant added", func(c *Call) {
			c.Participants = append(c.Participants, Participant{UID: "cat", Status: "initiated"})
		}},
		{"reordered", func(c *Call) {
			c.Participants[0], c.Participants[2] = c.Participants[2], c.Participants[0]
		}},
		{"one swapped for another user", func(c *Call) { c.Participants[1].UID = "dan" }},
		{"one removed", func(c *Call) { c.Participants = c.Participants[:2] }},
		{"a fixed column changed", func(c *Call) { c.ReceiverID, c.CallType = "eve", "video" }},
		{"ended", func(c *Call) {
			c.Status, c.EndedAt, c.EndReason = CallEnded, t0.Add(time.Minute), "ended"
			c.Participants[0].LeftAt = t0.Add(time.Minute)
		}},
	}
	c := base
	for _, st := range steps {
		c.Participants = append([]Participant(nil), c.Participants...)
		st.edit(&c)
		if err := s.SaveCall(ctx, c); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := s.GetCall(ctx, "r1")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Fatalf("%s: GetCall =\n%+v\nwant\n%+v", st.name, got, c)
		}
	}
	// The log follows the fixed columns: the old receiver no longer sees it.
	if log, _ := s.ListCalls(ctx, CallQuery{UID: "ben"}); len(log) != 0 {
		t.Fatalf("ben's log after the receiver changed: %+v", log)
	}
	if log, _ := s.ListCalls(ctx, CallQuery{UID: "eve"}); len(log) != 1 {
		t.Fatalf("eve's log: %+v", log)
	}
}

// One invalid call fails the whole batch: nothing of it is written.
func TestSaveCallsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	good := oneToOne("g1", "ann", "ben", 0)
	bad := oneToOne("g2", "ann", "ben", 1)
	bad.CallType = "chat"
	wantErr(t, s.SaveCalls(ctx, []Call{good, bad}), ErrInvalid, `call type "chat"`)
	_, err := s.GetCall(ctx, "g1")
	wantErr(t, err, ErrNotFound)

	// A batch that fails inside SQLite (a cancelled context) rolls back too.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.SaveCalls(cctx, []Call{good}); err == nil {
		t.Fatal("SaveCalls with a cancelled context succeeded")
	}
	if _, err := s.GetCall(ctx, "g1"); err == nil {
		t.Fatal("a failed batch left a call behind")
	}
	// The prepared statements still work after a failed batch.
	if err := s.SaveCalls(ctx, []Call{good}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetCall(ctx, "g1"); err != nil {
		t.Fatal(err)
	}
}

// A store's batch ends with exactly what it saved even where another
// store on the same database (another node) wrote the calls in between,
// so that what this store remembers of them is wrong: a call it thinks new
// that exists, a call whose participants were swapped; and next to them,
// a call listed twice and a call of three.
func TestSaveCallsOverAnotherStoresWrites(t *testing.T) {
	ctx := context.Background()
	a, b := twoStores(t)
	x := oneToOne("x1", "ann", "ben", 0)
	if err := a.SaveCall(ctx, x); err != nil { // a remembers x with ann and ben
		t.Fatal(err)
	}
	swapped := x
	swapped.Participants = []Participant{{UID: "ann", Status: "initiated"}, {UID: "dan", Status: "initiated"}}
	taken := oneToOne("y1", "cat", "dan", 1)
	if err := b.SaveCalls(ctx, []Call{swapped, taken}); err != nil { // b thinks x1 new
		t.Fatal(err)
	}
	for _, want := range []Call{swapped, taken} {
		if got, err := a.GetCall(ctx, want.SessionID); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("GetCall(%s) = %+v, %v; want b's %+v", want.SessionID, got, err, want)
		}
	}
	x.Status, x.JoinedAt = CallOngoing, t0.Add(time.Second)
	x.Participants = []Participant{{UID: "ann", Status: "ongoing", JoinedAt: t0}, {UID: "ben", Status: "ongoing", JoinedAt: x.JoinedAt}}
	y := oneToOne("y1", "eve", "fay", 2) // a thinks y1 new
	fresh := oneToOne("f1", "gus", "hal", 3)
	twice := oneToOne("w1", "gus", "hal", 3)
	twiceEnded := twice
	twiceEnded.Status, twiceEnded.EndedAt, twiceEnded.EndReason = CallEnded, t0.Add(5*time.Minute), "ended"
	group := oneToOne("g1", "ann", "ben", 4)
	group.ReceiverType, group.ReceiverID = "group", "team"
	group.Participants = append(group.Participants, Participant{UID: "cat", Status: "initiated"})
	for _, batch := range [][]Call{{x}, {fresh, y}, {twice, twiceEnded}, {group}} {
		if err := a.SaveCalls(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	x.Status, x.EndedAt, x.EndReason = CallEnded, t0.Add(time.Minute), "ended" // as a now remembers it
	if err := a.SaveCalls(ctx, []Call{x}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []Call{x, y, fresh, group, twiceEnded} {
		for i, s := range []Store{a, b} {
			got, err := s.GetCall(ctx, want.SessionID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("store %d: GetCall(%s) =\n%+v\nwant\n%+v", i, want.SessionID, got, want)
			}
		}
	}
}

// groupOf is a group call of caller and n members, all ringing.
func groupOf(sid string, n int) Call {
	c := oneToOne(sid, "ann", "m00", 0)
	c.ReceiverType, c.ReceiverID = "group", "big"
	c.Participants = c.Participants[:1]
	for i := range n {
		c.Participants = append(c.Participants, Participant{UID: fmt.Sprintf("m%02d", i), Status: "initiated"})
	}
	return c
}

// A group call saved again writes only the participant rows that changed
// since this store committed it (savedHints): a row another writer changed
// since, which the call does not change, is left as it is (the hint
// assumes one writer per call; here it shows that the others were not
// written). Each save lands whole: member after member declining, one
// joining, then the call ending, read back as saved; two saves of the call
// in one batch end as the second, which writes every row.
func TestGroupCallSavesOnlyChangedRows(t *testing.T) {
	ctx := context.Background()
	a, b := twoStores(t)
	c := groupOf("gr1", 40)
	if err := a.SaveCall(ctx, c); err != nil {
		t.Fatal(err)
	}
	check := func(s Store, want Call) {
		t.Helper()
		got, err := s.GetCall(ctx, want.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("GetCall =\n%+v\nwant\n%+v", got, want)
		}
	}
	for i := 1; i <= 5; i++ {
		c.Participants[i].Status = "rejected"
		if err := a.SaveCall(ctx, c); err != nil {
			t.Fatal(err)
		}
		check(a, c)
	}
	// b (another writer, which the hint assumes away) changes m10's row
	behind := c
	behind.Participants = append([]Participant(nil), c.Participants...)
	behind.Participants[11].Status = "busy"
	if err := b.SaveCall(ctx, behind); err != nil {
		t.Fatal(err)
	}
	c.Status, c.JoinedAt = CallOngoing, t0.Add(time.Second)
	c.Participants[0].Status = "ongoing"
	c.Participants[20].Status, c.Participants[20].JoinedAt = "ongoing", c.JoinedAt
	if err := a.SaveCall(ctx, c); err != nil {
		t.Fatal(err)
	}
	check(a, behind2(c, 11, "busy")) // a left m10's row: it did not change it
	once, twice := c, c
	once.Participants = append([]Participant(nil), c.Participants...)
	once.Participants[30].Status = "rejected"
	twice.Participants = append([]Participant(nil), c.Participants...)
	twice.Participants[31].Status = "rejected"
	if err := a.SaveCalls(ctx, []Call{once, twice}); err != nil {
		t.Fatal(err)
	}
	check(a, twice) // the second entry has no hint of its own: every row written
	twice.Status, twice.EndedAt, twice.EndReason = CallEnded, t0.Add(time.Minute), "ended"
	for i := range twice.Participants {
		if twice.Participants[i].Status == "initiated" {
			twice.Participants[i].Status = "missed"
		}
	}
	twice.Participants[0].Status, twice.Participants[0].LeftAt = "left", twice.EndedAt
	twice.Participants[20].Status, twice.Participants[20].LeftAt = "left", twice.EndedAt
	if err := a.SaveCall(ctx, twice); err != nil {
		t.Fatal(err)
	}
	check(a, twice)
	check(b, twice)
}

// behind2 is c with participant i's status set to status.
func behind2(c Call, i int, status string) Call {
	c.Participants = append([]Participant(nil), c.Participants...)
	c.Participants[i].Status = status
	return c
}

// BenchmarkSaveCalls: batches of 64 one-to-one calls, one transaction
// each; ns/op is per call.
func BenchmarkSaveCalls(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	batch := make([]Call, 64)
	i := 0
	for b.Loop() {
		for j := range batch {
			batch[j] = oneToOne(fmt.Sprintf("s%d", i+j), "ann", "ben", i+j)
		}
		if err := s.SaveCalls(ctx, batch); err != nil {
			b.Fatal(err)
		}
		i += len(batch)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i), "ns/call")
}

// BenchmarkSaveCallsLifecycle: batches of 64 saves as the call writer sends
// them: 32 calls placed (initiated) and the 32 placed in the batch before
// now ended. ns/save is per saved snapshot.
func BenchmarkSaveCallsLifecycle(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	const half = 32
	var prev []Call
	batch := make([]Call, 0, 2*half)
	i, saves := 0, 0
	for b.Loop() {
		batch = batch[:0]
		for _, c := range prev {
			c.Status, c.JoinedAt, c.EndedAt, c.EndReason = CallEnded, c.InitiatedAt, c.InitiatedAt.Add(time.Second), "ended"
			c.Participants = []Participant{{UID: c.InitiatorUID, Status: "left"}, {UID: c.ReceiverID, Status: "left"}}
			batch = append(batch, c)
		}
		prev = prev[:0]
		for range half {
			c := oneToOne(fmt.Sprintf("s%d", i), fmt.Sprintf("u%d", i%500), fmt.Sprintf("v%d", i%500), i)
			prev = append(prev, c)
			batch = append(batch, c)
			i++
		}
		if err := s.SaveCalls(ctx, batch); err != nil {
			b.Fatal(err)
		}
		saves += len(batch)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(saves), "ns/save")
}

// BenchmarkSaveGroupCallOneChange: a group call of 300 participants saved
// again with one participant changed (a member declining), each save its
// own transaction; ns/op is per save.
func BenchmarkSaveGroupCallOneChange(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	c := oneToOne("g300", "ann", "m000", 0)
	c.ReceiverType, c.ReceiverID = "group", "big"
	c.Participants = c.Participants[:1]
	for i := range 300 {
		c.Participants = append(c.Participants, Participant{UID: fmt.Sprintf("m%03d", i), Status: "initiated"})
	}
	if err := s.SaveCall(ctx, c); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		p := &c.Participants[1+i%300]
		p.Status = map[bool]string{true: "rejected", false: "initiated"}[p.Status == "initiated"]
		if err := s.SaveCall(ctx, c); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
