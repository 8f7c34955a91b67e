package client

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// clientCodecs are the codecs the Go client sends and receives.
func clientCodecs() []webrtc.RTPCodecParameters {
	var fb []webrtc.RTCPFeedback
	for _, f := range protocol.VideoFeedback() {
		t, p, _ := strings.Cut(f, " ")
		fb = append(fb, webrtc.RTCPFeedback{Type: t, Parameter: p})
	}
	var out []webrtc.RTPCodecParameters
	for _, c := range protocol.Codecs() {
		var f []webrtc.RTCPFeedback
		if strings.HasPrefix(c.MimeType, "video/") {
			f = fb
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
	return webrtc.RTPCodecParameters{}, fmt.Errorf("client: unknown video codec %q (want vp8, h264 or vp9)", name)
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
	// ICE notices silence within 3 s (consent every 0.5 s): recovery
	// starts then (see NetworkChanged).
	se.SetICETimeouts(3*time.Second, 10*time.Second, 500*time.Millisecond)
	if s.opts.Settings != nil {
		s.opts.Settings(&se)
	}
	return se
}

// newPeer builds one PeerConnection; publisher side answers NACKs and sends
// sender reports, subscriber side sends NACKs and receiver reports.
func (s *Session) newPeer(publisher bool) (*webrtc.PeerConnection, error) {
	me := &webrtc.MediaEngine{}
	for _, c := range clientCodecs() {
		kind := webrtc.RTPCodecTypeVideo
		if strings.HasPrefix(c.MimeType, "audio/") {
			kind = webrtc.RTPCodecTypeAudio
		}
		if err := me.RegisterCodec(c, kind); err != nil {
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
		reg.Add(gen)
		reg.Add(rr)
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
	if s.opts.Audio || s.opts.Video != "" { // a watcher needs no publisher PC
		if s.pub, err = s.newPeer(true); err != nil {
			s.closePeers()
			return err
		}
		peers["publisher"] = s.pub
	}
	for target, pc := range peers {
		s.watchICE(pc)
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
		if err := s.addLocal(clientCodecs()[0], "audio"); err != nil {
			return err
		}
	}
	if s.opts.Video != "" {
		c, err := videoCodec(s.opts.Video)
		if err != nil {
			return err
		}
		return s.addLocal(c, "video")
	}
	return nil
}

func (s *Session) addLocal(codec webrtc.RTPCodecParameters, kind string) error {
	track, err := webrtc.NewTrackLocalStaticRTP(codec.RTPCodecCapability, kind, "local")
	if err != nil {
		return err
	}
	tr, err := s.pub.AddTransceiverFromTrack(track, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		return err
	}
	if err := tr.SetCodecPreferences([]webrtc.RTPCodecParameters{codec}); err != nil {
		return err
	}
	lt := newLocalTrack(kind, codec, track, tr.Sender())
	s.local = append(s.local, lt)
	go lt.readRTCP()
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
	if err := s.conn().call(ctx, protocol.MethodPublishOffer, protocol.SDP{SDP: text}, &answer); err != nil {
		return err
	}
	if err := s.pub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer.SDP}); err != nil {
		return err
	}
	s.flushHeld("publisher")
	return nil
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
