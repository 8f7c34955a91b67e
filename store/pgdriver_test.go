package store

import (
	"strings"
	"testing"
)

func TestPGPlaceholders(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"WHERE a = ?1 AND b = ?2 OR c = ?1", "WHERE a = $1 AND b = $2 OR c = $1"},
		{"SET done = ?1 WHERE id IN (?,?,?)", "SET done = $1 WHERE id IN ($2,$3,$4)"},
		{"VALUES (?, ?)", "VALUES ($1, $2)"},
		{"WHERE s = '?1' AND t = ?10", "WHERE s = '?1' AND t = $10"},
		{"LIMIT ?4) AS x", "LIMIT $4) AS x"},
	} {
		if got := pgPlaceholders(tc.in); got != tc.want {
			t.Errorf("pgPlaceholders(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzPGPlaceholders: the rewrite never leaves a placeholder outside
// quotes, changes nothing else, and never panics.
func FuzzPGPlaceholders(f *testing.F) {
	for _, s := range []string{"a = ?1", "IN (?,?)", "'?' ?", "?99999999999999999999", "??", "?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		out := pgPlaceholders(q)
		quoted := false
		for i := 0; i < len(out); i++ {
			if out[i] == '\'' {
				quoted = !quoted
			}
			if out[i] == '?' && !quoted {
				t.Fatalf("%q -> %q leaves a placeholder", q, out)
			}
		}
		if strip(q) != strip(out) {
			t.Fatalf("%q -> %q changed more than placeholders", q, out)
		}
	})
}

// strip drops placeholders ($N, ?N, ?) so only the rest is compared.
func strip(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '?' || s[i] == '$' {
			for i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
