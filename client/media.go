package client

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Media event types (the "event" names of /v1/rtc).
const (
	MediaUserJoined       = protocol.EventUserJoined
	MediaUserLeft         = protocol.EventUserLeft
	MediaTrackPublished   = protocol.EventTrackPublished
	MediaTrackUnpublished = protocol.EventTrackUnpublished
	MediaMuteChanged      = protocol.EventMuteChanged
	MediaActiveLayers     = protocol.EventActiveLayers
	// MediaStreamState: a received video is paused for this session's
	// downlink (State protocol.StreamPaused, Reason "bandwidth") or
	// forwarded again (protocol.StreamActive); TrackID, UID and Mid name it.
	MediaStreamState = protocol.EventStreamState
	MediaCallEnded   = protocol.EventCallEnded
	MediaError       = protocol.EventError
)

// ErrSessionEnded is returned by JoinSession when the server closes the
// connection before "joined" (the error event's text is wrapped).
var ErrSessionEnded = errors.New("client: media session ended")

// ErrUnknownCodec is returned by JoinSession and StartScreenShare for a
// video codec other than "vp8", "h264" or "vp9".
var ErrUnknownCodec = errors.New("client: unknown video codec")

// errNoReason stands in when the connection ended without an error.
var errNoReason = errors.New("connection closed")

// MediaOptions configures JoinSession.
type MediaOptions struct {
	// Audio publishes one Opus track.
	Audio bool
	// Video publishes one video track: "vp8", "h264", "vp9", or "" for none.
	Video string
	// Screen publishes a second video track, a screen share ("vp8", "h264",
	// "vp9"; "" for none): announced to the others with source "screen".
	Screen string
	// Simulcast publishes the video track as three rid-based layers, "q",
	// "h" and "f" (low, medium, high): LocalTracks then has one LocalTrack
	// per layer (RID set), each written by the application.
	Simulcast bool
	// Loopback restricts ICE to 127.0.0.1 over UDP, without mDNS (tests, bots).
	Loopback bool
	// RelayOnly gathers only TURN relay candidates (iceTransportPolicy
	// "relay"), through the iceServers that "joined" hands out.
	RelayOnly bool
	// Settings, when set, tunes the SettingEngine of both PeerConnections.
	Settings func(*webrtc.SettingEngine)
	// OnEvent receives the session's events in order, one at a time, on a
	// goroutine of its own (not the session's): it may call any Session
	// method, Leave and Close included, and a slow one holds up only the
	// events after it. Events queued when the session ends are still
	// delivered: Close and Leave return after the last of them (called
	// from OnEvent itself, they do not wait for it).
	OnEvent func(MediaEvent)
	// OnKeyframeRequest is called for each keyframe request (PLI or FIR) a
	// local track receives, on that track's RTCP reader goroutine: someone
	// needs a keyframe of it; send one soon (an echo or a relay asks its
	// own source). It must return quickly. KeyframeRequests counts them too.
	OnKeyframeRequest func(*LocalTrack)
	// OnTrack is called (on the track's reader goroutine) when a remote
	// track starts arriving, before its first OnPacket.
	OnTrack func(*RemoteTrack)
	// OnPacket is called for every received RTP packet on the track's
	// reader goroutine, with its arrival time. p is reused after return.
	OnPacket func(t *RemoteTrack, p *rtp.Packet, arrival time.Time)
	// OnRTCP is called for every RTCP packet the server sends about a
	// received track (its sender reports: RemoteTrack.SenderReport keeps
	// the last), on the track's RTCP reader goroutine. It must return
	// quickly.
	OnRTCP func(t *RemoteTrack, pkts []rtcp.Packet)
	// OnICEState and OnPeerState, when set, see each change of a
	// connection's ICE state and of its overall state (connected: ICE and
	// DTLS are up); target is "publisher" or "subscriber". They are called
	// on Pion's goroutines and must return quickly.
	OnICEState  func(target string, st webrtc.ICEConnectionState)
	OnPeerState func(target string, st webrtc.PeerConnectionState)
	// OnFrame, when set, sees every raw /v1/rtc frame sent and received
	// (see protocol.FrameHook: it must return quickly and not keep the
	// frame). Tests use it to validate the wire against the schema.
	OnFrame protocol.FrameHook
	// HTTPClient performs the WebSocket upgrades (nil: http.DefaultClient).
	HTTPClient *http.Client
	// NoRecover turns off recovery (see Session.NetworkChanged): by
	// default a session whose ICE goes disconnected or failed, or whose
	// socket is lost without a close from the server, reconnects /v1/rtc
	// with resume=1 and restarts ICE on both connections (events
	// MediaReconnecting, then MediaReconnected), trying for up to
	// ResumeTimeout (0: 15 s) after the socket was lost or ICE went down;
	// then the session ends, Err saying the server did not answer.
	NoRecover     bool
	ResumeTimeout time.Duration

	// Test hooks (this package's tests mimic other stacks with them).
	// publishSDP rewrites the publisher offer's text as sent; answerSDP the
	// subscriber answer's; offerSeen sees each subscriber offer first;
	// offerLost, when it says so, drops one unanswered (a client that lost
	// its handling); answerAgain answers an offer sent again that this
	// client already answered (a client that does not skip it).
	publishSDP  func(string) string
	answerSDP   func(string) string
	offerSeen   func(string)
	offerLost   func(string) bool
	answerAgain bool
}

