// Package calltest holds the steps tests take through a running
// switchboard as its users would: sign a user in on /v1/ws, ring a call
// and answer it. Tests only (it signs users in with the server's own keys).
package calltest

import (
	"context"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
)

// Limit bounds each step.
const Limit = 20 * time.Second

// SignIn registers uid (name = uid) on app and opens its /v1/ws at url
// (app.URL() or another address of it) with opts; closed when t ends.
func SignIn(t testing.TB, app *server.App, url, uid string, opts client.DialOptions) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Limit)
	defer cancel()
	if _, err := app.Store().UpsertUser(ctx, store.User{UID: uid, Name: uid}); err != nil {
		t.Fatal(err)
	}
	tok, err := app.Tokens().MintAuth(uid, uid, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.DialWith(ctx, url, tok, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Ring makes a video call from caller to the user calleeUID, answered on
// callee; it returns both call tokens (the caller's from
// outgoingCallAccepted).
func Ring(t testing.TB, caller, callee *client.Client, calleeUID string) (callerTok, calleeTok string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Limit)
	defer cancel()
	accepted := make(chan client.Call, 1)
	caller.AddCallListener("calltest", client.CallListener{OnOutgoingCallAccepted: func(c client.Call) {
		select {
		case accepted <- c:
		default:
		}
	}})
	defer caller.RemoveCallListener("calltest")
	call, err := caller.InitiateCall(ctx, client.CallRequest{ReceiverID: calleeUID, ReceiverType: client.ReceiverUser, CallType: client.CallVideo})
	if err != nil {
		t.Fatal(err)
	}
	ans, err := callee.AcceptCall(ctx, call.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-accepted:
		return c.CallToken, ans.CallToken
	case <-ctx.Done():
		t.Fatal("the call was never accepted")
	}
	return "", ""
}
