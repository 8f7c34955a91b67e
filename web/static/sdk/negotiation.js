// @ts-check
// The negotiation of a call session's two RTCPeerConnections, as docs/protocol.md describes: the
// publisher (this browser offers, the server answers in the publishOffer reply) and the
// subscriber (the server offers with the subscriberOffer event, this browser answers with
// subscriberAnswer). ICE candidates trickle both ways; the ones that arrive before a connection's
// remote description are held, then added. All work on one connection is chained, so offers and
// answers never overlap. The state stays on the session.

import { sendInit, adoptable, closeWarm } from "./warm.js";
import { recover, iceBack } from "./recovery.js";
import { onTrack } from "./roster.js";

/** @typedef {import("./session.js").CallSession} CallSession */

/**
 * The session's two connections: the ones made while the call rang (Switchboard.prepareMedia)
 * when they send exactly this session's tracks, their offer then ready to go; else new ones.
 * @param {CallSession} s
 * @param {RTCConfiguration} cfg
 */
export function makePeers(s, cfg) {
  const warm = s.warm;
  s.warm = null;
  if (!warm || !adoptable(warm, s.localStream, s.settings.simulcast !== false)) {
    closeWarm(warm);
    s.note("peers:new");
    s.publisher = watchPeer(s, "publisher", new RTCPeerConnection(cfg));
    s.subscriber = watchPeer(s, "subscriber", new RTCPeerConnection(cfg));
    return;
  }
  s.publisher = watchPeer(s, "publisher", warm.publisher);
  s.subscriber = watchPeer(s, "subscriber", warm.subscriber);
  if ((cfg.iceServers || []).length || cfg.iceTransportPolicy === "relay") {
    // gathered without joined's ICE servers (STUN, TURN): the first offer gathers again with them
    warm.publisher.setConfiguration(cfg);
    warm.subscriber.setConfiguration(cfg);
    s.restartOffer = true;
    s.note("peers:warm-restart");
    return;
  }
  s.note("peers:warm");
  s.warmOffer = warm.offer;
  // candidates that come before the publishOffer are held by the server (docs/protocol.md)
  for (const c of warm.candidates) sendCandidate(s, "publisher", c);
}

/**
 * @param {CallSession} s
 * @param {"publisher"|"subscriber"} target
 * @param {RTCIceCandidateInit|null} candidate null: gathering is complete (the end of candidates)
 */
export function sendCandidate(s, target, candidate) {
  if (candidate) s.gathered[target] = (s.gathered[target] || 0) + 1;
  else if (!s.gathered[target]) noAddress(s);
  if (!s.ended) s.conn?.request("trickle", { target, candidate }).catch(() => {});
}

/** how long a connection may gather without a single candidate before the listener hears of it */
const noAddressAfterMs = 5000;

/**
 * Watches a connection's first gathering: none found noAddressAfterMs after it began means no
 * address to connect from. Chromium without one neither ends its gathering nor fails its ICE, so
 * neither of the other two signs (sendCandidate, watchPeer) ever comes.
 * @param {CallSession} s
 * @param {"publisher"|"subscriber"} target
 * @param {RTCPeerConnection} pc
 */
function expectCandidates(s, target, pc) {
  const check = () => {
    if (!s.gathered[target] && pc.iceGatheringState !== "new" && pc.signalingState !== "closed") noAddress(s);
  };
  if (pc.iceGatheringState !== "new") setTimeout(check, noAddressAfterMs); // the warm publisher began while it rang
  pc.onicegatheringstatechange = () => {
    if (pc.iceGatheringState === "gathering" && !s.gathered[target]) setTimeout(check, noAddressAfterMs);
  };
}

/**
 * Tells the listener, once, that a connection gathered no candidate at all: an offline device, a
 * browser without a default route, or (relay only) a TURN server out of reach. A new socket and
 * an ICE restart cannot help before the network changes ("online" recovers then), and a new
 * socket now would abort the join: the session waits, and says so plainly.
 * @param {CallSession} s
 */
function noAddress(s) {
  if (s.ended || s.warnedNoAddress) return;
  s.warnedNoAddress = true;
  const message = s.settings.iceTransportPolicy === "relay"
    ? "This browser got no relay address: is the TURN server reachable from here?"
    : "This browser found no network address to connect from: is the device offline?";
  s.listener.onError?.({ code: "ice_failed", message });
}

/**
 * Wires a connection's events to the session.
 * @param {CallSession} s
 * @param {"publisher"|"subscriber"} target
 * @param {RTCPeerConnection} pc
 */
