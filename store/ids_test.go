package store

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateID(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		wantErr string // substring of the message; "" means valid
	}{
		{"simple", "alice", ""},
		{"all allowed characters", "Az09_.@-", ""},
		{"email-like", "bob@example.com", ""},
		{"one char", "x", ""},
		{"exactly 100", strings.Repeat("a", 100), ""},
		{"empty", "", "uid is empty"},
		{"101 chars", strings.Repeat("a", 101), "101 characters long; the limit is 100"},
		{"space", "al ice", `contains ' ' at byte 2`},
		{"slash", "a/b", `contains '/'`},
		{"non-ASCII", "zoë", `contains 'ë' at byte 2`},
		{"newline", "a\nb", `contains '\n'`},
		{"NUL", "a\x00", `contains '\x00'`},
		{"colon", "a:b", `contains ':'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateID("uid", tc.id)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidateID(%q) = %v, want nil", tc.id, err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ValidateID(%q) = %v, want an error wrapping ErrInvalid", tc.id, err)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ValidateID(%q) = %q, want it to contain %q", tc.id, err, tc.wantErr)
			}
		})
	}
}

func TestValidateIDNamesTheField(t *testing.T) {
	err := ValidateID("guid", "bad id")
	if err == nil || !strings.Contains(err.Error(), "guid") || !strings.Contains(err.Error(), "A-Z a-z 0-9 _ . @ -") {
		t.Fatalf("got %v, want the field name and the rule", err)
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{"ascii", "Alice Smith", ""},
		{"unicode", "Zoë Ünal 山田", ""},
		{"emoji", "Bob 🎧", ""},
		{"100 runes of 3 bytes", strings.Repeat("山", 100), ""},
		{"empty", "", "name is empty"},
		{"101 runes", strings.Repeat("山", 101), "101 characters long; the limit is 100"},
		{"newline", "a\nb", "control character U+000A at byte 1"},
		{"tab", "a\tb", "control character U+0009"},
		{"DEL", "a\x7f", "control character U+007F"},
		{"C1 control", "a\u0085", "control character U+0085"},
		{"invalid UTF-8", "a\xffb", "not valid UTF-8"},
		{"right-to-left override", "Alice\u202Egnp.exe", "bidirectional control U+202E at byte 5"},
		{"first-strong isolate", "a\u2068b\u2069", "bidirectional control U+2068"},
		{"right-to-left mark", "\u200Fسارة", ""},
		{"arabic", "سارة أحمد", ""},
		{"line separator", "a\u2028b", "line or paragraph separator U+2028"},
		{"paragraph separator", "a\u2029", "U+2029"},
		{"zero-width space", "Al\u200Bice", "invisible character U+200B at byte 2"},
		{"byte order mark", "\uFEFFbob", "invisible character U+FEFF"},
		{"hangul filler", "\u3164", "invisible character U+3164"},
		{"soft hyphen", "al\u00ADice", "U+00AD"},
		{"only spaces", "   ", "no visible character"},
		{"only a joiner", "\u200D", "no visible character"},
		{"emoji sequence with a joiner and a selector", "Ann \U0001F469\u200D\U0001F4BB \u2764\uFE0F", ""},
		{"persian with a non-joiner", "می\u200Cخواهم", ""},
		{"flag with tags", "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F Scot", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateName("name", tc.in)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidateName(%q) = %v, want nil", tc.in, err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ValidateName(%q) = %v, want an error wrapping ErrInvalid", tc.in, err)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ValidateName(%q) = %q, want it to contain %q", tc.in, err, tc.wantErr)
			}
		})
	}
}
