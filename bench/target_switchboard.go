package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// SwitchboardTarget is a `switchboard serve` child driven through the public
// protocol: users and groups through the admin API, calls through /v1/ws
// (client.Dial), media through /v1/rtc (client.JoinSession).
type SwitchboardTarget struct {
	Child  *Child
	Tokens *tokens.Issuer
	dir    string
	admin  string
	rooms  atomic.Int64 // names rooms, users and groups uniquely
	// simulcast: publishers send video as three layers (Config.Simulcast).
	simulcast bool
}

// StartSwitchboard writes a config, starts the server child on addr and
// waits until it answers.
func StartSwitchboard(ctx context.Context, cfg Config, addr string, participants int) (*SwitchboardTarget, error) {
	return startSwitchboard(ctx, cfg, addr, participants, nil, nil)
}

// startSwitchboard is StartSwitchboard with config sections added (extra)
// and variables added to the child's environment (env).
func startSwitchboard(ctx context.Context, cfg Config, addr string, participants int, extra map[string]any, env []string) (*SwitchboardTarget, error) {
	path, iss, dir, err := writeServerConfig(addr, participants, extra)
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	cmd := cfg.Launcher(RoleSwitchboard, addr, path)
	if len(env) > 0 {
		if cmd.Env == nil {
			cmd.Env = os.Environ()
		}
		cmd.Env = append(cmd.Env, env...)
	}
	child, err := StartChild(ctx, cmd, "http://"+addr, cfg.ServerCPUs)
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	admin, err := iss.MintAdmin("bench", 24*time.Hour)
	if err != nil {
		return nil, errors.Join(err, child.Stop(), os.RemoveAll(dir))
	}
	return &SwitchboardTarget{Child: child, Tokens: iss, dir: dir, admin: admin, simulcast: cfg.Simulcast}, nil
}

func (t *SwitchboardTarget) Name() string { return "switchboard" }
func (t *SwitchboardTarget) PID() int     { return t.Child.PID() }

// HeapInuse reads the server's /metrics.
func (t *SwitchboardTarget) HeapInuse(ctx context.Context) (int64, error) {
	return heapFromMetrics(ctx, t.Child.URL+"/metrics")
}

// Close stops the server and removes its config and database.
func (t *SwitchboardTarget) Close() error {
	return errors.Join(t.Child.Stop(), os.RemoveAll(t.dir))
}

// adminPost sends one admin API request.
func (t *SwitchboardTarget) adminPost(ctx context.Context, path string, body any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.Child.URL+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+t.admin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var msg bytes.Buffer
		_, _ = msg.ReadFrom(resp.Body)
		return fmt.Errorf("%w: POST %s: HTTP %d: %s", ErrScenario, path, resp.StatusCode, msg.String())
	}
	return nil
}

// CreateUsers creates n users named prefix-0 .. prefix-(n-1) through the
// admin API (8 requests at a time) and returns their uids.
func (t *SwitchboardTarget) CreateUsers(ctx context.Context, prefix string, n int) ([]string, error) {
	uids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(n, 8) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = t.adminPost(ctx, "/v1/admin/users", map[string]string{"uid": uids[i], "name": uids[i]})
			}
		}()
	}
	for i := range uids {
		uids[i] = fmt.Sprintf("%s-%d", prefix, i)
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return uids, nil
}

// DialUser connects uid's /v1/ws with a fresh auth token. client.Dial
// returns once the hub has registered the device (its "connected" event),
// so a call placed right after rings it.
func (t *SwitchboardTarget) DialUser(ctx context.Context, uid string) (*client.Client, error) {
	tok, err := t.Tokens.MintAuth(uid, uid, 24*time.Hour)
	if err != nil {
		return nil, err
	}
	return client.Dial(ctx, t.Child.URL, tok)
}

// Join creates a room's users (and a group for more than two), rings them
// through /v1/ws, accepts, and opens each one's media session with its call
// token.
func (t *SwitchboardTarget) Join(ctx context.Context, publishes []bool, onTrack TrackFunc) ([]Participant, error) {
	room := fmt.Sprintf("r%d", t.rooms.Add(1))
	uids, err := t.CreateUsers(ctx, room, len(publishes))
	if err != nil {
		return nil, err
	}
	tokens, chats, _, err := t.ring(ctx, room, uids)
	defer func() {
		for _, c := range chats {
			_ = c.Close()
		}
	}()
	if err != nil {
		return nil, err
	}
	var out []Participant
	for i, pub := range publishes {
		p, err := t.joinMedia(ctx, i, tokens[i], pub, onTrack)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("%w: %s join %d: %w", ErrScenario, room, i, err), closeAll(out))
		}
		out = append(out, p)
	}
	return out, nil
}

