package sfu

import (
	"strings"

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
		r.publish(p, up)
	}
	for _, up := range p.ups {
		if up.remote == nil && !receiving[up.mid] {
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

// trackArrived gives the first packet's Pion track to the track announced
// for its m-line, or publishes a new one (no announcement, or another
// codec than announced: that one is dropped). nil: nothing to read.
func (r *room) trackArrived(p *participant, pub *webrtc.PeerConnection, mid string, remote *webrtc.TrackRemote) *upTrack {
	if !r.current(p) || p.pub != pub {
		return nil
	}
	codec := remote.Codec()
	if c, ok := r.srv.eng.codecFor(codec.RTPCodecCapability); ok {
		codec.MimeType = c.MimeType
	}
	if up := p.upByMid(mid); mid != "" && up != nil && up.remote == nil {
		if sameCodec(up.codec, codec) {
			up.attach(remote)
			return up
		}
		r.dropTrack(p, up)
	}
	up := newUpTrack(p.newTrackID(r, remote.Kind()), p.uid, remote.Kind(), codec, pub, r.srv.pool, r.srv.stats, r.srv.cfg.KeyframeInterval)
	up.mid = mid
	up.attach(remote)
	if !r.publish(p, up) {
		return nil
	}
	return up
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
