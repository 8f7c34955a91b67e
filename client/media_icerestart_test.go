package client

import (
	"context"
	"testing"

	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// A renegotiating publishOffer with new ICE credentials (an ICE restart)
// is refused with invalid_state: in pion/ice it races with UDP-mux
// gathering (run with -race). The session carries on.
func TestICERestartOfferIsRefused(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "restart", MediaOptions{Audio: true})
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	err := alice.run(ctx, func(ctx context.Context) error {
		offer, err := alice.pub.CreateOffer(&webrtc.OfferOptions{ICERestart: true})
		if err != nil {
			return err
		}
		return alice.rpc.call(ctx, protocol.MethodPublishOffer, protocol.SDP{SDP: offer.SDP}, &protocol.SDP{})
	})
	wantCode(t, "ICE restart offer", err, protocol.CodeInvalidState)
	if err := alice.Mute(ctx, "audio", true); err != nil {
		t.Fatalf("alice's session broke: %v", err)
	}
}
