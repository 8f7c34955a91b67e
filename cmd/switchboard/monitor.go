package main

import (
	"fmt"
	"os"
	"strings"
	"syscall"
)

// RuntimeConfig tunes the Go runtime that serve runs on.
type RuntimeConfig struct {
	// KeepMonitorAwake has serve start itself again at once (execve: the
	// same process id, arguments and environment) with
	// GODEBUG=schedtrace=2147483647 added, unless GODEBUG already sets
	// schedtrace. Go's monitor thread (sysmon) otherwise takes a deep sleep
	// whenever the process is idle, and the next system call wakes it:
	// a media server idles between packets thousands of times a second,
	// and on a virtual machine where a thread switch is dear forwarding
	// 1:1 calls took about a fifth more CPU for it (docs/benchmarks.md). With
	// schedtrace set the monitor never takes that sleep; it backs off to
	// 10 ms naps instead. The price: a system call that blocks keeps the
	// only Go processor of a one-core host until the monitor's next look
	// instead of handing it over at once (the store lends SQLite's
	// checkpoint a second processor for that: store/spareproc.go), and
	// the runtime's one-line scheduler summary on standard error every
	// 24.8 days (and once at start on a host up longer than that).
	KeepMonitorAwake bool `yaml:"keep_monitor_awake"`
}

// monitorSetting is what KeepMonitorAwake adds to GODEBUG: the longest
// schedtrace interval, in ms.
const monitorSetting = "schedtrace=2147483647"

// awakeMonitorEnv returns environ with monitorSetting added to GODEBUG;
// false when GODEBUG sets schedtrace already (an operator's own, or this
// process was started again already).
func awakeMonitorEnv(environ []string) ([]string, bool) {
	out := make([]string, 0, len(environ)+1)
	found := false
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if name != "GODEBUG" {
			out = append(out, kv)
			continue
		}
		for _, setting := range strings.Split(value, ",") {
			if k, _, _ := strings.Cut(setting, "="); strings.TrimSpace(k) == "schedtrace" {
				return environ, false
			}
		}
		found = true
		if value != "" {
			value += ","
		}
		out = append(out, "GODEBUG="+value+monitorSetting)
	}
	if !found {
		out = append(out, "GODEBUG="+monitorSetting)
	}
	return out, true
}

// keepMonitorAwake starts serve again with the monitor awake when rc asks
// for it and the environment does not have it yet; it returns only when
// that is not needed or failed (said on stderr: serve then runs as it is).
func keepMonitorAwake(env cliEnv, rc RuntimeConfig) {
	if !rc.KeepMonitorAwake || env.reexec == nil {
		return
	}
	environ, ok := awakeMonitorEnv(env.environ)
	if !ok {
		return
	}
	err := env.reexec(environ)
	fmt.Fprintf(env.stderr, "switchboard: could not start again with runtime.keep_monitor_awake (%v); serving without it\n", err)
}

// reexecSelf replaces the process with this binary, same arguments, the
// given environment. /proc/self/exe is used where it exists: it is this
// binary even when its file was replaced or removed since (go run, an
// upgrade in place).
func reexecSelf(environ []string) error {
	exe := "/proc/self/exe"
	if _, err := os.Stat(exe); err != nil {
		if exe, err = os.Executable(); err != nil {
			return err
		}
	}
	return syscall.Exec(exe, os.Args, environ)
}
