package redact

import (
	"errors"
	"strings"
	"testing"
)

func TestDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://sb:TopSecret99@127.0.0.1:5440/sb":     "postgres://sb:xxxxx@127.0.0.1:5440/sb",
		"postgress://sb:TopSecret99@127.0.0.1:5440/sb":    "postgress://sb:xxxxx@127.0.0.1:5440/sb",
		"postgres://sb:Top%zzSecret@127.0.0.1/sb":         "postgres://sb:xxxxx@127.0.0.1/sb",
		"redis://:RedisSecret77@127.0.0.1:xx/0":           "redis://:xxxxx@127.0.0.1:xx/0",
		"host=/run/postgresql password='a b' dbname=sb":   "host=/run/postgresql password=xxxxx dbname=sb",
		"postgres://127.0.0.1/sb?user=sb&password=s3cret": "postgres://127.0.0.1/sb?user=sb&password=xxxxx",
		"postgres://sb@127.0.0.1/sb":                      "postgres://sb@127.0.0.1/sb",
		"postgres://sb:Top@Secret99@127.0.0.1:5440/sb":    "postgres://sb:xxxxx@127.0.0.1:5440/sb",
		"redis://127.0.0.1:6379/0":                        "redis://127.0.0.1:6379/0",
	} {
		if got := DSN(in); got != want {
			t.Errorf("DSN(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErr(t *testing.T) {
	s := "redis://:RedisSecret77@127.0.0.1:6379/0"
	if got := Err(errors.New("dial: RedisSecret77 refused"), s); strings.Contains(got, "RedisSecret77") {
		t.Errorf("Err = %q: the password is in it", got)
	}
}

func FuzzDSN(f *testing.F) {
	f.Add("postgres://u:secretpw@h/db")
	f.Add("password=secretpw")
	f.Fuzz(func(t *testing.T, s string) {
		out := DSN(s)
		if DSN(out) != out {
			t.Errorf("DSN is not stable: %q -> %q -> %q", s, out, DSN(out))
		}
	})
}
