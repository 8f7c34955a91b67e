package client_test

import (
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// FuzzTokenMediaURL: reading a call token's media node never fails on any
// input, and gives back exactly the URL a server minted into it.
func FuzzTokenMediaURL(f *testing.F) {
	iss, err := tokens.New(map[string]string{"SBk": strings.Repeat("s", 32)}, "", nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"https://media3.example.com", "http://127.0.0.1:7880", "", "a.b.c", "x.eyJtZWRpYSI6MX0.y", "é\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = client.TokenMediaURL(s) // any string: no panic
		tok, err := iss.MintCallOn("ann", "s1", s, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := client.TokenMediaURL(tok); got != s && strings.ToValidUTF8(s, "\uFFFD") == s {
			t.Fatalf("minted with media %q, read %q", s, got)
		}
	})
}
