package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestLogCursor(t *testing.T) {
	c := LogCursor{InitiatedAt: 1700000000123, SessionID: "q2n0yq1XyWcY7o1cY0a1Qw"}
	got, err := ParseLogCursor("after", c.String())
	if err != nil || got != c {
		t.Fatalf("round trip of %+v = %+v, %v", c, got, err)
	}
	for _, s := range []string{
		"", "garbage!", "q2n0yq1XyWcY7o1cY0a1Qw",
		LogCursor{InitiatedAt: 0, SessionID: "s"}.String(),
		LogCursor{InitiatedAt: -5, SessionID: "s"}.String(),
		LogCursor{InitiatedAt: 5, SessionID: ""}.String(),
		LogCursor{InitiatedAt: 5, SessionID: "bad id"}.String(),
		LogCursor{InitiatedAt: 5, SessionID: strings.Repeat("s", 101)}.String(),
		"MDA6dGllLWE",                // "00:tie-a"
		"MTcwMDAwMDAwMDEyMw",         // a time alone
		"MTcwMDAwMDAwMDEyMw==",       // padded
		"MTcwMDAwMDAwMDEyMzp0aWUtYR", // trailing bits that decode to the same bytes
	} {
		_, err := ParseLogCursor("after", s)
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != CodeBadRequest || !strings.HasPrefix(pe.Message, "after ") {
			t.Errorf("ParseLogCursor(%q) = %v, want bad_request naming after", s, err)
		}
	}
}

// FuzzParseLogCursor feeds arbitrary text to the call log cursor parser:
// it never panics, refuses with a bad_request naming the parameter, and
// what it accepts is the canonical text of the cursor it returns.
func FuzzParseLogCursor(f *testing.F) {
	for _, s := range []string{
		LogCursor{InitiatedAt: 1700000000123, SessionID: "q2n0yq1XyWcY7o1cY0a1Qw"}.String(),
		"", "garbage!", "MDA6dGllLWE", "MTcwMDAwMDAwMDEyMw==", "MTcwMDAwMDAwMDEyMzp0aWUtYR", "Oi0", strings.Repeat("A", 200),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseLogCursor("after", s)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Code != CodeBadRequest || !strings.Contains(pe.Message, "after") {
				t.Fatalf("ParseLogCursor(%q) = %v, want bad_request naming after", s, err)
			}
			return
		}
		if c.InitiatedAt <= 0 || !validLogSessionID(c.SessionID) {
			t.Fatalf("ParseLogCursor(%q) accepted %+v", s, c)
		}
		if c.String() != s {
			t.Fatalf("ParseLogCursor(%q) = %+v, whose text is %q", s, c, c.String())
		}
	})
}
