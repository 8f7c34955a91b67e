package sfu

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pion/dtls/v3"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/sdp/v3"
	"github.com/pion/transport/v4/stdnet"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// engine builds the server's PeerConnections: one MediaEngine per side, one
// SettingEngine sharing the ICE UDP and TCP muxes, one DTLS certificate, and
// a fresh interceptor.Registry per PeerConnection holding only what is used:
// publisher side the connection's feedback (NACKs, receiver reports and
// TWCC feedback, feedback.go); subscriber side none (the down-tracks stamp
// transport-cc themselves for the estimator, bwe.go, answer NACKs from the
// up-track's packet cache and send their own sender reports, see
// downtrack.go).
type engine struct {
	pubMedia *webrtc.MediaEngine
	subMedia *webrtc.MediaEngine
	settings webrtc.SettingEngine
	// certMu guards cert, the DTLS certificate of new PeerConnections
	// (certificate renews it; any room goroutine makes PeerConnections).
	certMu  sync.Mutex
	cert    webrtc.Certificate
	codecs  []webrtc.RTPCodecParameters
	udpMux  ice.UDPMux
	tcpMux  ice.TCPMux
	udpPort int
	tcpPort int
	logs    *pionLogs
	// batches are the UDP mux sockets; the writers batch their sends on them.
	batches batchConns
	// arrivals is told when RTP reaches the UDP sockets (nil: not measured).
	arrivals *arrivalTable
	net      *stdnet.Net
	log      *slog.Logger
	// taps take subscribers' RTCP and publishers' RTP at the UDP sockets
	// (rtcptap.go, rtptap.go).
	taps *mediaTaps
}

// serverCodecs lists the codecs every server PeerConnection accepts.
// twccFB adds transport-cc feedback (both sides: the publisher side for
// the publisher's estimate, the subscriber side for the server's, bwe.go).
func serverCodecs(twccFB bool) []webrtc.RTPCodecParameters {
	video := rtcpFeedback(protocol.VideoFeedback())
	var audioFB []webrtc.RTCPFeedback
	if twccFB {
		video = append(video, webrtc.RTCPFeedback{Type: webrtc.TypeRTCPFBTransportCC})
		audioFB = []webrtc.RTCPFeedback{{Type: webrtc.TypeRTCPFBTransportCC}}
	}
	var out []webrtc.RTPCodecParameters
	for _, c := range protocol.Codecs() {
		fb := video
		if strings.HasPrefix(c.MimeType, "audio/") {
			fb = audioFB
		}
		out = append(out, webrtc.RTPCodecParameters{PayloadType: webrtc.PayloadType(c.PayloadType), RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: c.MimeType, ClockRate: c.ClockRate, Channels: c.Channels, SDPFmtpLine: c.Fmtp, RTCPFeedback: fb,
		}})
	}
	return out
}

// rtcpFeedback turns the codec table's "type [parameter]" entries into Pion's form.
func rtcpFeedback(fb []string) []webrtc.RTCPFeedback {
	out := make([]webrtc.RTCPFeedback, len(fb))
	for i, f := range fb {
		t, p, _ := strings.Cut(f, " ")
		out[i] = webrtc.RTCPFeedback{Type: t, Parameter: p}
	}
	return out
}

func newMediaEngine(twccFB bool) (*webrtc.MediaEngine, error) {
	m := &webrtc.MediaEngine{}
	for _, c := range serverCodecs(twccFB) {
		kind := webrtc.RTPCodecTypeVideo
		if strings.HasPrefix(c.MimeType, "audio/") {
			kind = webrtc.RTPCodecTypeAudio
		}
		if err := m.RegisterCodec(c, kind); err != nil {
			return nil, fmt.Errorf("sfu: register %s: %w", c.MimeType, err)
		}
	}
	if twccFB {
		for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
			ext := webrtc.RTPHeaderExtensionCapability{URI: sdp.TransportCCURI}
			if err := m.RegisterHeaderExtension(ext, kind); err != nil {
				return nil, fmt.Errorf("sfu: register transport-cc: %w", err)
			}
		}
	}
	return m, nil
}

// newPublisherMedia is the publisher side's MediaEngine: the codecs,
// transport-cc, and the mid and rid header extensions rid-based simulcast
// needs (Pion then fires OnTrack once per rid).
func newPublisherMedia() (*webrtc.MediaEngine, error) {
	m, err := newMediaEngine(true)
	if err != nil {
		return nil, err
	}
	if err := webrtc.ConfigureSimulcastExtensionHeaders(m); err != nil {
		return nil, fmt.Errorf("sfu: register simulcast extensions: %w", err)
	}
	if err := m.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.AudioLevelURI}, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("sfu: register audio level: %w", err)
	}
	return m, nil
}

