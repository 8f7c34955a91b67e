package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// oneToOne is a 1:1 call from caller to callee initiated at t0+min minutes.
func oneToOne(sid, caller, callee string, min int) Call {
	at := t0.Add(time.Duration(min) * time.Minute)
	return Call{
		SessionID: sid, CallType: "audio", ReceiverType: "user",
		InitiatorUID: caller, ReceiverID: callee, Status: CallInitiated,
		InitiatedAt: at, Timeout: 45,
		Participants: []Participant{
			{UID: caller, Status: "initiated", JoinedAt: at},
			{UID: callee, Status: "initiated"},
		},
	}
}

func sessionIDs(cs []Call) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.SessionID
	}
	return ids
}

func TestSaveAndGetCall(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	c := oneToOne("s1", "ann", "ben", 0)
	c.InitiatedAt = c.InitiatedAt.Add(1234567 * time.Nanosecond) // stored to the millisecond
	if err := s.SaveCall(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetCall(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	want := c
	want.InitiatedAt = t0.Add(time.Millisecond)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("GetCall =\n%+v\nwant\n%+v", got, want)
	}

	// Saving again replaces the call and its participants.
	c.Status, c.JoinedAt = CallOngoing, t0.Add(5*time.Second)
	c.Participants = []Participant{
		{UID: "ben", Status: "ongoing", JoinedAt: t0.Add(5 * time.Second)},
		{UID: "ann", Status: "ongoing", JoinedAt: t0.Add(time.Second)},
	}
	if err := s.SaveCall(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetCall(ctx, "s1")
	want = c
	want.InitiatedAt = t0.Add(time.Millisecond)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after update GetCall =\n%+v\nwant\n%+v", got, want)
	}

	c.Participants = nil
	if err := s.SaveCall(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.GetCall(ctx, "s1"); len(got.Participants) != 0 {
		t.Fatalf("participants after saving none = %+v", got.Participants)
	}
	_, err = s.GetCall(ctx, "nope")
	wantErr(t, err, ErrNotFound, `call "nope" not found`)
}

func TestSaveCallRejects(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	good := oneToOne("ok", "ann", "ben", 0)
	if err := s.SaveCall(ctx, good); err != nil {
		t.Fatal(err)
	}
	edit := func(f func(*Call)) Call {
		c := oneToOne("ok", "ann", "ben", 0)
		c.Status = CallEnded // would overwrite the stored call if it got through
		f(&c)
		return c
	}
	tests := []struct {
		name string
		call Call
		part string
	}{
		{"bad session id", edit(func(c *Call) { c.SessionID = "" }), "session id is empty"},
		{"bad call type", edit(func(c *Call) { c.CallType = "chat" }), `call type "chat"`},
		{"bad receiver type", edit(func(c *Call) { c.ReceiverType = "room" }), `receiver type "room"`},
		{"bad initiator", edit(func(c *Call) { c.InitiatorUID = "a b" }), "initiator uid"},
		{"bad receiver", edit(func(c *Call) { c.ReceiverID = "" }), "receiver id"},
		{"unknown status", edit(func(c *Call) { c.Status = "ringing" }), `call status "ringing"`},
		{"no initiated time", edit(func(c *Call) { c.InitiatedAt = time.Time{} }), "no InitiatedAt"},
		{"negative timeout", edit(func(c *Call) { c.Timeout = -1 }), "timeout -1"},
		{"duplicate participant", edit(func(c *Call) { c.Participants[1].UID = "ann" }), `participant "ann" appears twice`},
		{"participant without status", edit(func(c *Call) { c.Participants[1].Status = "" }), `participant "ben" status`},
		{"bad participant uid", edit(func(c *Call) { c.Participants[0].UID = "x:y" }), "participant uid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, s.SaveCall(ctx, tc.call), ErrInvalid, tc.part)
		})
	}
	got, _ := s.GetCall(ctx, "ok")
	if got.Status != CallInitiated || len(got.Participants) != 2 {
		t.Fatalf("call after rejected saves = %+v, want it unchanged", got)
	}
}

func TestListCalls(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	saves := []Call{
		oneToOne("c1", "ann", "ben", 1), // ann initiated
		oneToOne("c2", "ben", "ann", 2), // ann received
		oneToOne("c3", "ben", "cat", 3), // not ann's
		{ // ann took part in a group call
			SessionID: "c4", CallType: "video", ReceiverType: "group", InitiatorUID: "cat",
			ReceiverID: "team", Status: CallEnded, InitiatedAt: t0.Add(4 * time.Minute),
			Participants: []Participant{{UID: "cat", Status: "left"}, {UID: "ann", Status: "left"}},
		},
		{ // a group whose guid equals ann's uid is not ann's call
			SessionID: "c5", CallType: "video", ReceiverType: "group", InitiatorUID: "cat",
			ReceiverID: "ann", Status: CallEnded, InitiatedAt: t0.Add(5 * time.Minute),
		},
		oneToOne("c6", "ann", "dan", 6),
	}
	saves[2].Status = CallRejected
	for _, c := range saves {
		if err := s.SaveCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		q    CallQuery
		want []string
	}{
		{"all of ann's, newest first", CallQuery{UID: "ann"}, []string{"c6", "c4", "c2", "c1"}},
		{"limit", CallQuery{UID: "ann", Limit: 2}, []string{"c6", "c4"}},
		{"before (next page)", CallQuery{UID: "ann", Limit: 2, Before: t0.Add(4 * time.Minute)}, []string{"c2", "c1"}},
		{"before excludes equal", CallQuery{UID: "ann", Before: t0.Add(2 * time.Minute)}, []string{"c1"}},
		{"status filter", CallQuery{UID: "ann", Status: CallEnded}, []string{"c4"}},
		{"status filter, other user", CallQuery{UID: "cat", Status: CallRejected}, []string{"c3"}},
		{"participant only", CallQuery{UID: "dan"}, []string{"c6"}},
		{"nobody", CallQuery{UID: "zed"}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListCalls(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if !sameStrings(sessionIDs(got), tc.want) {
				t.Fatalf("ListCalls(%+v) = %v, want %v", tc.q, sessionIDs(got), tc.want)
			}
		})
	}
	got, _ := s.ListCalls(ctx, CallQuery{UID: "ann", Limit: 1, Before: t0.Add(5 * time.Minute)})
	if len(got) != 1 || !reflect.DeepEqual(got[0].Participants, saves[3].Participants) {
		t.Fatalf("listed group call participants = %+v, want %+v", got, saves[3].Participants)
	}
}

// TestListCallsFindsCallsWithoutTheirPeople: a user's log finds a call
// they initiated or received even when they are not among its participants
// (the ringing side always lists them; the store does not assume it), also
// after a save changed the participants or the fixed columns.
func TestListCallsFindsCallsWithoutTheirPeople(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	save := func(c Call) {
		t.Helper()
		if err := s.SaveCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	logOf := func(uid string, want ...string) {
		t.Helper()
		got, err := s.ListCalls(ctx, CallQuery{UID: uid})
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = []string{}
		}
		if !sameStrings(sessionIDs(got), want) {
			t.Fatalf("%s's log = %v, want %v", uid, sessionIDs(got), want)
		}
	}
	bare := oneToOne("bare", "ann", "ben", 1) // neither is a participant
	bare.Participants = nil
	save(bare)
	half := oneToOne("half", "cat", "ann", 2) // ann received it, only cat is listed
	half.Participants = half.Participants[:1]
	save(half)
	group := Call{ // ann called the group, only dan is listed
		SessionID: "group", CallType: "video", ReceiverType: "group", InitiatorUID: "ann",
		ReceiverID: "team", Status: CallEnded, InitiatedAt: t0.Add(3 * time.Minute),
		Participants: []Participant{{UID: "dan", Status: "left"}},
	}
	save(group)
	logOf("ann", "group", "half", "bare")
	logOf("ben", "bare")
	logOf("team")

	// Listed, then not again: the saves that change the participants
	// (in place, and through a batch) keep every way right.
	bare.Participants = oneToOne("bare", "ann", "ben", 1).Participants
	save(bare)
	logOf("ann", "group", "half", "bare")
	logOf("ben", "bare")
	bare.Participants = bare.Participants[1:] // ben only
	bare.Status = CallEnded
	if err := s.SaveCalls(ctx, []Call{bare, half}); err != nil {
		t.Fatal(err)
	}
	logOf("ann", "group", "half", "bare")
	logOf("ben", "bare")

	// A save that changes a fixed column rewrites the call.
	moved := oneToOne("moved", "eve", "fay", 4)
	save(moved)
	moved.InitiatorUID, moved.ReceiverID = "gus", "hal"
	save(moved)
	logOf("gus", "moved")
	logOf("hal", "moved")
	logOf("eve", "moved") // still a participant
}

func TestListCallsRejects(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	tests := []struct {
		name string
		q    CallQuery
		part string
	}{
		{"no uid", CallQuery{}, "uid is empty"},
		{"limit too big", CallQuery{UID: "a", Limit: 101}, "limit 101"},
		{"negative limit", CallQuery{UID: "a", Limit: -5}, "limit -5"},
		{"unknown status", CallQuery{UID: "a", Status: "nope"}, `status "nope"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.ListCalls(ctx, tc.q)
			wantErr(t, err, ErrInvalid, tc.part)
		})
	}
}

func TestListCallsDefaultLimitAndPaging(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	for i := range 120 {
		if err := s.SaveCall(ctx, oneToOne(fmt.Sprintf("s%03d", i), "ann", "ben", i)); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.ListCalls(ctx, CallQuery{UID: "ben"})
	if err != nil || len(first) != 50 || first[0].SessionID != "s119" {
		t.Fatalf("default page: %d calls starting %v, %v", len(first), sessionIDs(first[:1]), err)
	}
	seen := map[string]bool{}
	var before time.Time
	for {
		page, err := s.ListCalls(ctx, CallQuery{UID: "ann", Limit: 100, Before: before})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, c := range page {
			if seen[c.SessionID] {
				t.Fatalf("%s listed twice", c.SessionID)
			}
			seen[c.SessionID] = true
		}
		before = page[len(page)-1].InitiatedAt
	}
	if len(seen) != 120 {
		t.Fatalf("paging saw %d calls, want 120", len(seen))
	}
}

// TestListCallsPagesThroughTies: calls initiated in the same millisecond,
// by each way a user is in a call, are all listed when pages of one call
// are read after the last one's (InitiatedAt, SessionID); Before alone
// still skips the rest of a tie (older clients' paging, documented).
func TestListCallsPagesThroughTies(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	at := t0.Add(time.Minute)
	tie := func(sid, caller, callee string) Call {
		c := oneToOne(sid, caller, callee, 1)
		c.InitiatedAt = at
		return c
	}
	group := Call{ // ann is only a participant of it
		SessionID: "t-group", CallType: "video", ReceiverType: "group", InitiatorUID: "ben",
		ReceiverID: "team", Status: CallEnded, InitiatedAt: at,
		Participants: []Participant{{UID: "ben", Status: "left"}, {UID: "ann", Status: "left"}},
	}
	for _, c := range []Call{
		oneToOne("older", "ann", "ben", 0), tie("t-out", "ann", "ben"), tie("t-in", "cat", "ann"),
		group, tie("t-out2", "ann", "cat"), oneToOne("newer", "cat", "ann", 2),
	} {
		if err := s.SaveCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	q := CallQuery{UID: "ann", Limit: 1}
	for range 10 {
		page, err := s.ListCalls(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(got, page[0].SessionID)
		q.Before, q.BeforeSessionID = page[0].InitiatedAt, page[0].SessionID
	}
	want := []string{"newer", "t-out2", "t-out", "t-in", "t-group", "older"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("pages of one after (initiatedAt, sessionId) = %v, want %v", got, want)
	}

	page, err := s.ListCalls(ctx, CallQuery{UID: "ann", Limit: 2, Before: at, BeforeSessionID: "t-out"})
	if err != nil || !reflect.DeepEqual(sessionIDs(page), []string{"t-in", "t-group"}) {
		t.Fatalf("page after t-out = %v, %v; want [t-in t-group]", sessionIDs(page), err)
	}
	page, err = s.ListCalls(ctx, CallQuery{UID: "ann", Before: at})
	if err != nil || !reflect.DeepEqual(sessionIDs(page), []string{"older"}) {
		t.Fatalf("before its millisecond = %v, %v; want [older] (Before alone skips the tie)", sessionIDs(page), err)
	}

	_, err = s.ListCalls(ctx, CallQuery{UID: "ann", BeforeSessionID: "t-out"})
	wantErr(t, err, ErrInvalid, "Before")
	_, err = s.ListCalls(ctx, CallQuery{UID: "ann", Before: at, BeforeSessionID: "bad id!"})
	wantErr(t, err, ErrInvalid, "session id")
}

func TestCloseOpenCalls(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	ringing := oneToOne("ringing", "ann", "ben", 0)
	ongoing := oneToOne("ongoing", "cat", "dan", 1)
	ongoing.Status, ongoing.JoinedAt = CallOngoing, t0.Add(70*time.Second)
	ongoing.Participants = []Participant{
		{UID: "cat", Status: "ongoing", JoinedAt: t0.Add(61 * time.Second)},
		{UID: "dan", Status: "ongoing", JoinedAt: t0.Add(70 * time.Second)},
	}
	done := oneToOne("done", "eve", "fay", 2)
	done.Status, done.EndedAt, done.EndReason = CallRejected, t0.Add(3*time.Minute), "rejected"
	for _, c := range []Call{ringing, ongoing, done} {
		if err := s.SaveCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	at := t0.Add(time.Hour)
	closed, err := s.CloseOpenCalls(ctx, "server_restart", at)
	if err != nil || len(closed) != 2 {
		t.Fatalf("CloseOpenCalls = %d calls, %v; want 2", len(closed), err)
	}
	for _, c := range closed { // returned as they are now
		if got, _ := s.GetCall(ctx, c.SessionID); !reflect.DeepEqual(got, c) || c.EndReason != "server_restart" {
			t.Fatalf("returned %+v, stored %+v", c, got)
		}
	}

	got, _ := s.GetCall(ctx, "ringing")
	if got.Status != CallCancelled || !got.EndedAt.Equal(at) || got.EndReason != "server_restart" {
		t.Fatalf("never-joined call after close = %+v, want cancelled at %v", got, at)
	}
	if !got.Participants[0].LeftAt.Equal(at) || !got.Participants[1].LeftAt.IsZero() {
		t.Fatalf("participants = %+v: the joined one should have left at %v, the ringing one not", got.Participants, at)
	}
	got, _ = s.GetCall(ctx, "ongoing")
	if got.Status != CallEnded || !got.EndedAt.Equal(at) {
		t.Fatalf("joined call after close = %+v, want ended", got)
	}
	for _, p := range got.Participants {
		if p.Status != "left" || !p.LeftAt.Equal(at) {
			t.Fatalf("participant %+v, want left at %v", p, at)
		}
	}
	got, _ = s.GetCall(ctx, "done")
	if !reflect.DeepEqual(got, done) {
		t.Fatalf("finished call changed: %+v", got)
	}
	if again, err := s.CloseOpenCalls(ctx, "server_restart", at.Add(time.Hour)); err != nil || len(again) != 0 {
		t.Fatalf("second CloseOpenCalls = %d calls, %v; want 0", len(again), err)
	}
}

func TestCancelledContextWritesNothing(t *testing.T) {
	s, _ := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.SaveCall(ctx, oneToOne("s1", "ann", "ben", 0)); !errors.Is(err, context.Canceled) {
		t.Fatalf("SaveCall with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := s.CreateUser(ctx, User{UID: "ann", Name: "Ann"}); err == nil {
		t.Fatal("CreateUser with a cancelled context succeeded")
	}
	bg := context.Background()
	_, err := s.GetCall(bg, "s1")
	wantErr(t, err, ErrNotFound)
	_, err = s.GetUser(bg, "ann")
	wantErr(t, err, ErrNotFound)
}

// TestListOpenCalls: every user's calls still initiated or ongoing, newest
// first, paged by (time, session id) through calls of one millisecond,
// filtered by status; ended ones are left out; bad queries refused.
func TestListOpenCalls(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	saves := []Call{
		oneToOne("o1", "ann", "ben", 1),
		oneToOne("o2", "cat", "dan", 2),
		oneToOne("o3", "eve", "fay", 2), // the same minute as o2
		oneToOne("o4", "gus", "hal", 3),
		oneToOne("o5", "ivy", "jon", 4),
	}
	saves[1].Status = CallOngoing
	saves[1].JoinedAt = saves[1].InitiatedAt.Add(time.Second)
	saves[3].Status = CallEnded
	saves[3].EndedAt = saves[3].InitiatedAt.Add(time.Minute)
	saves[3].EndReason = "ended"
	for _, c := range saves {
		if err := s.SaveCall(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListOpenCalls(ctx, CallQuery{})
	if err != nil || !reflect.DeepEqual(sessionIDs(got), []string{"o5", "o3", "o2", "o1"}) {
		t.Fatalf("ListOpenCalls = %v, %v; want o5 o3 o2 o1", sessionIDs(got), err)
	}
	if len(got[2].Participants) != 2 || got[2].Status != CallOngoing {
		t.Fatalf("o2 = %+v, want ongoing with its two participants", got[2])
	}
	page, err := s.ListOpenCalls(ctx, CallQuery{Limit: 2})
	if err != nil || !reflect.DeepEqual(sessionIDs(page), []string{"o5", "o3"}) {
		t.Fatalf("first page = %v, %v", sessionIDs(page), err)
	}
	last := page[len(page)-1]
	page, err = s.ListOpenCalls(ctx, CallQuery{Limit: 2, Before: last.InitiatedAt, BeforeSessionID: last.SessionID})
	if err != nil || !reflect.DeepEqual(sessionIDs(page), []string{"o2", "o1"}) {
		t.Fatalf("second page (after o3, in o2's minute) = %v, %v", sessionIDs(page), err)
	}
	if got, err := s.ListOpenCalls(ctx, CallQuery{Status: CallOngoing}); err != nil || !reflect.DeepEqual(sessionIDs(got), []string{"o2"}) {
		t.Fatalf("ongoing only = %v, %v", sessionIDs(got), err)
	}
	_, err = s.ListOpenCalls(ctx, CallQuery{Status: CallEnded})
	wantErr(t, err, ErrInvalid, "initiated or ongoing")
	_, err = s.ListOpenCalls(ctx, CallQuery{UID: "ann"})
	wantErr(t, err, ErrInvalid, "no uid")
	_, err = s.ListOpenCalls(ctx, CallQuery{BeforeSessionID: "o2"})
	wantErr(t, err, ErrInvalid, "time")
	_, err = s.ListOpenCalls(ctx, CallQuery{Limit: 101})
	wantErr(t, err, ErrInvalid)
}
