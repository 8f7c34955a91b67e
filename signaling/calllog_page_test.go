package signaling

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// TestFilteredCallLogScansThroughTies: a filtered call log reads the store
// a hundred calls at a time; a call initiated in the same millisecond as
// the last one of such a read is still found (it was skipped when the next
// read started before that millisecond).
func TestFilteredCallLogScansThroughTies(t *testing.T) {
	e := newEnv(t, nil)
	ctx := ctxT(t)
	tie := time.UnixMilli(1_700_000_000_000)
	save := func(sid, from, to string, at time.Time) {
		t.Helper()
		err := e.st.SaveCall(ctx, store.Call{
			SessionID: sid, CallType: "audio", ReceiverType: "user", InitiatorUID: from, ReceiverID: to,
			Status: store.CallEnded, InitiatedAt: at, JoinedAt: at, EndedAt: at.Add(time.Second), Timeout: 45,
			EndReason: "ended", Participants: []store.Participant{
				{UID: from, Status: "left", JoinedAt: at, LeftAt: at.Add(time.Second)},
				{UID: to, Status: "left", JoinedAt: at, LeftAt: at.Add(time.Second)},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 99 { // bob's outgoing calls, newer than the tie
		save(fmt.Sprintf("out%02d", i), "bob", "alice", tie.Add(time.Duration(i+1)*time.Second))
	}
	save("tie-z", "bob", "alice", tie) // the 100th call of bob's log
	save("tie-a", "alice", "bob", tie) // the 101st, in the same millisecond
	save("older", "alice", "bob", tie.Add(-time.Second))

	calls, err := e.hub.CallLog(ctx, "bob", protocol.LogQuery{Direction: protocol.DirectionIncoming, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range calls {
		got = append(got, c.SessionID)
	}
	if want := []string{"tie-a", "older"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("bob's incoming calls = %v, want %v", got, want)
	}
}

// A filtered log whose scan stops (logScanPages store pages) before the
// page fills says where to go on: next is after the last call it read,
// and following it finds the matching call further back. Before, the
// page came back short without next, as if the log had no more.
func TestFilteredCallLogSaysWhereItStopped(t *testing.T) {
	old := logScanPages
	logScanPages = 2 // 200 calls read at most
	t.Cleanup(func() { logScanPages = old })
	e := newEnv(t, nil)
	ctx := ctxT(t)
	base := time.UnixMilli(1_700_000_000_000)
	var calls []store.Call
	add := func(sid, from, to string, at time.Time) {
		calls = append(calls, store.Call{
			SessionID: sid, CallType: "audio", ReceiverType: "user", InitiatorUID: from, ReceiverID: to,
			Status: store.CallEnded, InitiatedAt: at, JoinedAt: at, EndedAt: at.Add(time.Second), Timeout: 45,
			EndReason: "ended", Participants: []store.Participant{
				{UID: from, Status: "left", JoinedAt: at, LeftAt: at.Add(time.Second)},
				{UID: to, Status: "left", JoinedAt: at, LeftAt: at.Add(time.Second)},
			},
		})
	}
	add("incoming", "alice", "bob", base)
	for i := range 250 { // bob's outgoing calls, all newer
		add(fmt.Sprintf("out%03d", i), "bob", "alice", base.Add(time.Duration(i+1)*time.Second))
	}
	if err := e.st.SaveCalls(ctx, calls); err != nil {
		t.Fatal(err)
	}
	q := protocol.LogQuery{Direction: protocol.DirectionIncoming, Limit: 5}
	page, err := e.hub.CallLogPage(ctx, "bob", q)
	if err != nil || len(page.Calls) != 0 || page.Next == "" {
		t.Fatalf("first page = %d calls, next %q, %v; want none yet and a next", len(page.Calls), page.Next, err)
	}
	q.After = page.Next
	page, err = e.hub.CallLogPage(ctx, "bob", q)
	if err != nil || len(page.Calls) != 1 || page.Calls[0].SessionID != "incoming" || page.Next != "" {
		t.Fatalf("following next = %+v, %v; want the incoming call and no next", page, err)
	}
}

// A call log page has a next only when more calls follow it: a log of
// exactly two pages ends on its second (it used to give a next there, and
// "Show older calls" then showed once more and added nothing). Unfiltered,
// filtered, a page of 100 (the store's most: a read of one more after
// it), and the live calls of the admin API alike.
func TestCallLogNextOnlyWhenMoreFollow(t *testing.T) {
	e := newEnv(t, nil)
	ctx := ctxT(t)
	base := time.UnixMilli(1_700_000_000_000)
	var calls []store.Call
	add := func(n int, from, to string) {
		for range n {
			at := base.Add(time.Duration(len(calls)) * time.Second)
			calls = append(calls, store.Call{
				SessionID: fmt.Sprintf("c%03d", len(calls)), CallType: "audio", ReceiverType: "user", InitiatorUID: from, ReceiverID: to,
				Status: store.CallEnded, InitiatedAt: at, JoinedAt: at, EndedAt: at.Add(time.Second), Timeout: 45,
				EndReason: "ended", Participants: []store.Participant{
					{UID: from, Status: "left", JoinedAt: at, LeftAt: at.Add(time.Second)},
					{UID: to, Status: "left", JoinedAt: at, LeftAt: at.Add(time.Second)},
				},
			})
		}
	}
	add(3, "bob", "alice")
	add(4, "alice", "bob") // bob's 4 incoming calls are his newest
	add(1, "bob", "alice")
	add(100, "carol", "dave")
	if err := e.st.SaveCalls(ctx, calls); err != nil {
		t.Fatal(err)
	}
	pages := func(uid string, q protocol.LogQuery) (sizes []int) {
		t.Helper()
		for range 10 {
			p, err := e.hub.CallLogPage(ctx, uid, q)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(p.Calls))
			if p.Next == "" {
				return sizes
			}
			q.After = p.Next
		}
		t.Fatalf("%s's log %+v does not end", uid, q)
		return nil
	}
	for _, c := range []struct {
		uid  string
		q    protocol.LogQuery
		want []int
	}{
		{"bob", protocol.LogQuery{Limit: 4}, []int{4, 4}},
		{"bob", protocol.LogQuery{Limit: 3}, []int{3, 3, 2}},
		{"bob", protocol.LogQuery{Limit: 8}, []int{8}},
		{"bob", protocol.LogQuery{Limit: 2, Direction: protocol.DirectionIncoming}, []int{2, 2}},
		{"bob", protocol.LogQuery{Limit: 4, Direction: protocol.DirectionOutgoing}, []int{4}},
		{"carol", protocol.LogQuery{Limit: 100}, []int{100}},
		{"carol", protocol.LogQuery{Limit: 99}, []int{99, 1}},
		{"carol", protocol.LogQuery{Limit: 50}, []int{50, 50}},
		{"carol", protocol.LogQuery{}, []int{50, 50}},
	} {
		if got := pages(c.uid, c.q); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s's log %+v: pages of %v calls, want %v", c.uid, c.q, got, c.want)
		}
	}

	open := make([]store.Call, 4)
	for i := range open {
		at := base.Add(time.Hour + time.Duration(i)*time.Second)
		open[i] = store.Call{SessionID: fmt.Sprintf("live%d", i), CallType: "audio", ReceiverType: "user", InitiatorUID: "erin", ReceiverID: "frank",
			Status: store.CallInitiated, InitiatedAt: at, Timeout: 45,
			Participants: []store.Participant{{UID: "erin", Status: "initiated"}, {UID: "frank", Status: "initiated"}}}
	}
	if err := e.st.SaveCalls(ctx, open); err != nil {
		t.Fatal(err)
	}
	q := protocol.LogQuery{Limit: 2}
	var sizes []int
	for range 5 {
		p, err := e.hub.LiveCalls(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(p.Calls))
		if q.After = p.Next; p.Next == "" {
			break
		}
	}
	if want := []int{2, 2}; !reflect.DeepEqual(sizes, want) {
		t.Errorf("live calls in pages of %v, want %v", sizes, want)
	}
}
