package sfu

import (
	"encoding/binary"
	"net"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The kernel stamps what a media socket receives, and rxTime reads it: a
// time between the send and the read.
func TestRxTimestamp(t *testing.T) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !enableRxTimestamps(c) {
		t.Skip("SO_TIMESTAMPNS not available here")
	}
	before := time.Now().UnixNano()
	if _, err := c.WriteTo([]byte("x"), c.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	buf, oob := make([]byte, 16), make([]byte, rxControlSize)
	_, oobn, _, _, err := c.ReadMsgUDPAddrPort(buf, oob)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().UnixNano()
	at, ok := rxTime(oob[:oobn])
	if !ok || at < before || at > after {
		t.Fatalf("rxTime = %d, %v; want a time in [%d, %d]", at, ok, before, after)
	}
}

// rxTime never reads past its input, whatever the kernel (or a bug) hands
// it, and only reports a timestamp message.
func FuzzRxTime(f *testing.F) {
	msg := make([]byte, unix.CmsgSpace(16))
	binary.NativeEndian.PutUint64(msg, uint64(unix.CmsgLen(16)))
	binary.NativeEndian.PutUint32(msg[8:], unix.SOL_SOCKET)
	binary.NativeEndian.PutUint32(msg[12:], unix.SCM_TIMESTAMPNS)
	binary.NativeEndian.PutUint64(msg[16:], 1)
	f.Add(msg)
	f.Add(msg[:20])
	f.Add(append(append([]byte{}, msg...), msg...))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		at, ok := rxTime(b)
		if !ok && at != 0 {
			t.Fatalf("not ok but %d", at)
		}
	})
}
