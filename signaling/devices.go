package signaling

import (
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

// handleRegisterDevice stores a push target and binds this socket to it:
// while the socket lives, the device needs no push (policy offline-only).
func handleRegisterDevice(c *conn, m protocol.Message) error {
	var p protocol.RegisterDeviceParams
	if err := protocol.DecodeParams(m.Params, &p); err != nil {
		return err
	}
	d, err := c.hub.st.PutDevice(c.ctx, store.Device{UID: c.uid, DeviceID: p.DeviceID, Kind: p.Kind, Token: p.Token, AppID: p.AppID})
	if err != nil {
		return deviceError(err)
	}
	id := d.DeviceID
	c.device.Store(&id)
	return c.ws.Reply(m.ID, DeviceView(d))
}

func handleUnregisterDevice(c *conn, m protocol.Message) error {
	var p protocol.UnregisterDeviceParams
	if err := protocol.DecodeParams(m.Params, &p); err != nil {
		return err
	}
	if err := c.hub.st.DeleteDevice(c.ctx, c.uid, p.DeviceID); err != nil {
		return deviceError(err)
	}
	if d := c.device.Load(); d != nil && *d == p.DeviceID {
		c.device.Store(nil)
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
