package client_test

import (
	"context"
	"errors"
	"log"
	"os"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"

	"github.com/switchboard-rtc/switchboard/client"
)

// An answering bot: it signs in, answers every call that rings it and
// sends back what the caller sends (an echo), until the caller hangs up.
// Its auth token comes from your backend (docs/api.md, "Tokens") or, on a
// development server, from `switchboard token create --user echo --name
// Echo`.
func Example_echoBot() {
	ctx := context.Background()
	base := "http://127.0.0.1:8080"
	bot, err := client.Dial(ctx, base, os.Getenv("ECHO_TOKEN"))
	if err != nil {
		log.Fatal(err)
	}
	defer bot.Close()
	bot.AddCallListener("echo", client.CallListener{
		// Listeners run on the Client's own goroutine: answering here is fine.
		OnIncomingCallReceived: func(call client.Call) {
			accepted, err := bot.AcceptCall(ctx, call.SessionID)
			if err != nil {
				log.Print(err) // e.g. answered on another device meanwhile
				return
			}
			go echo(base, accepted.CallToken)
		},
	})
	<-bot.Done()
}

// echo joins a call's media and writes every received packet back on the
// local track of its kind; it returns when the call ends.
func echo(base, callToken string) {
	var sess atomic.Pointer[client.Session] // OnPacket may run before JoinSession returns
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := client.JoinSession(ctx, base, callToken, client.MediaOptions{
		Audio: true, Video: "vp8",
		OnPacket: func(t *client.RemoteTrack, p *rtp.Packet, _ time.Time) {
			s := sess.Load()
			if s == nil || t.Source == "screen" {
				return
			}
			for _, lt := range s.LocalTracks() {
				if lt.Kind == t.Kind {
					_ = lt.WriteRTP(p) // sequence numbers and timestamps kept: the caller's own
				}
			}
		},
		// Someone needs a keyframe of what the bot sends: ask the caller for one.
		OnKeyframeRequest: func(lt *client.LocalTrack) {
			s := sess.Load()
			if s == nil || lt.Kind != "video" {
				return
			}
			for _, rt := range s.RemoteTracks() {
				if rt.Kind == "video" && rt.Source != "screen" {
					_ = s.RequestKeyframe(rt) // a PLI to the caller: quick, it only queues the packet
				}
			}
		},
		OnEvent: func(ev client.MediaEvent) {
			log.Printf("%s %s %s", ev.Type, ev.UID, ev.Reason) // userJoined, trackPublished, reconnecting...
		},
	})
	if err != nil {
		log.Print(err)
		return
	}
	sess.Store(s)
	<-s.Done() // the caller hung up (a 1:1 call ends for both) or the session was lost
	if ended, ok := s.Ended(); ok {
		log.Printf("call ended: %s", ended.Reason)
	} else if err := s.Err(); !errors.Is(err, client.ErrClosed) {
		log.Printf("media session lost: %v", err)
	}
}
