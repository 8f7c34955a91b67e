package store

import (
	"fmt"
	"strings"
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
		if unicode.In(r, unicode.Zl, unicode.Zp) {
			return fmt.Errorf("%w: %s contains the line or paragraph separator %U at byte %d; a name is one line", ErrInvalid, what, r, i)
		}
		if isInvisible(r) {
			return fmt.Errorf("%w: %s contains the invisible character %U at byte %d: it can make two names look alike", ErrInvalid, what, r, i)
		}
	}
	if !strings.ContainsFunc(name, isVisible) {
		return fmt.Errorf("%w: %s has no visible character; use a letter, digit, punctuation or symbol", ErrInvalid, what)
	}
	return nil
}

// isInvisible reports characters that show as nothing (or as a blank) and
// only serve to hide or fake a name: zero-width space, word joiner and the
// invisible operators, the byte order mark, the soft hyphen, the Hangul
// fillers, the Mongolian vowel separator, the deprecated format controls
// and the interlinear annotation marks. The joiners U+200C/U+200D (Persian,
// Indic scripts, emoji sequences), the variation selectors and the tags
// (emoji) stay allowed.
func isInvisible(r rune) bool {
	switch r {
	case 0x00AD, 0x034F, 0x115F, 0x1160, 0x180E, 0x200B, 0x3164, 0xFEFF, 0xFFA0:
		return true
	}
	return (r >= 0x2060 && r <= 0x2064) || (r >= 0x206A && r <= 0x206F) || (r >= 0xFFF9 && r <= 0xFFFB)
}

// isVisible: a letter, digit, punctuation mark or symbol (not a space, a
// mark or a format character alone).
func isVisible(r rune) bool {
	return unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) && !isInvisible(r)
}

// isBidiControl reports the bidirectional embeddings, overrides and
// isolates (U+202A..U+202E, U+2066..U+2069): in a caller's name, "Alice"
// followed by an override can show the rest reversed on the callee's
// screen. The marks (U+200E, U+200F), which only nudge neutral
// characters, stay allowed.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}
