package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestServerBinaryHasNoLoadTool: the default build of the server links
// neither the load tool nor its plotting and media payload; a -tags bench
// build has them (`switchboard bench`).
func TestServerBinaryHasNoLoadTool(t *testing.T) {
	deps := func(tags ...string) string {
		args := append([]string{"list", "-deps"}, tags...)
		out, err := exec.Command("go", append(args, ".")...).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		return string(out)
	}
	banned := []string{"github.com/switchboard-rtc/switchboard/bench\n", "gonum.org/v1/plot\n"}
	plain := deps()
	for _, b := range banned {
		if strings.Contains(plain, b) {
			t.Errorf("the server binary links %s", strings.TrimSpace(b))
		}
	}
	if !strings.Contains(deps("-tags", "bench"), banned[0]) {
		t.Error("a -tags bench build has no load tool")
	}
}
