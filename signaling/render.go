package signaling

import (
	"strconv"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// appendCallJSON appends v as json.Marshal would encode it (the same
// fields, order and escaping), without reflection or a MarshalJSON call per
// time: the hub renders a call on most commands.
func appendCallJSON(b []byte, v *protocol.Call) []byte {
	b = append(b, `{"sessionId":`...)
	b = protocol.AppendString(b, v.SessionID)
	b = protocol.AppendString(append(b, `,"callType":`...), v.CallType)
	b = protocol.AppendString(append(b, `,"receiverType":`...), v.ReceiverType)
	b = appendPartyJSON(append(b, `,"initiator":`...), &v.Initiator)
	b = appendPartyJSON(append(b, `,"receiver":`...), &v.Receiver)
	b = protocol.AppendString(append(b, `,"status":`...), v.Status)
	b = appendMillis(append(b, `,"initiatedAt":`...), v.InitiatedAt)
	b = appendMillis(append(b, `,"joinedAt":`...), v.JoinedAt)
	b = appendMillis(append(b, `,"endedAt":`...), v.EndedAt)
	b = strconv.AppendInt(append(b, `,"timeout":`...), int64(v.Timeout), 10)
	b = append(b, `,"participants":`...)
	if v.Participants == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range v.Participants {
			if i > 0 {
				b = append(b, ',')
			}
			p := &v.Participants[i]
			b = protocol.AppendString(append(b, `{"uid":`...), p.UID)
			b = protocol.AppendString(append(b, `,"status":`...), p.Status)
			b = appendMillis(append(b, `,"joinedAt":`...), p.JoinedAt)
			b = appendMillis(append(b, `,"leftAt":`...), p.LeftAt)
			if p.EarlierMs != 0 {
				b = strconv.AppendInt(append(b, `,"earlierMs":`...), p.EarlierMs, 10)
			}
			if p.AckedAt != 0 {
				b = appendMillis(append(b, `,"ackedAt":`...), p.AckedAt)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if v.ParticipantsOmitted != 0 {
		b = strconv.AppendInt(append(b, `,"participantsOmitted":`...), int64(v.ParticipantsOmitted), 10)
	}
	if v.EndReason != "" {
		b = protocol.AppendString(append(b, `,"endReason":`...), v.EndReason)
	}
	if v.Unreachable {
		b = append(b, `,"unreachable":true`...)
	}
	return append(b, '}')
}

func appendPartyJSON(b []byte, p *protocol.Party) []byte {
	b = append(b, '{')
	if p.UID != "" {
		b = append(protocol.AppendString(append(b, `"uid":`...), p.UID), ',')
	}
	if p.GUID != "" {
		b = append(protocol.AppendString(append(b, `"guid":`...), p.GUID), ',')
	}
	b = protocol.AppendString(append(b, `"name":`...), p.Name)
	if p.Avatar != "" {
		b = protocol.AppendString(append(b, `,"avatar":`...), p.Avatar)
	}
	return append(b, '}')
}

func appendMillis(b []byte, m protocol.Millis) []byte {
	if m == 0 {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(m), 10)
}
