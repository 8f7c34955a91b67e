package netlab

// Relayed is the topology for impaired paths: the server's namespace on a
// back LAN, a relay's namespace on both LANs, and the clients on the front
// LAN, so that everything between a client and the server passes through
// the relay's address (NewRelay for media, Forward for HTTP).
type Relayed struct {
	Back, Front   *LAN
	Server, Relay *Namespace
	// ServerPort is the server's port on the back LAN, RelayFront the
	// relay's on the front LAN (the address clients are given).
	ServerPort, RelayFront *Port
}

// Relayed builds the topology; clients are plugged into Front.
func (l *Lab) Relayed() *Relayed {
	l.t.Helper()
	r := &Relayed{Back: l.LAN(), Front: l.LAN(), Server: l.Namespace("srv"), Relay: l.Namespace("relay")}
	r.ServerPort = r.Back.Plug(r.Server)
	r.Back.Plug(r.Relay)
	r.RelayFront = r.Front.Plug(r.Relay)
	return r
}
