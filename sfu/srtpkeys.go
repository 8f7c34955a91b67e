package sfu

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"net/netip"
	"sync"
	"time"

	"github.com/pion/dtls/v3"
	"github.com/pion/dtls/v3/pkg/crypto/prf"
	"github.com/pion/srtp/v3"
)

// Pion v4.2.20 keeps a connection's DTLS state private, so the SRTP keys of
// a subscriber connection (for reading its RTCP at the socket, rtcptap.go)
// are put together from two public sources:
//   - the DTLS key log Pion writes when asked (SettingEngine's
//     SetDTLSKeyLogWriter): "CLIENT_RANDOM <client random> <master secret>";
//   - the two hellos, which DTLS 1.2 sends in the clear through the
//     server's media sockets: the client and server randoms, the chosen
//     cipher suite (its hash is the exporter's), and which side was the
//     client.
// RFC 5764 4.2: the SRTP master keys and salts are the TLS exporter's
// output for "EXTRACTOR-dtls_srtp".

// dtlsSecrets is what one connection's handshake agreed.
type dtlsSecrets struct {
	master         []byte
	client, server [32]byte
	isClient       bool // the server's side was the DTLS client
	hash           func() hash.Hash
}

// remoteContext makes the SRTP context that decrypts what the remote side
// sends under profile.
func (s *dtlsSecrets) remoteContext(profile srtp.ProtectionProfile) (*srtp.Context, error) {
	return s.context(profile, true)
}

// context makes the SRTP context of the remote side's key (remote) or the
// server's own under profile: the exporter's material is client key,
// server key, client salt, server salt.
func (s *dtlsSecrets) context(profile srtp.ProtectionProfile, remote bool) (*srtp.Context, error) {
	keyLen, err := profile.KeyLen()
	if err != nil {
		return nil, err
	}
	saltLen, err := profile.SaltLen()
	if err != nil {
		return nil, err
	}
	seed := append(append([]byte("EXTRACTOR-dtls_srtp"), s.client[:]...), s.server[:]...)
	m, err := prf.PHash(s.master, seed, 2*(keyLen+saltLen), s.hash)
	if err != nil {
		return nil, err
	}
	clientKey, serverKey := m[:keyLen], m[keyLen:2*keyLen]
	clientSalt, serverSalt := m[2*keyLen:2*keyLen+saltLen], m[2*keyLen+saltLen:]
	if s.isClient == remote { // the key is the DTLS server's
		return srtp.CreateContext(serverKey, serverSalt, profile)
	}
	return srtp.CreateContext(clientKey, clientSalt, profile)
}

// remoteProfiles are the SRTP profiles the server negotiates
// (srtpProfiles): a remote's packets are protected with one of them, which
// Pion does not say (its transport stats leave the cipher empty).
func remoteProfiles() []srtp.ProtectionProfile {
	var out []srtp.ProtectionProfile
	for _, p := range srtpProfiles() {
		switch p {
		case dtls.SRTP_AEAD_AES_128_GCM:
			out = append(out, srtp.ProtectionProfileAeadAes128Gcm)
		case dtls.SRTP_AEAD_AES_256_GCM:
			out = append(out, srtp.ProtectionProfileAeadAes256Gcm)
		case dtls.SRTP_AES128_CM_HMAC_SHA1_80:
			out = append(out, srtp.ProtectionProfileAes128CmHmacSha1_80)
		}
	}
	return out
}

// keyStore collects master secrets from the key log and hellos from the
// sockets until a connection's tap asks for them. Entries older than
// keyStoreTTL are dropped (a handshake that never connected).
//
// Concurrency: mu guards everything; the key log is written by handshake
// goroutines, hellos noted by socket readers and writers.
type keyStore struct {
	mu      sync.Mutex
	masters map[[32]byte]stamped[[]byte]
	hellos  map[netip.AddrPort]stamped[hellos]
	line    []byte    // a key log line written in pieces
	pruned  time.Time // when expired entries were last dropped
}

type stamped[T any] struct {
	v  T
	at time.Time
}

// hellos is what the two hellos of one handshake with a remote said.
type hellos struct {
	client, server [32]byte
	gotClient      bool
	gotServer      bool
	weClient       bool // the ClientHello was the server's
	suite          uint16
}

const (
	keyStoreTTL = time.Minute
	keyStoreMax = 4096 // entries of each kind at most
)

func newKeyStore() *keyStore {
	return &keyStore{masters: map[[32]byte]stamped[[]byte]{}, hellos: map[netip.AddrPort]stamped[hellos]{}}
}

// Write takes the DTLS key log (io.Writer for SetDTLSKeyLogWriter).
func (k *keyStore) Write(p []byte) (int, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.line = append(k.line, p...)
	for {
		i := bytes.IndexByte(k.line, '\n')
		if i < 0 {
			break
		}
		k.keyLine(k.line[:i])
		k.line = k.line[i+1:]
	}
	if len(k.line) > 1024 {
		k.line = k.line[:0]
	}
	return len(p), nil
}

