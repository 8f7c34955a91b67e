package signaling

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// A phone app its system suspended keeps its /v1/ws socket open (the
// phone's TCP stack still acknowledges what arrives) but runs no code: it
// reads nothing, answers no ping and shows no ring, and the server's
// regular ping takes up to two intervals to notice. While pushes go only
// to devices without a socket (push.policy offline-only), such a device
// would be neither rung on its socket nor pushed. So, when pushes are
// offline-only:
//
//   - a ring handed to a socket bound to a push target that nothing came
//     from for awakeWithin counts as delivered (the caller hears
//     "ringing") only once the socket answers a ping; without an answer
//     within ringing.ring_probe_timeout the socket is closed;
//   - a socket bound to a push target that goes, for that reason or any
//     other (the app was killed, the network went), while a call rings
//     its user has its device pushed the ring, as a device without a
//     socket would have been when the call started ringing.

// awakeWithin: a socket something came from this recently runs.
const awakeWithin = time.Second

// doubtful reports whether socket c, just handed a ring, must show it runs
// before the ring counts as delivered.
func (h *Hub) doubtful(c *conn) bool {
	return h.pushOff && c.device.Load() != nil && time.Since(c.ws.Heard()) > awakeWithin
}

// rang acknowledges the ring of call sid to uid (ack: ackDelivered, or
// ackElsewhere for a call another node runs) when a socket took it awake,
// and asks each unsure one whether it runs.
func (h *Hub) rang(awake int, unsure []*conn, uid, sid string, ack func(uid, sid string)) {
	if awake > 0 {
		ack(uid, sid)
	}
	for _, c := range unsure {
		h.probeRing(c, func() { ack(uid, sid) })
	}
}

// probeRing pings socket c, which was handed a ring, on a goroutine of its
// own: ack runs when it answers; if it does not in time, Probe closes it,
// and serve then pushes its device (socketLostMidRing).
func (h *Hub) probeRing(c *conn, ack func()) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.probes.Add(1)
	h.mu.Unlock()
	go func() {
		defer h.probes.Done()
		if err := c.ws.Probe(h.cfg.RingProbeTimeout); err != nil {
			if errors.Is(err, protocol.ErrClosed) {
				return // it was closing anyway
			}
			h.metrics.unanswered.Inc()
			device := ""
			if d := c.device.Load(); d != nil {
				device = *d
			}
			h.log.Info("a socket handed a ring answered no ping: taken for an app its phone suspended; closed, its device is pushed",
				"uid", c.uid, "conn", c.id, "device", device, "timeout", h.cfg.RingProbeTimeout)
			return
		}
		h.metrics.answered.Inc()
		ack()
	}()
}

// socketLostMidRing: uid's socket bound to push target device went. Each
// call that rings uid now pushes device, unless another socket here is
// bound to it. Not on the loop (serve, once the socket is removed).
func (h *Hub) socketLostMidRing(uid, device string) {
	if !h.pushOff || h.isClosed() { // a shutdown closes every socket: the apps connect again (to another node)
		return
	}
	h.post(func() {
		for _, c := range h.m.users[uid] {
			h.ringLost(uid, c.id, device)
		}
	})
	if h.cluster == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), clusterAskLimit)
	defer cancel()
	sids, err := h.cluster.CallsOf(ctx, uid)
	if err != nil {
		h.log.Warn("cluster: the calls ringing a user whose socket went could not be read: its device is not pushed", "uid", uid, "device", device, "err", err)
		return
	}
	params, _ := json.Marshal(answerParams{DeviceID: device})
	for _, sid := range sids {
		h.cluster.Tell(Command{Method: ForwardSocketLost, UID: uid, SessionID: sid, Params: params}) // nothing sent for this node's own calls
	}
}

// ringLost pushes the ring of call sid to uid's push target device, whose
// socket went, if the call still rings uid and no socket here is bound to
// device. On the loop.
func (h *Hub) ringLost(uid, sid, device string) {
	c := h.m.calls[sid]
	if c == nil || device == "" || !ringsCallee(c, uid) || !h.clock.Now().Before(c.deadline) {
		return
	}
	for _, d := range h.reg.devicesOf(uid) {
		if d == device {
			return
		}
	}
	h.log.Info("pushing the ring to a device whose socket went while the call rang it", "uid", uid, "session", sid, "device", device)
	h.metrics.lostMidRing.Inc()
	h.notify(&effect{kind: fxHook, event: HookRing, call: c, uid: uid, device: device})
}