// Aliases of the /v1/rtc payload types (package protocol).
type (
	// MediaParticipant is someone in the call, as /v1/rtc describes them.
	MediaParticipant = protocol.MediaParticipant
	// TrackInfo describes a published track. Mid names the m-line that
	// carries it on this session's subscriber connection: the key to match
	// it with a received track (docs/protocol.md, "Which track is whose").
	TrackInfo = protocol.Track
	// ICEServer is a STUN/TURN server from "joined".
	ICEServer = protocol.ICEServer
	// SessionInfo is the "joined" event.
	SessionInfo = protocol.Joined
)

// MediaEvent is one event of the media session. Type is one of the Media*
// constants; the other fields are set as the event carries them.
type MediaEvent struct {
	Type     string
	UID      string
	Name     string
	TrackID  string
	Mid      string
	Kind     string
	Codec    string
	Source   string // trackPublished: "camera" or "screen" (video)
	State    string // streamState: "paused" or "active"
	Muted    bool
	Rejoined bool
	Reason   string
	Error    *protocol.Error
	Data     json.RawMessage
}

// Session is one participant's media session in a call: a publisher and a
// subscriber PeerConnection driven over /v1/rtc. Its goroutine handles
// server events in order; methods are safe for concurrent use.
type Session struct {
	opts     MediaOptions
	endpoint string        // the /v1/rtc URL
	token    string        // the call token
	stop     chan struct{} // closed by Close: no more recovery
	stopOnce sync.Once

	// rpcMu guards rpc: a resume swaps it (on the session goroutine).
	rpcMu sync.Mutex
	rpc   *rpc

	pub    *webrtc.PeerConnection
	sub    *webrtc.PeerConnection
	box    *workQueue
	events *workQueue    // OnEvent's calls, run by dispatch
	local  []*LocalTrack // written under mu (StartScreenShare runs while the app reads LocalTracks)
	info   SessionInfo
	done   chan struct{} // closed when the session has shut down
	// dispatched is closed when dispatch has delivered the last event;
	// dispatchG is dispatch's goroutine (Close called from OnEvent must
	// not wait for it).
	dispatched chan struct{}
	dispatchG  atomic.Uint64
	joined     chan error // gets the outcome of "joined"

	// Loop goroutine only.
	held     map[string][]webrtc.ICECandidateInit
	answered string // the subscriber offer whose answer the server took last
	gotJoin  bool
	shares   int   // screen shares started (StartScreenShare): their track ids
	closeErr error // why the socket ended: a definite reason (fatal) or the socket's own error
	fatal    error // the reason the session is ending, when the loop knows one
	recovery recoveryState

	// Written by the loop before done is closed; read after it.
	endErr   error       // Err's answer
	appClose atomic.Bool // Close was called

	// mu guards remote, byMid, parts and ended, and writes to local.
	mu     sync.Mutex
	remote []*RemoteTrack
	byMid  map[string]TrackInfo // announced tracks by mid (joined, trackPublished)
	parts  []MediaParticipant   // the others in the call (joined, userJoined, userLeft, muteChanged)
	ended  *MediaEvent
}

