package push

import (
	"fmt"
	"net/url"
)

// Push policies: when a device with a live socket also gets a push.
const (
	PolicyOfflineOnly = "offline-only" // only devices without a live /v1/ws socket
	PolicyAlways      = "always"       // every registered device
)

// Config configures pushes. With neither APNs nor FCM credentials set,
// pushes of that provider fail for good (and say so in the outbox).
type Config struct {
	// Policy is offline-only (push a device only when it has no live
	// /v1/ws socket) or always.
	Policy string `yaml:"policy"`
	// APNs is Apple's push service.
	APNs APNsConfig `yaml:"apns"`
	// FCM is Firebase Cloud Messaging.
	FCM FCMConfig `yaml:"fcm"`
}

// APNsConfig is Apple's token-based provider authentication.
type APNsConfig struct {
	// KeyFile is the .p8 signing key downloaded from Apple ("" disables APNs).
	KeyFile string `yaml:"key_file"`
	// KeyID is the key's 10-character id.
	KeyID string `yaml:"key_id"`
	// TeamID is the Apple developer team id.
	TeamID string `yaml:"team_id"`
	// BaseURL is the APNs endpoint: https://api.push.apple.com, or
	// https://api.sandbox.push.apple.com for development builds.
	BaseURL string `yaml:"base_url"`
}

// FCMConfig is Firebase Cloud Messaging HTTP v1.
type FCMConfig struct {
	// CredentialsFile is the service-account JSON of the Firebase project
	// ("" disables FCM).
	CredentialsFile string `yaml:"credentials_file"`
	// BaseURL is the FCM endpoint.
	BaseURL string `yaml:"base_url"`
	// TokenURL is the OAuth 2 token endpoint; "" uses the token_uri of the
	// credentials file.
	TokenURL string `yaml:"token_url"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Policy: PolicyOfflineOnly,
		APNs:   APNsConfig{BaseURL: "https://api.push.apple.com"},
		FCM:    FCMConfig{BaseURL: "https://fcm.googleapis.com"},
	}
}

// Validate checks the policy, the URLs, that APNs has its ids, and reads
// and parses the APNs key and the FCM credentials files (what New would
// refuse), so that a mistake stops the server before anything is written.
// Each message is "push config: <key>: <what>".
func (c Config) Validate() error {
	if c.Policy != PolicyOfflineOnly && c.Policy != PolicyAlways {
		return fmt.Errorf("%w: push.policy: %q is not a policy; use offline-only or always", ErrConfig, c.Policy)
	}
	for _, u := range []struct{ key, v string }{
		{"push.apns.base_url", c.APNs.BaseURL}, {"push.fcm.base_url", c.FCM.BaseURL}, {"push.fcm.token_url", c.FCM.TokenURL},
	} {
		if u.v == "" && u.key == "push.fcm.token_url" {
			continue
		}
		if p, err := url.Parse(u.v); err != nil || p.Scheme != "https" || p.Host == "" {
			return fmt.Errorf("%w: %s: %q must be an https URL", ErrConfig, u.key, u.v)
		}
	}
	if c.APNs.KeyFile != "" {
		if len(c.APNs.KeyID) != 10 {
			return fmt.Errorf("%w: push.apns.key_id: %q is not a 10-character key id (needed with push.apns.key_file)", ErrConfig, c.APNs.KeyID)
		}
		if c.APNs.TeamID == "" {
			return fmt.Errorf("%w: push.apns.team_id: is empty; set your Apple developer team id (needed with push.apns.key_file)", ErrConfig)
		}
		if _, err := loadAPNsKey(c.APNs.KeyFile); err != nil {
			return err
		}
	}
	if c.FCM.CredentialsFile != "" {
		if _, _, err := loadServiceAccount(c.FCM); err != nil {
			return err
		}
	}
	return nil
}
