package netlab

import (
	"net"
	"os"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// The host check reads the namespace of the thread that runs it, not the
// main thread's: while a Namespace.Do function holds the main thread inside
// a lab namespace (a dial that waits for a cut path can hold it for
// minutes), /proc/self/net is that namespace's, and a socket this process
// keeps there was reported as bound in the host's (three later tests
// failed on it in CI).
func TestHostSocketsIgnoreTheMainThreadsNamespace(t *testing.T) {
	lab := New(t)
	ns := lab.Namespace("main-thread")
	if err := ns.ip("addr", "add", "198.18.200.1/32", "dev", "lo"); err != nil {
		t.Fatal(err)
	}
	type held struct {
		ln  net.Listener
		err error
	}
	got := make(chan held)
	release := make(chan struct{})
	done := make(chan struct{})
	// Lock threads until one is the main thread (tid == pid); the others
	// stay locked meanwhile so that the scheduler has to hand out another.
	var others []chan struct{}
	defer func() {
		for _, c := range others {
			close(c)
		}
	}()
	found := false
	for range 64 {
		onMain := make(chan bool)
		stop := make(chan struct{})
		go func() {
			runtime.LockOSThread()
			if unix.Gettid() != os.Getpid() {
				onMain <- false
				<-stop
				runtime.UnlockOSThread()
				return
			}
			onMain <- true
			defer close(done)
			restore, err := ns.enter()
			var ln net.Listener
			if err == nil {
				ln, err = net.Listen("tcp4", "198.18.200.1:0")
			}
			got <- held{ln, err}
			<-release
			if ln != nil {
				_ = ln.Close()
			}
			if restore() {
				runtime.UnlockOSThread()
			}
		}()
		if found = <-onMain; found {
			break
		}
		others = append(others, stop)
	}
	if !found {
		t.Skip("no goroutine was scheduled on the main thread")
	}
	h := <-got
	defer func() { close(release); <-done }()
	if h.err != nil {
		t.Fatal(h.err)
	}
	for _, bad := range hostSockets() {
		if strings.Contains(bad, "198.18.200.1") {
			t.Errorf("a socket inside a lab namespace reported as the host's: %s", bad)
		}
	}
}