// newEngine binds the media sockets; arrivals (nil: none) is told when RTP
// reaches them (the forward-delay metric).
func newEngine(cfg Config, log *slog.Logger, arrivals *arrivalTable, taps *mediaTaps) (*engine, error) {
	e := &engine{codecs: serverCodecs(true), logs: newPionLogs(log), log: log, arrivals: arrivals, taps: taps}
	var err error
	if e.pubMedia, err = newPublisherMedia(); err != nil {
		return nil, err
	}
	if e.subMedia, err = newMediaEngine(true); err != nil {
		return nil, err
	}
	if e.cert, err = newCertificate(); err != nil {
		return nil, err
	}
	// One view of the host's interfaces for the muxes and every ICE agent:
	// without it each PeerConnection lists them again (netlink) and keeps
	// its own copy.
	if e.net, err = stdnet.NewNet(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrListen, err)
	}
	if err := e.listen(cfg); err != nil {
		return nil, err
	}
	e.configure(cfg)
	e.settings.LoggerFactory = e.logs
	return e, nil
}

// listen binds the single UDP port (ICE UDP mux) and the ICE-TCP port.
func (e *engine) listen(cfg Config) error {
	var only *hostOnly // nil: every source is taken
	if cfg.ThisHostOnly() {
		only = newHostOnly(e.log, cfg.BindAddress != "") // one socket: no other kind to pair with
	}
	if cfg.BindAddress == "" {
		mux, err := newHostMux(cfg, e.logs.NewLogger("udpmux"), e.logs.log, e.arrivals, e.taps, only)
		if err != nil {
			return err
		}
		e.udpMux, e.udpPort, e.batches = mux, mux.Port(), mux.initial
	} else {
		ip, err := netip.ParseAddr(cfg.BindAddress)
		if err != nil {
			return fmt.Errorf("%w: media.bind_address %q: %v", ErrListen, cfg.BindAddress, err)
		}
		conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(cfg.UDPPort))))
		if err != nil {
			return fmt.Errorf("%w: media.udp_port %d on media.bind_address %s: %w", ErrListen, cfg.UDPPort, cfg.BindAddress, err)
		}
		tuneSocket(conn, cfg.SocketBuffer, e.log)
		e.udpPort = conn.LocalAddr().(*net.UDPAddr).Port
		bc := newBatchConn(conn, e.arrivals, e.taps)
		e.batches = append(e.batches, bc)
		var pc net.PacketConn = bc
		if only != nil {
			pc = newHostOnlyConn(bc, only)
		}
		e.udpMux = ice.NewUDPMuxDefault(ice.UDPMuxParams{UDPConn: pc, Logger: e.logs.NewLogger("udpmux")})
	}
	if cfg.TCPPort == 0 {
		return nil
	}
	port := cfg.TCPPort
	if port < 0 {
		port = 0
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.BindAddress, strconv.Itoa(port)))
	if err != nil {
		_ = e.udpMux.Close()
		return fmt.Errorf("%w: media.tcp_port %d: %w", ErrListen, cfg.TCPPort, err)
	}
	e.tcpPort = ln.Addr().(*net.TCPAddr).Port
	if only != nil {
		ln = &hostOnlyListener{Listener: ln, only: only}
	}
	e.tcpMux = ice.NewTCPMuxDefault(ice.TCPMuxParams{Listener: ln, Logger: e.logs.NewLogger("tcpmux"), ReadBufferSize: 64, WriteBufferSize: 4 << 20})
	return nil
}

func interfaceFilter(cfg Config) func(string) bool {
	if len(cfg.Interfaces) == 0 {
		return nil
	}
	names := slices.Clone(cfg.Interfaces)
	return func(name string) bool { return slices.Contains(names, name) }
}

func ipFilter(cfg Config) func(net.IP) bool {
	if len(cfg.IPs) == 0 && cfg.BindAddress == "" {
		return nil
	}
	allowed := slices.Clone(cfg.IPs)
	if cfg.BindAddress != "" {
		allowed = append(allowed, cfg.BindAddress)
	}
	return func(ip net.IP) bool {
		return slices.ContainsFunc(allowed, func(s string) bool { return net.ParseIP(s).Equal(ip) })
	}
}

