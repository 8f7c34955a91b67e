package sfu

import (
	"net/netip"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// ICEServer is a STUN or TURN server handed to clients in "joined".
type ICEServer = protocol.ICEServer

// Config tunes the media server.
type Config struct {
	// Off: this node hosts no media (a cluster node of role signal). New
	// binds no socket, and every /v1/rtc connection is refused
	// (ErrNoMediaHere). Set by the server from cluster.role, not a key.
	Off bool `yaml:"-"`
	// BindAddress is the IP the media sockets bind to ("" = all interfaces).
	BindAddress string `yaml:"bind_address"`
	// UDPPort is the single UDP port all peers share (ICE UDP mux). 0 picks a free port.
	UDPPort int `yaml:"udp_port"`
	// TCPPort is the ICE-TCP fallback port (0 disables ICE-TCP).
	TCPPort int `yaml:"tcp_port"`
	// SocketBuffer is the kernel receive and send buffer, in bytes, asked
	// for each media UDP socket (DefaultConfig: 4 MiB; 0: as the OS makes it).
	// The kernel caps it at net.core.rmem_max / wmem_max unless the process
	// has CAP_NET_ADMIN; a cap below it is logged at start.
	SocketBuffer int `yaml:"socket_buffer"`
	// PublicIP, when set, is announced instead of the host's addresses (NAT 1:1).
	PublicIP string `yaml:"public_ip"`
	// Interfaces and IPs, when set, restrict the candidates gathered.
	Interfaces []string `yaml:"interfaces"`
	IPs        []string `yaml:"ips"`
	// IncludeLoopback gathers 127.0.0.1 candidates (tests, single-host setups).
	IncludeLoopback bool `yaml:"include_loopback"`
	// LocalOnly serves this host only: media datagrams and ICE-TCP
	// connections from any other host are dropped (serve --dev sets it, with
	// BindAddress "", so that a browser on this host reaches the server on
	// the host's LAN address: Firefox takes no media from 127.0.0.1; each
	// socket then takes sources of its own kind, loopback or LAN). A
	// loopback BindAddress implies it.
	LocalOnly bool `yaml:"local_only"`
	// DisableMDNS stops resolving browsers' .local candidates (the server
	// never announces mDNS names either way).
	DisableMDNS bool `yaml:"disable_mdns"`
	// ICEServers are handed to clients in "joined".
	ICEServers []ICEServer `yaml:"ice_servers"`
	// DisconnectTimeout removes a participant whose ICE failed or whose
	// socket vanished and who did not come back within it.
	DisconnectTimeout time.Duration `yaml:"disconnect_timeout"`
	// MediaTimeout is how long a participant's connection may receive
	// nothing (no RTP/RTCP, no ICE consent), or take to connect first,
	// before the others are told participantReconnecting;
	// DisconnectTimeout more, and they are removed.
	MediaTimeout time.Duration `yaml:"media_timeout"`
	// AnswerTimeout is how long a subscriberOffer may wait for its answer
	// before it is sent again (once); as long again, and the client gets an
	// error event (answerwait.go).
	AnswerTimeout time.Duration `yaml:"answer_timeout"`
	// ICERestartLimit is how many ICE restarts (publisher and subscriber
	// together) one participant may make per ICERestartWindow; beyond it
	// a restart is refused with rate_limited and logged.
	ICERestartLimit  int           `yaml:"ice_restart_limit"`
	ICERestartWindow time.Duration `yaml:"ice_restart_window"`
	// KeyframeInterval is the least time between two keyframe requests (PLI)
	// sent to one published video track.
	KeyframeInterval time.Duration `yaml:"keyframe_interval"`
	// Limits against abuse.
	MaxParticipants         int   `yaml:"max_participants"`
	MaxTracksPerParticipant int   `yaml:"max_tracks_per_participant"`
	MaxRemoteCandidates     int   `yaml:"max_remote_candidates"`
	MaxFrameBytes           int64 `yaml:"max_frame_bytes"`
	// SendQueue is how many packets may wait for one subscriber's writer;
	// beyond it packets are dropped (and a keyframe requested for video).
	SendQueue int `yaml:"send_queue"`
	// RequestRate is how many requests per second one /v1/rtc connection
	// may send, sustained, and RequestBurst how many at once (every method
	// counts; beyond: rate_limited with retryAfterMs). 0: no limit.
	RequestRate  float64 `yaml:"request_rate"`
	RequestBurst int     `yaml:"request_burst"`
	// MuteInterval is the least time between two muteChanged events of one
	// participant's track kind; toggles in between are coalesced into the
	// latest state, sent when the interval ends.
	MuteInterval time.Duration `yaml:"mute_interval"`
	// DisableEstimation turns off per-subscriber bandwidth estimation
	// (transport-cc stamping, probing): layers are then chosen by the
	// subscriber's size and trackSettings alone.
	DisableEstimation bool `yaml:"disable_estimation"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		UDPPort:                 7882,
		TCPPort:                 7881,
		SocketBuffer:            defaultSocketBuffer,
		DisconnectTimeout:       15 * time.Second,
		MediaTimeout:            5 * time.Second,
		AnswerTimeout:           15 * time.Second,
		ICERestartLimit:         10,
		ICERestartWindow:        time.Minute,
		KeyframeInterval:        500 * time.Millisecond,
		MaxParticipants:         16,
		MaxTracksPerParticipant: 4,
		MaxRemoteCandidates:     64,
		MaxFrameBytes:           256 << 10,
		SendQueue:               512,
		RequestRate:             50,
		RequestBurst:            200,
		MuteInterval:            250 * time.Millisecond,
	}
}

// WithDefaults is c with each unset (zero or negative) limit at its default,
// as the server runs it.
func (c Config) WithDefaults() Config {
	d := DefaultConfig()
	if c.DisconnectTimeout <= 0 {
		c.DisconnectTimeout = d.DisconnectTimeout
	}
	if c.MediaTimeout <= 0 {
		c.MediaTimeout = d.MediaTimeout
	}
	if c.AnswerTimeout <= 0 {
		c.AnswerTimeout = d.AnswerTimeout
	}
	if c.ICERestartLimit <= 0 {
		c.ICERestartLimit = d.ICERestartLimit
	}
	if c.ICERestartWindow <= 0 {
		c.ICERestartWindow = d.ICERestartWindow
	}
	if c.KeyframeInterval < 0 {
		c.KeyframeInterval = 0
	}
	if c.MaxParticipants <= 0 {
		c.MaxParticipants = d.MaxParticipants
	}
	if c.MaxTracksPerParticipant <= 0 {
		c.MaxTracksPerParticipant = d.MaxTracksPerParticipant
	}
	if c.MaxRemoteCandidates <= 0 {
		c.MaxRemoteCandidates = d.MaxRemoteCandidates
	}
	if c.MaxFrameBytes <= 0 {
		c.MaxFrameBytes = d.MaxFrameBytes
	}
	if c.SendQueue <= 0 {
		c.SendQueue = d.SendQueue
	}
	if c.RequestBurst <= 0 {
		c.RequestBurst = d.RequestBurst
	}
	if c.MuteInterval < 0 {
		c.MuteInterval = 0
	}
	return c
}

// ThisHostOnly reports whether media is served to this host only:
// LocalOnly, or a loopback BindAddress, which implies it.
func (c Config) ThisHostOnly() bool {
	ip, err := netip.ParseAddr(c.BindAddress)
	return c.LocalOnly || err == nil && ip.IsLoopback()
}
