package bench

import (
	"context"
	"errors"
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
	Close() error
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
