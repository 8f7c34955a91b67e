package web

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// SelfTester is what the /test page needs of the media server (package
// sfu's Server satisfies it): its ports and a data-channel echo peer,
// limited per client (selfTestClient).
type SelfTester interface {
	UDPPort() int
	TCPPort() int
	SelfTest(ctx context.Context, client, offer string) (answer string, err error)
}

// selfTestInfo is GET /v1/selftest's answer: what the /test page needs.
type selfTestInfo struct {
	ICEServers []protocol.ICEServer `json:"iceServers"`
	UDPPort    int                  `json:"udpPort"`
	TCPPort    int                  `json:"tcpPort"`
}

// GET /v1/selftest: the embedded TURN server's URLs with credentials good
// for two minutes whose relays reach only the SFU, and the media ports.
// No login: the /test page is for anyone who cannot call.
func (s *Server) handleSelfTestInfo(w http.ResponseWriter, r *http.Request) {
	if s.deps.SelfTest == nil {
		s.noSelfTest(w, r)
		return
	}
	info := selfTestInfo{ICEServers: []protocol.ICEServer{}, UDPPort: s.deps.SelfTest.UDPPort(), TCPPort: s.deps.SelfTest.TCPPort()}
	if s.deps.SelfTestICE != nil {
		info.ICEServers = append(info.ICEServers, s.deps.SelfTestICE()...)
	}
	writeJSON(w, http.StatusOK, info)
}

// noSelfTest answers /v1/selftest on a server with no media to try (a
// cluster node of role signal): 404, saying where to go instead.
func (s *Server) noSelfTest(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, protocol.Errorf(protocol.CodeNotFound, "this node hosts no media (cluster role signal), so it has no media self-test: open /test on a node that hosts media"))
}

// POST /v1/selftest {"sdp": offer}: answers the /test page's offer (all
// candidates inside) with a data-channel echo on the SFU's media sockets.
func (s *Server) handleSelfTest(w http.ResponseWriter, r *http.Request) {
	if s.deps.SelfTest == nil {
		s.noSelfTest(w, r)
		return
	}
	var body protocol.SDP
	if err := s.decodeBody(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	if body.SDP == "" {
		s.writeError(w, r, protocol.Errorf(protocol.CodeBadRequest, `"sdp" is required: the offer, with its candidates`))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	answer, err := s.deps.SelfTest.SelfTest(ctx, selfTestClient(r), body.SDP)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, protocol.SDP{SDP: answer})
}

// selfTestClient names who asks for a self-test, for the media server's
// per-client limit: the remote IPv4 address, or IPv6 /64 (one host may
// hold a whole /64). Behind a reverse proxy on this host or the private
// network (docs/operations.md: Caddy and nginx set X-Forwarded-For), it is
// the address the proxy saw. A client on the private network can name
// another with that header: the limit over all clients still holds.
func selfTestClient(r *http.Request) string {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	ip := ap.Addr().Unmap()
	if err == nil && (ip.IsLoopback() || ip.IsPrivate()) {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			hops := strings.Split(xff[len(xff)-1], ",")
			if fwd, err := netip.ParseAddr(strings.TrimSpace(hops[len(hops)-1])); err == nil {
				ip = fwd.Unmap()
			}
		}
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
