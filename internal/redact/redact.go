// Package redact takes passwords out of connection strings before they are
// logged or put in an error (docs/operations.md: secrets are never logged).
package redact

import (
	"net/url"
	"regexp"
)

var (
	// userinfo is a URL's "user:password@", parsed or not (a URL with a bad
	// port or a bad escape still shows its password in the error that
	// refuses it).
	userinfo = regexp.MustCompile(`(://[^:/@\s]*:)[^/\s]*@`)
	// keyValue is password=... of a key=value DSN, or of a URL's query.
	keyValue = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)`)
)

// Secret is what a password reads as once taken out.
const Secret = "xxxxx"

// DSN is a connection string (a URL of any scheme, or key=value pairs)
// with its passwords replaced by Secret.
func DSN(s string) string {
	s = userinfo.ReplaceAllString(s, "${1}"+Secret+"@")
	return keyValue.ReplaceAllString(s, "${1}"+Secret)
}

// Err is the text of err, an error about the connection string s, with
// s's passwords taken out wherever it quotes s (or its parts, as a
// *url.Error quotes it).
func Err(err error, s string) string {
	msg := err.Error()
	if u, perr := url.Parse(s); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = regexp.MustCompile(regexp.QuoteMeta(p)).ReplaceAllString(msg, Secret)
		}
	}
	return DSN(msg)
}