export function watchPeer(s, target, pc) {
  if (target === "subscriber") pc.ontrack = (ev) => onTrack(s, ev);
  expectCandidates(s, target, pc);
  pc.onicecandidate = (ev) => {
    if (ev.candidate && !ev.candidate.candidate) return; // one end per connection: the null below
    sendCandidate(s, target, ev.candidate ? ev.candidate.toJSON() : null);
  };
  pc.oniceconnectionstatechange = () => {
    const ice = pc.iceConnectionState;
    s.note(target + ":ice:" + ice);
    if (ice === "failed" && !s.gathered[target] && !s.ended) {
      noAddress(s); // Firefox comes here, its end of candidates perhaps not yet sent
      return;
    }
    if (ice === "disconnected" || ice === "failed") recover(s, false);
    else if (ice === "connected" || ice === "completed") {
      s.mark(target + "Ice");
      iceBack(s);
    }
  };
  pc.onconnectionstatechange = () => {
    if (pc.connectionState === "connected") s.mark(target + "Connected");
    if (pc.connectionState === "failed" && !s.ended && s.gathered[target]) {
      s.listener.onError?.({ code: "ice_failed", message: "The media connection failed (" + target + ")." });
    }
  };
  return pc;
}

/**
 * Offers the local tracks on the publisher and applies the server's answer.
 * @param {CallSession} s
 * @param {CallSession} s
 */
export function publish(s) {
  return chain(s, "publisher", async () => {
    const pc = s.publisher;
    if (!pc || s.ended) return;
    for (const track of s.localStream.getTracks()) {
      if (pc.getSenders().some((s) => s.track === track)) continue;
      pc.addTransceiver(track, sendInit(track, s.localStream, s.settings.simulcast !== false));
    }
    if (pc.getTransceivers().length === 0) return; // listen-only
    // (the screen share's transceiver is added by startScreenShare, not from localStream)
    let sdp = s.warmOffer;
    s.warmOffer = "";
    if (!sdp || pc.getTransceivers().some((t) => t.mid === null)) {
      // (a transceiver added since the warm offer has no mid yet: offer again)
      const offer = await pc.createOffer(s.restartOffer ? { iceRestart: true } : undefined);
      s.restartOffer = false;
      await pc.setLocalDescription(offer);
      sdp = offer.sdp || "";
    }
    s.mark("offerSent");
    const res = await s.conn?.request("publishOffer", offerParams(s, sdp));
    s.mark("answerReceived");
    if (s.ended) return;
    await pc.setRemoteDescription({ type: "answer", sdp: res.sdp });
    s.mark("published");
    await flushHeld(s, "publisher");
  });
}

/**
 * publishOffer's params: the offer, and which m-line is the screen share.
 * @param {CallSession} s
 * @param {string | undefined} sdp
 */
export function offerParams(s, sdp) {
  const t = s.screenSender && s.publisher?.getTransceivers().find((x) => x.sender === s.screenSender);
  return t && t.mid ? { sdp, sources: { [t.mid]: "screen" } } : { sdp };
}

/**
 * @param {CallSession} s
 * @param {any} d {sdp}
 * @param {CallSession} s
 */
export function onSubscriberOffer(s, d) {
  chain(s, "subscriber", async () => {
    const pc = s.subscriber;
    if (!pc || s.ended) return;
    // Sent again (media.answer_timeout) while our answer to it was on its way: the server has it.
    if (d.sdp === s.answeredOffer) {
      s.note("sub:resendSkipped");
      return;
    }
    s.mark("subscriberOffer");
    await pc.setRemoteDescription({ type: "offer", sdp: d.sdp });
    s.note("sub:remoteSet");
    await flushHeld(s, "subscriber");
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    s.note("sub:answerSent");
    await s.conn?.request("subscriberAnswer", { sdp: answer.sdp });
    s.answeredOffer = d.sdp;
    s.note("sub:answerAcked");
  }).catch((err) => s.listener.onError?.({ code: "negotiation", message: String(err && err.message) }));
}

/**
 * @param {CallSession} s
 * @param {any} d {target, candidate}
 * @param {CallSession} s
 */
export function onRemoteCandidate(s, d) {
  const target = d.target === "publisher" ? "publisher" : "subscriber";
  const pc = target === "publisher" ? s.publisher : s.subscriber;
  if (!d.candidate) return;
  if (!pc || !pc.remoteDescription || s.restarting.has(target)) {
    s.held.get(target)?.push(d.candidate);
    return;
  }
  pc.addIceCandidate(d.candidate).catch(() => {});
}

/**
 * @param {CallSession} s
 * @param {"publisher"|"subscriber"} target
 * @param {CallSession} s
 */
export async function flushHeld(s, target) {
  const pc = target === "publisher" ? s.publisher : s.subscriber;
  const list = s.held.get(target) || [];
  s.held.set(target, []);
  for (const c of list) await pc?.addIceCandidate(c).catch(() => {});
}

/**
 * Runs fn after the previous work on the same connection.
 * @param {CallSession} s
 * @param {string} name
 * @param {() => Promise<void>} fn
 */
export function chain(s, name, fn) {
  const prev = s.chains.get(name) || Promise.resolve();
  const next = prev.catch(() => {}).then(fn);
  s.chains.set(name, next);
  return next;
}