// ring makes uids[0] call the others (a user call for two, a group call for
// more) and returns everyone's call token and when the first accept was
// sent. The chat clients stay open until the caller closes them.
func (t *SwitchboardTarget) ring(ctx context.Context, room string, uids []string) ([]string, []*client.Client, time.Time, error) {
	var acceptAt time.Time
	chats := make([]*client.Client, len(uids))
	for i, uid := range uids {
		c, err := t.DialUser(ctx, uid)
		if err != nil {
			return nil, chats[:i], acceptAt, err
		}
		chats[i] = c
	}
	req := client.CallRequest{ReceiverID: uids[1], ReceiverType: client.ReceiverUser, CallType: client.CallVideo}
	if len(uids) > 2 {
		req = client.CallRequest{ReceiverID: "g-" + room, ReceiverType: client.ReceiverGroup, CallType: client.CallVideo}
		if err := t.adminPost(ctx, "/v1/admin/groups", map[string]string{"guid": req.ReceiverID, "name": room}); err != nil {
			return nil, chats, acceptAt, err
		}
		for i := 0; i < len(uids); i += 100 { // the admin API takes 100 at a time
			batch := uids[i:min(i+100, len(uids))]
			if err := t.adminPost(ctx, "/v1/admin/groups/"+req.ReceiverID+"/members", map[string]any{"uids": batch}); err != nil {
				return nil, chats, acceptAt, err
			}
		}
	}
	incoming := make([]chan client.Call, len(uids))
	for i := 1; i < len(uids); i++ {
		incoming[i] = make(chan client.Call, 1)
		ch := incoming[i]
		chats[i].AddCallListener("bench", client.CallListener{OnIncomingCallReceived: func(c client.Call) {
			select {
			case ch <- c:
			default:
			}
		}})
	}
	accepted := make(chan client.Call, 1)
	chats[0].AddCallListener("bench", client.CallListener{OnOutgoingCallAccepted: func(c client.Call) {
		select {
		case accepted <- c:
		default:
		}
	}})
	if _, err := chats[0].InitiateCall(ctx, req); err != nil {
		return nil, chats, acceptAt, err
	}
	toks := make([]string, len(uids))
	for i := 1; i < len(uids); i++ {
		c, err := recvCall(ctx, incoming[i])
		if err != nil {
			return nil, chats, acceptAt, fmt.Errorf("%s never rang: %w", uids[i], err)
		}
		if acceptAt.IsZero() {
			acceptAt = time.Now()
		}
		acc, err := chats[i].AcceptCall(ctx, c.SessionID)
		if err != nil {
			return nil, chats, acceptAt, err
		}
		toks[i] = acc.CallToken
	}
	c, err := recvCall(ctx, accepted)
	if err != nil {
		return nil, chats, acceptAt, fmt.Errorf("caller never saw the accept: %w", err)
	}
	toks[0] = c.CallToken
	return toks, chats, acceptAt, nil
}

func recvCall(ctx context.Context, ch <-chan client.Call) (client.Call, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	select {
	case c := <-ch:
		return c, nil
	case <-ctx.Done():
		return client.Call{}, ctx.Err()
	}
}

// sbPeer is one participant's media session.
type sbPeer struct {
	uid          string
	s            *client.Session
	audio, video RTPWriter // video: the top layer when simulcast
	lower        []LowerLayer
}

func (p *sbPeer) ID() string                { return p.uid }
func (p *sbPeer) Audio() RTPWriter          { return p.audio }
func (p *sbPeer) Video() RTPWriter          { return p.video }
func (p *sbPeer) LowerLayers() []LowerLayer { return p.lower }

// layerShares is the share of the top layer's packets each lower simulcast
// layer carries (the JS SDK's layers: 150 and 500 kbit/s under 1.5 Mbit/s).
var layerShares = map[string]float64{"q": 0.1, "h": 1.0 / 3}

// activeLayer writes to a simulcast layer only while the server wants it
// (activeLayers), as a browser's encoder stops a layer nobody receives.
type activeLayer struct{ *client.LocalTrack }

var errLayerInactive = errors.New("bench: simulcast layer paused by the server")

func (a activeLayer) WriteRTP(p *rtp.Packet) error {
	if !a.Active() {
		return errLayerInactive
	}
	return a.LocalTrack.WriteRTP(p)
}

func (p *sbPeer) Close() error {
	p.s.Close()
	for _, rt := range p.s.RemoteTracks() {
		<-rt.Done()
	}
	return nil
}

func (t *SwitchboardTarget) joinMedia(ctx context.Context, idx int, token string, publish bool, onTrack TrackFunc) (*sbPeer, error) {
	return t.joinMediaWith(ctx, idx, token, publish, onTrack, nil)
}

// joinMediaWith is joinMedia with its join steps noted in steps (nil: none).
func (t *SwitchboardTarget) joinMediaWith(ctx context.Context, idx int, token string, publish bool, onTrack TrackFunc, steps *joinSteps) (*sbPeer, error) {
	var mu sync.Mutex // guards sinks (OnTrack and OnPacket run on each track's goroutine)
	sinks := map[*client.RemoteTrack]*Sink{}
	opts := client.MediaOptions{
		Loopback: true,
		OnTrack: func(rt *client.RemoteTrack) {
			k := onTrack(idx, rt.UID, Kind(rt.Kind))
			mu.Lock()
			sinks[rt] = k
			mu.Unlock()
		},
		OnPacket: func(rt *client.RemoteTrack, p *rtp.Packet, arrival time.Time) {
			mu.Lock()
			k := sinks[rt]
			mu.Unlock()
			if k != nil {
				k.Observe(p, arrival.Sub(k.Epoch.t0))
			}
		},
	}
	if publish {
		opts.Audio, opts.Video, opts.Simulcast = true, "vp8", t.simulcast
	}
	if steps != nil {
		opts.OnFrame, opts.OnICEState, opts.OnPeerState = steps.hook, steps.iceState, steps.peerState
	}
	s, err := client.JoinSession(ctx, t.Child.URL, token, opts)
	if err != nil {
		return nil, err
	}
	p := &sbPeer{uid: s.Info().You.UID, s: s}
	for _, lt := range s.LocalTracks() {
		switch Kind(lt.Kind) {
		case Audio:
			p.audio = lt
		case Video:
			if share, lower := layerShares[lt.RID]; lower {
				p.lower = append(p.lower, LowerLayer{W: activeLayer{lt}, Share: share})
			} else if lt.RID != "" {
				p.video = activeLayer{lt}
			} else {
				p.video = lt
			}
		}
	}
	return p, nil
}
