package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4/pkg/media/ivfreader"
	"github.com/switchboard-rtc/switchboard/bench"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/store"
)

// goPeer is one person on the Go client: ringing on /v1/ws, media on
// /v1/rtc, publishing real VP8 and Opus (the load tool's clips) and counting
// what arrives from each other participant.
type goPeer struct {
	t    testing.TB
	uid  string
	base string
	chat *client.Client

	incoming chan client.Call

	mu       sync.Mutex
	sess     *client.Session
	stopSend context.CancelFunc
	sending  sync.WaitGroup
	recv     map[string]*goReceived // by the publisher's uid (stream id)
}

// goReceived counts what arrived from one participant: video frames are
// counted by their last packet (RTP marker bit); the Go client does not decode.
type goReceived struct {
	frames     int
	audio      int
	firstFrame time.Time
}

// newGoPeer creates the user and connects its /v1/ws.
func newGoPeer(t testing.TB, srv *server, uid, name string) *goPeer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), nativeWait)
	defer cancel()
	if _, err := srv.app.Store().UpsertUser(ctx, store.User{UID: uid, Name: name}); err != nil {
		t.Fatal(err)
	}
	tok, err := srv.app.Tokens().MintAuth(uid, name, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(ctx, srv.app.URL(), tok)
	if err != nil {
		t.Fatalf("%s: dial: %v", uid, err)
	}
	g := &goPeer{t: t, uid: uid, base: srv.app.URL(), chat: c, incoming: make(chan client.Call, 4), recv: map[string]*goReceived{}}
	c.AddCallListener("native", client.CallListener{
		OnIncomingCallReceived: func(call client.Call) { g.incoming <- call },
	})
	t.Cleanup(g.close)
	return g
}

// acceptNext waits for the next incoming call, accepts it and joins its
// media. acceptedAt is when the accept was sent.
func (g *goPeer) acceptNext() (acceptedAt time.Time) {
	g.t.Helper()
	acceptedAt, tok := g.accept()
	if err := g.join(tok); err != nil {
		g.t.Fatal(err)
	}
	return acceptedAt
}

// accept waits for the next incoming call and accepts it.
func (g *goPeer) accept() (acceptedAt time.Time, callToken string) {
	g.t.Helper()
	var call client.Call
	select {
	case call = <-g.incoming:
	case <-time.After(nativeWait):
		g.t.Fatalf("%s: no incoming call", g.uid)
	}
	ctx, cancel := context.WithTimeout(context.Background(), nativeWait)
	defer cancel()
	acceptedAt = time.Now()
	res, err := g.chat.AcceptCall(ctx, call.SessionID)
	if err != nil {
		g.t.Fatalf("%s: accept: %v", g.uid, err)
	}
	return acceptedAt, res.CallToken
}

// join opens the media session with a call token and starts sending. It
// may run on any goroutine.
func (g *goPeer) join(callToken string) error {
	ctx, cancel := context.WithTimeout(context.Background(), nativeWait)
	defer cancel()
	s, err := client.JoinSession(ctx, g.base, callToken, client.MediaOptions{
		Audio: true, Video: "vp8", Loopback: true,
		OnPacket: g.onPacket,
	})
	if err != nil {
		return fmt.Errorf("%s: join media: %w", g.uid, err)
	}
	video, audio, err := clips()
	if err != nil {
		s.Close()
		return err
	}
	sendCtx, stop := context.WithCancel(context.Background())
	g.mu.Lock()
	g.sess, g.stopSend = s, stop
	g.mu.Unlock()
	for _, lt := range s.LocalTracks() {
		c := audio
		if lt.Kind == "video" {
			c = video
		}
		g.sending.Add(1)
		go func() {
			defer g.sending.Done()
			replay(sendCtx, lt, c)
		}()
	}
	return nil
}

func (g *goPeer) onPacket(t *client.RemoteTrack, p *rtp.Packet, at time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.recv[t.UID]
	if r == nil {
		r = &goReceived{}
		g.recv[t.UID] = r
	}
	switch {
	case t.Kind == "audio":
		r.audio++
	case p.Marker:
		r.frames++
		if r.firstFrame.IsZero() {
			r.firstFrame = at
		}
	}
}

// waitFrames waits until a video frame came from each uid.
func (g *goPeer) waitFrames(uids ...string) {
	g.t.Helper()
	deadline := time.Now().Add(nativeWait)
	for time.Now().Before(deadline) {
		g.mu.Lock()
		n := 0
		for _, u := range uids {
			if r := g.recv[u]; r != nil && r.frames > 0 {
				n++
			}
		}
		g.mu.Unlock()
		if n == len(uids) {
			return
		}
		time.Sleep(20 * time.Millisecond) // polling an outcome with a deadline
	}
	g.t.Fatalf("%s: no video from each of %v within %v", g.uid, uids, nativeWait)
}

// firstFrame is when the first complete video frame from uid arrived.
func (g *goPeer) firstFrame(uid string) time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	if r := g.recv[uid]; r != nil {
		return r.firstFrame
	}
	return time.Time{}
}

