package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/pion/webrtc/v4"
)

// PionTarget drives the plain-Pion forwarder child over its tiny signaling.
// It supports one publisher per server (the fan-out baseline).
type PionTarget struct {
	Child *Child
	api   *webrtc.API
}

// NewPionTarget wraps a running `bench pion-forwarder` child.
func NewPionTarget(child *Child) (*PionTarget, error) {
	api, err := newAPI(false)
	if err != nil {
		return nil, err
	}
	return &PionTarget{Child: child, api: api}, nil
}

func (t *PionTarget) Name() string { return "pion" }
func (t *PionTarget) PID() int     { return t.Child.PID() }
func (t *PionTarget) Close() error { return t.Child.Stop() }

// HeapInuse reads the forwarder's /metrics.
func (t *PionTarget) HeapInuse(ctx context.Context) (int64, error) {
	return heapFromMetrics(ctx, t.Child.URL+"/metrics")
}

// Join connects the publisher first, then the listeners.
func (t *PionTarget) Join(ctx context.Context, publishes []bool, onTrack TrackFunc) ([]Participant, error) {
	var out []Participant
	pubs := 0
	for _, p := range publishes {
		if p {
			pubs++
		}
	}
	if pubs > 1 {
		return nil, fmt.Errorf("%w: the plain-Pion baseline forwards one publisher", ErrConfig)
	}
	for i, pub := range publishes {
		var p Participant
		var err error
		if pub {
			p, err = t.publisher(ctx)
		} else {
			p, err = t.subscriber(ctx, i, onTrack)
		}
		if err != nil {
			return nil, errors.Join(fmt.Errorf("%w: participant %d: %w", ErrScenario, i, err), closeAll(out))
		}
		out = append(out, p)
	}
	return out, nil
}

func (t *PionTarget) post(ctx context.Context, path, offer string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.Child.URL+path, strings.NewReader(offer))
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: HTTP %d: %s", path, resp.StatusCode, body)
	}
	return string(body), nil
}

// pionPeer is a load-side participant of the baseline.
type pionPeer struct {
	pc           *webrtc.PeerConnection
	audio, video *webrtc.TrackLocalStaticRTP
	reads        goroutines
}

// ID is the forwarder's stream id: it forwards one publisher as "pub".
func (p *pionPeer) ID() string { return "pub" }

func (p *pionPeer) Audio() RTPWriter {
	if p.audio == nil {
		return nil
	}
	return p.audio
}

func (p *pionPeer) Video() RTPWriter {
	if p.video == nil {
		return nil
	}
	return p.video
}

func (p *pionPeer) Close() error {
	err := p.pc.Close()
	p.reads.wg.Wait()
	return err
}

func (t *PionTarget) publisher(ctx context.Context) (*pionPeer, error) {
	pc, err := t.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	p := &pionPeer{pc: pc}
	p.audio, _ = webrtc.NewTrackLocalStaticRTP(
		webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", "pub")
	p.video, _ = webrtc.NewTrackLocalStaticRTP(
		webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", "pub")
	for _, tr := range []*webrtc.TrackLocalStaticRTP{p.audio, p.video} {
		s, err := pc.AddTrack(tr)
		if err != nil {
			return nil, errorsJoinClose(err, p)
		}
		p.reads.Go(func() { drainRTCP(s) })
	}
	if err := negotiate(ctx, pc, func(o string) (string, error) { return t.post(ctx, "/publish", o) }); err != nil {
		return nil, errorsJoinClose(err, p)
	}
	return p, nil
}

func (t *PionTarget) subscriber(ctx context.Context, idx int, onTrack TrackFunc) (*pionPeer, error) {
	pc, err := t.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	p := &pionPeer{pc: pc}
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			return nil, errorsJoinClose(err, p)
		}
	}
	pc.OnTrack(func(remote *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		sink := onTrack(idx, remote.StreamID(), Kind(remote.Kind().String()))
		if sink == nil {
			return
		}
		p.reads.wg.Add(1)
		defer p.reads.wg.Done()
		readTrack(remote, sink)
	})
	if err := negotiate(ctx, pc, func(o string) (string, error) { return t.post(ctx, "/subscribe", o) }); err != nil {
		return nil, errorsJoinClose(err, p)
	}
	return p, nil
}

func errorsJoinClose(err error, p *pionPeer) error {
	if cerr := p.Close(); cerr != nil {
		return fmt.Errorf("%w (close: %w)", err, cerr)
	}
	return err
}
