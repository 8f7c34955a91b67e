package signaling

import (
	"context"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// withQuality gives each participant of calls that took part in the media
// its last media session's quality (the SFU stores one row per session).
func (h *Hub) withQuality(ctx context.Context, calls []protocol.Call) error {
	if len(calls) == 0 {
		return nil
	}
	ids := make([]string, len(calls))
	for i, c := range calls {
		ids[i] = c.SessionID
	}
	rows, err := h.st.CallQuality(ctx, ids)
	if err != nil {
		return err
	}
	last := make(map[[2]string]store.Quality, len(rows))
	for _, q := range rows { // oldest first: the last one wins
		last[[2]string{q.SessionID, q.UID}] = q
	}
	for i := range calls {
		for j := range calls[i].Participants {
			p := &calls[i].Participants[j]
			if q, ok := last[[2]string{calls[i].SessionID, p.UID}]; ok {
				p.Quality = qualityView(q)
			}
		}
	}
	return nil
}

// qualityView is a stored quality row as the wire shows it.
func qualityView(q store.Quality) *protocol.Quality {
	return &protocol.Quality{UID: q.UID, JoinedAt: protocol.MillisOf(q.JoinedAt), LeftAt: protocol.MillisOf(q.LeftAt),
		Rating: q.Rating, MOS: q.MOS, LossSent: q.LossSent, LossReceived: q.LossReceived,
		JitterSentMs: q.JitterSentMs, JitterReceivedMs: q.JitterReceivedMs, RTTMs: q.RTTMs,
		BitrateSent: q.BitrateSent, BitrateReceived: q.BitrateReceived, Freezes: q.Freezes,
		LayerSwitches: q.LayerSwitches, Candidate: q.Candidate}
}
