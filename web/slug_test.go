package web

import (
	"strings"
	"testing"
)

// TestSlugDocumentedExamples pins the dev login's uid rule as docs/api.md
// states it (POST /v1/dev/login).
func TestSlugDocumentedExamples(t *testing.T) {
	for name, want := range map[string]string{
		"Alice Smith":             "alice-smith",
		"  Alice  Smith! ":        "alice-smith",
		"Zoë Ü":                   "zo",
		"Ünal":                    "nal",
		"Зоя":                     "",
		strings.Repeat("ab ", 60): strings.TrimRight(strings.Repeat("ab-", 34), "-")[:100],
	} {
		if got := slug(name); got != want {
			t.Errorf("slug(%q) = %q, want %q", name, got, want)
		}
	}
}
