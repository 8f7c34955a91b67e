package server

import (
	"crypto/sha256"
	"fmt"
	"net"
	"strings"
)

// Fingerprint is the SHA-256 fingerprint of the served certificate
// (AB:CD:...), "" over plain HTTP: compare it with what the browser shows
// before accepting a self-signed certificate.
func (a *App) Fingerprint() string {
	if a.tls == nil || len(a.tls.Certificates) == 0 {
		return ""
	}
	sum := sha256.Sum256(a.tls.Certificates[0].Certificate[0])
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// LANURLs are the URLs other devices on the network can open: one per
// non-loopback IPv4 address of the host when the server listens on all
// interfaces, none when it listens on one address.
func (a *App) LANURLs() []string {
	addr := a.listener.Addr().(*net.TCPAddr)
	if !addr.IP.IsUnspecified() {
		return nil
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var out []string
	for _, iface := range ifaces {
		if iface.Flags&net.FlagUp == 0 || iface.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := iface.Addrs()
		for _, ad := range addrs {
			ipn, ok := ad.(*net.IPNet)
			if !ok || ipn.IP.To4() == nil || ipn.IP.IsLinkLocalUnicast() {
				continue
			}
			out = append(out, a.scheme()+"://"+net.JoinHostPort(ipn.IP.String(), fmt.Sprint(addr.Port)))
		}
	}
	return out
}

func (a *App) scheme() string {
	if a.tls != nil {
		return "https"
	}
	return "http"
}
