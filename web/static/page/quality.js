// @ts-check
// The history's call quality: a "good" / "poor" badge per call that opens,
// on click, each participant's figures (docs/protocol.md, "Quality kept in
// the call log"). A call is poor when any participant's media was.

import { h } from "./dom.js";

/**
 * Adds a quality badge to each history row whose call has quality.
 * @param {HTMLElement} list the history <ul>, one <li> per call, in order
 * @param {import("../sdk/call.js").Call[]} calls
 */
export function decorateQuality(list, calls) {
  const rows = list.children;
  calls.forEach((c, i) => {
    const badge = qualityBadge(c);
    if (badge && rows[i]) rows[i].append(badge);
  });
}

/**
 * @param {import("../sdk/call.js").Call} c
 * @returns {HTMLElement|null}
 */
export function qualityBadge(c) {
  /** @type {any[]} */
  const parts = (c.participants || []).filter((/** @type {any} */ p) => p.quality);
  if (parts.length === 0) return null;
  const poor = parts.some((p) => p.quality.rating === "poor");
  const rating = poor ? "poor" : "good";
  return h(
    "details",
    { class: "quality", "data-testid": "history-quality", "data-rating": rating },
    h("summary", { "aria-label": `Call quality ${rating}: show details` }, rating),
    h("ul", {}, ...parts.map((p) => h("li", { "data-uid": p.uid }, describe(p.uid, p.quality)))),
  );
}

/**
 * @param {string} uid
 * @param {any} q a Quality object
 */
function describe(uid, q) {
  const pct = (/** @type {number|undefined} */ v) => (v === undefined ? "-" : `${(v * 100).toFixed(1)}%`);
  const ms = (/** @type {number|undefined} */ v) => (v === undefined ? "-" : `${Math.round(v)} ms`);
  const kbps = (/** @type {number} */ v) => `${Math.round((v || 0) / 1000)} kbit/s`;
  return (
    `${uid}: ${q.rating} (MOS ${q.mos.toFixed(1)}); loss ${pct(q.lossSent)} sent, ${pct(q.lossReceived)} received; ` +
    `jitter ${ms(q.jitterSentMs)} sent, ${ms(q.jitterReceivedMs)} received; RTT ${ms(q.rttMs)}; ` +
    `${kbps(q.bitrateSent)} sent, ${kbps(q.bitrateReceived)} received; ` +
    `${q.freezes} freezes, ${q.layerSwitches} layer switches; ${q.candidate || "no"} candidate`
  );
}
