package protocol

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A client frame without a mask violates RFC 6455 (5.1): the server closes
// with 1002 (protocol error), not 1001.
func TestUnmaskedClientFrameIsClosedWith1002(t *testing.T) {
	srv := echoServer(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second)) // failsafe
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v %v", resp, err)
	}
	payload := `{"id":"1","method":"ping"}`
	frame := append([]byte{0x81, byte(len(payload))}, payload...) // FIN+text, no mask bit
	if _, err := conn.Write(frame); err != nil {
		t.Fatal(err)
	}
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		t.Fatalf("no close frame: %v", err)
	}
	n := int(h[1] & 0x7f)
	if n == 126 {
		var ext [2]byte
		_, _ = io.ReadFull(br, ext[:])
		n = int(binary.BigEndian.Uint16(ext[:]))
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(br, body); err != nil {
		t.Fatal(err)
	}
	if h[0]&0x0f != 0x8 { // not a close frame (a reply would be wrong too)
		t.Fatalf("server answered an unmasked frame with opcode %d: %s", h[0]&0x0f, body)
	}
	if code := binary.BigEndian.Uint16(body); code != 1002 {
		t.Fatalf("close code %d (%s), want 1002", code, body[2:])
	}
}
