package sfu

import (
	"fmt"
	"strings"

	"github.com/switchboard-rtc/switchboard/protocol"

	"github.com/pion/webrtc/v4"
)

// Tracks are announced when the publisher's offer is answered, not when
// their first packet arrives: the others get trackPublished and a
// subscriberOffer with the new m-lines at once, so their renegotiation runs
// while the publisher's ICE and DTLS come up, and the publisher's first
// keyframe finds the subscribers' m-lines negotiated (issue 9 point 9).
// The first packet then attaches the Pion track to the announced up-track
// (matched by the publisher's mid and codec); a track that arrives
// unannounced, or with another codec, is published then, as before.

// announceTracks publishes an up-track for each m-line of p's publisher
// connection that receives and has none yet, and drops the announced
// tracks whose m-line stopped receiving before their first packet.
func (r *room) announceTracks(p *participant, pub *webrtc.PeerConnection) {
	receiving := map[string]bool{}
	for _, t := range pub.GetTransceivers() {
		mid := t.Mid()
		if mid == "" || t.Receiver() == nil || !receives(t.Direction()) {
			continue
		}
		receiving[mid] = true
		if p.upByMid(mid) != nil {
			continue
		}
		codecs := t.Receiver().GetParameters().Codecs
		if len(codecs) == 0 {
			continue
		}
		codec := codecs[0]
		if c, ok := r.srv.eng.codecFor(codec.RTPCodecCapability); ok {
			codec.MimeType = c.MimeType // the server's spelling
		}
		up := newUpTrack(p.newTrackID(r, t.Kind()), p.uid, t.Kind(), codec, pub, r.srv.pool, r.srv.stats, r.srv.cfg.KeyframeInterval)
		up.mid = mid
		up.source = p.sourceOf(up)
		r.publish(p, up)
	}
	for _, up := range p.ups {
		if !up.arrived && !receiving[up.mid] {
			r.dropTrack(p, up)
		}
	}
}

func receives(d webrtc.RTPTransceiverDirection) bool {
	return d == webrtc.RTPTransceiverDirectionRecvonly || d == webrtc.RTPTransceiverDirectionSendrecv
}

// upByMid is p's published track on the publisher m-line mid, if any.
func (p *participant) upByMid(mid string) *upTrack {
	for _, up := range p.ups {
		if up.mid == mid {
			return up
		}
	}
	return nil
}

// trackArrived gives a layer (the first packet's Pion track) to the track
// announced for its m-line: its first layer, or another simulcast layer
// (a rid) of it. Otherwise it publishes a new track (no announcement, or
// another codec than announced: that one is dropped). nil: nothing to read.
func (r *room) trackArrived(p *participant, pub *webrtc.PeerConnection, mid string, l *layer) *upTrack {
	if !r.current(p) || p.pub != pub {
		return nil
	}
	remote := l.remote
	codec := remote.Codec()
	if c, ok := r.srv.eng.codecFor(codec.RTPCodecCapability); ok {
		codec.MimeType = c.MimeType
	}
	if up := p.upByMid(mid); mid != "" && up != nil && (!up.arrived || l.rid != "") {
		if sameCodec(up.codec, codec) && up.addLayer(l) {
			r.layerArrived(up, l)
			return up
		}
		if !up.arrived {
			r.dropTrack(p, up)
		}
	}
	up := newUpTrack(p.newTrackID(r, remote.Kind()), p.uid, remote.Kind(), codec, pub, r.srv.pool, r.srv.stats, r.srv.cfg.KeyframeInterval)
	up.mid = mid
	up.source = p.sourceOf(up)
	if !up.addLayer(l) || !r.publish(p, up) {
		return nil
	}
	r.layerArrived(up, l)
	return up
}

// layerArrived notes the first layer's track id and re-chooses layers.
func (r *room) layerArrived(up *upTrack, l *layer) {
	if !up.arrived {
		up.arrived, up.msid = true, l.remote.ID()
	}
	r.layersChanged(up)
}

func sameCodec(a, b webrtc.RTPCodecParameters) bool {
	return a.PayloadType == b.PayloadType && a.ClockRate == b.ClockRate && fmtpEqual(a.SDPFmtpLine, b.SDPFmtpLine) &&
		strings.EqualFold(a.MimeType, b.MimeType)
}

// receiverMid is the mid of the publisher m-line recv belongs to.
func receiverMid(pub *webrtc.PeerConnection, recv *webrtc.RTPReceiver) string {
	for _, t := range pub.GetTransceivers() {
		if t.Receiver() == recv {
			return t.Mid()
		}
	}
	return ""
}

// checkSources refuses publishOffer's sources when one names another
// source than camera or screen, or when they name more m-lines than an
// offer may have.
func checkSources(sources map[string]string, maxMedia int) error {
	if len(sources) > maxMedia {
		return fmt.Errorf("%w: %d m-lines named, an offer has at most %d", ErrBadSource, len(sources), maxMedia)
	}
	for mid, src := range sources {
		if src != protocol.SourceCamera && src != protocol.SourceScreen {
			return fmt.Errorf("%w: mid %q is %q", ErrBadSource, mid, src)
		}
	}
	return nil
}

// setSources keeps what publishOffer says each video m-line carries, for
// the m-lines the publisher connection has once its offer is applied (a
// name stays for the connection; one for a mid it does not have is
// dropped, so the names never outnumber its m-lines).
func (p *participant) setSources(sources map[string]string, pub *webrtc.PeerConnection) {
	if len(sources) == 0 {
		return
	}
	for _, t := range pub.GetTransceivers() {
		if src, ok := sources[t.Mid()]; ok {
			p.sources[t.Mid()] = src
		}
	}
}

// sourceOf is what a published video track shows ("" for audio).
func (p *participant) sourceOf(up *upTrack) string {
	if up.kind != webrtc.RTPCodecTypeVideo {
		return ""
	}
	if src, ok := p.sources[up.mid]; ok {
		return src
	}
	return protocol.SourceCamera
}
