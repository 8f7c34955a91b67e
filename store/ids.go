package store

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxIDLen and MaxNameLen bound ids (bytes, ASCII only) and display names (runes).
const (
	MaxIDLen   = 100
	MaxNameLen = 100
)

// ValidateID checks a uid, guid or session id: 1..100 characters of
// [A-Za-z0-9_.@-]. what names the field in the error ("uid", "guid", ...).
// The error wraps ErrInvalid.
func ValidateID(what, id string) error {
	if id == "" {
		return fmt.Errorf("%w: %s is empty; use 1..%d characters of A-Z a-z 0-9 _ . @ -", ErrInvalid, what, MaxIDLen)
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("%w: %s is %d characters long; the limit is %d", ErrInvalid, what, len(id), MaxIDLen)
	}
	for i := 0; i < len(id); i++ {
		if !idByte(id[i]) {
			r, _ := utf8.DecodeRuneInString(id[i:])
			return fmt.Errorf("%w: %s %q contains %q at byte %d; only A-Z a-z 0-9 _ . @ - are allowed", ErrInvalid, what, id, r, i)
		}
	}
	return nil
}

func idByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c == '_', c == '.', c == '@', c == '-':
		return true
	}
	return false
}

// ValidateName checks a display name: valid UTF-8, 1..100 runes, no control
// characters (newlines and tabs included). what names the field in the error.
// The error wraps ErrInvalid.
func ValidateName(what, name string) error {
	if name == "" {
		return fmt.Errorf("%w: %s is empty; use 1..%d characters", ErrInvalid, what, MaxNameLen)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, what)
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLen {
		return fmt.Errorf("%w: %s is %d characters long; the limit is %d", ErrInvalid, what, n, MaxNameLen)
	}
	for i, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s contains the control character %U at byte %d; control characters are not allowed", ErrInvalid, what, r, i)
		}
		if isBidiControl(r) {
			return fmt.Errorf("%w: %s contains the bidirectional control %U at byte %d: it can make a name show as another (the marks U+200E and U+200F are allowed)", ErrInvalid, what, r, i)
		}
	}
	return nil
}

// isBidiControl reports the bidirectional embeddings, overrides and
// isolates (U+202A..U+202E, U+2066..U+2069): in a caller's name, "Alice"
// followed by an override can show the rest reversed on the callee's
// screen. The marks (U+200E, U+200F), which only nudge neutral
// characters, stay allowed.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}
