package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// The saved-call hint only saves statements: when the rows are not what it
// says (changed behind the store's back), every save still lands whole.
func TestSaveLandsWhenTheHintIsWrong(t *testing.T) {
	for _, c := range []struct {
		name, sql string
	}{
		{"call deleted", `DELETE FROM calls WHERE session_id = 'h1'`},
		{"participants deleted", `DELETE FROM call_participants WHERE session_id = 'h1'`},
		{"a participant deleted", `DELETE FROM call_participants WHERE session_id = 'h1' AND uid = 'ben'`},
		{"fixed column changed", `UPDATE calls SET receiver_id = 'zed' WHERE session_id = 'h1'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			st, _ := newStore(t)
			call := oneToOne("h1", "ann", "ben", 0)
			call.Status = CallOngoing
			if err := st.SaveCall(ctx, call); err != nil { // hint: h1 stored with 2 participants
				t.Fatal(err)
			}
			if _, err := st.(*sqlStore).w.ExecContext(ctx, c.sql); err != nil {
				t.Fatal(err)
			}
			call.Status, call.EndedAt = CallEnded, t0.Add(time.Minute)
			for i := range call.Participants {
				call.Participants[i].Status, call.Participants[i].LeftAt = "ended", call.EndedAt
			}
			if err := st.SaveCall(ctx, call); err != nil {
				t.Fatal(err)
			}
			got, err := st.GetCall(ctx, "h1")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, call) {
				t.Fatalf("GetCall =\n%+v\nwant\n%+v", got, call)
			}
		})
	}
}

// A call saved by an earlier store on the same file (a restart) is updated,
// not inserted twice.
func TestSaveOfACallStoredBeforeARestart(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	path := st.(*sqlStore).path
	call := oneToOne("h2", "ann", "ben", 0)
	if err := st.SaveCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	call.Status = CallCancelled
	call.Participants[0].Status, call.Participants[1].Status = "cancelled", "cancelled"
	if err := again.SaveCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	if got, err := again.GetCall(ctx, "h2"); err != nil || !reflect.DeepEqual(got, call) {
		t.Fatalf("GetCall = %+v, %v\nwant %+v", got, err, call)
	}
}
