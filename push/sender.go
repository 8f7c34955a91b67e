package push

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// Channel is the outbox channel of pushes.
const Channel = store.ChannelPush

// Deps are a Sender's collaborators.
type Deps struct {
	Store store.Store      // dead tokens are removed from it
	Log   *slog.Logger     // nil: discard
	Now   func() time.Time // nil: time.Now
	TLS   *tls.Config      // nil: system roots (tests: the fakes' CA)
}

// Sender delivers push outbox items to APNs and FCM.
type Sender struct {
	cfg  Config
	st   store.Store
	log  *slog.Logger
	now  func() time.Time
	apns *apns // nil: not configured
	fcm  *fcm  // nil: not configured
}

// New reads the configured credentials and returns a Sender.
func New(cfg Config, deps Deps) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Sender{cfg: cfg, st: deps.Store, log: deps.Log, now: deps.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if cfg.APNs.KeyFile != "" {
		if s.apns, err = newAPNs(cfg.APNs, deps.TLS, s.now); err != nil {
			return nil, err
		}
	}
	if cfg.FCM.CredentialsFile != "" {
		if s.fcm, err = newFCM(cfg.FCM, deps.TLS, s.now); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Policy is the configured push policy.
func (s *Sender) Policy() string { return s.cfg.Policy }

// Enabled reports whether pushes of a device kind can be sent.
func (s *Sender) Enabled(kind string) bool {
	switch kind {
	case store.DeviceAPNs, store.DeviceAPNsVoIP:
		return s.apns != nil
	case store.DeviceFCM:
		return s.fcm != nil
	}
	return false
}

// Deliver sends one outbox item (a Message). A dead token's device is
// removed and the error is permanent.
func (s *Sender) Deliver(ctx context.Context, it store.OutboxItem) error {
	var m Message
	if err := json.Unmarshal(it.Payload, &m); err != nil {
		return permanentError{fmt.Errorf("push: outbox item %d is not a push message: %w", it.ID, err)}
	}
	return s.Send(ctx, m)
}

// Send sends m now.
func (s *Sender) Send(ctx context.Context, m Message) error {
	if !m.Expires.IsZero() && !s.now().Before(m.Expires) {
		return permanentError{fmt.Errorf("push: %s push for call %s expired before it could be sent", m.Payload.Type, m.Payload.SessionID)}
	}
	var err error
	switch m.Kind {
	case store.DeviceAPNs, store.DeviceAPNsVoIP:
		if s.apns == nil {
			return permanentError{fmt.Errorf("%w: APNs (set push.apns.key_file)", ErrNotConfigured)}
		}
		err = s.apns.send(ctx, m)
	case store.DeviceFCM:
		if s.fcm == nil {
			return permanentError{fmt.Errorf("%w: FCM (set push.fcm.credentials_file)", ErrNotConfigured)}
		}
		err = s.fcm.send(ctx, m)
	default:
		return permanentError{fmt.Errorf("push: unknown device kind %q", m.Kind)}
	}
	var pe *Error
	if errors.As(err, &pe) && pe.Dead {
		s.removeDead(ctx, m)
	}
	return err
}

func (s *Sender) removeDead(ctx context.Context, m Message) {
	if s.st == nil {
		return
	}
	removed, err := s.st.DeleteDeviceToken(context.WithoutCancel(ctx), m.Kind, m.Token)
	if err != nil {
		s.log.Error("push: removing a dead device token failed", "uid", m.UID, "device", m.DeviceID, "err", err)
		return
	}
	if removed {
		s.log.Info("push: device token reported dead; device removed", "uid", m.UID, "device", m.DeviceID, "kind", m.Kind)
	}
}
