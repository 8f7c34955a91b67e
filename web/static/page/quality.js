// @ts-check
// The history's call quality: a "good" / "poor" badge per call that opens,
// on click, each participant's figures (docs/protocol.md, "Quality kept in
// the call log"). A call is poor when any participant's media was.

import { h } from "./dom.js";

/**
 * "1 freeze", "3 freezes" (words ending in s, x, z, ch, sh take "es").
 * @param {number} n
 * @param {string} noun singular
 */
function plural(n, noun) {
  return `${n} ${n === 1 ? noun : /(s|x|z|ch|sh)$/.test(noun) ? noun + "es" : noun + "s"}`;
}

/**
 * Adds a quality badge to each history row whose call has quality and that you were in (not
 * a call you declined, missed or that found you busy: its quality is the others').
 * @param {HTMLElement} list the history <ul>, one <li> per call, in order
 * @param {import("../sdk/call.js").Call[]} calls
 * @param {string} me
 * @param {(uid: string) => string} [nameOf] a person's name by uid (the log's participants carry none)
 */
export function decorateQuality(list, calls, me, nameOf = (uid) => uid) {
  const rows = list.children;
  calls.forEach((c, i) => {
    const mine = (c.participants || []).find((p) => p.uid === me);
    if (!mine || !mine.joinedAt) return;
    const badge = qualityBadge(c, nameOf);
    if (badge && rows[i]) rows[i].append(badge);
  });
}

/**
 * @param {import("../sdk/call.js").Call} c
 * @param {(uid: string) => string} [nameOf] a person's name by uid
 * @returns {HTMLElement|null}
 */
export function qualityBadge(c, nameOf = (uid) => uid) {
  /** @type {any[]} */
  const parts = (c.participants || []).filter((/** @type {any} */ p) => p.quality);
  if (parts.length === 0) return null;
  const poor = parts.some((p) => p.quality.rating === "poor");
  const rating = poor ? "poor" : "good";
  return h(
    "details",
    { class: "quality", "data-testid": "history-quality", "data-rating": rating },
    h("summary", { "aria-label": `Call quality ${rating}: show details` }, rating),
    h("ul", {}, ...parts.map((p) => h("li", { "data-uid": p.uid }, describe(p.name || nameIn(c, p.uid, nameOf), p.quality)))),
  );
}

/**
 * A participant's name: as the call knows it (its caller, its 1:1 callee), else as the page
 * knows the person.
 * @param {import("../sdk/call.js").Call} c
 * @param {string} uid
 * @param {(uid: string) => string} nameOf
 */
function nameIn(c, uid, nameOf) {
  if (c.initiator.uid === uid && c.initiator.name) return c.initiator.name;
  if (c.receiver.uid === uid && c.receiver.name) return c.receiver.name;
  return nameOf(uid);
}

/**
 * @param {string} who the participant's name
 * @param {any} q a Quality object
 */
function describe(who, q) {
  const pct = (/** @type {number|undefined} */ v) => (v === undefined ? "-" : `${(v * 100).toFixed(1)}%`);
  const ms = (/** @type {number|undefined} */ v) => (v === undefined ? "-" : `${Math.round(v)} ms`);
  const kbps = (/** @type {number} */ v) => `${Math.round((v || 0) / 1000)} kbit/s`;
  return (
    `${who}: ${q.rating} (MOS ${q.mos.toFixed(1)}); loss ${pct(q.lossSent)} sent, ${pct(q.lossReceived)} received; ` +
    `jitter ${ms(q.jitterSentMs)} sent, ${ms(q.jitterReceivedMs)} received; RTT ${ms(q.rttMs)}; ` +
    `${kbps(q.bitrateSent)} sent, ${kbps(q.bitrateReceived)} received; ` +
    `${plural(q.freezes, "freeze")}, ${plural(q.layerSwitches, "layer switch")}; ${q.candidate || "no"} candidate`
  );
}
