package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/switchboard-rtc/switchboard/tokens"
)

func newKeysCmd(env cliEnv) *cobra.Command {
	keys := &cobra.Command{
		Use:   "keys",
		Short: "Manage API keys",
		Long: `API keys sign and verify every token switchboard issues. A key is a public
name (it appears in tokens as the issuer); its secret must stay private.`,
		Example: `  switchboard keys generate`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	keys.AddCommand(&cobra.Command{
		Use:   "generate",
		Short: "Print a new random API key and secret",
		Long: `Print a new random API key and secret (256 random bits). Nothing is stored:
copy them into the config file under "keys:" or into SWITCHBOARD_KEYS.
Keep the secret private; anyone who has it can mint tokens.`,
		Example: `  switchboard keys generate
  switchboard keys generate >> /etc/switchboard.keys`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, secret, err := tokens.GenerateKey()
			if err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, `API key:    %[1]s
API secret: %[2]s

In the config file:
keys:
  %[1]s: %[2]s

Or in the environment:
SWITCHBOARD_KEYS=%[1]s:%[2]s
`, key, secret)
			return nil
		},
	})
	return keys
}
