package client

import (
	"context"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Device is a registered push target.
type Device = protocol.Device

// DeviceParams register a push target.
type DeviceParams = protocol.RegisterDeviceParams

// Device kinds.
const (
	DeviceAPNsVoIP = protocol.DeviceAPNsVoIP
	DeviceAPNs     = protocol.DeviceAPNs
	DeviceFCM      = protocol.DeviceFCM
)

// RegisterDevice registers (or updates) a push target of this user and
// binds this connection to it: while it lives, that device is rung on the
// socket, not by push (the server's default policy, offline-only). A kind
// the server has no push credentials for is refused (bad_request).
func (c *Client) RegisterDevice(ctx context.Context, p DeviceParams) (Device, error) {
	var d Device
	err := c.rpc.call(ctx, protocol.MethodRegisterDevice, p, &d)
	return d, err
}

// UnregisterDevice removes an install's push targets: every kind it holds
// (an iPhone's apns-voip and apns tokens), or only the kinds named.
func (c *Client) UnregisterDevice(ctx context.Context, deviceID string, kinds ...string) error {
	if len(kinds) == 0 {
		return c.rpc.call(ctx, protocol.MethodUnregisterDevice, protocol.UnregisterDeviceParams{DeviceID: deviceID}, nil)
	}
	for _, k := range kinds {
		if err := c.rpc.call(ctx, protocol.MethodUnregisterDevice, protocol.UnregisterDeviceParams{DeviceID: deviceID, Kind: k}, nil); err != nil {
			return err
		}
	}
	return nil
}

// ListDevices returns this user's push targets.
func (c *Client) ListDevices(ctx context.Context) ([]Device, error) {
	var res protocol.DeviceList
	err := c.rpc.call(ctx, protocol.MethodListDevices, nil, &res)
	return res.Devices, err
}

// AckCall tells the caller that this device has the incoming call and is
// ringing (they get OnRinging).
func (c *Client) AckCall(ctx context.Context, sessionID string) (Call, error) {
	var call Call
	err := c.rpc.call(ctx, protocol.MethodAckCall, protocol.SessionParams{SessionID: sessionID}, &call)
	return call, err
}

// GetCall returns a call you take part in, with each participant's ring
// state (safe to poll after a missed event).
func (c *Client) GetCall(ctx context.Context, sessionID string) (Call, error) {
	var call Call
	err := c.rpc.call(ctx, protocol.MethodGetCall, protocol.SessionParams{SessionID: sessionID}, &call)
	return call, err
}
