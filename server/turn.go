package server

import (
	"fmt"
	"net/netip"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/turnserver"
)

// TURNConfig is the turn: block (package turnserver).
type TURNConfig = turnserver.Config

// bindTURN starts the embedded TURN server (when turn.enabled) next to the
// bound SFU, whose media address its relays may always reach; with it off,
// it only mints credentials for turn.external. Credentials use the wall
// clock (not cfg.Now): external TURN servers check them against theirs.
func (a *App) bindTURN() error {
	media := turnserver.MediaAddrs{IPs: mediaIPs(a.cfg), Port: a.media.UDPPort()}
	var err error
	a.turn, err = turnserver.New(a.cfg.TURN, turnserver.Deps{Log: a.log.With("part", "turn"), Metrics: a.registry, Media: media})
	if err != nil {
		return fmt.Errorf("%w%s", err, portHint(err))
	}
	return nil
}

// mediaIPs are the addresses the SFU announces (empty: every address of the host).
func mediaIPs(cfg Config) []string {
	var ips []string
	for _, s := range append([]string{cfg.Media.PublicIP, cfg.Media.BindAddress}, cfg.Media.IPs...) {
		if ip, err := netip.ParseAddr(s); err == nil && !ip.IsUnspecified() {
			ips = append(ips, s)
		}
	}
	return ips
}

// iceServers are uid's TURN servers with fresh credentials, for "joined".
func (a *App) iceServers(uid string) []protocol.ICEServer {
	if a.turn == nil {
		return nil
	}
	return a.turn.ICEServers(uid)
}

// selfTestICE are the /test page's TURN servers (embedded TURN only).
func (a *App) selfTestICE() []protocol.ICEServer {
	if a.turn == nil {
		return nil
	}
	return a.turn.SelfTestICEServers()
}

// TURN is the embedded TURN server (Enabled false when turn.enabled is off).
func (a *App) TURN() *turnserver.Server { return a.turn }