// keyLine keeps "CLIENT_RANDOM <64 hex> <96 hex>"; anything else is ignored.
func (k *keyStore) keyLine(l []byte) {
	f := bytes.Fields(l)
	if len(f) != 3 || string(f[0]) != "CLIENT_RANDOM" || len(f[1]) != 64 || len(f[2]) != 96 {
		return
	}
	var cr [32]byte
	master := make([]byte, 48)
	if _, err := hex.Decode(cr[:], f[1]); err != nil {
		return
	}
	if _, err := hex.Decode(master, f[2]); err != nil {
		return
	}
	now := time.Now()
	k.prune(now)
	k.masters[cr] = stamped[[]byte]{master, now}
}

// DTLS record and handshake layout (RFC 6347 4.1, 4.2.2).
const (
	dtlsRecordHeader    = 13
	dtlsHandshakeHeader = 12
	dtlsContentHS       = 22
	dtlsClientHello     = 1
	dtlsServerHello     = 2
)

// hello returns the random, the cipher suite (ServerHello only) and the
// type of a datagram that starts with an unencrypted, unfragmented hello.
func hello(b []byte) (typ byte, random [32]byte, suite uint16, ok bool) {
	const body = dtlsRecordHeader + dtlsHandshakeHeader
	if len(b) < body+2+32+1 || b[0] != dtlsContentHS || b[3] != 0 || b[4] != 0 { // epoch 0: clear
		return 0, random, 0, false
	}
	typ = b[dtlsRecordHeader]
	if (typ != dtlsClientHello && typ != dtlsServerHello) ||
		b[dtlsRecordHeader+6] != 0 || b[dtlsRecordHeader+7] != 0 || b[dtlsRecordHeader+8] != 0 { // fragment offset 0
		return 0, random, 0, false
	}
	copy(random[:], b[body+2:])
	if typ == dtlsServerHello {
		sid := body + 2 + 32
		at := sid + 1 + int(b[sid])
		if len(b) < at+2 {
			return 0, random, 0, false
		}
		suite = binary.BigEndian.Uint16(b[at:])
	}
	return typ, random, suite, true
}

// noteHello records a hello seen on a socket; out is true for one the
// server sent to remote.
func (k *keyStore) noteHello(b []byte, remote netip.AddrPort, out bool) {
	typ, random, suite, ok := hello(b)
	if !ok {
		return
	}
	remote = unmapped(remote)
	k.mu.Lock()
	defer k.mu.Unlock()
	now := time.Now()
	k.prune(now)
	h := k.hellos[remote].v
	if typ == dtlsClientHello {
		if !h.gotClient || h.client != random { // a new handshake: forget the old one's server hello
			h = hellos{}
		}
		h.client, h.gotClient, h.weClient = random, true, out
	} else {
		h.server, h.suite, h.gotServer = random, suite, true
	}
	k.hellos[remote] = stamped[hellos]{h, now}
}

var errNoSecrets = errors.New("sfu: the DTLS handshake with this address was not seen whole")

// secrets returns what the handshake with remote agreed, once its hellos
// and its key log line have been seen, and forgets them.
func (k *keyStore) secrets(remote netip.AddrPort) (*dtlsSecrets, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	h, ok := k.hellos[unmapped(remote)]
	if !ok || !h.v.gotClient || !h.v.gotServer {
		return nil, errNoSecrets
	}
	m, ok := k.masters[h.v.client]
	if !ok {
		return nil, errNoSecrets
	}
	// Taken once: a master secret is kept no longer than needed.
	delete(k.masters, h.v.client)
	delete(k.hellos, unmapped(remote))
	s := &dtlsSecrets{master: m.v, client: h.v.client, server: h.v.server, isClient: h.v.weClient, hash: sha256.New}
	switch dtls.CipherSuiteID(h.v.suite) {
	case dtls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, dtls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:
		s.hash = sha512.New384
	}
	return s, nil
}

func unmapped(a netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

// prune drops entries older than keyStoreTTL (at most once a second, or
// at once when a map is full: then also recent ones, to make room). A
// master secret whose connection never came up is kept no longer.
func (k *keyStore) prune(now time.Time) {
	if now.Sub(k.pruned) < time.Second && len(k.masters) < keyStoreMax && len(k.hellos) < keyStoreMax {
		return
	}
	k.pruned = now
	pruneOld(k.masters, now)
	pruneOld(k.hellos, now)
}

func pruneOld[K comparable, V any](m map[K]stamped[V], now time.Time) {
	for key, e := range m {
		if now.Sub(e.at) > keyStoreTTL {
			delete(m, key)
		}
	}
	for key := range m {
		if len(m) < keyStoreMax {
			break
		}
		delete(m, key)
	}
}
