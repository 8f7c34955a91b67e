package sfu

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

// TestExpiringCertificateIsRenewed: Pion's DTLS certificates last a month
// and Pion refuses to make a PeerConnection with an expired one, so a
// server up for a month took no more calls. A certificate that expires
// within certRenewBefore is replaced for the next PeerConnections.
func TestExpiringCertificateIsRenewed(t *testing.T) {
	srv, _ := loopbackServer(t)
	for _, notAfter := range []time.Duration{-time.Hour, time.Hour} { // expired; about to
		srv.eng.cert = certificateUntil(t, time.Now().Add(notAfter))
		pc, err := srv.eng.newSubscriberPC()
		if err != nil {
			t.Fatalf("certificate expiring in %v: new PeerConnection: %v", notAfter, err)
		}
		_ = pc.Close()
		if left := time.Until(srv.eng.cert.Expires()); left < certRenewBefore {
			t.Fatalf("certificate expiring in %v: the one used now expires in %v", notAfter, left)
		}
	}
	kept := srv.eng.cert
	if _, err := srv.eng.certificate(); err != nil || !srv.eng.cert.Equals(kept) {
		t.Fatalf("a certificate far from its expiry was replaced (err %v)", err)
	}
}

func certificateUntil(t *testing.T, notAfter time.Time) webrtc.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c, err := webrtc.NewCertificate(key, x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		NotBefore: notAfter.Add(-30 * 24 * time.Hour), NotAfter: notAfter,
	})
	if err != nil {
		t.Fatal(err)
	}
	return *c
}
