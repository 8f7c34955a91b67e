package webhook

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// ErrConfig wraps every configuration error.
var ErrConfig = errors.New("webhooks config")

// Config lists the endpoints and how long deliveries are retried.
type Config struct {
	// Endpoints receive the events (none: webhooks are off).
	Endpoints []Endpoint `yaml:"endpoints"`
	// MaxAge is how long an undelivered event is retried before it is
	// kept as failed (replayable through the admin API).
	MaxAge time.Duration `yaml:"max_age"`
	// Timeout bounds one delivery attempt.
	Timeout time.Duration `yaml:"timeout"`
}

// Endpoint is one receiver.
type Endpoint struct {
	// Name identifies the endpoint in the outbox and the admin API.
	Name string `yaml:"name"`
	// URL is an http or https URL.
	URL string `yaml:"url"`
	// Secret signs the requests (at least 16 characters).
	Secret string `yaml:"secret"`
	// Secrets, instead of Secret, each sign every request, newest first:
	// the signature header carries one v1 value per secret, so a receiver
	// holding any of them accepts it (rotating a secret: docs/webhooks.md).
	Secrets []string `yaml:"secrets"`
	// Events is the filter: event types (call.accepted) or prefixes
	// (call.*); empty means every event.
	Events []string `yaml:"events"`
}

// MinSecretLen is the shortest accepted endpoint secret.
const MinSecretLen = 16

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{MaxAge: 24 * time.Hour, Timeout: 10 * time.Second} }

// Validate checks every endpoint: a unique name, an http(s) URL, a secret
// or a list of secrets (not both), known event types.
func (c Config) Validate() error {
	if c.MaxAge <= 0 || c.Timeout <= 0 {
		return fmt.Errorf("%w: webhooks.max_age and webhooks.timeout must be positive", ErrConfig)
	}
	seen := map[string]bool{}
	for i, e := range c.Endpoints {
		where := fmt.Sprintf("webhooks.endpoints[%d]", i)
		if err := store.ValidateID(where+".name", e.Name); err != nil {
			return fmt.Errorf("%w: %w", ErrConfig, err)
		}
		if seen[e.Name] {
			return fmt.Errorf("%w: %s: name %q is used twice", ErrConfig, where, e.Name)
		}
		seen[e.Name] = true
		if err := ValidateURL(e.URL); err != nil {
			return fmt.Errorf("%w: %s.url: %w", ErrConfig, where, err)
		}
		if err := e.validateSecrets(where); err != nil {
			return err
		}
		for _, ev := range e.Events {
			if !knownFilter(ev) {
				return fmt.Errorf("%w: %s.events: unknown event %q; use one of %s or a prefix such as call.*", ErrConfig, where, ev, strings.Join(EventTypes, ", "))
			}
		}
	}
	return nil
}

// validateSecrets checks secret or secrets; where names the endpoint.
func (e Endpoint) validateSecrets(where string) error {
	switch {
	case e.Secret != "" && len(e.Secrets) > 0:
		return fmt.Errorf("%w: %s.secrets: set either secret or secrets, not both (list every secret under secrets, newest first)", ErrConfig, where)
	case len(e.Secrets) == 0 && len(e.Secret) < MinSecretLen:
		return fmt.Errorf("%w: %s.secret: must be at least %d characters", ErrConfig, where, MinSecretLen)
	}
	for i, s := range e.Secrets {
		if len(s) < MinSecretLen {
			return fmt.Errorf("%w: %s.secrets: each must be at least %d characters; secrets[%d] has %d", ErrConfig, where, MinSecretLen, i, len(s))
		}
	}
	return nil
}

// signingSecrets are the secrets that sign the endpoint's requests, newest
// first.
func (e Endpoint) signingSecrets() []string {
	if len(e.Secrets) > 0 {
		return e.Secrets
	}
	return []string{e.Secret}
}

// ValidateURL accepts absolute http and https URLs with a host. Its
// errors show the URL as Redact does.
func ValidateURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", Redact(raw))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL with a host", Redact(raw))
	}
	if u.User != nil {
		return fmt.Errorf("%q carries credentials; use the endpoint secret instead", Redact(raw))
	}
	return nil
}

// Redact is an endpoint URL as logs, errors and the admin API show it:
// a user's password and the value of every query parameter (a receiver's
// API key often sits there) read "redacted"; of a URL that does not
// parse, only what comes before its first "?", "@" or "#" is shown.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?@#"); i >= 0 {
			return raw[:i] + "...(redacted)"
		}
		return raw
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "redacted")
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{"redacted"}
		}
		u.RawQuery = q.Encode()
	}
	if u.Fragment != "" {
		u.Fragment = "redacted"
	}
	return u.String()
}

func knownFilter(f string) bool {
	if p, ok := strings.CutSuffix(f, "*"); ok {
		for _, t := range EventTypes {
			if strings.HasPrefix(t, p) {
				return true
			}
		}
		return false
	}
	return slices.Contains(EventTypes, f)
}

// wants reports whether the endpoint takes events of type t.
func (e Endpoint) wants(t string) bool {
	if len(e.Events) == 0 {
		return true
	}
	for _, f := range e.Events {
		if p, ok := strings.CutSuffix(f, "*"); ok && strings.HasPrefix(t, p) || f == t {
			return true
		}
	}
	return false
}
