// @ts-check
// Peer connections made ahead, while a call rings (Switchboard.prepareMedia).
//
// Everything a browser does before its first publishOffer that needs no
// server: the two RTCPeerConnections, the publisher's transceivers for the
// captured tracks, its offer (applied locally, so ICE gathers its candidates
// during the ringing). When the call is answered the session adopts them and
// sends that offer with `joined` instead of building it then
// (docs/protocol.md, "Joining fast").

/** Camera simulcast layers of a 720p (or larger) camera, lowest first (rids as docs/protocol.md names them). */
export const SIMULCAST_LAYERS = [
  { rid: "q", scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: "h", scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: "f", scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

/**
 * The simulcast layers for a camera of this size, lowest first. A browser encodes as many
 * layers as the picture's size allows (Chromium: three from 960x540 up, two from 480x270,
 * one below) and drops the top ones past that: three layers of a 640x480 camera came out as
 * 160x120 and 320x240, and nobody received the camera's own size. So a camera under 720
 * lines gets two (half size and full), one under 270 lines none.
 * @param {MediaStreamTrack} track
 * @returns {RTCRtpEncodingParameters[]} empty: send one encoding
 */
export function simulcastLayers(track) {
  const height = Math.min(track.getSettings?.().height || 480, track.getSettings?.().width || 640);
  if (height >= 720) return SIMULCAST_LAYERS;
  if (height >= 270) {
    return [
      { rid: "q", scaleResolutionDownBy: 2, maxBitrate: 200_000 },
      { rid: "h", scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
    ];
  }
  return [];
}

/**
 * How a local track is offered on the publisher connection.
 * @param {MediaStreamTrack} track
 * @param {MediaStream} stream
 * @param {boolean} simulcast
 * @returns {RTCRtpTransceiverInit}
 */
export function sendInit(track, stream, simulcast) {
  /** @type {RTCRtpTransceiverInit} */
  const init = { direction: "sendonly", streams: [stream] };
  // Camera video goes out as simulcast layers unless settings.simulcast is false (docs/protocol.md,
  // Simulcast); the server forwards each subscriber the one its downlink and window fit.
  const layers = track.kind === "video" && simulcast ? simulcastLayers(track) : [];
  if (layers.length) init.sendEncodings = layers;
  return init;
}

/**
 * @typedef {object} WarmPeers
 * @property {RTCPeerConnection} publisher   transceivers added, offer applied, not yet sent
 * @property {RTCPeerConnection} subscriber
 * @property {string} offer                  the publisher's offer
 * @property {Array<RTCIceCandidateInit|null>} candidates the publisher's candidates so far (null: the end)
 * @property {MediaStream} stream            the tracks the offer sends
 * @property {boolean} simulcast
 */

/**
 * Makes the peer connections of a call ahead of its token. No ICE servers (joined gives them):
 * a session whose joined names some restarts the publisher's ICE with them (see adoptable).
 * @param {MediaStream} stream
 * @param {boolean} simulcast
 * @returns {Promise<WarmPeers|null>} null when there is nothing to send
 */
export async function warmPeers(stream, simulcast) {
  if (!stream.getTracks().length) return null;
  /** @type {RTCConfiguration} */
  const cfg = { iceServers: [], bundlePolicy: "max-bundle" };
  /** @type {WarmPeers} */
  const warm = { publisher: new RTCPeerConnection(cfg), subscriber: new RTCPeerConnection(cfg), offer: "", candidates: [], stream, simulcast };
  warm.publisher.onicecandidate = (ev) => {
    if (ev.candidate && !ev.candidate.candidate) return; // one end per connection: the null
    warm.candidates.push(ev.candidate ? ev.candidate.toJSON() : null);
  };
  try {
    for (const track of stream.getTracks()) warm.publisher.addTransceiver(track, sendInit(track, stream, simulcast));
    const offer = await warm.publisher.createOffer();
    await warm.publisher.setLocalDescription(offer);
    warm.offer = offer.sdp || "";
  } catch (err) {
    closeWarm(warm);
    throw err;
  }
  return warm;
}

/** @param {WarmPeers|null|undefined} warm */
export function closeWarm(warm) {
  warm?.publisher.close();
  warm?.subscriber.close();
}

/**
 * Whether a session can adopt the warm peers: they send exactly its local tracks, with its
 * simulcast choice, and have not been closed.
 * @param {WarmPeers} warm
 * @param {MediaStream} local
 * @param {boolean} simulcast
 */
export function adoptable(warm, local, simulcast) {
  if (warm.simulcast !== simulcast || warm.publisher.signalingState !== "have-local-offer") return false;
  const sent = warm.publisher.getSenders().map((s) => s.track);
  const tracks = local.getTracks();
  return sent.length === tracks.length && tracks.every((t) => t.readyState === "live" && sent.includes(t));
}
