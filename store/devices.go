package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Device kinds: where a push to the device goes.
const (
	DeviceAPNsVoIP = "apns-voip" // APNs, apns-push-type voip (PushKit), topic <bundle>.voip
	DeviceAPNs     = "apns"      // APNs alert pushes (no PushKit)
	DeviceFCM      = "fcm"       // Firebase Cloud Messaging HTTP v1
)

// DeviceKinds lists the valid kinds.
var deviceKinds = []string{DeviceAPNsVoIP, DeviceAPNs, DeviceFCM}

// Bounds on device fields.
const (
	// MaxDevicesPerUser bounds a user's installs (distinct device ids),
	// not rows: an iPhone holding an apns-voip and an apns token is one.
	MaxDevicesPerUser = 10
	MaxDeviceTokenLen = 4096 // bytes; APNs tokens are 64 hex, FCM tokens ~160
	MaxAppIDLen       = 155  // bytes; Apple bundle ids and Android package names are shorter
)

// Device is one push target of a user: a token of one kind held by a phone
// (app install) that can be woken by a push. DeviceID is the client's own
// stable id of the install; the same id on /v1/ws tells the server that
// the device has a live socket. A row is one (UID, DeviceID, Kind): an
// iOS install may hold an apns-voip and an apns token (rings go to the
// first, missed-call alerts to the second); an install is iOS (apns
// kinds) or Android (fcm), never both: see PutDevice.
type Device struct {
	UID       string    `json:"uid"`
	DeviceID  string    `json:"deviceId"`
	Kind      string    `json:"kind"`
	Token     string    `json:"token"`
	AppID     string    `json:"appId"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// ValidateDevice checks every field of d. The error wraps ErrInvalid.
func ValidateDevice(d Device) error {
	if err := ValidateID("uid", d.UID); err != nil {
		return err
	}
	if err := ValidateID("deviceId", d.DeviceID); err != nil {
		return err
	}
	if !slices.Contains(deviceKinds, d.Kind) {
		return fmt.Errorf("%w: device kind %q; use one of %s", ErrInvalid, d.Kind, strings.Join(deviceKinds, ", "))
	}
	if err := validateDeviceToken(d.Token); err != nil {
		return err
	}
	return ValidateAppID(d.AppID)
}

func validateDeviceToken(tok string) error {
	if tok == "" {
		return fmt.Errorf("%w: device token is empty", ErrInvalid)
	}
	if len(tok) > MaxDeviceTokenLen {
		return fmt.Errorf("%w: device token is %d bytes long; the limit is %d", ErrInvalid, len(tok), MaxDeviceTokenLen)
	}
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; c <= ' ' || c >= 0x7f {
			return fmt.Errorf("%w: device token contains byte %#x at %d; tokens are printable ASCII without spaces", ErrInvalid, c, i)
		}
	}
	return nil
}

// ValidateAppID checks a bundle id (iOS) or package name (Android): at least
// two dot-separated parts of A-Z a-z 0-9 _ -, at most MaxAppIDLen bytes.
func ValidateAppID(id string) error {
	if id == "" || len(id) > MaxAppIDLen {
		return fmt.Errorf("%w: app id %q must be 1..%d bytes (a bundle id or package name such as com.example.app)", ErrInvalid, id, MaxAppIDLen)
	}
	parts := strings.Split(id, ".")
	if len(parts) < 2 {
		return fmt.Errorf("%w: app id %q is not a bundle id or package name (e.g. com.example.app)", ErrInvalid, id)
	}
	for _, p := range parts {
		if p == "" {
			return fmt.Errorf("%w: app id %q has an empty part", ErrInvalid, id)
		}
		for i := 0; i < len(p); i++ {
			c := p[i]
			if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' && c != '-' {
				return fmt.Errorf("%w: app id %q contains %q; use A-Z a-z 0-9 _ - and dots", ErrInvalid, id, c)
			}
		}
	}
	return nil
}

const deviceCols = `uid, device_id, kind, token, app_id, created_at, updated_at`

func scanDevice(sc scanner) (Device, error) {
	var d Device
	var created, updated sql.NullInt64
	if err := sc.Scan(&d.UID, &d.DeviceID, &d.Kind, &d.Token, &d.AppID, &created, &updated); err != nil {
		return Device{}, err
	}
	d.CreatedAt, d.UpdatedAt = fromMS(created), fromMS(updated)
	return d, nil
}

// PutDevice registers d, or updates the token and app id of the row of
// its (uid, device id, kind). The same token registered before by another
// device (of any user) is moved to d. An install holds the kinds of one
// platform: an fcm row replaces the install's apns and apns-voip rows,
// and an apns or apns-voip row its fcm row. A user has at most
// MaxDevicesPerUser installs; one more is refused with ErrInvalid and
// nothing changes.
func (s *sqlStore) PutDevice(ctx context.Context, d Device) (Device, error) {
	if err := ValidateDevice(d); err != nil {
		return Device{}, err
	}
	now := s.stamp(time.Time{})
	other := otherPlatform(d.Kind)
	var out Device
	defer s.devices.invalidate()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var exists, n int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM devices WHERE uid = ?1 AND device_id = ?2),
			(SELECT count(DISTINCT device_id) FROM devices WHERE uid = ?1 AND NOT (kind = ?3 AND token = ?4))`,
			d.UID, d.DeviceID, d.Kind, d.Token).Scan(&exists, &n); err != nil {
			return err
		}
		if exists == 0 && n >= MaxDevicesPerUser {
			return fmt.Errorf("%w: user %q already has %d devices, the limit; unregister one first", ErrInvalid, d.UID, n)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM devices WHERE kind = ?1 AND token = ?2 AND NOT (uid = ?3 AND device_id = ?4)`,
			d.Kind, d.Token, d.UID, d.DeviceID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM devices WHERE uid = ?1 AND device_id = ?2 AND kind IN (?3, ?4)`,
			d.UID, d.DeviceID, other[0], other[1]); err != nil {
			return err
		}
		var err error
		out, err = scanDevice(tx.QueryRowContext(ctx, `
			INSERT INTO devices (`+deviceCols+`) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
			ON CONFLICT (uid, device_id, kind) DO UPDATE SET token = excluded.token,
				app_id = excluded.app_id, updated_at = excluded.updated_at
			RETURNING `+deviceCols, d.UID, d.DeviceID, d.Kind, d.Token, d.AppID, ms(now)))
		return err
	})
	if err != nil {
		if isInvalid(err) {
			return Device{}, err
		}
		return Device{}, fmt.Errorf("store: put %s device %q of %q: %w", d.Kind, d.DeviceID, d.UID, err)
	}
	return out, nil
}

