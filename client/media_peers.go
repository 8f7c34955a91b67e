package client

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// clientCodecs are the codecs the Go client sends and receives.
func clientCodecs() []webrtc.RTPCodecParameters { return clientCodecsFB(false) }

// clientCodecsFB adds transport-cc feedback (the subscriber side answers
// the server's estimator with it).
func clientCodecsFB(twccFB bool) []webrtc.RTPCodecParameters {
	var fb []webrtc.RTCPFeedback
	for _, f := range protocol.VideoFeedback() {
		t, p, _ := strings.Cut(f, " ")
		fb = append(fb, webrtc.RTCPFeedback{Type: t, Parameter: p})
	}
	var out []webrtc.RTPCodecParameters
	for _, c := range protocol.Codecs() {
		var f []webrtc.RTCPFeedback
		if strings.HasPrefix(c.MimeType, "video/") {
			f = append(f, fb...)
		}
		if twccFB {
			f = append(f, webrtc.RTCPFeedback{Type: webrtc.TypeRTCPFBTransportCC})
		}
		out = append(out, webrtc.RTPCodecParameters{PayloadType: webrtc.PayloadType(c.PayloadType), RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: c.MimeType, ClockRate: c.ClockRate, Channels: c.Channels, SDPFmtpLine: c.Fmtp, RTCPFeedback: f,
		}})
	}
	return out
}

// videoCodec returns the codec for MediaOptions.Video.
func videoCodec(name string) (webrtc.RTPCodecParameters, error) {
	mime := map[string]string{"vp8": webrtc.MimeTypeVP8, "h264": webrtc.MimeTypeH264, "vp9": webrtc.MimeTypeVP9}[strings.ToLower(name)]
	for _, c := range clientCodecs() {
		if c.MimeType == mime {
			return c, nil
		}
	}
	return webrtc.RTPCodecParameters{}, fmt.Errorf("%w: %q (want vp8, h264 or vp9)", ErrUnknownCodec, name)
}

func (s *Session) settingEngine() webrtc.SettingEngine {
	var se webrtc.SettingEngine
	if s.opts.Loopback {
		se.SetIncludeLoopbackCandidate(true)
		se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
		se.SetInterfaceFilter(func(name string) bool { return name == "lo" })
		se.SetIPFilter(func(ip net.IP) bool { return ip.Equal(net.IPv4(127, 0, 0, 1)) })
	}
	// A packet repaired after a NACK comes late, behind newer ones: keep
	// what is up to 1024 packets behind (libwebrtc's figure; Pion's 64
	// dropped late repairs as replays).
	se.SetSRTPReplayProtectionWindow(1024)
	// Pion's ICE timeouts (disconnected after 5 s of silence, consent every
	// 2 s): shorter ones restart ICE needlessly on a loaded machine. A
	// network change (NetworkChanged) recovers at once anyway.
	if s.opts.Settings != nil {
		s.opts.Settings(&se)
	}
	return se
}

// newPeer builds one PeerConnection; publisher side answers NACKs and sends
// sender reports, subscriber side sends NACKs and receiver reports.
func (s *Session) newPeer(publisher bool) (*webrtc.PeerConnection, error) {
	me := &webrtc.MediaEngine{}
	for _, c := range clientCodecsFB(!publisher) {
		kind := webrtc.RTPCodecTypeVideo
		if strings.HasPrefix(c.MimeType, "audio/") {
			kind = webrtc.RTPCodecTypeAudio
		}
		if err := me.RegisterCodec(c, kind); err != nil {
			return nil, err
		}
	}
	if publisher {
		if err := webrtc.ConfigureSimulcastExtensionHeaders(me); err != nil {
			return nil, err
		}
	}
	reg := &interceptor.Registry{}
	if publisher {
		resp, err := nack.NewResponderInterceptor()
		if err != nil {
			return nil, err
		}
		sr, err := report.NewSenderInterceptor()
		if err != nil {
			return nil, err
		}
		reg.Add(resp)
		reg.Add(sr)
	} else {
		gen, err := nack.NewGeneratorInterceptor()
		if err != nil {
			return nil, err
		}
		rr, err := report.NewReceiverInterceptor()
		if err != nil {
			return nil, err
		}
		fb, err := twcc.NewSenderInterceptor()
		if err != nil {
			return nil, err
		}
		for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
			if err := me.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.TransportCCURI}, kind); err != nil {
				return nil, err
			}
		}
		reg.Add(gen)
		reg.Add(rr)
		reg.Add(fb)
	}
	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithSettingEngine(s.settingEngine()), webrtc.WithInterceptorRegistry(reg))
	return api.NewPeerConnection(webrtc.Configuration{BundlePolicy: webrtc.BundlePolicyMaxBundle})
}

