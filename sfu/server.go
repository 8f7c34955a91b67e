package sfu

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"sync"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Hooks is what the media side tells the ringing side (signaling.Hub
// implements it). Every method must return at once.
type Hooks interface {
	// MediaJoined: uid joined the call's media (a new session, not a
	// resume); until MediaLeft they are in it.
	MediaJoined(sessionID, uid string)
	// MediaLeft: uid left the call's media for good: reason is
	// protocol.ReasonEnded (leave) or protocol.ReasonDisconnected (their
	// media vanished and the disconnect timeout passed).
	MediaLeft(sessionID, uid, reason string)
	// MediaEndCall: uid sent endCall on /v1/rtc.
	MediaEndCall(sessionID, uid string) error
}

// Deps are the Server's collaborators.
type Deps struct {
	Hooks   Hooks
	Log     *slog.Logger          // nil: discard
	Metrics prometheus.Registerer // nil: no metrics
	// ICEServers, if set, adds per-participant STUN/TURN servers (fresh
	// TURN credentials) to Config.ICEServers in "joined".
	ICEServers func(uid string) []ICEServer
}

// Participant identifies who a /v1/rtc connection is (from its call token).
type Participant struct {
	SessionID string
	UID       string
	Name      string
	// Resume: take over this user's media session in the call if it is
	// still kept (PeerConnections, tracks, mids), instead of replacing it.
	Resume bool
	// ResumeOnly: resume that session or nothing (its call token has
	// expired: it may resume a session, not start one).
	ResumeOnly bool
}

// Server is the SFU: rooms (one per call session), peers, forwarding.
// See the package doc for its concurrency rules.
type Server struct {
	cfg     Config
	log     *slog.Logger
	eng     *engine
	pool    *packetPool
	stats   *counters
	writers *writerPool
	rooms   sync.WaitGroup // one per running room goroutine
	closing sync.WaitGroup // PeerConnections being closed (participant.close)

	// mu guards byID, closed, hooks and qualitySink.
	mu          sync.Mutex
	byID        map[string]*room
	closed      bool
	hooks       Hooks
	qualitySink QualitySink

	quality *qualityMetrics // histograms of the quality kept

	iceServers func(uid string) []ICEServer // nil: only cfg.ICEServers
	selftests  selfTests                    // the /test page's connections

}

// New binds the media sockets (UDP mux, ICE-TCP) and returns a Server;
// with cfg.Off, a Server that binds nothing and refuses every connection.
func New(cfg Config, deps Deps) (*Server, error) {
	cfg = cfg.WithDefaults()
	log := deps.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{cfg: cfg, log: log, pool: newPacketPool(), stats: newCounters(), byID: map[string]*room{}, hooks: deps.Hooks, iceServers: deps.ICEServers}
	if err := s.stats.register(deps.Metrics); err != nil {
		return nil, err
	}
	qm, err := newQualityMetrics(deps.Metrics)
	if err != nil {
		return nil, err
	}
	s.quality = qm
	if cfg.Off {
		log.Info("media off: this node hosts no media (role signal) and binds no media socket")
		return s, nil
	}
	eng, err := newEngine(cfg, log, &s.stats.arrivals, s.stats.taps)
	if err != nil {
		return nil, err
	}
	s.eng = eng
	s.writers = newWriterPool(runtime.GOMAXPROCS(0), eng.batches, s.stats.delay)
	log.Info("media sockets bound", "udp_port", eng.udpPort, "tcp_port", eng.tcpPort)
	return s, nil
}

// UDPPort is the port of the ICE UDP mux (useful when Config.UDPPort is
// 0); 0 when media is off.
func (s *Server) UDPPort() int {
	if s.eng == nil {
		return 0
	}
	return s.eng.udpPort
}

// TCPPort is the ICE-TCP port, 0 when ICE-TCP or media is off.
func (s *Server) TCPPort() int {
	if s.eng == nil {
		return 0
	}
	return s.eng.tcpPort
}

// SetHooks wires the ringing side after construction.
func (s *Server) SetHooks(h Hooks) {
	s.mu.Lock()
	s.hooks = h
	s.mu.Unlock()
}

func (s *Server) getHooks() Hooks {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hooks
}

// Serve runs one authenticated /v1/rtc connection until it closes. web has
// verified the call token and that the call is ongoing, and upgraded.
func (s *Server) Serve(ctx context.Context, ws *websocket.Conn, p Participant) {
	var part *participant
	var conn *protocol.Conn
	conn = protocol.NewConn(ws, protocol.Options{ReadLimit: s.cfg.MaxFrameBytes,
		RequestRate: noLimitIfZero(s.cfg.RequestRate), RequestBurst: s.cfg.RequestBurst,
		Malformed: func(e *protocol.Error) {
			if part.room == nil { // refused at once: nothing else is answered
				_ = part.conn.ReplyError("", e)
				return
			}
			part.inbound(conn, protocol.ReplyError("", e))
		}})
	part = newParticipant(p, conn)
	r := s.enqueue(p.SessionID, !p.ResumeOnly, func(r *room) { r.join(part) })
	if r == nil {
		why, reason := ErrClosed, "server closing"
		switch {
		case s.eng == nil:
			why, reason = ErrNoMediaHere, "no media on this node"
		case p.ResumeOnly:
			why, reason = ErrNothingToResume, "nothing to resume"
		}
		_ = conn.Emit("error", protocol.AsError(why))
		conn.Close(closeStatus(why), reason)
		_ = conn.Run(ctx, func(protocol.Message) {})
		return
	}
	part.room = r
	_ = conn.Run(ctx, func(m protocol.Message) { part.inbound(conn, m) })
	r.box.push(func() { r.socketGone(part, conn) })
}

// enqueue runs f on the room of sessionID (created when create is set) and
// returns that room, or nil when there is none or the server is closed.
func (s *Server) enqueue(sessionID string, create bool, f func(*room)) *room {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.byID[sessionID]
	if r == nil {
		if !create || s.closed || s.eng == nil {
			return nil
		}
		r = newRoom(sessionID, s)
		s.byID[sessionID] = r
		s.stats.rooms.Add(1)
		s.rooms.Add(1)
		go r.run()
	}
	r.box.push(func() { f(r) })
	return r
}

// forget removes an ended room and closes its mailbox, returning what was
// still queued (run by the room against its ended state).
func (s *Server) forget(r *room) []func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unlistLocked(r)
	return r.box.close()
}

