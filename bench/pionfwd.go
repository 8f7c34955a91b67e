package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"
)

// PionForwarder is the plain-Pion baseline: what a developer writes from
// Pion's examples. Pion's default interceptors, one PeerConnection per
// participant and direction, and one TrackLocalStaticRTP per publisher and
// kind shared by all its subscribers (Pion writes to every subscriber in
// turn from the publisher's reader goroutine). Its tiny signaling is two
// HTTP POSTs carrying SDP (ICE gathered in full, no trickle):
// /publish?id=P (P publishes under the stream id P) and /subscribe?from=P
// (the new connection receives P's tracks). A fan-out is one publisher and
// its subscribers; a 1:1 call is two publishers, each subscribed to the
// other.
type PionForwarder struct {
	api *webrtc.API
	log *slog.Logger

	// mu guards pcs and tracks.
	mu     sync.Mutex
	pcs    []*webrtc.PeerConnection
	tracks map[string]*pionTracks // by publisher id
	wg     sync.WaitGroup         // OnTrack read loops and RTCP readers
}

// pionTracks are one publisher's local tracks: Opus and VP8 under the
// stream id of that publisher (on either side of the baseline).
type pionTracks struct {
	audio, video *webrtc.TrackLocalStaticRTP
}

func newPionTracks(stream string) (*pionTracks, error) {
	audio, err := webrtc.NewTrackLocalStaticRTP(
		webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", stream)
	if err != nil {
		return nil, err
	}
	video, err := webrtc.NewTrackLocalStaticRTP(
		webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", stream)
	if err != nil {
		return nil, err
	}
	return &pionTracks{audio: audio, video: video}, nil
}

func (t *pionTracks) of(kind webrtc.RTPCodecType) *webrtc.TrackLocalStaticRTP {
	if kind == webrtc.RTPCodecTypeAudio {
		return t.audio
	}
	return t.video
}

// NewPionForwarder builds the forwarder.
func NewPionForwarder(log *slog.Logger) (*PionForwarder, error) {
	api, err := newAPI(true)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &PionForwarder{api: api, log: log, tracks: map[string]*pionTracks{}}, nil
}

// pionPublisherID is the publisher id a request names in its query (key),
// "pub" when it names none.
func pionPublisherID(r *http.Request, key string) (string, error) {
	id := r.URL.Query().Get(key)
	if id == "" {
		return "pub", nil
	}
	if len(id) > 64 {
		return "", fmt.Errorf("%s: %d bytes, at most 64", key, len(id))
	}
	return id, nil
}

// ServeHTTP routes /healthz, /publish and /subscribe.
func (f *PionForwarder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/healthz":
		_, _ = io.WriteString(w, "ok")
	case r.URL.Path == "/metrics": // the one Go metric the bench reads, as switchboard exposes it
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(w, "go_memstats_heap_inuse_bytes %d\n", ms.HeapInuse)
	case r.Method == http.MethodPost && r.URL.Path == "/publish":
		f.exchange(w, r, "id", f.publish)
	case r.Method == http.MethodPost && r.URL.Path == "/subscribe":
		f.exchange(w, r, "from", f.subscribe)
	default:
		http.NotFound(w, r)
	}
}

// exchange answers the offer in r's body with fn, for the publisher r's
// query names under key.
func (f *PionForwarder) exchange(w http.ResponseWriter, r *http.Request, key string,
	fn func(ctx context.Context, id, offer string) (string, error)) {
	id, err := pionPublisherID(r, key)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	offer, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	answer, err := fn(r.Context(), id, string(offer))
	if err != nil {
		f.log.Warn("pion forwarder: negotiation failed", "path", r.URL.Path, "err", err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_, _ = io.WriteString(w, answer)
}

func (f *PionForwarder) newPC() (*webrtc.PeerConnection, error) {
	pc, err := f.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.pcs = append(f.pcs, pc)
	f.mu.Unlock()
	return pc, nil
}

// publish accepts publisher id: each incoming track is copied, packet by
// packet, to id's shared local track of its kind.
func (f *PionForwarder) publish(ctx context.Context, id, offer string) (string, error) {
	tracks, err := newPionTracks(id)
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	_, taken := f.tracks[id]
	if !taken {
		f.tracks[id] = tracks
	}
	f.mu.Unlock()
	if taken {
		return "", fmt.Errorf("publisher %q is already publishing", id)
	}
	answer, err := f.publishOn(ctx, tracks, offer)
	if err != nil { // the id is free again for a corrected retry
		f.mu.Lock()
		delete(f.tracks, id)
		f.mu.Unlock()
	}
	return answer, err
}

// publishOn answers a publisher's offer on a new connection whose tracks
// are copied to tracks.
func (f *PionForwarder) publishOn(ctx context.Context, tracks *pionTracks, offer string) (string, error) {
	pc, err := f.newPC()
	if err != nil {
		return "", err
	}
	pc.OnTrack(func(remote *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		local := tracks.of(remote.Kind())
		f.wg.Add(1)
		defer f.wg.Done()
		buf := make([]byte, 1500)
		for {
			n, _, err := remote.Read(buf)
			if err != nil {
				return
			}
			if _, err := local.Write(buf[:n]); err != nil && !errors.Is(err, io.ErrClosedPipe) {
				return
			}
		}
	})
	return answerOrClose(ctx, pc, offer)
}

// subscribe accepts a subscriber of publisher from (its offer has two
// recvonly m-lines) and adds from's shared tracks to it.
func (f *PionForwarder) subscribe(ctx context.Context, from, offer string) (string, error) {
	f.mu.Lock()
	tracks := f.tracks[from]
	f.mu.Unlock()
	if tracks == nil {
		return "", fmt.Errorf("no publisher %q (it publishes first)", from)
	}
	pc, err := f.newPC()
	if err != nil {
		return "", err
	}
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		sender, err := pc.AddTrack(tracks.of(kind))
		if err != nil {
			_ = pc.Close()
			return "", err
		}
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			drainRTCP(sender)
		}()
	}
	return answerOrClose(ctx, pc, offer)
}

// answerOrClose answers offer on pc, closing pc when it cannot.
func answerOrClose(ctx context.Context, pc *webrtc.PeerConnection, offer string) (string, error) {
	answer, err := answerOffer(ctx, pc, offer)
	if err != nil {
		_ = pc.Close()
	}
	return answer, err
}

// Close closes every PeerConnection and waits for their goroutines.
func (f *PionForwarder) Close() error {
	f.mu.Lock()
	pcs := f.pcs
	f.pcs = nil
	f.mu.Unlock()
	var errs []error
	for _, pc := range pcs {
		errs = append(errs, pc.Close())
	}
	f.wg.Wait()
	return errors.Join(errs...)
}

// RunPionForwarder serves the baseline on listen until ctx ends: the body of
// the child process `switchboard bench pion-forwarder`.
func RunPionForwarder(ctx context.Context, listen string, log *slog.Logger) error {
	f, err := NewPionForwarder(log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	err = srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, f.Close())
}
