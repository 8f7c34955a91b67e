package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// Participant is one load-side participant in a room.
type Participant interface {
	// ID is how receivers name it: the MediaStream id of its tracks.
	ID() string
	// Audio and Video are its published tracks (nil when it only listens).
	Audio() RTPWriter
	Video() RTPWriter
	Close() error
}

// LowerLayer is a lower simulcast layer of a participant's video: it
// carries Share of the top layer's packets (Clip.Thinned).
type LowerLayer struct {
	W     RTPWriter
	Share float64
}

// layered is a Participant that publishes its video in simulcast layers
// (Video is the top one).
type layered interface {
	LowerLayers() []LowerLayer
}

// TrackFunc returns the Sink for a track that participant receiver (its
// index in Join) started receiving from publisher. It is called from read
// goroutines and may return nil to ignore the track.
type TrackFunc func(receiver int, publisher string, kind Kind) *Sink

// Target is a server under test, running in a child process.
type Target interface {
	Name() string
	// PID is the server process, for its CPU time and RSS.
	PID() int
	// Join connects one room of len(publishes) participants; participant i
	// publishes audio and video when publishes[i].
	Join(ctx context.Context, publishes []bool, onTrack TrackFunc) ([]Participant, error)
	// HeapInuse is the server's Go heap in use (runtime.MemStats.HeapInuse,
	// no forced GC), read over HTTP.
	HeapInuse(ctx context.Context) (int64, error)
	Close() error
}

// heapFromMetrics reads go_memstats_heap_inuse_bytes from a Prometheus
// text exposition at url.
func heapFromMetrics(ctx context.Context, url string) (int64, error) {
	v, err := readMetrics(ctx, url, "go_memstats_heap_inuse_bytes")
	return int64(v["go_memstats_heap_inuse_bytes"]), err
}

// readMetrics reads unlabelled metrics by name from a Prometheus text
// exposition at url; a name that is missing is an error.
func readMetrics(ctx context.Context, url string, names ...string) (map[string]float64, error) {
	out := map[string]float64{}
	err := scanMetrics(ctx, url, func(line string) error {
		name, val, ok := strings.Cut(line, " ")
		if !ok || !slices.Contains(names, name) {
			return nil
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return fmt.Errorf("%w: metric %s: %w", ErrChild, name, err)
		}
		out[name] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			return nil, fmt.Errorf("%w: no %s at %s", ErrChild, n, url)
		}
	}
	return out, nil
}

// scanMetrics hands each line of the Prometheus text exposition at url to
// line, stopping at its first error.
func scanMetrics(ctx context.Context, url string, line func(string) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if err := line(sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// readTrack feeds a remote track to sink until the track ends. It reuses
// one buffer and one packet: the load side should not be the bottleneck.
func readTrack(remote *webrtc.TrackRemote, sink *Sink) {
	buf := make([]byte, 1500)
	var p rtp.Packet
	for {
		n, _, err := remote.Read(buf)
		if err != nil {
			return
		}
		at := sink.Epoch.Now()
		if p.Unmarshal(buf[:n]) == nil {
			sink.Observe(&p, at)
		}
	}
}

// closeAll closes every participant, joining the errors.
func closeAll(ps []Participant) error {
	var errs []error
	for _, p := range ps {
		if p != nil {
			errs = append(errs, p.Close())
		}
	}
	return errors.Join(errs...)
}

// goroutines tracks a participant's read goroutines.
type goroutines struct{ wg sync.WaitGroup }

func (g *goroutines) Go(fn func()) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		fn()
	}()
}