// unlist takes a room that emptied out of byID at once, before the rest of
// its batch runs: a join that comes meanwhile makes a new room instead of
// landing in this one, which would refuse it as ended.
func (s *Server) unlist(r *room) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unlistLocked(r)
}

func (s *Server) unlistLocked(r *room) {
	if s.byID[r.id] == r {
		delete(s.byID, r.id)
		s.stats.rooms.Add(-1)
	}
}

// RemoveParticipant tears down uid's media in the call: uid gets callEnded
// and the others userLeft, both with reason (left, ended_by_admin). Never
// blocks.
func (s *Server) RemoveParticipant(sessionID, uid, reason string) {
	s.enqueue(sessionID, false, func(r *room) { r.removeByHub(uid, reason) })
}

// EndCall tears down the call's media and sends callEnded. Never blocks.
func (s *Server) EndCall(sessionID, reason string) {
	s.enqueue(sessionID, false, func(r *room) { r.end(reason) })
}

// Participants is how many participants are connected across all calls.
func (s *Server) Participants() int { return int(s.stats.participants.Load()) }

// Close ends every call and releases the sockets.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	rooms := make([]*room, 0, len(s.byID))
	for _, r := range s.byID {
		rooms = append(rooms, r)
	}
	s.mu.Unlock()
	for _, r := range rooms {
		r.box.push(func() { r.end(protocol.ReasonServerShutdown) })
	}
	s.rooms.Wait()
	s.closing.Wait()
	s.selftests.closeAll()
	if s.eng != nil {
		s.writers.close()
		s.eng.close()
	}
	return nil
}
