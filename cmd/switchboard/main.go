// Command switchboard is a self-hosted calling server: server-side ringing,
// call tokens, a Pion SFU and a bundled web page, in one binary.
//
// The commands only build configuration and call package web, which
// assembles and runs the server (see server.Start).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP) // serve logs and ignores SIGHUP
	env := cliEnv{
		stdout:  os.Stdout,
		stderr:  os.Stderr,
		environ: os.Environ(),
		signals: sigs,
		exit:    os.Exit,
		reexec:  reexecSelf,
	}
	if err := newRootCmd(env).Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(exitStatus(err))
	}
}

// exitStatus is the process's exit status for a command's error: 1 when
// doctor ran and a check FAILED, 2 when a command could not do its work
// (a bad flag or argument, a config that cannot be read, parsed or is
// refused, a server that cannot start).
func exitStatus(err error) int {
	if errors.Is(err, errDoctorFailed) {
		return 1
	}
	return 2
}

// cliEnv is everything the commands take from the process, so tests can
// run them in process.
type cliEnv struct {
	stdout, stderr io.Writer
	environ        []string
	signals        <-chan os.Signal
	exit           func(code int)
	// started, if set, is told the running server (tests).
	started func(url string)
	// reexec replaces the process with this binary, same arguments, the
	// given environment (nil: never; tests run commands in process).
	reexec func(environ []string) error
}
