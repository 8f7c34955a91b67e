package signaling

import (
	"context"
	"errors"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// DeviceView renders a stored device.
func DeviceView(d store.Device) protocol.Device {
	return protocol.Device{DeviceID: d.DeviceID, Kind: d.Kind, Token: d.Token, AppID: d.AppID,
		CreatedAt: protocol.MillisOf(d.CreatedAt), UpdatedAt: protocol.MillisOf(d.UpdatedAt)}
}

// deviceError makes a store validation error a bad_request.
func deviceError(err error) error {
	if errors.Is(err, store.ErrInvalid) {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	return err
}

// pushConfigKey names the config that turns on pushes of a device kind.
func pushConfigKey(kind string) string {
	if kind == store.DeviceFCM {
		return "push.fcm.credentials_file"
	}
	return "push.apns.key_file"
}

// RegisterDevice stores a push target of uid (registerDevice, POST
// /v1/devices). A device of a kind this server sends no pushes of is
// refused (bad_request naming the config that would): it would never ring.
func (h *Hub) RegisterDevice(ctx context.Context, uid string, p protocol.RegisterDeviceParams) (store.Device, error) {
	d := store.Device{UID: uid, DeviceID: p.DeviceID, Kind: p.Kind, Token: p.Token, AppID: p.AppID}
	if err := store.ValidateDevice(d); err != nil {
		return store.Device{}, deviceError(err)
	}
	if err := h.refuseLocked(uid); err != nil {
		return store.Device{}, protocol.AsError(err)
	}
	if h.pushKinds == nil || !h.pushKinds(p.Kind) {
		return store.Device{}, protocol.Errorf(protocol.CodeBadRequest,
			"this server sends no %s pushes (its operator has not set %s), so the device would never ring; register a kind it sends", p.Kind, pushConfigKey(p.Kind))
	}
	d, err := h.st.PutDevice(ctx, d)
	if err == nil && h.isLocked(uid) {
		// disabled (or deleted: its push targets erased) while this was
		// written: the target goes too (the install's other kind, stored
		// before, stays as a disabled user's targets do)
		if derr := h.st.DeleteDevice(ctx, uid, d.DeviceID, d.Kind); derr != nil {
			h.log.Warn("a push target registered as its user was disabled could not be removed", "uid", uid, "device", d.DeviceID, "err", derr)
		}
		return store.Device{}, protocol.AsError(h.refuseLocked(uid))
	}
	return d, deviceError(err)
}

// bindDevice binds socket c to the push target id (nil: to none); the
// cluster counts it, so the node that rings the user anywhere knows the
// device has a socket (push policy offline-only).
func (h *Hub) bindDevice(c *conn, id *string) {
	old := c.device.Swap(id)
	if h.cluster == nil || (old != nil && id != nil && *old == *id) {
		return
	}
	if id != nil {
		h.cluster.DeviceBound(c.uid, *id, 1)
	}
	if old != nil {
		h.cluster.DeviceBound(c.uid, *old, -1)
	}
}

// Sockets returns how many /v1/ws sockets uid has here and how many of
// them are bound to each push target: for the cluster to set its counts
// again after a failed write.
func (h *Hub) Sockets(uid string) (n int, bound map[string]int) {
	return h.reg.count(uid), h.reg.boundOf(uid)
}

// OnlineDevices lists uid's push targets that have a live /v1/ws socket
// bound to them: here, and in a cluster on any node (when the cluster
// cannot say, those here only: a push too many rather than a ring lost).
// Not on the loop.
func (h *Hub) OnlineDevices(ctx context.Context, uid string) map[string]bool {
	out := map[string]bool{}
	if h.cluster != nil {
		bound, err := h.cluster.BoundDevices(ctx, uid)
		if err != nil {
			h.log.Warn("cluster: which devices have a socket on another node is unknown; pushing them", "uid", uid, "err", err)
		}
		for d := range bound {
			out[d] = true
		}
	}
	for _, d := range h.reg.devicesOf(uid) {
		out[d] = true
	}
	return out
}

// handleRegisterDevice stores a push target and binds this socket to it:
// while the socket lives, the device needs no push (policy offline-only).
func handleRegisterDevice(c *conn, m protocol.Message) error {
	var p protocol.RegisterDeviceParams
	if err := protocol.DecodeParams(m.Params, &p); err != nil {
		return err
	}
	d, err := c.hub.RegisterDevice(c.ctx, c.uid, p)
	if err != nil {
		return err
	}
	id := d.DeviceID
	c.hub.bindDevice(c, &id)
	return c.ws.Reply(m.ID, DeviceView(d))
}

// handleUnregisterDevice removes an install's push targets (every kind,
// or the one named); a socket bound to the install is unbound when the
// whole install goes.
func handleUnregisterDevice(c *conn, m protocol.Message) error {
	var p protocol.UnregisterDeviceParams
	if err := protocol.DecodeParams(m.Params, &p); err != nil {
		return err
	}
	if err := c.hub.st.DeleteDevice(c.ctx, c.uid, p.DeviceID, p.Kind); err != nil {
		return deviceError(err)
	}
	if d := c.device.Load(); d != nil && *d == p.DeviceID && p.Kind == "" {
		c.hub.bindDevice(c, nil)
	}
	return c.ws.Reply(m.ID, struct{}{})
}

func handleListDevices(c *conn, m protocol.Message) error {
	if err := protocol.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	list, err := c.hub.st.ListDevices(c.ctx, c.uid)
	if err != nil {
		return err
	}
	out := protocol.DeviceList{Devices: make([]protocol.Device, len(list))}
	for i, d := range list {
		out.Devices[i] = DeviceView(d)
	}
	return c.ws.Reply(m.ID, out)
}
