package pushtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/golang-jwt/jwt/v5"
)

// FCM is a fake Firebase Cloud Messaging HTTP v1 service and its OAuth 2
// token endpoint (at /token of the same server).
type FCM struct {
	*recorder
	URL             string
	TokenURL        string
	CredentialsFile string // the service-account JSON to configure
	Project         string
	TLS             *tls.Config
	email           string
	pub             *rsa.PublicKey

	// mu guards issued and exchanges.
	mu        sync.Mutex
	issued    map[string]bool
	exchanges int
	// TokenScript, if set, answers the next token exchanges (then 200).
	tokenScript []Response
}

// NewFCM starts a fake FCM with a fresh RSA service-account key.
func NewFCM(t TB) *FCM {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &FCM{recorder: newRecorder(), Project: "sb-test", email: "push@sb-test.iam.gserviceaccount.com",
		pub: &key.PublicKey, issued: map[string]bool{}}
	srv := startTLS(t, http.HandlerFunc(f.serve), &f.conns)
	f.URL, f.TLS, f.TokenURL = srv.URL, ClientTLS(srv), srv.URL+"/token"
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	sa, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": f.Project, "private_key_id": "kid-1",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": f.email, "token_uri": f.TokenURL,
	})
	f.CredentialsFile = filepath.Join(t.TempDir(), "service-account.json")
	if err := os.WriteFile(f.CredentialsFile, sa, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// Exchanges is how many access tokens were issued.
func (f *FCM) Exchanges() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.exchanges
}

// RevokeAll forgets every issued access token (FCM then answers 401).
func (f *FCM) RevokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.issued)
}

func (f *FCM) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token" {
		f.serveToken(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	req := Request{Header: r.Header.Clone(), Body: body, Proto: r.Proto}
	var msg struct {
		Message struct {
			Token string `json:"token"`
		} `json:"message"`
	}
	_ = json.Unmarshal(body, &msg)
	req.Token = msg.Message.Token
	if r.URL.Path != "/v1/projects/"+f.Project+"/messages:send" || r.Method != http.MethodPost {
		req.AuthErr = "bad path " + r.URL.Path
		f.record(req)
		answer(w, Response{Status: http.StatusNotFound, Body: `{"error":{"status":"NOT_FOUND"}}`})
		return
	}
	at, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	ok := f.issued[at]
	f.mu.Unlock()
	if !ok {
		req.AuthErr = "unknown access token"
		f.record(req)
		answer(w, Response{Status: http.StatusUnauthorized, Body: `{"error":{"status":"UNAUTHENTICATED"}}`})
		return
	}
	f.record(req)
	answer(w, f.next(req.Token))
}

// ScriptToken queues answers of the token endpoint.
func (f *FCM) ScriptToken(rs ...Response) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenScript = append(f.tokenScript, rs...)
}

// serveToken checks the JWT bearer grant (RS256 with the service account's
// key, iss, aud, scope) and issues an access token.
func (f *FCM) serveToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		answer(w, Response{Status: http.StatusBadRequest, Body: `{"error":"unsupported_grant_type"}`})
		return
	}
	var claims jwt.MapClaims
	tok, err := jwt.ParseWithClaims(r.PostForm.Get("assertion"), &claims, func(t *jwt.Token) (any, error) {
		return f.pub, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithAudience(f.TokenURL), jwt.WithIssuer(f.email), jwt.WithExpirationRequired())
	if err != nil || !tok.Valid || claims["scope"] != "https://www.googleapis.com/auth/firebase.messaging" || tok.Header["kid"] != "kid-1" {
		answer(w, Response{Status: http.StatusBadRequest, Body: `{"error":"invalid_grant"}`})
		return
	}
	f.mu.Lock()
	if len(f.tokenScript) > 0 {
		resp := f.tokenScript[0]
		f.tokenScript = f.tokenScript[1:]
		f.mu.Unlock()
		answer(w, resp)
		return
	}
	f.exchanges++
	at := fmt.Sprintf("access-%d", f.exchanges)
	f.issued[at] = true
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, at)
}