func (e *engine) configure(cfg Config) {
	s := &e.settings
	s.SetICEUDPMux(e.udpMux)
	s.SetNet(e.net)
	networks := []webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6}
	if e.tcpMux != nil {
		s.SetICETCPMux(e.tcpMux)
		networks = append(networks, webrtc.NetworkTypeTCP4, webrtc.NetworkTypeTCP6)
	}
	s.SetNetworkTypes(networks)
	if cfg.PublicIP != "" {
		// NAT 1:1: announce the public address instead of the host's.
		// It cannot fail: no legacy NAT1To1 setting is made alongside.
		_ = s.SetICEAddressRewriteRules(webrtc.ICEAddressRewriteRule{
			External:        []string{cfg.PublicIP},
			AsCandidateType: webrtc.ICECandidateTypeHost,
			Mode:            webrtc.ICEAddressRewriteReplace,
		})
	}
	if f := interfaceFilter(cfg); f != nil {
		s.SetInterfaceFilter(f)
	}
	if f := ipFilter(cfg); f != nil {
		s.SetIPFilter(f)
	}
	// Silence for MediaTimeout is noticed by the rooms (liveness.go), which
	// then tell the others participantReconnecting: Pion's agent checks
	// consent every liveKeepalive and never says "disconnected"; its
	// "failed" is a backstop, with the removal (DisconnectTimeout later).
	s.SetICETimeouts(0, cfg.MediaTimeout+cfg.DisconnectTimeout, liveKeepalive(cfg))
	// On the subscriber connection the server is the controlling agent and
	// nominates the pair. Pion waits before nominating a pair whose remote
	// candidate is peer-reflexive (1 s: a client's check that arrives
	// before its trickled candidate), server-reflexive (0.5 s: every client
	// behind a NAT) or relayed (2 s), in case a better pair succeeds
	// meanwhile. The server has host candidates only, and a client's
	// better candidates are checked in the same round: only a relayed pair
	// still waits, so that a direct one found a moment later wins.
	s.SetPrflxAcceptanceMinWait(0)
	s.SetSrflxAcceptanceMinWait(0)
	s.SetRelayAcceptanceMinWait(relayAcceptanceWait)
	s.SetIncludeLoopbackCandidate(cfg.IncludeLoopback)
	if cfg.DisableMDNS {
		s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	} else {
		s.SetICEMulticastDNSMode(ice.MulticastDNSModeQueryOnly)
	}
	s.SetLite(false)
	s.SetSRTPProtectionProfiles(srtpProfiles()...)
	// A packet the server asked again for (NACK) comes late, behind newer
	// ones: SRTP's replay window must reach back that far or the repair is
	// dropped as a replay. Pion's default of 64 packets is about 0.6 s of
	// 1 Mbit/s video: through 5% loss and 100 ms of jitter, the repairs that
	// came later than that were lost, and each lost for good froze the
	// subscribers' picture until a keyframe. libwebrtc keeps 1024.
	s.SetSRTPReplayProtectionWindow(srtpReplayWindow)
	// The server answers publishOffer as the DTLS server (a=setup:passive),
	// so on the publisher connection too it picks the SRTP profile: Chrome,
	// as DTLS server, picks AES_CM_128_HMAC_SHA1_80, whose decryption of
	// every published packet costs about 7x AES-128-GCM's here.
	_ = s.SetAnsweringDTLSRole(webrtc.DTLSRoleServer)
}

// relayAcceptanceWait is how long the server, controlling the ICE of a
// subscriber connection, waits before nominating a pair through a client's
// TURN relay (Pion's default is 2 s).
const relayAcceptanceWait = 300 * time.Millisecond

// srtpReplayWindow is how many packets behind the newest an SRTP packet
// is still taken (libwebrtc's figure).
const srtpReplayWindow = 1024

// srtpProfiles is the server's SRTP preference. The server is the DTLS
// server on both PeerConnections (the subscriber PC: the client answers
// with setup:active; the publisher PC: see SetAnsweringDTLSRole), so its
// order decides: AES-128-GCM first, the cheapest to encrypt here (0.27 vs
// 0.31 us per 1200-byte packet for AES-256-GCM, Pion's default first
// choice), with the default's others kept for older clients.
func srtpProfiles() []dtls.SRTPProtectionProfile {
	return []dtls.SRTPProtectionProfile{
		dtls.SRTP_AEAD_AES_128_GCM,
		dtls.SRTP_AEAD_AES_256_GCM,
		dtls.SRTP_AES128_CM_HMAC_SHA1_80,
	}
}

// newPublisherPC builds the PeerConnection a participant publishes on. Its
// only interceptor is fb, which sends the connection's NACKs, receiver
// reports and transport-cc feedback from what its layers read in; nothing
// stands between Pion's SRTP reader and a layer. Its DTLS key log goes to
// the taps' key store (rtptap.go).
func (e *engine) newPublisherPC(fb *pubFeedback) (*webrtc.PeerConnection, error) {
	reg := &interceptor.Registry{}
	reg.Add(fb)
	return e.newPC(e.pubMedia, reg, false, true)
}

