package protocol

import (
	"fmt"
	"testing"
)

// A call of more than MaxListedParticipants lists, for a viewer, the
// initiator, the viewer and whoever joined; for no viewer (call.ended's
// webhook) the initiator and whoever joined. A call at the limit is whole.
func TestListedFor(t *testing.T) {
	mk := func(n int) Call {
		c := Call{SessionID: "s"}
		for i := range n {
			p := Participant{UID: fmt.Sprintf("u%d", i), Status: StatusInitiated}
			if i == 7 {
				p.Status, p.JoinedAt, p.LeftAt = StatusLeft, 5, 9
			}
			c.Participants = append(c.Participants, p)
		}
		return c
	}
	uids := func(c Call) string {
		s := ""
		for _, p := range c.Participants {
			s += p.UID + " "
		}
		return fmt.Sprintf("%s+%d", s, c.ParticipantsOmitted)
	}
	big := mk(MaxListedParticipants + 1)
	for _, tc := range []struct {
		c      Call
		viewer string
		want   string
	}{
		{big, "u30", "u0 u7 u30 +48"},
		{big, "u0", "u0 u7 +49"},
		{big, "", "u0 u7 +49"},
		{big, "stranger", "u0 u7 +49"},
	} {
		if got := uids(tc.c.ListedFor(tc.viewer)); got != tc.want {
			t.Errorf("%d participants for %q: %s, want %s", len(tc.c.Participants), tc.viewer, got, tc.want)
		}
	}
	if at := mk(MaxListedParticipants).ListedFor("u30"); len(at.Participants) != MaxListedParticipants || at.ParticipantsOmitted != 0 {
		t.Errorf("a call at the limit: %s", uids(at))
	}
	if len(big.Participants) != MaxListedParticipants+1 {
		t.Fatal("ListedFor changed its receiver's participants")
	}
}
