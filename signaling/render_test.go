package signaling

import (
	"encoding/json"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// The hand-written Call renderer writes exactly what json.Marshal writes.
func TestAppendCallJSONMatchesEncodingJSON(t *testing.T) {
	calls := []protocol.Call{
		{},
		{SessionID: "0Yb3kq8lZ1xWc2Vn9aBcDe", CallType: protocol.CallVideo, ReceiverType: protocol.ReceiverUser,
			Initiator: protocol.Party{UID: "alice", Name: "Alice"}, Receiver: protocol.Party{UID: "bob", Name: "Bob"},
			Status: protocol.StatusOngoing, InitiatedAt: 1_700_000_000_000, JoinedAt: 1_700_000_004_000, Timeout: 45,
			Participants: []protocol.Participant{{UID: "alice", Status: "ongoing", JoinedAt: 1_700_000_004_000},
				{UID: "bob", Status: "ongoing", JoinedAt: 1_700_000_004_000, LeftAt: -5}}},
		{SessionID: "s", CallType: protocol.CallAudio, ReceiverType: protocol.ReceiverGroup,
			Initiator: protocol.Party{UID: "ann", Name: `Ann "<&>" O'Neil`}, Receiver: protocol.Party{GUID: "team", Name: "Tëam\u2028\t"},
			Status: protocol.StatusEnded, EndedAt: 9, EndReason: "ended", Participants: []protocol.Participant{}},
		{Receiver: protocol.Party{UID: "u", GUID: "g"}, Timeout: -1, EndReason: "server_shutdown"},
		{SessionID: "s", Status: protocol.StatusOngoing, ParticipantsOmitted: 70, EndReason: "",
			Participants: []protocol.Participant{{UID: "a", Status: "ongoing", JoinedAt: 5}}},
		{SessionID: "s", Status: protocol.StatusInitiated, Unreachable: true, EndReason: "x",
			Participants: []protocol.Participant{{UID: "a", Status: "initiated"}, {UID: "b", Status: "initiated", AckedAt: 1_700_000_001_000}}},
	}
	for _, c := range calls {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendCallJSON(nil, &c); string(got) != string(want) {
			t.Errorf("appendCallJSON =\n%s\nwant\n%s", got, want)
		}
	}
}

func BenchmarkRenderCall(b *testing.B) {
	c := protocol.Call{SessionID: "0Yb3kq8lZ1xWc2Vn9aBcDe", CallType: protocol.CallVideo, ReceiverType: protocol.ReceiverUser,
		Initiator: protocol.Party{UID: "alice", Name: "Alice"}, Receiver: protocol.Party{UID: "bob", Name: "Bob"},
		Status: protocol.StatusOngoing, InitiatedAt: 1_700_000_000_000, JoinedAt: 1_700_000_004_000, Timeout: 45,
		Participants: []protocol.Participant{{UID: "alice", Status: "ongoing", JoinedAt: 1_700_000_004_000},
			{UID: "bob", Status: "ongoing", JoinedAt: 1_700_000_004_000}}}
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = json.Marshal(c)
		}
	})
	b.Run("appendCallJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = appendCallJSON(make([]byte, 0, 512), &c)
		}
	})
}