// otherPlatform lists the kinds an install holding kind cannot also hold
// (twice when there is one: the query takes two).
func otherPlatform(kind string) [2]string {
	if kind == DeviceFCM {
		return [2]string{DeviceAPNsVoIP, DeviceAPNs}
	}
	return [2]string{DeviceFCM, DeviceFCM}
}

// DeleteDevice unregisters a device of uid: every kind it holds (kind
// empty), or the one of kind. It returns ErrNotFound if there was none.
func (s *sqlStore) DeleteDevice(ctx context.Context, uid, deviceID, kind string) error {
	if err := ValidateID("uid", uid); err != nil {
		return err
	}
	if err := ValidateID("deviceId", deviceID); err != nil {
		return err
	}
	if kind != "" && !slices.Contains(deviceKinds, kind) {
		return fmt.Errorf("%w: device kind %q; use one of %s, or none for all", ErrInvalid, kind, strings.Join(deviceKinds, ", "))
	}
	defer s.devices.invalidate()
	q, args := `DELETE FROM devices WHERE uid = ?1 AND device_id = ?2`, []any{uid, deviceID}
	if kind != "" {
		q, args = q+` AND kind = ?3`, append(args, kind)
	}
	res, err := s.w.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: delete device %q of %q: %w", deviceID, uid, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		what := ""
		if kind != "" {
			what = " with a " + kind + " token"
		}
		return fmt.Errorf("device %q of user %q%s %w", deviceID, uid, what, ErrNotFound)
	}
	return nil
}

// DeleteDeviceToken removes the row holding a token the provider
// reported dead (the install's other kind stays); it returns whether one
// was removed.
func (s *sqlStore) DeleteDeviceToken(ctx context.Context, kind, token string) (bool, error) {
	defer s.devices.invalidate()
	res, err := s.w.ExecContext(ctx, `DELETE FROM devices WHERE kind = ?1 AND token = ?2`, kind, token)
	if err != nil {
		return false, fmt.Errorf("store: delete %s token: %w", kind, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// ListDevices returns uid's devices, a row per kind, ordered by device id
// and kind (a copy of the cached list on SQLite: see readCache).
func (s *sqlStore) ListDevices(ctx context.Context, uid string) ([]Device, error) {
	if err := ValidateID("uid", uid); err != nil {
		return nil, err
	}
	devs, ok, gen := s.devices.get(uid)
	if ok {
		return slices.Clone(devs), nil
	}
	devs, err := s.listDevices(ctx, uid)
	if err == nil {
		s.devices.put(uid, slices.Clone(devs), gen)
	}
	return devs, err
}

func (s *sqlStore) listDevices(ctx context.Context, uid string) ([]Device, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE uid = ?1 ORDER BY device_id, kind`, uid)
	if err != nil {
		return nil, fmt.Errorf("store: list devices of %q: %w", uid, err)
	}
	defer rows.Close()
	out := []Device{}
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan device: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list devices of %q: %w", uid, err)
	}
	return out, nil
}
