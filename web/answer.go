package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// userHandler is an endpoint for a user's auth token (who: its claims): it
// returns the status and the JSON body to send, or an error.
type userHandler func(r *http.Request, w http.ResponseWriter, who tokens.Claims) (int, any, error)

// user checks the Bearer auth token, runs h and writes its answer.
func (s *Server) user(h userHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		claims, err := s.verify(r, tokens.KindAuth, false)
		if err == nil {
			err = s.limits.take(claims.UID, time.Now())
		}
		if err == nil {
			err = s.refuseDisabled(r.Context(), claims.UID)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		status, body, err := h(r, w, claims)
		switch {
		case err != nil:
			s.writeError(w, r, err)
		case body == nil:
			w.WriteHeader(status)
		default:
			if raw, ok := body.(json.RawMessage); ok {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Cache-Control", "no-store")
				w.WriteHeader(status)
				_, _ = w.Write(append(raw, '\n'))
				return
			}
			writeJSON(w, status, body)
		}
	}
}

// ringing is user for the endpoints that run a call's state machine
// (/v1/calls/...): refused on a node that does not ring (role media), as
// /v1/ws is.
func (s *Server) ringing(h userHandler) http.HandlerFunc {
	return s.user(func(r *http.Request, w http.ResponseWriter, who tokens.Claims) (int, any, error) {
		if s.deps.Placement != nil {
			if err := s.deps.Placement.RingsHere(); err != nil {
				return 0, nil, err
			}
		}
		return h(r, w, who)
	})
}

// answerBody is the optional body of ack, accept and end: the deviceId of
// the phone answering (its push target), so it gets no stop push.
type answerBody struct {
	DeviceID string `json:"deviceId"`
}

// answered serves POST /v1/calls/{sid}/ack, /accept and /end, whose
// optional body names the phone ({"deviceId"}), with the hub's op (AckCall:
// a device of the callee has the ring; AcceptCall: returns {call,
// callToken}; EndCall: 1:1, the call ends; group, you leave it).
func (s *Server) answered(op func(ctx context.Context, uid, device, sid string) (json.RawMessage, error)) userHandler {
	return func(r *http.Request, w http.ResponseWriter, who tokens.Claims) (int, any, error) {
		var in answerBody
		if err := s.decodeOptionalBody(w, r, &in); err != nil {
			return 0, nil, err
		}
		res, err := op(r.Context(), who.UID, in.DeviceID, r.PathValue("sid"))
		return http.StatusOK, res, err
	}
}

// POST /v1/calls/{sid}/reject {"status":"rejected"|"busy"|"cancelled", "deviceId"?}.
func (s *Server) rejectCall(r *http.Request, w http.ResponseWriter, who tokens.Claims) (int, any, error) {
	var in struct {
		Status   string `json:"status"`
		DeviceID string `json:"deviceId"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return 0, nil, err
	}
	res, err := s.deps.Hub.RejectCall(r.Context(), who.UID, in.DeviceID, r.PathValue("sid"), in.Status)
	return http.StatusOK, res, err
}

// GET /v1/calls/{sid}: the call with its per-participant ring state.
func (s *Server) getCall(r *http.Request, _ http.ResponseWriter, who tokens.Claims) (int, any, error) {
	res, err := s.deps.Hub.GetCall(r.Context(), who.UID, r.PathValue("sid"))
	return http.StatusOK, res, err
}

// POST /v1/devices: register or update a push target.
// A user first seen here is recorded as a /v1/ws connect records them:
// with the token's name.
func (s *Server) putDevice(r *http.Request, w http.ResponseWriter, who tokens.Claims) (int, any, error) {
	var in protocol.RegisterDeviceParams
	if err := s.decodeBody(w, r, &in); err != nil {
		return 0, nil, err
	}
	if _, err := s.deps.Hub.EnsureUser(r.Context(), who); err != nil {
		return 0, nil, err
	}
	d, err := s.deps.Hub.RegisterDevice(r.Context(), who.UID, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, deviceView(d), nil
}

// GET /v1/devices: the user's push targets.
func (s *Server) listDevices(r *http.Request, _ http.ResponseWriter, who tokens.Claims) (int, any, error) {
	if err := checkQuery(r); err != nil {
		return 0, nil, err
	}
	list, err := s.deps.Store.ListDevices(r.Context(), who.UID)
	if err != nil {
		return 0, nil, err
	}
	out := protocol.DeviceList{Devices: make([]protocol.Device, len(list))}
	for i, d := range list {
		out.Devices[i] = deviceView(d)
	}
	return http.StatusOK, out, nil
}

// DELETE /v1/devices/{deviceId}[?kind=apns]: every kind the install
// holds, or the one named.
func (s *Server) deleteDevice(r *http.Request, _ http.ResponseWriter, who tokens.Claims) (int, any, error) {
	if err := checkQuery(r, "kind"); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, s.deps.Store.DeleteDevice(r.Context(), who.UID, r.PathValue("deviceId"), r.URL.Query().Get("kind"))
}

// POST /v1/calls {receiverId, receiverType, callType, timeout?, clientRequestId?, deviceId?}:
// initiateCall without a socket (201 the Call; a retry with the same
// clientRequestId while the call rings answers 201 with that call again).
// deviceId, as on /accept: if the call answers one ringing this phone
// (glare), the phone gets no stop push for it.
// The caller is recorded as a /v1/ws connect records them (the token's
// name, if it carries one, is their name from now on).
func (s *Server) initiateCall(r *http.Request, w http.ResponseWriter, who tokens.Claims) (int, any, error) {
	var in struct {
		protocol.InitiateParams
		DeviceID string `json:"deviceId"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return 0, nil, err
	}
	u, err := s.deps.Hub.EnsureUser(r.Context(), who)
	if err != nil { // the database cannot be reached: retry later (its address stays in the log)
		s.log.Error("initiateCall: the caller's user could not be read", "uid", who.UID, "err", err)
		return 0, nil, protocol.Errorf(protocol.CodeUnavailable, "the server cannot read your user now; try again in a moment")
	}
	res, err := s.deps.Hub.InitiateCall(r.Context(), who.UID, u.Name, in.DeviceID, in.InitiateParams)
	return http.StatusCreated, res, err
}
