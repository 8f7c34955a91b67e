package sfu

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Self-test limits: a /test page's PeerConnection lives selfTestLife at
// most, and at most selfTestMax run at once (the endpoint needs no login).
const (
	selfTestLife = 30 * time.Second
	selfTestMax  = 8
)

// ErrSelfTestBusy refuses a self-test while selfTestMax others run.
var ErrSelfTestBusy = protocol.NewSentinel(protocol.CodeRateLimited, "sfu: too many self-tests at once, try again in a minute")

// selfTests are the /test page's PeerConnections.
type selfTests struct {
	// mu guards open and closed.
	mu     sync.Mutex
	open   map[*webrtc.PeerConnection]struct{}
	closed bool
	wg     sync.WaitGroup // one per open PeerConnection's timer goroutine
}

// SelfTest answers the offer of the /test page (all candidates inside, no
// trickle) with a PeerConnection on the SFU's own media sockets whose data
// channels echo every message. It returns the answer with every server
// candidate; the connection is closed after 30 s.
func (s *Server) SelfTest(ctx context.Context, offer string) (string, error) {
	t := &s.selftests
	pc, err := s.eng.newPC(s.eng.subMedia, &interceptor.Registry{}, false, false)
	if err != nil {
		return "", err
	}
	if !t.add(pc) {
		_ = pc.Close()
		return "", ErrSelfTestBusy
	}
	pc.OnDataChannel(func(dc *webrtc.DataChannel) {
		dc.OnMessage(func(m webrtc.DataChannelMessage) { _ = dc.Send(m.Data) })
	})
	answer, err := answerWhole(ctx, pc, offer)
	if err != nil {
		t.remove(pc)
		return "", err
	}
	return answer, nil
}

func answerWhole(ctx context.Context, pc *webrtc.PeerConnection, offer string) (string, error) {
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadSDP, err)
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadSDP, err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadSDP, err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return pc.LocalDescription().SDP, nil
}

// add registers pc and closes it after selfTestLife; false when full or closed.
func (t *selfTests) add(pc *webrtc.PeerConnection) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || len(t.open) >= selfTestMax {
		return false
	}
	if t.open == nil {
		t.open = map[*webrtc.PeerConnection]struct{}{}
	}
	t.open[pc] = struct{}{}
	t.wg.Add(1)
	timer := time.AfterFunc(selfTestLife, func() { t.remove(pc) })
	pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) {
		if st == webrtc.PeerConnectionStateClosed || st == webrtc.PeerConnectionStateFailed {
			if timer.Stop() {
				go t.remove(pc)
			}
		}
	})
	return true
}

// remove closes pc once.
func (t *selfTests) remove(pc *webrtc.PeerConnection) {
	t.mu.Lock()
	_, ok := t.open[pc]
	delete(t.open, pc)
	t.mu.Unlock()
	if ok {
		_ = pc.Close()
		t.wg.Done()
	}
}

// closeAll closes every self-test and refuses new ones.
func (t *selfTests) closeAll() {
	t.mu.Lock()
	t.closed = true
	pcs := make([]*webrtc.PeerConnection, 0, len(t.open))
	for pc := range t.open {
		pcs = append(pcs, pc)
	}
	t.mu.Unlock()
	for _, pc := range pcs {
		t.remove(pc)
	}
	t.wg.Wait()
}
