package sfu

import (
	"net"
	"net/netip"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// addrPortOf gives what x/net's ReadBatch gave (a *net.UDPAddr's
// AddrPort): IPv4 as 4 bytes, IPv6 and IPv4-mapped as 16, the port in host
// order, a link-local address with its interface's name as its zone.
func TestAddrPortOf(t *testing.T) {
	var v4 unix.RawSockaddrInet6
	sa4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(&v4))
	sa4.Family, sa4.Addr = unix.AF_INET, [4]byte{198, 18, 0, 7}
	(*[2]byte)(unsafe.Pointer(&sa4.Port))[0], (*[2]byte)(unsafe.Pointer(&sa4.Port))[1] = 0x1e, 0xc2 // 7874
	mapped := unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: netip.MustParseAddr("::ffff:127.0.0.1").As16()}
	(*[2]byte)(unsafe.Pointer(&mapped.Port))[1] = 80
	v6 := unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: netip.MustParseAddr("2001:db8::1").As16()}
	(*[2]byte)(unsafe.Pointer(&v6.Port))[0] = 1 // 256
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	linkLocal := unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: netip.MustParseAddr("fe80::1").As16(), Scope_id: uint32(lo.Index)}
	(*[2]byte)(unsafe.Pointer(&linkLocal.Port))[1] = 9
	var zone lastZone
	for _, c := range []struct {
		sa   *unix.RawSockaddrInet6
		want *net.UDPAddr
	}{
		{&v4, &net.UDPAddr{IP: net.IP{198, 18, 0, 7}, Port: 7874}},
		{&mapped, &net.UDPAddr{IP: net.ParseIP("::ffff:127.0.0.1"), Port: 80}},
		{&v6, &net.UDPAddr{IP: net.ParseIP("2001:db8::1"), Port: 256}},
		{&linkLocal, &net.UDPAddr{IP: net.ParseIP("fe80::1"), Port: 9, Zone: "lo"}},
		{&linkLocal, &net.UDPAddr{IP: net.ParseIP("fe80::1"), Port: 9, Zone: "lo"}}, // the zone remembered
	} {
		if got, want := addrPortOf(c.sa, &zone), c.want.AddrPort(); got != want {
			t.Errorf("addrPortOf(family %d) = %v, want %v", c.sa.Family, got, want)
		}
	}
	if got := addrPortOf(&unix.RawSockaddrInet6{Family: unix.AF_UNIX}, &zone); got.IsValid() {
		t.Errorf("addrPortOf(AF_UNIX) = %v, want the zero AddrPort", got)
	}
}
