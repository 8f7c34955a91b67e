package turnserver

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMintAndParse(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c := Mint("a-shared-secret-of-some-length", "alice:phone", now, time.Hour)
	if c.Username != "1800003600:alice:phone" {
		t.Fatalf("username %q", c.Username)
	}
	// computed independently: printf %s 1433895918506:my_user_name | openssl dgst -sha1 -hmac north -binary | base64
	if got := Password("north", "1433895918506:my_user_name"); got != "+8A4l7VX6yTmEzUg7ltAn+0+I8E=" {
		t.Fatalf("password %q", got)
	}
	exp, uid, err := ParseUsername(c.Username)
	if err != nil || uid != "alice:phone" || !exp.Equal(now.Add(time.Hour)) {
		t.Fatalf("parse: %v %q %v", exp, uid, err)
	}
}

func TestParseUsernameRefusesMalformed(t *testing.T) {
	for _, u := range []string{"", "alice", ":alice", "1800000000:", "abc:alice", "-5:alice", "+5:alice", "0:alice",
		"99999999999999999999999:alice", "1800000000:a\x00b", "1800000000:\xff", "1800000000:" + strings.Repeat("u", 300)} {
		if _, _, err := ParseUsername(u); !errors.Is(err, ErrBadUsername) {
			t.Errorf("%q: err %v, want ErrBadUsername", u, err)
		}
	}
}

func FuzzParseUsername(f *testing.F) {
	for _, s := range []string{"1800000000:alice", "1:a:b", "x:y", "", "1800000000:\x01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		exp, uid, err := ParseUsername(s)
		if err != nil {
			if !errors.Is(err, ErrBadUsername) {
				t.Fatalf("%q: unexpected error %v", s, err)
			}
			return
		}
		if uid == "" || exp.Unix() <= 0 {
			t.Fatalf("%q: accepted as %v %q", s, exp, uid)
		}
		c := Mint("secret-secret-secret", uid, exp, 0)
		if c.Username != s && !strings.HasPrefix(s, "0") {
			t.Fatalf("%q: does not round-trip (%q)", s, c.Username)
		}
	})
}
