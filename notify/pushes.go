package notify

import (
	"context"
	"slices"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/signaling"
	"github.com/switchboard-rtc/switchboard/store"
)

// pushItems turns ring, stop and missed hooks into pushes.
func (n *Notifier) pushItems(ctx context.Context, ev signaling.CallEvent) []store.OutboxItem {
	if n.deps.Push == nil {
		return nil
	}
	switch ev.Type {
	case signaling.HookRing:
		return n.ringItems(ctx, ev)
	case signaling.HookStopRinging:
		return n.stopItems(ctx, ev)
	case protocol.HookCallMissed:
		return n.missedItems(ctx, ev)
	}
	return nil
}

// targets returns uid's devices that should get a push now: provider
// configured, and (offline-only) no live socket; only device's when
// device is not "" (its socket just went: the live-socket view may not
// know yet, so it is not asked). An install (device id)
// holding an apns-voip and an apns token is rung and stopped through the
// VoIP one only (alertOnly false: its apns row is left out), and gets the
// missed-call alert on the apns one only (alertOnly true leaves out every
// apns-voip row: a VoIP token takes only VoIP pushes, each of which must
// show a call).
func (n *Notifier) targets(ctx context.Context, uid string, alertOnly bool, device string) []store.Device {
	devs, err := n.deps.Store.ListDevices(ctx, uid)
	if err != nil {
		n.log.Error("notify: reading devices failed; no push", "uid", uid, "err", err)
		return nil
	}
	if device != "" {
		devs = slices.DeleteFunc(devs, func(d store.Device) bool { return d.DeviceID != device })
	}
	var online map[string]bool
	if len(devs) > 0 && device == "" && n.deps.Push.Policy() == push.PolicyOfflineOnly && n.deps.Online != nil {
		online = n.deps.Online(ctx, uid)
	}
	voip := map[string]bool{} // installs rung through PushKit
	for _, d := range devs {
		if d.Kind == store.DeviceAPNsVoIP && n.deps.Push.Enabled(d.Kind) {
			voip[d.DeviceID] = true
		}
	}
	out := devs[:0]
	for _, d := range devs {
		switch {
		case !n.deps.Push.Enabled(d.Kind):
		case alertOnly && d.Kind == store.DeviceAPNsVoIP:
		case !alertOnly && d.Kind == store.DeviceAPNs && voip[d.DeviceID]:
		case online[d.DeviceID]:
		default:
			out = append(out, d)
		}
	}
	return out
}

func (n *Notifier) payload(ev signaling.CallEvent, typ string) push.Payload {
	p := push.Payload{Type: typ, SessionID: ev.SessionID, CallType: ev.CallType, ReceiverType: ev.ReceiverType,
		Caller:       push.Caller{UID: ev.Caller.UID, Name: ev.Caller.Name, Avatar: ev.Caller.Avatar},
		RingDeadline: ev.RingDeadline.UnixMilli(), Reason: ev.Reason}
	if ev.Group.GUID != "" {
		p.Group = &push.Group{GUID: ev.Group.GUID, Name: ev.Group.Name}
	}
	return p
}

// ringItems rings uid's devices without a socket, or (ev.Device) the one
// whose socket went while the call rang it, which then also gets the
// stop push.
func (n *Notifier) ringItems(ctx context.Context, ev signaling.CallEvent) []store.OutboxItem {
	key := ev.SessionID + "/" + ev.UID
	r := ring{at: n.now()}
	if ev.Device != "" {
		r = n.rung[key] // the devices rung at first keep their stop push
		if slices.ContainsFunc(r.msgs, func(m push.Message) bool { return m.DeviceID == ev.Device }) {
			return nil // rung already: the first ring found its socket gone
		}
		r.at = n.now()
	}
	devs := n.targets(ctx, ev.UID, false, ev.Device)
	if len(devs) == 0 {
		return nil
	}
	p := n.payload(ev, push.TypeRing)
	items := make([]store.OutboxItem, 0, len(devs))
	for _, d := range devs {
		m := message(d, p, ev.RingDeadline)
		r.msgs = append(r.msgs, m)
		items = append(items, n.item(m, ev.RingDeadline))
	}
	n.rung[key] = r
	return items
}

// stopItems tells the devices that got the ring that it stopped, except
// the one whose request stopped it.
func (n *Notifier) stopItems(ctx context.Context, ev signaling.CallEvent) []store.OutboxItem {
	key := ev.SessionID + "/" + ev.UID
	r, ok := n.rung[key]
	deadline := n.now().Add(stopPushTTL)
	switch {
	case ok:
	case ev.Renumber: // rung by a node that is gone, or by the run before a crash: whichever devices it may have rung
		p := n.payload(ev, push.TypeStop)
		for _, d := range n.targets(ctx, ev.UID, false, "") {
			r.msgs = append(r.msgs, message(d, p, deadline))
		}
	default:
		return nil
	}
	delete(n.rung, key)
	items := make([]store.OutboxItem, 0, len(r.msgs))
	for _, m := range r.msgs {
		if ev.Device != "" && m.DeviceID == ev.Device {
			continue // the phone that answered or declined: CallKit has it already
		}
		m.ID = newID()
		m.Payload.Type, m.Payload.Reason = push.TypeStop, ev.Reason
		m.Expires = deadline
		items = append(items, n.item(m, deadline))
	}
	return items
}

func (n *Notifier) missedItems(ctx context.Context, ev signaling.CallEvent) []store.OutboxItem {
	devs := n.targets(ctx, ev.UID, true, "")
	if len(devs) == 0 {
		return nil
	}
	p := n.payload(ev, push.TypeMissed)
	deadline := n.now().Add(missedPushTTL)
	items := make([]store.OutboxItem, 0, len(devs))
	for _, d := range devs {
		items = append(items, n.item(message(d, p, deadline), deadline))
	}
	return items
}

func message(d store.Device, p push.Payload, expires time.Time) push.Message {
	return push.Message{UID: d.UID, DeviceID: d.DeviceID, Kind: d.Kind, Token: d.Token, AppID: d.AppID,
		ID: newID(), Payload: p, Expires: expires}
}

// item is the outbox item of one push: ordered per device.
func (n *Notifier) item(m push.Message, deadline time.Time) store.OutboxItem {
	body, _ := jsonMarshal(m)
	return store.OutboxItem{
		EventID: "push_" + m.ID, Channel: push.Channel, Target: m.UID + "/" + m.DeviceID,
		OrderKey: push.Channel + "/" + m.UID + "/" + m.DeviceID, Payload: body,
		CreatedAt: n.now(), Deadline: deadline,
	}
}
