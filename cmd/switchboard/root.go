package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree.
func newRootCmd(env cliEnv) *cobra.Command {
	root := &cobra.Command{
		Use:   "switchboard",
		Short: "Self-hosted calling server: ringing, call tokens, SFU and web page in one binary",
		Long: `switchboard is a self-hosted calling server in one binary: server-side
ringing (initiate, accept, reject, cancel, busy, timeout, end), call tokens
issued on accept, a WebRTC SFU those tokens open, and a bundled web page and
JS SDK.

Try it on your laptop with one command:

  switchboard serve --dev

Configuration comes from defaults, then a YAML file (--config), then
SWITCHBOARD_* environment variables, then flags. See configs/switchboard.yaml
for every key.`,
		Example: `  switchboard serve --dev
  switchboard keys generate
  switchboard serve --config /etc/switchboard.yaml
  switchboard token create --config /etc/switchboard.yaml --user alice --name Alice`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w (see %s --help)", err, c.CommandPath())
	})
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.AddCommand(
		newServeCmd(env),
		newKeysCmd(env),
		newTokenCmd(env),
		newVersionCmd(env),
	)
	for _, add := range extraCommands {
		root.AddCommand(add(env))
	}
	return root
}

// extraCommands are subcommands kept in their own files, e.g. bench.go:
//
//	func init() { extraCommands = append(extraCommands, newBenchCmd) }
//
// Only init functions append to it; it is read-only once main starts.
var extraCommands []func(cliEnv) *cobra.Command
