package bench

import (
	"context"
	"net"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
)

// loopbackSettings is the SettingEngine both the load side and the plain-Pion
// forwarder use: loopback candidates only, no mDNS (see docs TESTING notes).
func loopbackSettings() webrtc.SettingEngine {
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetInterfaceFilter(func(name string) bool { return name == "lo" })
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	return se
}

// newAPI builds a webrtc API with the default codecs and either Pion's
// default interceptors (the baseline server) or a light set a real client
// runs (NACK and RTCP reports: the load side).
func newAPI(defaults bool) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		return nil, err
	}
	reg := &interceptor.Registry{}
	if defaults {
		if err := webrtc.RegisterDefaultInterceptors(m, reg); err != nil {
			return nil, err
		}
	} else {
		if err := webrtc.ConfigureNack(m, reg); err != nil {
			return nil, err
		}
		if err := webrtc.ConfigureRTCPReports(reg); err != nil {
			return nil, err
		}
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(reg),
		webrtc.WithSettingEngine(loopbackSettings())), nil
}

// negotiate runs offer -> complete ICE gathering -> answer through exchange
// (non-trickle, so the tiny signaling is one request).
func negotiate(ctx context.Context, pc *webrtc.PeerConnection, exchange func(offer string) (string, error)) error {
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		return err
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		return err
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return ctx.Err()
	}
	answer, err := exchange(pc.LocalDescription().SDP)
	if err != nil {
		return err
	}
	return pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer})
}

// answerOffer is the server half of negotiate.
func answerOffer(ctx context.Context, pc *webrtc.PeerConnection, offer string) (string, error) {
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", err
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return "", err
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		return "", err
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return pc.LocalDescription().SDP, nil
}

// drainRTCP reads a sender's RTCP until it closes, so interceptors run.
func drainRTCP(s *webrtc.RTPSender) {
	buf := make([]byte, 1500)
	for {
		if _, _, err := s.Read(buf); err != nil {
			return
		}
	}
}
