package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time:
//
//	go build -ldflags "-X main.version=v1.2.3" ./cmd/switchboard
var version = "dev"

func newVersionCmd(env cliEnv) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and build information",
		Long: `Print switchboard's version (set with -ldflags "-X main.version=..." at build
time, "dev" otherwise), the Go version, and the VCS revision when known.`,
		Example: `  switchboard version`,
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(env.stdout, versionString())
			return nil
		},
	}
}

func versionString() string {
	s := fmt.Sprintf("switchboard %s (%s, %s/%s)", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return s
	}
	var rev, modified string
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			if kv.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		s += fmt.Sprintf(" revision %.12s%s", rev, modified)
	}
	return s
}
