package web

import (
	"net/http"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// GET /v1/admin/calls/{sid}/quality: every media session's quality in the
// call, in the order they ended (404 when the call is unknown).
func (s *Server) callQuality(r *http.Request, _ http.ResponseWriter) (int, any, error) {
	sid := r.PathValue("sid")
	if err := validateID("sessionId", sid); err != nil {
		return 0, nil, err
	}
	rows, err := s.deps.Store.CallQuality(r.Context(), []string{sid})
	if err != nil {
		return 0, nil, err
	}
	if len(rows) == 0 {
		if _, err := s.deps.Store.GetCall(r.Context(), sid); err != nil {
			return 0, nil, err
		}
	}
	out := protocol.CallQuality{SessionID: sid, Quality: make([]protocol.Quality, len(rows))}
	for i, q := range rows {
		out.Quality[i] = qualityView(q)
	}
	return http.StatusOK, out, nil
}

// qualityView is a stored quality row as the wire shows it.
func qualityView(q store.Quality) protocol.Quality {
	return protocol.Quality{UID: q.UID, JoinedAt: protocol.MillisOf(q.JoinedAt), LeftAt: protocol.MillisOf(q.LeftAt),
		Rating: q.Rating, MOS: q.MOS, LossSent: q.LossSent, LossReceived: q.LossReceived,
		JitterSentMs: q.JitterSentMs, JitterReceivedMs: q.JitterReceivedMs, RTTMs: q.RTTMs,
		BitrateSent: q.BitrateSent, BitrateReceived: q.BitrateReceived, Freezes: q.Freezes,
		LayerSwitches: q.LayerSwitches, Candidate: q.Candidate}
}