// newSubscriberPC builds the PeerConnection a participant receives on. It
// has no interceptor: the down-tracks answer NACKs from the up-track's cache
// and write their own sender reports (report.go), so nothing stands between
// a down-track and Pion's SRTP writer.
//
// It always negotiates a data section (AlwaysNegotiateDataChannels) without
// opening a channel: see participant.setup.
//
// Its DTLS key log goes to the taps' key store, so that the media sockets
// can read the subscriber's RTCP themselves (rtcptap.go, srtpkeys.go).
func (e *engine) newSubscriberPC() (*webrtc.PeerConnection, error) {
	return e.newPC(e.subMedia, &interceptor.Registry{}, true, true)
}

func (e *engine) newPC(m *webrtc.MediaEngine, reg *interceptor.Registry, dataSection, keyLog bool) (*webrtc.PeerConnection, error) {
	cert, err := e.certificate()
	if err != nil {
		return nil, err
	}
	settings := e.settings
	if keyLog && e.taps != nil {
		settings.SetDTLSKeyLogWriter(e.taps.keys)
	}
	api := webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithSettingEngine(settings), webrtc.WithInterceptorRegistry(reg))
	pc, err := api.NewPeerConnection(webrtc.Configuration{
		Certificates:                []webrtc.Certificate{cert},
		BundlePolicy:                webrtc.BundlePolicyMaxBundle,
		AlwaysNegotiateDataChannels: dataSection,
	})
	if err != nil {
		return nil, fmt.Errorf("sfu: new peer connection: %w", err)
	}
	return pc, nil
}

// codecFor returns the subscriber-side codec matching a published one.
func (e *engine) codecFor(c webrtc.RTPCodecCapability) (webrtc.RTPCodecParameters, bool) {
	var sameMime *webrtc.RTPCodecParameters
	for i := range e.codecs {
		k := &e.codecs[i]
		if !strings.EqualFold(k.MimeType, c.MimeType) {
			continue
		}
		if fmtpEqual(k.SDPFmtpLine, c.SDPFmtpLine) {
			return *k, true
		}
		if sameMime == nil {
			sameMime = k
		}
	}
	if sameMime == nil {
		return webrtc.RTPCodecParameters{}, false
	}
	return *sameMime, true
}

// fmtpEqual compares the parameters that decide decoder compatibility.
func fmtpEqual(a, b string) bool {
	pl := func(s string) string {
		for _, kv := range strings.Split(s, ";") {
			// Parameter names are case-insensitive (RFC 6838), and so are
			// these hexadecimal / decimal values.
			if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok && (strings.EqualFold(k, "profile-level-id") || strings.EqualFold(k, "profile-id")) {
				return strings.ToLower(v)
			}
		}
		return ""
	}
	return pl(a) == pl(b)
}

func (e *engine) close() {
	if e.udpMux != nil {
		_ = e.udpMux.Close()
	}
	if e.tcpMux != nil {
		_ = e.tcpMux.Close()
	}
}

// certRenewBefore: a DTLS certificate that expires within it is replaced
// for the PeerConnections made from then on. Pion's last a month, and Pion
// refuses to make a PeerConnection with an expired one: a server up for a
// month took no more calls. A PeerConnection keeps the certificate it was
// made with (its fingerprint was signalled), which outlives any call.
const certRenewBefore = 7 * 24 * time.Hour

// newCertificate makes a DTLS certificate (ECDSA P-256, a month long).
func newCertificate() (webrtc.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return webrtc.Certificate{}, fmt.Errorf("sfu: certificate key: %w", err)
	}
	cert, err := webrtc.GenerateCertificate(key)
	if err != nil {
		return webrtc.Certificate{}, fmt.Errorf("sfu: certificate: %w", err)
	}
	return *cert, nil
}

// certificate is the DTLS certificate for a new PeerConnection, renewed
// when it expires within certRenewBefore (kept if renewing fails while it
// is still valid).
func (e *engine) certificate() (webrtc.Certificate, error) {
	e.certMu.Lock()
	defer e.certMu.Unlock()
	if time.Until(e.cert.Expires()) > certRenewBefore {
		return e.cert, nil
	}
	c, err := newCertificate()
	if err != nil {
		if time.Now().Before(e.cert.Expires()) {
			return e.cert, nil
		}
		return webrtc.Certificate{}, err
	}
	e.cert = c
	e.log.Info("DTLS certificate renewed", "expires", c.Expires().UTC().Format(time.RFC3339))
	return c, nil
}
