package retryafter

import (
	"errors"
	"math"
	"strconv"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		v    string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"120", 2 * time.Minute},
		{"Sat, 05 Dec 2026 08:01:30 GMT", 90 * time.Second},
		{"Sat, 05 Dec 2026 07:59:00 GMT", 0}, // past
		{"-5", 0},
		{"+5", 0},
		{"1.5", 0},
		{"soon", 0},
		{"9223372036", 9223372036 * time.Second},   // the longest that fits
		{"9223372037", math.MaxInt64},              // one more: the longest wait, not a wrapped one
		{"18446744074", math.MaxInt64},             // 0.29 s when multiplied as an int64
		{"99999999999999999999999", math.MaxInt64}, // beyond a uint64 too
	} {
		if got := Parse(tc.v, now); got != tc.want {
			t.Errorf("Parse(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

// FuzzParse: never negative; a number of seconds is that many seconds, or
// the longest wait when it does not fit.
func FuzzParse(f *testing.F) {
	for _, v := range []string{"", "0", "120", "9223372037", "18446744074", "Sat, 05 Dec 2026 08:01:30 GMT",
		"Monday, 07-Dec-26 08:01:30 GMT", "Mon Dec  7 08:01:30 2026", "-1"} {
		f.Add(v, int64(1796457600))
	}
	f.Fuzz(func(t *testing.T, v string, unix int64) {
		now := time.Unix(unix, 0)
		got := Parse(v, now)
		if got < 0 {
			t.Fatalf("Parse(%q) = %v", v, got)
		}
		if n, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
			want := time.Duration(math.MaxInt64)
			if n <= math.MaxInt64/uint64(time.Second) {
				want = time.Duration(n) * time.Second
			}
			if got != want {
				t.Fatalf("Parse(%q) = %v, want %v", v, got, want)
			}
		}
	})
}