// buildPeers creates both PeerConnections and the local tracks (no I/O yet).
func (s *Session) buildPeers() error {
	var err error
	if s.sub, err = s.newPeer(false); err != nil {
		return err
	}
	peers := map[string]*webrtc.PeerConnection{"subscriber": s.sub}
	if s.opts.Audio || s.opts.Video != "" || s.opts.Screen != "" { // a watcher needs no publisher PC
		if s.pub, err = s.newPeer(true); err != nil {
			s.closePeers()
			return err
		}
		peers["publisher"] = s.pub
	}
	for target, pc := range peers {
		s.watchICE(target, pc)
		pc.OnICECandidate(func(c *webrtc.ICECandidate) {
			var init *webrtc.ICECandidateInit // nil: gathering complete
			if c != nil {
				v := c.ToJSON()
				init = &v
			}
			s.box.push(func() { s.sendCandidate(target, init) })
		})
	}
	s.sub.OnTrack(s.onRemoteTrack)
	if err = s.addLocalTracks(); err != nil {
		s.closePeers()
	}
	return err
}

func (s *Session) addLocalTracks() error {
	if s.opts.Audio {
		if _, err := s.addLocal(clientCodecs()[0], "audio", "audio", ""); err != nil {
			return err
		}
	}
	if s.opts.Video != "" {
		c, err := videoCodec(s.opts.Video)
		if err != nil {
			return err
		}
		if s.opts.Simulcast {
			err = s.addSimulcast(c)
		} else {
			_, err = s.addLocal(c, "video", "video", protocol.SourceCamera)
		}
		if err != nil {
			return err
		}
	}
	if s.opts.Screen != "" {
		c, err := videoCodec(s.opts.Screen)
		if err != nil {
			return err
		}
		if _, err := s.addLocal(c, "video", "screen", protocol.SourceScreen); err != nil {
			return err
		}
	}
	return nil
}

// sources names the screen m-lines of the publisher offer (publishOffer's sources).
func (s *Session) sources() map[string]string {
	var out map[string]string
	for _, tr := range s.pub.GetTransceivers() {
		for _, lt := range s.local {
			if lt.Source == protocol.SourceScreen && lt.sender == tr.Sender() && tr.Mid() != "" {
				if out == nil {
					out = map[string]string{}
				}
				out[tr.Mid()] = protocol.SourceScreen
			}
		}
	}
	return out
}

// addLocal adds a track sending on an m-line of its own: id is its track
// id, source its Source (video).
func (s *Session) addLocal(codec webrtc.RTPCodecParameters, kind, id, source string) (*LocalTrack, error) {
	track, err := webrtc.NewTrackLocalStaticRTP(codec.RTPCodecCapability, id, "local")
	if err != nil {
		return nil, err
	}
	tr, err := s.pub.AddTransceiverFromTrack(track, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		return nil, err
	}
	if err := tr.SetCodecPreferences([]webrtc.RTPCodecParameters{codec}); err != nil {
		return nil, err
	}
	lt := newLocalTrack(kind, codec, track, tr.Sender())
	lt.Source = source
	lt.session = s
	s.mu.Lock()
	s.local = append(s.local, lt)
	s.mu.Unlock()
	go lt.readRTCP()
	return lt, nil
}

// simulcastRIDs are the layers the Go client publishes, lowest first (the
// names the JS SDK and LiveKit use).
var simulcastRIDs = []string{"q", "h", "f"}

