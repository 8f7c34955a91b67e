package sfu

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/netip"
	"testing"

	"github.com/pion/dtls/v3/pkg/crypto/prf"
	"github.com/pion/rtcp"
	"github.com/pion/srtp/v3"
)

// helloDatagram builds an unencrypted DTLS record holding a hello of typ
// with random (and, for a ServerHello, suite after a session id of sid bytes).
func helloDatagram(typ byte, random [32]byte, sid int, suite uint16) []byte {
	body := append([]byte{0xfe, 0xfd}, random[:]...)
	body = append(body, byte(sid))
	body = append(body, make([]byte, sid)...)
	body = binary.BigEndian.AppendUint16(body, suite)
	body = append(body, 0) // compression
	hs := []byte{typ, 0, byte(len(body) >> 8), byte(len(body)), 0, 0, 0, 0, 0, 0, byte(len(body) >> 8), byte(len(body))}
	rec := []byte{dtlsContentHS, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0}
	rec = binary.BigEndian.AppendUint16(rec, uint16(len(hs)+len(body)))
	return append(append(rec, hs...), body...)
}

// The key store puts a connection's secrets together from the key log and
// the two hellos, whichever comes first and however the log is split, and
// only for the address the handshake was with.
func TestKeyStoreJoinsKeyLogAndHellos(t *testing.T) {
	k := newKeyStore()
	remote := netip.MustParseAddrPort("127.0.0.1:5000")
	var cr, sr [32]byte
	for i := range cr {
		cr[i], sr[i] = byte(i), byte(100+i)
	}
	master := bytes.Repeat([]byte{7}, 48)
	if _, err := k.secrets(remote); err == nil {
		t.Fatal("secrets before anything was seen")
	}
	line := fmt.Sprintf("CLIENT_RANDOM %x %x\n", cr, master)
	_, _ = k.Write([]byte("garbage line\nCLIENT_RANDOM 00 11\n" + line[:20]))
	_, _ = k.Write([]byte(line[20:]))
	k.noteHello(helloDatagram(dtlsClientHello, cr, 0, 0), netip.MustParseAddrPort("[::ffff:127.0.0.1]:5000"), false)
	if _, err := k.secrets(remote); err == nil {
		t.Fatal("secrets without the server hello")
	}
	k.noteHello(helloDatagram(dtlsServerHello, sr, 32, 0xc02b), remote, true)
	s, err := k.secrets(remote)
	if err != nil {
		t.Fatal(err)
	}
	if s.client != cr || s.server != sr || !bytes.Equal(s.master, master) || s.isClient {
		t.Fatalf("secrets %+v", s)
	}
	if _, err := k.secrets(remote); err == nil {
		t.Fatal("a master secret handed out twice")
	}
	// A new handshake from the same address forgets the old server hello.
	k.noteHello(helloDatagram(dtlsClientHello, cr, 0, 0), remote, false)
	k.noteHello(helloDatagram(dtlsServerHello, sr, 0, 0xc02b), remote, true)
	cr[0] = 0xff
	_, _ = fmt.Fprintf(k, "CLIENT_RANDOM %x %x\n", cr, master)
	k.noteHello(helloDatagram(dtlsClientHello, cr, 0, 0), remote, false)
	if _, err := k.secrets(remote); err == nil {
		t.Fatal("secrets mixing two handshakes")
	}
	if _, err := k.secrets(netip.MustParseAddrPort("127.0.0.1:5001")); err == nil {
		t.Fatal("secrets for another address")
	}
}

// exporter is RFC 5705's exporter over fixed secrets, as Pion's DTLS
// connection state computes it.
type exporter struct{ s *dtlsSecrets }

func (e exporter) ExportKeyingMaterial(label string, _ []byte, n int) ([]byte, error) {
	return prf.PHash(e.s.master, append(append([]byte(label), e.s.client[:]...), e.s.server[:]...), n, e.s.hash)
}

// The context made for the remote side decrypts what the remote sends
// under the keys Pion's own SRTP setup gives the remote (srtp.Config's
// ExtractSessionKeysFromDTLS, its local keys), in both DTLS roles and for
// every profile the server negotiates; our own write keys do not open it.
func TestRemoteContextDecryptsTheRemotesRTCP(t *testing.T) {
	var cr, sr [32]byte
	for i := range cr {
		cr[i], sr[i] = byte(3*i), byte(5*i)
	}
	plain, _ := (&rtcp.PictureLossIndication{SenderSSRC: 1, MediaSSRC: 2}).Marshal()
	for _, weClient := range []bool{false, true} {
		for _, profile := range remoteProfiles() {
			ours := &dtlsSecrets{master: bytes.Repeat([]byte{9}, 48), client: cr, server: sr, isClient: weClient, hash: sha256.New}
			remote := srtp.Config{Profile: profile}
			if err := remote.ExtractSessionKeysFromDTLS(exporter{ours}, !weClient); err != nil {
				t.Fatal(err)
			}
			enc, err := srtp.CreateContext(remote.Keys.LocalMasterKey, remote.Keys.LocalMasterSalt, profile)
			if err != nil {
				t.Fatal(err)
			}
			sealed, err := enc.EncryptRTCP(nil, plain, nil)
			if err != nil {
				t.Fatal(err)
			}
			dec, err := ours.remoteContext(profile)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := dec.DecryptRTCP(nil, sealed, nil); err != nil || !bytes.Equal(got, plain) {
				t.Errorf("client=%v %v: decrypted %x, %v", weClient, profile, got, err)
			}
			own, err := srtp.CreateContext(remote.Keys.RemoteMasterKey, remote.Keys.RemoteMasterSalt, profile)
			if err != nil {
				t.Fatal(err)
			}
			if mine, err := own.EncryptRTCP(nil, plain, nil); err != nil {
				t.Fatal(err)
			} else if _, err := dec.DecryptRTCP(nil, mine, nil); err == nil {
				t.Errorf("client=%v %v: the server's own write keys opened the remote's context", weClient, profile)
			}
		}
	}
}

// FuzzHello reads DTLS hellos from arbitrary datagrams: a panic fails.
func FuzzHello(f *testing.F) {
	var r [32]byte
	f.Add(helloDatagram(dtlsServerHello, r, 32, 0xc02b))
	f.Add(helloDatagram(dtlsClientHello, r, 0, 0))
	f.Add([]byte{22, 0xfe, 0xfd, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		typ, _, _, ok := hello(b)
		if ok && typ != dtlsClientHello && typ != dtlsServerHello {
			t.Fatalf("hello type %d accepted", typ)
		}
		k := newKeyStore()
		k.noteHello(b, netip.MustParseAddrPort("127.0.0.1:1"), false)
	})
}

// FuzzKeyLog feeds arbitrary key log text: a panic fails, and the store
// keeps only well-formed CLIENT_RANDOM lines.
func FuzzKeyLog(f *testing.F) {
	f.Add([]byte(fmt.Sprintf("CLIENT_RANDOM %x %x\n", make([]byte, 32), make([]byte, 48))))
	f.Add([]byte("CLIENT_RANDOM zz yy\n\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		k := newKeyStore()
		_, _ = k.Write(b)
		for _, m := range k.masters {
			if len(m.v) != 48 {
				t.Fatalf("kept a master secret of %d bytes", len(m.v))
			}
		}
	})
}
