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
