// Package sfu is switchboard's selective forwarding unit: the /v1/rtc media
// session behind a call token. Each call session is a room; each participant
// has a publisher PeerConnection (the client offers) and a subscriber
// PeerConnection (the server offers whenever what it should receive
// changes), and every published track is forwarded to every other
// participant through a per-subscriber down-track.
//
// Concurrency:
//   - One goroutine per room (room.run) owns the room's state and every
//     participant's signaling state. Everything else reaches it by pushing
//     a closure into the room's mailbox, which never blocks.
//   - Pion callbacks (OnICECandidate, OnICEConnectionStateChange) only push
//     into the mailbox. OnTrack runs the layer's Pion read loop.
//   - Socket taps (rtcptap.go, rtptap.go): the media sockets' readers
//     decrypt a subscriber's RTCP and a publisher's RTP themselves, with the
//     connection's own SRTP keys, and act on them there; what they cannot
//     take goes to Pion. Once a subscriber's RTCP has been read there, its
//     writer encrypts its RTP itself and queues it on that socket
//     (srtpout.go), until the selected pair changes. A layer's packets are
//     thus read in by two goroutines, its Pion reader and a socket's
//     reader, one at a time under the layer's mutex; the room goroutine
//     points the taps.
//   - A socket's reader goroutine hands each request to the room, waiting
//     only for one of that socket's own request slots. Events and replies go
//     through protocol.Conn, whose Send never blocks.
//   - Forwarding: a layer's packet is read into a pooled packet, cached
//     (video, for NACKs), and a reference is pushed into each subscriber's
//     bounded send queue; a full queue drops the packet and asks the
//     publisher for a keyframe. A fixed pool of writers (one goroutine per
//     CPU, each owning a share of the subscribers' queues) rewrites SSRC,
//     payload type, sequence number and timestamp per down-track and
//     writes. Writes do not block for long (UDP to the shared mux socket,
//     ICE-TCP into a bounded buffer that drops), so one writer serving many
//     subscribers is safe. The fan-out list is copy-on-write behind an
//     atomic pointer. A down-track writes its own RTCP sender reports from
//     the writer goroutine (no interceptor on the subscriber PC). The
//     writer also owns the subscriber's bandwidth estimator and its send
//     history: transport-cc feedback, wherever it is read, is queued on the
//     subscriber's send queue and folded in by the writer (bwe.go).
//     Packets are stamped for it only while the subscriber receives a
//     video in more than one layer (the room sets bwe.wanted in allocate).
//   - UDP sends: each writer pass over its queues is one batch on the ICE
//     mux sockets (batchConn): where the kernel offers UDP GSO, datagrams
//     written during a pass, by any goroutine, are sent at the end of the
//     pass with sendmmsg, a run of datagrams to one address as one GSO
//     buffer; outside a pass writes go straight out. Nothing waits past
//     the end of the pass that was open when it was written.
//   - A down-track's RTCP goroutine forwards PLI/FIR to the publisher
//     (rate-limited per up-track) and queues NACKed packets from the cache.
//   - Server.mu guards the room map; the room goroutine removes its room and
//     closes its mailbox under it, and a room whose last participant left
//     leaves the map at that moment, so a new join never lands in a dying
//     room (a join into a room ended by EndCall is refused: the call is over).
//   - A participant that goes has its PeerConnections closed on a goroutine
//     of their own (Pion's Close waits for the DTLS and SCTP shutdowns);
//     Server.Close waits for them. A leave tells the ringing side before
//     its reply and before anything is closed.
//
// The ringing side is told through Hooks (MediaLeft, MediaEndCall) and tells
// the SFU through RemoveParticipant and EndCall; all four only queue work.
package sfu