// JoinSession opens /v1/rtc at baseURL with a call token, waits for
// "joined", publishes the local tracks asked for and starts receiving the
// others'. Close or Leave the session when done. When the token names the
// node hosting the call's media (a cluster: TokenMediaURL), /v1/rtc is
// opened there instead of at baseURL. A connection the server refuses
// before the upgrade (a bad or expired token, a call that is over) is an
// *HTTPError carrying the server's code and message; a call that ends
// while it joins, ErrSessionEnded. A user has one media session per call,
// the newest connection's: a JoinSession that fails on its context after
// the server took the connection may still have replaced this user's
// earlier session (which then ends with a conflict error).
func JoinSession(ctx context.Context, baseURL, callToken string, opts MediaOptions) (*Session, error) {
	if media := TokenMediaURL(callToken); media != "" {
		baseURL = media
	}
	s := &Session{opts: opts, box: newWorkQueue(), events: newWorkQueue(), done: make(chan struct{}), dispatched: make(chan struct{}), joined: make(chan error, 1),
		held: map[string][]webrtc.ICECandidateInit{}, byMid: map[string]TrackInfo{},
		endpoint: strings.TrimSuffix(baseURL, "/") + "/v1/rtc", token: callToken, stop: make(chan struct{})}
	if err := s.buildPeers(); err != nil {
		return nil, err
	}
	r, err := s.dial(ctx, false)
	if err != nil {
		s.closePeers()
		return nil, err
	}
	s.rpc = r
	go s.loop()
	go s.dispatch()
	select {
	case err = <-s.joined:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err == nil && len(s.local) > 0 {
		err = s.run(ctx, s.publish)
		if errors.Is(err, ErrClosed) { // the server closed it meanwhile (the call ended)
			err = fmt.Errorf("%w: %w", ErrSessionEnded, err)
		}
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Info is the "joined" event the session started with.
func (s *Session) Info() SessionInfo { return s.info }

// Participants are the others in the call now, in the order they joined,
// with their mutes: "joined"'s list kept up to date by userJoined,
// userLeft and muteChanged (and replaced by the server's when the session
// resumes). The slice and its maps are the caller's.
func (s *Session) Participants() []MediaParticipant {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]MediaParticipant, len(s.parts))
	for i, p := range s.parts {
		out[i] = p
		out[i].Muted = maps.Clone(p.Muted)
	}
	return out
}

// LocalTracks are the tracks this session publishes.
func (s *Session) LocalTracks() []*LocalTrack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.local)
}

// RemoteTracks are the tracks received so far (including ended ones).
func (s *Session) RemoteTracks() []*RemoteTrack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*RemoteTrack(nil), s.remote...)
}

// Done is closed when the session has ended and released its peers; Err
// then says why. The last events may still be on their way to OnEvent
// then: Close (or Leave) returns once they were delivered.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err is nil while the session is open. Once Done is closed it says why
// the session ended: ErrClosed after Close or Leave; otherwise an error
// wrapping ErrSessionEnded and the reason, e.g. the server's refusal of an
// automatic resume (an *HTTPError such as 403 for a call that was closed
// meanwhile; a MediaError event carried it too), the server's close (after
// callEnded: see Ended), or the network error when recovery was off or
// gave up. Requests and LocalTrack writes after the end return ErrClosed
// wrapping it.
func (s *Session) Err() error {
	select {
	case <-s.done:
		return s.endErr
	default:
		return nil
	}
}

// Ended returns the callEnded event, if one arrived.
func (s *Session) Ended() (MediaEvent, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended == nil {
		return MediaEvent{}, false
	}
	return *s.ended, true
}

// Mute tells the others that kind ("audio" or "video") is (un)muted. The
// application stops or resumes writing that track itself.
func (s *Session) Mute(ctx context.Context, kind string, muted bool) error {
	return s.call(ctx, protocol.MethodMute, protocol.MuteParams{Kind: kind, Muted: muted}, nil)
}

// TrackSettings tells the server how this session wants a received track:
// the size it is shown at, a pinned simulcast layer, or paused.
func (s *Session) TrackSettings(ctx context.Context, ts protocol.TrackSettings) error {
	return s.call(ctx, protocol.MethodTrackSettings, ts, nil)
}