// addSimulcast adds one video transceiver sending three rid-based layers.
func (s *Session) addSimulcast(codec webrtc.RTPCodecParameters) error {
	tracks := make([]*webrtc.TrackLocalStaticRTP, len(simulcastRIDs))
	for i, rid := range simulcastRIDs {
		t, err := webrtc.NewTrackLocalStaticRTP(codec.RTPCodecCapability, "video", "local", webrtc.WithRTPStreamID(rid))
		if err != nil {
			return err
		}
		tracks[i] = t
	}
	tr, err := s.pub.AddTransceiverFromTrack(tracks[0], webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		return err
	}
	if err := tr.SetCodecPreferences([]webrtc.RTPCodecParameters{codec}); err != nil {
		return err
	}
	for _, t := range tracks[1:] {
		if err := tr.Sender().AddEncoding(t); err != nil {
			return err
		}
	}
	for i, t := range tracks {
		lt := newLocalTrack("video", codec, t, tr.Sender())
		lt.RID = simulcastRIDs[i]
		lt.session = s
		s.mu.Lock()
		s.local = append(s.local, lt)
		s.mu.Unlock()
		go lt.readRTCP()
	}
	return nil
}

// publish negotiates the publisher PC (session goroutine).
func (s *Session) publish(ctx context.Context) error {
	offer, err := s.pub.CreateOffer(nil)
	if err != nil {
		return err
	}
	if err := s.pub.SetLocalDescription(offer); err != nil {
		return err
	}
	text := offer.SDP
	if s.opts.publishSDP != nil {
		text = s.opts.publishSDP(text)
	}
	var answer protocol.SDP
	if err := s.conn().call(ctx, protocol.MethodPublishOffer, protocol.PublishOffer{SDP: text, Sources: s.sources()}, &answer); err != nil {
		_ = s.pub.SetLocalDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeRollback}) // ready for the next offer
		return err
	}
	if err := s.pub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer.SDP}); err != nil {
		return err
	}
	s.flushHeld("publisher")
	s.setSDES()
	return nil
}

// setSDES gives each simulcast layer the negotiated mid and rid extension
// ids to stamp on its packets.
func (s *Session) setSDES() {
	for _, tr := range s.pub.GetTransceivers() {
		if tr.Sender() == nil { // a stopped share's m-line
			continue
		}
		var ids sdesIDs
		for _, ext := range tr.Sender().GetParameters().HeaderExtensions {
			switch ext.URI {
			case sdp.SDESMidURI:
				ids.midID = uint8(ext.ID)
			case sdp.SDESRTPStreamIDURI:
				ids.ridID = uint8(ext.ID)
			}
		}
		ids.mid = tr.Mid()
		for _, lt := range s.local {
			if lt.RID != "" && lt.sender == tr.Sender() && ids.midID != 0 && ids.ridID != 0 {
				lt.sdes.Store(&ids)
			}
		}
	}
}

func (s *Session) closePeers() {
	if s.pub != nil {
		_ = s.pub.Close()
	}
	if s.sub != nil {
		_ = s.sub.Close()
	}
}

// useICEServers gives both PeerConnections the STUN/TURN servers of
// "joined" (before they gather) and the transport policy asked for.
func (s *Session) useICEServers(servers []ICEServer) error {
	cfg := webrtc.Configuration{ICETransportPolicy: webrtc.ICETransportPolicyAll}
	if s.opts.RelayOnly {
		cfg.ICETransportPolicy = webrtc.ICETransportPolicyRelay
	}
	for _, srv := range servers {
		cfg.ICEServers = append(cfg.ICEServers, webrtc.ICEServer{URLs: srv.URLs, Username: srv.Username,
			Credential: srv.Credential, CredentialType: webrtc.ICECredentialTypePassword})
	}
	for _, pc := range []*webrtc.PeerConnection{s.pub, s.sub} {
		if pc == nil {
			continue
		}
		if err := pc.SetConfiguration(cfg); err != nil {
			return fmt.Errorf("client: iceServers from joined: %w", err)
		}
	}
	return nil
}
