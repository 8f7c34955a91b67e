package netlab

import (
	"context"
	"net"
	"sync"

	"github.com/pion/transport/v4"
	"github.com/pion/transport/v4/stdnet"
)

// Net is a transport.Net (pion) whose interfaces, listens and dials are
// those of a namespace: give it to webrtc.SettingEngine.SetNet so an
// in-process Pion peer gathers and sends from the namespace. Interfaces are
// listed again on every call, so a moved address shows at the next
// gathering (ICE restart).
type Net struct {
	ns *Namespace

	// mu guards std (UpdateInterfaces writes its cache).
	mu  sync.Mutex
	std *stdnet.Net
}

var _ transport.Net = (*Net)(nil)

// Net returns a pion transport.Net for the namespace.
func (n *Namespace) Net() (*Net, error) {
	pn := &Net{ns: n}
	err := n.Do(func() error {
		var err error
		pn.std, err = stdnet.NewNet()
		return err
	})
	return pn, err
}

func (p *Net) refresh() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ns.Do(p.std.UpdateInterfaces)
}

// Interfaces implements transport.Net (listed inside the namespace, fresh).
func (p *Net) Interfaces() ([]*transport.Interface, error) {
	if err := p.refresh(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.std.Interfaces()
}

// InterfaceByIndex implements transport.Net.
func (p *Net) InterfaceByIndex(index int) (*transport.Interface, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.std.InterfaceByIndex(index)
}

// InterfaceByName implements transport.Net.
func (p *Net) InterfaceByName(name string) (*transport.Interface, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.std.InterfaceByName(name)
}

// ListenPacket implements transport.Net.
func (p *Net) ListenPacket(network, address string) (c net.PacketConn, err error) {
	err = p.ns.Do(func() error { c, err = p.std.ListenPacket(network, address); return err })
	return c, err
}

// ListenUDP implements transport.Net.
func (p *Net) ListenUDP(network string, laddr *net.UDPAddr) (c transport.UDPConn, err error) {
	err = p.ns.Do(func() error { c, err = p.std.ListenUDP(network, laddr); return err })
	return c, err
}

// ListenTCP implements transport.Net.
func (p *Net) ListenTCP(network string, laddr *net.TCPAddr) (l transport.TCPListener, err error) {
	err = p.ns.Do(func() error { l, err = p.std.ListenTCP(network, laddr); return err })
	return l, err
}

// Dial implements transport.Net.
func (p *Net) Dial(network, address string) (c net.Conn, err error) {
	err = p.ns.Do(func() error { c, err = p.std.Dial(network, address); return err })
	return c, err
}

// DialUDP implements transport.Net.
func (p *Net) DialUDP(network string, laddr, raddr *net.UDPAddr) (c transport.UDPConn, err error) {
	err = p.ns.Do(func() error { c, err = p.std.DialUDP(network, laddr, raddr); return err })
	return c, err
}

// DialTCP implements transport.Net.
func (p *Net) DialTCP(network string, laddr, raddr *net.TCPAddr) (c transport.TCPConn, err error) {
	err = p.ns.Do(func() error { c, err = p.std.DialTCP(network, laddr, raddr); return err })
	return c, err
}

// ResolveIPAddr implements transport.Net.
func (p *Net) ResolveIPAddr(network, address string) (*net.IPAddr, error) {
	return p.std.ResolveIPAddr(network, address)
}

// ResolveUDPAddr implements transport.Net.
func (p *Net) ResolveUDPAddr(network, address string) (*net.UDPAddr, error) {
	return p.std.ResolveUDPAddr(network, address)
}

// ResolveTCPAddr implements transport.Net.
func (p *Net) ResolveTCPAddr(network, address string) (*net.TCPAddr, error) {
	return p.std.ResolveTCPAddr(network, address)
}

// CreateDialer implements transport.Net: its dials happen in the namespace.
func (p *Net) CreateDialer(d *net.Dialer) transport.Dialer {
	return nsDialer{ns: p.ns, d: d}
}

// CreateListenConfig implements transport.Net.
func (p *Net) CreateListenConfig(lc *net.ListenConfig) transport.ListenConfig {
	return nsListenConfig{ns: p.ns, lc: lc}
}

type nsDialer struct {
	ns *Namespace
	d  *net.Dialer
}

func (d nsDialer) Dial(network, address string) (c net.Conn, err error) {
	err = d.ns.Do(func() error { c, err = d.d.Dial(network, address); return err })
	return c, err
}

type nsListenConfig struct {
	ns *Namespace
	lc *net.ListenConfig
}

func (l nsListenConfig) Listen(ctx context.Context, network, address string) (ln net.Listener, err error) {
	err = l.ns.Do(func() error { ln, err = l.lc.Listen(ctx, network, address); return err })
	return ln, err
}

func (l nsListenConfig) ListenPacket(ctx context.Context, network, address string) (c net.PacketConn, err error) {
	err = l.ns.Do(func() error { c, err = l.lc.ListenPacket(ctx, network, address); return err })
	return c, err
}