// measure counts what arrives from each participant during d.
func (g *goPeer) measure(d time.Duration) map[string]remoteReceived {
	snap := func() map[string]remoteReceived {
		g.mu.Lock()
		defer g.mu.Unlock()
		out := map[string]remoteReceived{}
		for u, r := range g.recv {
			out[u] = remoteReceived{VideoFrames: r.frames, AudioPackets: r.audio}
		}
		return out
	}
	before := snap()
	time.Sleep(d) // the measuring window itself
	after := snap()
	for u, a := range after {
		b := before[u]
		after[u] = remoteReceived{VideoFrames: a.VideoFrames - b.VideoFrames, AudioPackets: a.AudioPackets - b.AudioPackets}
	}
	return after
}

// session is the media session (nil before join).
func (g *goPeer) session() *client.Session {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.sess
}

// stopMedia stops sending and closes the media session.
func (g *goPeer) stopMedia() {
	g.mu.Lock()
	s, stop := g.sess, g.stopSend
	g.sess, g.stopSend = nil, nil
	g.recv = map[string]*goReceived{}
	g.mu.Unlock()
	if stop != nil {
		stop()
	}
	g.sending.Wait()
	if s != nil {
		s.Close()
	}
}

func (g *goPeer) close() {
	g.stopMedia()
	_ = g.chat.Close()
}

var (
	clipsOnce            sync.Once
	videoClip, audioClip clip
	clipsErr             error
)

// clip is pre-encoded media cut into RTP payloads, frame by frame.
type clip struct {
	video  bool
	frames []clipFrame
}

type clipFrame struct {
	key      bool
	payloads [][]byte
}

// clips are testdata/video-320x240.ivf (VP8, 30 fps, a keyframe every 2 s;
// small, so that receivers on a busy machine decode it easily) and the load
// tool's Opus clip (20 ms frames).
func clips() (video, audio clip, err error) {
	clipsOnce.Do(func() {
		videoClip, clipsErr = loadIVF("testdata/video-320x240.ivf")
		if clipsErr != nil {
			return
		}
		var a *bench.Clip
		if a, clipsErr = bench.LoadAudio(); clipsErr == nil {
			for _, p := range a.Packets {
				audioClip.frames = append(audioClip.frames, clipFrame{payloads: [][]byte{p.Payload}})
			}
		}
	})
	return videoClip, audioClip, clipsErr
}

// loadIVF reads a VP8 IVF file and cuts each frame into RTP payloads.
func loadIVF(path string) (clip, error) {
	f, err := os.Open(path)
	if err != nil {
		return clip{}, err
	}
	defer f.Close()
	r, _, err := ivfreader.NewWith(f)
	if err != nil {
		return clip{}, fmt.Errorf("%s: %w", path, err)
	}
	c := clip{video: true}
	pay := &codecs.VP8Payloader{EnablePictureID: true}
	for {
		frame, _, err := r.ParseNextFrame()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return clip{}, fmt.Errorf("%s: %w", path, err)
		}
		// copy: the payloader's slices point into frame
		var parts [][]byte
		for _, p := range pay.Payload(1200, frame) {
			parts = append(parts, append([]byte(nil), p...))
		}
		c.frames = append(c.frames, clipFrame{key: len(frame) > 0 && frame[0]&1 == 0, payloads: parts})
	}
	if len(c.frames) == 0 || !c.frames[0].key {
		return clip{}, fmt.Errorf("%s: no frames, or the first is not a keyframe", path)
	}
	return c, nil
}

// replay sends c on lt at real-time pace until ctx ends, frame by frame.
// A keyframe request makes the next frame sent the clip's next keyframe, as
// an encoder would, so a receiver that joins late does not wait for the loop.
func replay(ctx context.Context, lt *client.LocalTrack, c clip) {
	step, ticks := time.Second/30, uint32(3000)
	if !c.video {
		step, ticks = 20*time.Millisecond, 960
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	start := time.Now()
	seenRequests := lt.KeyframeRequests()
	for n, i := 0, 0; ; n, i = n+1, (i+1)%len(c.frames) {
		// paced by schedule, not by a ticker: a late frame goes at once and
		// the rate holds on average even when the machine is busy
		timer.Reset(time.Until(start.Add(time.Duration(n) * step)))
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		if c.video {
			if k := lt.KeyframeRequests(); k != seenRequests {
				seenRequests = k
				i = c.nextKeyframe(i)
			}
		}
		parts := c.frames[i].payloads
		for j, p := range parts {
			t := uint32(0)
			if j == 0 {
				t = ticks
			}
			// before the track is bound: dropped, as a camera frame would be
			_ = lt.Write(p, t, c.video && j == len(parts)-1)
		}
	}
}

// nextKeyframe is the index of the first keyframe at or after frame i.
func (c clip) nextKeyframe(i int) int {
	for k := range c.frames {
		if j := (i + k) % len(c.frames); c.frames[j].key {
			return j
		}
	}
	return i
}
