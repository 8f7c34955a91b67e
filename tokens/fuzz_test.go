package tokens

import (
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary strings to the token verifier: it never
// panics, every refusal wraps exactly one sentinel, and what it accepts is
// a token of the asked kind with what that kind needs.
func FuzzVerify(f *testing.F) {
	clk := &testClock{t: epoch}
	iss, err := New(map[string]string{keyA: secretA}, "", clk.now)
	if err != nil {
		f.Fatal(err)
	}
	iss.LimitLifetime(KindAuth, DefaultMaxAuthLifetime)
	good, _ := iss.MintAuth("alice", "Alice", time.Hour)
	call, _ := iss.MintCall("alice", "s1", time.Minute)
	for _, s := range []string{good, call, "", "a.b.c", good + "x", "eyJhbGciOiJub25lIn0.e30."} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
	}
	kinds := []Kind{KindAuth, KindCall, KindAdmin}
	f.Fuzz(func(t *testing.T, token string, k uint8) {
		kind := kinds[int(k)%len(kinds)]
		c, err := iss.Verify(token, kind)
		if err != nil {
			assertOneSentinel(t, err)
			return
		}
		if c.Kind != kind || (kind != KindAdmin && c.UID == "") || (kind == KindCall && c.SessionID == "") {
			t.Fatalf("accepted %+v as %s", c, kind)
		}
	})
}
