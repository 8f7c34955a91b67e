package netlab

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Forward listens on 127.0.0.1 of from (nil: the host) and copies each
// connection to target dialled inside to (nil: the host): a DevTools port
// of a browser running in a namespace, or a server's HTTP port for a
// client that may only reach a relay. It returns the listening address
// and stops at cleanup.
func Forward(t testing.TB, from, to *Namespace, listen, target string) string {
	t.Helper()
	ln, err := from.Listen("tcp", listen)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	// mu guards conns.
	var mu sync.Mutex
	conns := map[net.Conn]struct{}{}
	track := func(c net.Conn, add bool) {
		mu.Lock()
		defer mu.Unlock()
		if add {
			conns[c] = struct{}{}
		} else {
			delete(conns, c)
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := to.DialContext(t.Context(), "tcp", target)
				if err != nil {
					_ = c.Close()
					return
				}
				track(c, true)
				track(d, true)
				pipe(c, d)
				track(c, false)
				track(d, false)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// pipe copies both ways until either side ends, then closes both.
func pipe(a, b net.Conn) {
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		done <- struct{}{}
	}
	go cp(a, b)
	go cp(b, a)
	<-done
	_ = a.Close()
	_ = b.Close()
	<-done
}