// Leave ends this participant's media session (the leave method) and
// closes it. In a 1:1 call that ends the call for both (as endCall: the
// other gets callEnded); in a group call the others go on. It may be
// called from OnEvent.
func (s *Session) Leave(ctx context.Context) error {
	s.appClose.Store(true) // Err: ErrClosed, even if the server's close comes first
	s.stopRecovery()
	err := s.call(ctx, protocol.MethodLeave, nil, nil)
	s.Close()
	return err
}

// EndCall ends the call for everyone (as endCall on /v1/ws); the server
// then sends callEnded and closes the session.
func (s *Session) EndCall(ctx context.Context) error {
	return s.call(ctx, protocol.MethodEndCall, nil, nil)
}

// Close drops the connection and closes both PeerConnections without a
// leave (the call goes on: the server holds this participant for
// media.disconnect_timeout, a resume's grace) and waits for the shutdown.
// Closing the PeerConnections tells the server at once that their media
// stopped, so the others see this participant's tracks unpublished and
// then participantReconnecting; a client that vanished (no close at all)
// is noticed only after media.media_timeout. It may be called from
// OnEvent.
func (s *Session) Close() {
	s.appClose.Store(true)
	s.stopRecovery()
	if r := s.conn(); r != nil {
		r.close()
		<-s.done
		if goid() != s.dispatchG.Load() {
			<-s.dispatched
		}
	}
}

// call sends a request on the current socket; once the session has ended
// it returns endedErr instead (not the old socket's error).
func (s *Session) call(ctx context.Context, method string, params, result any) error {
	select {
	case <-s.done:
		return s.endedErr()
	default:
	}
	return s.conn().call(ctx, method, params, result)
}

// endedErr is what a request or a write after the end returns: ErrClosed,
// wrapping Err when that says more.
func (s *Session) endedErr() error {
	if err := s.Err(); !errors.Is(err, ErrClosed) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return ErrClosed
}

// Call sends any /v1/rtc method with params and decodes the reply into
// result (which may be nil); it exists for tools and protocol tests.
func (s *Session) Call(ctx context.Context, method string, params, result any) error {
	return s.call(ctx, method, params, result)
}

// onWire returns the event handler of one socket: it runs on that rpc's
// reader and only queues the event for the loop, which drops it if the
// socket has been replaced (a resume) by then.
func (s *Session) onWire(r **rpc) func(protocol.Message) {
	return func(m protocol.Message) {
		s.box.push(func() {
			if *r == s.conn() {
				s.handleEvent(m)
			}
		})
	}
}

// run executes f on the session goroutine and waits for it.
func (s *Session) run(ctx context.Context, f func(context.Context) error) error {
	res := make(chan error, 1)
	if !s.box.push(func() { res <- f(ctx) }) {
		return ErrClosed
	}
	select {
	case err := <-res:
		return err
	case <-s.done:
		return fmt.Errorf("%w: %w", ErrSessionEnded, cmp.Or(s.closeErr, errNoReason))
	}
}

func (s *Session) loop() {
	defer close(s.done)
	defer s.recovery.closers.Wait()
	for {
		r := s.conn()
		select {
		case <-s.box.wake:
			s.box.runAll()
		case <-r.closed():
			if s.socketLost(r) {
				resumed, failed := s.resume()
				if resumed {
					continue
				}
				if failed != nil {
					s.fatal = failed
					s.deliver(protocol.Message{Event: MediaError, Data: mustJSON(refusalError(failed))})
				}
			}
			s.box.runAll()
			s.box.close()
			s.closePeers()
			s.closeErr = cmp.Or(s.fatal, r.failure())
			s.endErr = fmt.Errorf("%w: %w", ErrSessionEnded, cmp.Or(s.closeErr, errNoReason))
			if s.appClose.Load() && s.fatal == nil {
				s.endErr = ErrClosed
			}
			if !s.gotJoin {
				s.joined <- fmt.Errorf("%w: %w", ErrSessionEnded, cmp.Or(s.closeErr, errNoReason))
			}
			return
		}
	}
}

// TokenMediaURL is the base URL of the node hosting a call's media, as the
// call token names it (claim "media", set by a cluster), or "" (the server
// that minted it). The token is not verified here: the server does.
func TokenMediaURL(callToken string) string {
	parts := strings.Split(callToken, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		Media string `json:"media"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	return claims.Media
}
