package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/pion/webrtc/v4"
)

// PionTarget drives the plain-Pion forwarder child over its tiny signaling.
// Each room's publishers get ids of their own; every participant receives
// every other publisher of its room, on a connection per publisher.
type PionTarget struct {
	Child *Child
	api   *webrtc.API
	rooms atomic.Int64 // rooms joined, for the publisher ids
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

// Join connects the room's publishers first, then each participant's
// connections to the other publishers.
func (t *PionTarget) Join(ctx context.Context, publishes []bool, onTrack TrackFunc) ([]Participant, error) {
	room := t.rooms.Add(1)
	peers := make([]*pionPeer, len(publishes))
	out := make([]Participant, 0, len(publishes))
	fail := func(i int, err error) ([]Participant, error) {
		return nil, errors.Join(fmt.Errorf("%w: participant %d: %w", ErrScenario, i, err), closeAll(out))
	}
	for i, pub := range publishes {
		peers[i] = &pionPeer{id: fmt.Sprintf("r%dp%d", room, i)}
		out = append(out, peers[i])
		if pub {
			if err := t.publish(ctx, peers[i]); err != nil {
				return fail(i, err)
			}
		}
	}
	for i, p := range peers {
		for j, from := range peers {
			if j == i || !publishes[j] {
				continue
			}
			if err := t.subscribe(ctx, p, i, from.id, onTrack); err != nil {
				return fail(i, err)
			}
		}
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

// pionPeer is a load-side participant of the baseline: its publishing
// connection (nil when it only listens) and one receiving connection per
// other publisher of its room.
type pionPeer struct {
	id     string // its publisher id, the stream id of its tracks
	pub    *webrtc.PeerConnection
	subs   []*webrtc.PeerConnection
	tracks *pionTracks // what it publishes (nil when it only listens)
	reads  goroutines
}

func (p *pionPeer) ID() string { return p.id }

func (p *pionPeer) Audio() RTPWriter {
	if p.tracks == nil {
		return nil
	}
	return p.tracks.audio
}

func (p *pionPeer) Video() RTPWriter {
	if p.tracks == nil {
		return nil
	}
	return p.tracks.video
}

func (p *pionPeer) Close() error {
	var errs []error
	if p.pub != nil {
		errs = append(errs, p.pub.Close())
	}
	for _, pc := range p.subs {
		errs = append(errs, pc.Close())
	}
	p.reads.wg.Wait()
	return errors.Join(errs...)
}

// publish connects p's publishing connection: audio and video under p.id.
func (t *PionTarget) publish(ctx context.Context, p *pionPeer) error {
	pc, err := t.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	p.pub = pc
	if p.tracks, err = newPionTracks(p.id); err != nil {
		return err
	}
	for _, tr := range []*webrtc.TrackLocalStaticRTP{p.tracks.audio, p.tracks.video} {
		s, err := pc.AddTrack(tr)
		if err != nil {
			return err
		}
		p.reads.Go(func() { drainRTCP(s) })
	}
	return negotiate(ctx, pc, func(o string) (string, error) { return t.post(ctx, "/publish?id="+url.QueryEscape(p.id), o) })
}

// subscribe connects a receiving connection of p (participant idx) to
// publisher from.
func (t *PionTarget) subscribe(ctx context.Context, p *pionPeer, idx int, from string, onTrack TrackFunc) error {
	pc, err := t.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	p.subs = append(p.subs, pc)
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			return err
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
	return negotiate(ctx, pc, func(o string) (string, error) { return t.post(ctx, "/subscribe?from="+url.QueryEscape(from), o) })
}
