package bench

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"runtime"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
)

// FloorPacketBytes is the RTP packet size the floor is measured with.
const FloorPacketBytes = 1200

// FloorResult is the least CPU one forwarded packet costs on this machine
// with one SRTP protection profile: encrypt it, then send it once over UDP
// on loopback. Microseconds of CPU time of the sending thread per packet.
type FloorResult struct {
	Cipher    string  `json:"cipher"`
	Packets   int     `json:"packets"`
	EncryptUS float64 `json:"encrypt_us"`
	SendUS    float64 `json:"send_us"`
	TotalUS   float64 `json:"total_us"`
	// Negotiated marks the profile switchboard's SFU negotiates.
	Negotiated bool `json:"negotiated"`
}

// floorProfiles are measured in this order; the first is what switchboard's
// SFU negotiates with Pion and with Chrome on both connections (it is the
// DTLS server and lists AEAD_AES_128_GCM first, see sfu/engine.go). Plain
// Pion between Pion peers negotiates AEAD_AES_256_GCM (webrtc
// defaultSrtpProtectionProfiles), measured second.
var floorProfiles = []struct {
	name    string
	profile srtp.ProtectionProfile
}{
	{"AEAD_AES_128_GCM", srtp.ProtectionProfileAeadAes128Gcm},
	{"AEAD_AES_256_GCM", srtp.ProtectionProfileAeadAes256Gcm},
	{"AES_CM_128_HMAC_SHA1_80", srtp.ProtectionProfileAes128CmHmacSha1_80},
}

// MeasureFloor runs the floor micro-benchmark with n packets per profile.
// A goroutine drains the receiving socket on another thread, so only the
// send path (syscall plus the loopback delivery the kernel runs in the
// sender's context) is charged to the measuring thread.
func MeasureFloor(ctx context.Context, n int) ([]FloorResult, error) {
	rx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, fmt.Errorf("%w: floor: %w", ErrScenario, err)
	}
	defer rx.Close()
	_ = rx.SetReadBuffer(4 << 20)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		buf := make([]byte, 1500)
		for {
			if _, err := rx.Read(buf); err != nil {
				return
			}
		}
	}()
	tx, err := net.DialUDP("udp4", nil, rx.LocalAddr().(*net.UDPAddr))
	if err != nil {
		return nil, fmt.Errorf("%w: floor: %w", ErrScenario, err)
	}
	defer tx.Close()

	var out []FloorResult
	for i, p := range floorProfiles {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := measureProfile(tx, p.profile, n)
		if err != nil {
			return nil, err
		}
		r.Cipher, r.Negotiated = p.name, i == 0
		out = append(out, r)
	}
	rx.Close()
	<-drained
	return out, nil
}

// measureProfile times encrypt alone, then encrypt + send, on one locked
// thread, reading that thread's CPU time.
func measureProfile(tx *net.UDPConn, profile srtp.ProtectionProfile, n int) (FloorResult, error) {
	keyLen, _ := profile.KeyLen()
	saltLen, _ := profile.SaltLen()
	key := make([]byte, keyLen)
	salt := make([]byte, saltLen)
	for i := range key {
		key[i] = byte(i * 7)
	}
	c, err := srtp.CreateContext(key, salt, profile)
	if err != nil {
		return FloorResult{}, fmt.Errorf("%w: floor: %w", ErrScenario, err)
	}
	hdr := rtp.Header{Version: 2, PayloadType: 96, SSRC: 0x5eed, Timestamp: 1}
	raw := make([]byte, FloorPacketBytes)
	hn, err := hdr.MarshalTo(raw)
	if err != nil {
		return FloorResult{}, fmt.Errorf("%w: floor: %w", ErrScenario, err)
	}
	for i := hn; i < len(raw); i++ {
		raw[i] = byte(i)
	}
	dst := make([]byte, 0, FloorPacketBytes+64)
	encrypt := func(seq uint16) ([]byte, error) {
		hdr.SequenceNumber = seq
		binary.BigEndian.PutUint16(raw[2:], seq)
		return c.EncryptRTP(dst, raw, &hdr)
	}

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	seq := uint16(0)
	start := ThreadCPU()
	for range n {
		seq++
		if _, err := encrypt(seq); err != nil {
			return FloorResult{}, fmt.Errorf("%w: floor encrypt: %w", ErrScenario, err)
		}
	}
	encCPU := ThreadCPU() - start
	start = ThreadCPU()
	for range n {
		seq++
		pkt, err := encrypt(seq)
		if err != nil {
			return FloorResult{}, fmt.Errorf("%w: floor encrypt: %w", ErrScenario, err)
		}
		if _, err := tx.Write(pkt); err != nil {
			return FloorResult{}, fmt.Errorf("%w: floor send: %w", ErrScenario, err)
		}
	}
	total := ThreadCPU() - start
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) / float64(n) }
	return FloorResult{
		Packets: n, EncryptUS: us(encCPU), SendUS: us(total - encCPU), TotalUS: us(total),
	}, nil
}
