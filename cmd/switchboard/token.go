package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

func newTokenCmd(env cliEnv) *cobra.Command {
	token := &cobra.Command{
		Use:     "token",
		Short:   "Mint tokens",
		Long:    `Mint tokens with the configured API key and secret (config file, SWITCHBOARD_KEYS).`,
		Example: `  switchboard token create --user alice --name Alice`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var configPath, uid, name string
	var ttl time.Duration
	var admin bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Mint an auth token for a user, or an admin token",
		Long: `Mint a token with the configured signing key and print it on one line.

An auth token (the default) says who a user is: apps hand it to the web page,
the JS SDK or the Go client to open /v1/ws. An admin token (--admin) opens the
admin API under /v1/admin. The user need not exist in the store.

Of the config (--config FILE, SWITCHBOARD_* variables) it uses and checks
only keys, signing_key and server.max_auth_token_ttl /
server.max_admin_token_ttl (a longer --ttl is refused, as the server would
refuse the token). The file must still parse (no unknown keys), but the
server's other settings are not checked: store.dsn may be kept in the
service's environment and push key files readable by the service alone.`,
		Example: `  switchboard token create --user alice --name Alice
  switchboard token create --config /etc/switchboard.yaml --user bob --ttl 1h
  switchboard token create --admin --ttl 15m
  curl -H "Authorization: Bearer $(switchboard token create --admin)" localhost:7880/v1/admin/users`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := loadConfig(configPath, env.environ, nil, nil)
			if err == nil {
				err = l.validateTokenKeys() // not the server's other settings: it uses none of them
			}
			if err != nil {
				return err
			}
			tok, err := mintToken(l.Config, uid, name, ttl, admin)
			if err != nil {
				return err
			}
			fmt.Fprintln(env.stdout, tok)
			return nil
		},
	}
	f := create.Flags()
	f.StringVarP(&configPath, "config", "c", "", "YAML config file with the keys")
	f.StringVar(&uid, "user", "", "the user's uid (required for an auth token)")
	f.StringVar(&name, "name", "", "the user's display name")
	f.DurationVar(&ttl, "ttl", tokens.DefaultAuthTTL, "how long the token is valid")
	f.BoolVar(&admin, "admin", false, "mint an admin token instead (--user optional: who holds it)")
	token.AddCommand(create)
	return token
}

func mintToken(c Config, uid, name string, ttl time.Duration, admin bool) (string, error) {
	if len(c.Keys) == 0 {
		return "", errors.New(`no API keys configured: run "switchboard keys generate", then pass --config FILE with them under "keys:" or set SWITCHBOARD_KEYS=key:secret`)
	}
	if ttl <= 0 {
		return "", fmt.Errorf("--ttl %s: use a duration above 0, e.g. 24h", ttl)
	}
	issuer, err := tokens.New(c.Keys, c.SigningKey, nil)
	if err != nil {
		return "", err
	}
	issuer.LimitLifetime(tokens.KindAuth, c.Server.MaxAuthTokenTTL) // what the server accepts
	issuer.LimitLifetime(tokens.KindAdmin, c.Server.MaxAdminTokenTTL)
	if uid != "" {
		if err := store.ValidateID("--user", uid); err != nil {
			return "", err
		}
	}
	if admin {
		if max := c.Server.MaxAdminTokenTTL; max > 0 && ttl > max { // the server would refuse it
			return "", fmt.Errorf("--ttl %s is above server.max_admin_token_ttl (%s), the longest admin token the server accepts; "+
				"use a shorter --ttl or raise that key in the server's config", ttl, max)
		}
		return issuer.MintAdmin(uid, ttl)
	}
	if uid == "" {
		return "", errors.New("--user is required for an auth token (or pass --admin for an admin token)")
	}
	if max := c.Server.MaxAuthTokenTTL; max > 0 && ttl > max { // the server would refuse it
		return "", fmt.Errorf("--ttl %s is above server.max_auth_token_ttl (%s), the longest auth token the server accepts; "+
			"use a shorter --ttl or raise that key in the server's config", ttl, max)
	}
	if name != "" {
		if err := store.ValidateName("--name", name); err != nil {
			return "", err
		}
	}
	return issuer.MintAuth(uid, name, ttl)
}
