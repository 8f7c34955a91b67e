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

// Self-test limits (the endpoint needs no login). A /test page's
// PeerConnection lives selfTestLife at most; one whose ICE has not
// connected selfTestConnect after it was answered is closed: the page
// gives up on a path 8 s after it has the answer, so holding it longer
// serves no one, and closing it sooner could cut off a slow path the page
// still waits for. At most selfTestMax run at once, selfTestPerClient of
// them for one client (an IPv4 address or an IPv6 /64): the page tries its
// paths one after another and closes each when done, which frees it.
const (
	selfTestLife      = 30 * time.Second
	selfTestConnect   = 10 * time.Second
	selfTestMax       = 8
	selfTestPerClient = 2
)

// ErrSelfTestBusy refuses a self-test while selfTestMax others run.
var ErrSelfTestBusy = protocol.NewSentinel(protocol.CodeRateLimited, "sfu: too many self-tests at once, try again in a minute")

// ErrSelfTestClientBusy refuses a self-test while selfTestPerClient others
// of the same client run.
var ErrSelfTestClientBusy = protocol.NewSentinel(protocol.CodeRateLimited, fmt.Sprintf("sfu: %d self-tests from this address run already, try again in a minute", selfTestPerClient))

// selfTests are the /test page's PeerConnections.
type selfTests struct {
	// connectWithin is selfTestConnect (tests shorten it).
	connectWithin time.Duration

	// mu guards open, clients and closed.
	mu      sync.Mutex
	open    map[*webrtc.PeerConnection]*selfTest
	clients map[string]int // slots held (reserved or open) per client
	closed  bool
	wg      sync.WaitGroup // one per open PeerConnection
}

// selfTest is one open PeerConnection's slot.
type selfTest struct {
	client        string
	life, connect *time.Timer
}

// SelfTest answers the offer of the /test page (all candidates inside, no
// trickle) with a PeerConnection on the SFU's own media sockets whose data
// channels echo every message. It returns the answer with every server
// candidate. client names who asks (web passes the remote address) for
// the per-client limit, which is checked, as the overall one, before
// anything is built. The connection is closed when the page closes it,
// when its ICE has not connected within selfTestConnect, or after
// selfTestLife.
func (s *Server) SelfTest(ctx context.Context, client, offer string) (string, error) {
	if s.eng == nil {
		return "", ErrNoMediaHere
	}
	t := &s.selftests
	if err := t.reserve(client); err != nil {
		return "", err
	}
	pc, err := s.eng.newPC(s.eng.subMedia, &interceptor.Registry{}, false, false)
	if err != nil {
		t.release(client)
		return "", err
	}
	if !t.add(pc, client) {
		t.release(client)
		_ = pc.Close()
		return "", ErrSelfTestBusy
	}
	pc.OnDataChannel(func(dc *webrtc.DataChannel) {
		dc.OnMessage(func(m webrtc.DataChannelMessage) { _ = dc.Send(m.Data) })
		dc.OnClose(func() { go t.remove(pc) }) // the page closed it: the slot is free
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

// reserve takes a slot for client, or says why there is none.
func (t *selfTests) reserve(client string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	held := 0
	for _, n := range t.clients {
		held += n
	}
	switch {
	case t.closed || held >= selfTestMax:
		return ErrSelfTestBusy
	case t.clients[client] >= selfTestPerClient:
		return ErrSelfTestClientBusy
	}
	if t.clients == nil {
		t.clients = map[string]int{}
	}
	t.clients[client]++
	return nil
}

// release gives back a slot of client's.
func (t *selfTests) release(client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.releaseUnlocked(client)
}

// releaseUnlocked is release with mu held.
func (t *selfTests) releaseUnlocked(client string) {
	if t.clients[client]--; t.clients[client] <= 0 {
		delete(t.clients, client)
	}
}

// add registers pc in client's reserved slot, closes it after selfTestLife
// or when its ICE has not connected within connectWithin; false when closed.
func (t *selfTests) add(pc *webrtc.PeerConnection, client string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	if t.open == nil {
		t.open = map[*webrtc.PeerConnection]*selfTest{}
	}
	within := t.connectWithin
	if within <= 0 {
		within = selfTestConnect
	}
	e := &selfTest{client: client}
	e.life = time.AfterFunc(selfTestLife, func() { t.remove(pc) })
	e.connect = time.AfterFunc(within, func() {
		if st := pc.ICEConnectionState(); st != webrtc.ICEConnectionStateConnected && st != webrtc.ICEConnectionStateCompleted {
			t.remove(pc)
		}
	})
	t.open[pc] = e
	t.wg.Add(1)
	pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) {
		if st == webrtc.PeerConnectionStateClosed || st == webrtc.PeerConnectionStateFailed {
			go t.remove(pc)
		}
	})
	return true
}

// remove closes pc and frees its slot, once.
func (t *selfTests) remove(pc *webrtc.PeerConnection) {
	t.mu.Lock()
	e, ok := t.open[pc]
	if ok {
		delete(t.open, pc)
		t.releaseUnlocked(e.client)
	}
	t.mu.Unlock()
	if ok {
		e.life.Stop()
		e.connect.Stop()
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
