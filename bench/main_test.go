package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"

	"go.uber.org/goleak"
)

// The test binary doubles as the server child process: the Launcher below
// re-runs it with these variables set, as `switchboard bench` re-runs itself.
const (
	envChild  = "SWITCHBOARD_BENCH_TEST_CHILD"
	envListen = "SWITCHBOARD_BENCH_TEST_LISTEN"
	envConfig = "SWITCHBOARD_BENCH_TEST_CONFIG"
)

func TestMain(m *testing.M) {
	if role := os.Getenv(envChild); role != "" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		var err error
		if Role(role) == RoleSwitchboard {
			err = runSwitchboard(ctx, os.Getenv(envConfig))
		} else {
			err = RunChild(ctx, Role(role), os.Getenv(envListen), "")
		}
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

func testLauncher(role Role, listen, configPath string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+string(role), envListen+"="+listen, envConfig+"="+configPath)
	return cmd
}
