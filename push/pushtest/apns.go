package pushtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// APNs is a fake Apple push service.
type APNs struct {
	*recorder
	URL     string
	KeyFile string // the .p8 key to configure
	KeyID   string
	TeamID  string
	TLS     *tls.Config
	pub     *ecdsa.PublicKey
	// Topics the fake accepts (bundle ids and their .voip); empty: any.
	Topics map[string]bool

	// verified caches provider tokens already checked (Apple, too, checks a
	// token once per connection, not per push).
	verified sync.Map
}

// NewAPNs starts a fake APNs with a fresh ES256 key written as a .p8 file.
func NewAPNs(t TB) *APNs {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	a := &APNs{recorder: newRecorder(), KeyID: "ABCDE12345", TeamID: "TEAM123456", pub: &key.PublicKey,
		KeyFile: filepath.Join(t.TempDir(), "AuthKey_ABCDE12345.p8")}
	if err := os.WriteFile(a.KeyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startTLS(t, http.HandlerFunc(a.serve), &a.conns)
	a.URL, a.TLS = srv.URL, ClientTLS(srv)
	return a
}

func (a *APNs) serve(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.URL.Path, "/3/device/")
	body, _ := io.ReadAll(r.Body)
	req := Request{Token: token, Header: r.Header.Clone(), Body: body, Proto: r.Proto}
	switch {
	case !ok || r.Method != http.MethodPost:
		req.AuthErr = "bad path"
		a.record(req)
		answer(w, Response{Status: http.StatusNotFound, Body: `{"reason":"BadPath"}`})
		return
	case r.ProtoMajor != 2:
		req.AuthErr = "not HTTP/2"
		a.record(req)
		answer(w, Response{Status: http.StatusBadRequest, Body: `{"reason":"BadProtocol"}`})
		return
	}
	if err := a.checkAuth(r.Header.Get("authorization")); err != nil {
		req.AuthErr = err.Error()
		a.record(req)
		answer(w, Response{Status: http.StatusForbidden, Body: `{"reason":"InvalidProviderToken"}`})
		return
	}
	if len(a.Topics) > 0 && !a.Topics[r.Header.Get("apns-topic")] {
		a.record(req)
		answer(w, Response{Status: http.StatusBadRequest, Body: `{"reason":"TopicDisallowed"}`})
		return
	}
	a.record(req)
	answer(w, a.next(token))
}

// checkAuth verifies the provider token: ES256 with the test key, kid and
// iss as configured, issued within the last hour.
func (a *APNs) checkAuth(h string) error {
	tok, ok := strings.CutPrefix(h, "bearer ")
	if !ok {
		return fmt.Errorf("no bearer token")
	}
	if at, ok := a.verified.Load(tok); ok && time.Since(at.(time.Time)) < time.Hour {
		return nil
	}
	if err := a.verify(tok); err != nil {
		return err
	}
	var claims jwt.MapClaims
	_, _, _ = jwt.NewParser().ParseUnverified(tok, &claims)
	iat, _ := claims.GetIssuedAt()
	a.verified.Store(tok, iat.Time)
	return nil
}

// verify checks one provider token's signature and claims.
func (a *APNs) verify(tok string) error {
	var claims jwt.MapClaims
	parsed, err := jwt.ParseWithClaims(tok, &claims, func(t *jwt.Token) (any, error) {
		if t.Header["kid"] != a.KeyID {
			return nil, fmt.Errorf("kid %v", t.Header["kid"])
		}
		return a.pub, nil
	}, jwt.WithValidMethods([]string{"ES256"}))
	if err != nil || !parsed.Valid {
		return fmt.Errorf("signature: %v", err)
	}
	if claims["iss"] != a.TeamID {
		return fmt.Errorf("iss %v", claims["iss"])
	}
	iat, _ := claims.GetIssuedAt()
	if iat == nil || time.Since(iat.Time) > time.Hour {
		return fmt.Errorf("iat %v too old", iat)
	}
	return nil
}
