// A werift subscriber on /v1/rtc, written from docs/protocol.md (used by
// TestWeriftSubscriber). Usage: WERIFT_DIR=<dir with node_modules/werift
// and ws> node werift_subscriber.mjs <ws url> <call token>. Prints, every
// 200 ms, one JSON line: packets received per mid, the tracks announced
// (mid -> uid/kind) and any error.
import { createRequire } from "module";
const require = createRequire(process.env.WERIFT_DIR + "/");
const { RTCPeerConnection } = require("werift");
const WebSocket = require("ws");

const [url, token] = process.argv.slice(2);
const ws = new WebSocket(url, { headers: { Authorization: "Bearer " + token } });
const pc = new RTCPeerConnection({ iceAdditionalHostAddresses: ["127.0.0.1"], iceUseIpv6: false });
const counts = {}, tracks = {}, errors = [];
const seen = new Set();
let id = 0;
const send = (method, params) => ws.send(JSON.stringify({ id: String(++id), method, params }));

pc.onIceCandidate.subscribe((c) => {
  const candidate = c && c.candidate ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } : null;
  send("trickle", { target: "subscriber", candidate });
});
// werift fires ontrack again on every offer for every sendonly m-line: key on the mid.
pc.ontrack = ({ track, transceiver }) => {
  const mid = String(transceiver.mid);
  if (seen.has(track)) return;
  seen.add(track);
  track.onReceiveRtp.subscribe(() => { counts[mid] = (counts[mid] || 0) + 1; });
};
let chain = Promise.resolve();
const step = (what, f) => { chain = chain.then(f).catch((e) => errors.push(what + ": " + (e && e.message ? e.message : e))); };
const note = (t) => { if (t.mid) tracks[t.mid] = t.uid + "-" + t.kind; };
ws.on("message", (buf) => {
  const m = JSON.parse(buf.toString());
  if (m.error) errors.push("reply " + m.id + ": " + m.error.code + " " + m.error.message);
  switch (m.event) {
    case "joined": (m.data.tracks || []).forEach(note); break;
    case "trackPublished": note(m.data); break;
    case "subscriberOffer":
      step("offer", async () => {
        await pc.setRemoteDescription({ type: "offer", sdp: m.data.sdp });
        await pc.setLocalDescription(await pc.createAnswer());
        send("subscriberAnswer", { sdp: pc.localDescription.sdp });
      });
      break;
    case "trickle": step("candidate", () => pc.addIceCandidate(m.data.candidate)); break;
    case "error": errors.push("event: " + m.data.code + " " + m.data.message); break;
  }
});
ws.on("close", () => { console.log(JSON.stringify({ counts, tracks, errors, closed: true })); process.exit(0); });
setInterval(() => console.log(JSON.stringify({ counts, tracks, errors })), 200);
