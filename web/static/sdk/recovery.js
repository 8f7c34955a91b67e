// @ts-check
// Recovery of a call session after a network change or a stalled path: a new /v1/rtc socket that
// resumes the session (resume=1), then an ICE restart on both connections, without leaving the
// call (docs/protocol.md, "Network changes and interruptions"). The state stays on the session.

import { chain, flushHeld } from "./negotiation.js";

/** @typedef {import("./session.js").CallSession} CallSession */

/**
 * The network changed or a connection's ICE went disconnected/failed: open a new socket with
 * resume=1 (the old one may be dead); ICE restarts when the server confirms (onResumed).
 * @param {CallSession} s
 * @param {boolean} networkChanged the browser said so ("online"): always start over (at most
 *   once a second). A connection's ICE going down during a recovery younger than 10 s is the
 *   old path dying: the restart under way will replace it, and a new socket would abort it.
 */
export function recover(s, networkChanged) {
  if (s.ended || !s.publisher) return;
  const since = Date.now() - s.lastRecover;
  if (networkChanged && since < 1000) {
    // the network changed just after a recovery began (e.g. ICE went down, then the link came
    // back): that one may be dialling on the old path; start over once the second is up
    clearTimeout(s.recoverTimer);
    s.recoverTimer = setTimeout(() => recover(s, true), 1000 - since);
    return;
  }
  if (since < 1000 || (!networkChanged && s.recovering && since < 10000)) return;
  s.lastRecover = Date.now();
  s.recovering = true;
  s.note(networkChanged ? "recover:network" : "recover:ice");
  s.reconnecting = true;
  s.listener.onReconnecting?.();
  s.conn?.reopen();
}

/**
 * A connection's ICE is connected again. The path is back: a socket still dialling since the
 * link went away (its SYN may wait seconds for TCP's next retry) is dialled again at once.
 * @param {CallSession} s
 */
export function iceBack(s) {
  settleRecovery(s);
  if (!s.recovering) return;
  s.recovering = !iceUp(s);
  if (s.conn?.state === "reconnecting") s.conn.reopen();
}

/**
 * After onReconnecting, tells the listener onReconnected once the session is whole again: its
 * socket open (resumed) and both connections' ICE connected after the restart.
 * @param {CallSession} s
 */
export function settleRecovery(s) {
  if (!s.reconnecting || s.ended || s.conn?.state !== "open" || s.restarting.has("publisher") || !iceUp(s)) return;
  s.reconnecting = false;
  s.note("reconnected");
  s.listener.onReconnected?.();
}

/**
 * Whether both connections' ICE is connected.
 * @param {CallSession} s
 */
export function iceUp(s) {
  const up = (/** @type {RTCPeerConnection|null} */ pc) => !!pc && (pc.iceConnectionState === "connected" || pc.iceConnectionState === "completed");
  return up(s.publisher) && up(s.subscriber);
}

/**
 * @param {CallSession} s
 * @param {any} d a second joined: the resumed socket (resumed: true), or a session lost
 */
export function onResumed(s, d) {
  s.note(d.resumed ? "resumed" : "resume-refused");
  if (!d.resumed) {
    // The server no longer had this session: it is over for this page.
    s.conn?.request("leave").catch(() => {});
    s.teardown({ reason: "disconnected" });
    return;
  }
  restartIce(s);
}

/**
 * Restarts ICE on both connections (restartIce; a publishOffer with iceRestart).
 * @param {CallSession} s
 */
export function restartIce(s) {
  s.conn?.request("restartIce").catch((e) => s.listener.onError?.({ code: e.code || "error", message: e.message }));
  chain(s, "publisher", async () => {
    const pc = s.publisher;
    if (!pc || s.ended || !pc.remoteDescription) return;
    s.restarting.add("publisher");
    try {
      const offer = await pc.createOffer({ iceRestart: true });
      await pc.setLocalDescription(offer);
      s.note("restart:offerSent");
      const res = await s.conn?.request("publishOffer", { sdp: offer.sdp });
      if (s.ended) return;
      await pc.setRemoteDescription({ type: "answer", sdp: res.sdp });
      s.note("restart:answered");
    } finally {
      s.restarting.delete("publisher");
    }
    await flushHeld(s, "publisher");
    settleRecovery(s);
  }).catch((err) => {
    s.listener.onError?.({ code: err.code || "negotiation", message: String(err && err.message) });
    settleRecovery(s); // the restart failed, the old path may carry media all the same
  });
}
