package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/switchboard-rtc/switchboard/doctor"
)

func init() { extraCommands = append(extraCommands, newDoctorCmd) }

// errDoctorFailed makes doctor exit with status 1 when a check failed
// (exitStatus); any other error of doctor's is status 2.
var errDoctorFailed = errors.New("doctor: at least one check FAILED (see above)")

func newDoctorCmd(env cliEnv) *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check ports, addresses and TURN on this host; print what a firewall must open",
		Long: `Check a configuration on the host it will run on, before or while the
server runs:

  - the config itself: every value serve would refuse at start;
  - the HTTP, media UDP and ICE-TCP ports: free, held (a running server?),
    or not bindable (privileged port, address not on this host);
  - the addresses clients are told (media.public_ip on this host or behind
    NAT 1:1, a host with no public address and no TURN);
  - TURN: allocates a relay on the embedded server (started for the check
    when it is not running) over each configured transport, asks permission
    towards the SFU, and checks that a relay towards a refused range (the
    cloud metadata address) is refused; and allocates on every external
    TURN server with credentials from its secret, and on every TURN URL of
    media.ice_servers with its username and credential (a URL clients
    would refuse fails);
  - then prints the ports a firewall in front of this host must let in.

Exit status: 0 when every check is ok (warnings do not fail); 1 when a
check FAILED (a value serve would refuse at start is a FAILED check); 2
when doctor could not run: a bad flag, or a config it cannot read or parse
(a missing file, YAML syntax, an unknown key, a value of the wrong type, an
unknown SWITCHBOARD_ variable).
To check a browser's paths to a running server, open /test on it.`,
		Example: `  switchboard doctor --config /etc/switchboard.yaml
  SWITCHBOARD_TURN_ENABLED=true SWITCHBOARD_TURN_SECRET=... switchboard doctor --config /etc/switchboard.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := loadFor(cmd, env, configPath)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c := l.Config
			media := c.Media
			media.Off = !c.HostsMedia()
			r := doctor.Run(ctx, doctor.Config{HTTPListen: c.Server.Listen, HTTPS: c.Server.TLSCert != "" || c.Server.SelfSigned,
				TLSCert: c.Server.TLSCert, TLSKey: c.Server.TLSKey, Media: media, TURN: c.TURN, Problems: joined(l.validate())})
			if err := r.Write(env.stdout); err != nil {
				return err
			}
			if r.Failed() {
				return errDoctorFailed
			}
			return nil
		},
	}
	addConfigFlags(cmd.Flags(), &configPath)
	return cmd
}

// joined lists the errors errors.Join joined into err (nil: none), without
// the "config: " each starts with (the report's column says it).
func joined(err error) []error {
	errs := []error{err}
	var j interface{ Unwrap() []error }
	switch {
	case err == nil:
		return nil
	case errors.As(err, &j):
		errs = j.Unwrap()
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = errors.New(strings.TrimPrefix(e.Error(), ErrConfig.Error()+": "))
	}
	return out
}
