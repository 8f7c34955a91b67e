// The /test page: tries every media path from this browser to the server
// (direct UDP, direct TCP, TURN over UDP, TCP and TLS), each on its own
// RTCPeerConnection with a data channel the server echoes (POST
// /v1/selftest), and says in plain words what works. window.selftest holds
// the results when done (tests read it).

const GATHER_MS = 6000;
const CONNECT_MS = 8000;

/** @typedef {{name: string, ok: boolean|null, detail: string, local?: string, remote?: string, candidates?: string[]}} Result */

/** @param {number} ms @param {string} what */
function timeout(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(what)), ms));
}

/** Waits for ICE gathering to complete (or GATHER_MS). @param {RTCPeerConnection} pc */
function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return Promise.race([
    new Promise((resolve) => pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") resolve(undefined);
    })),
    new Promise((resolve) => setTimeout(resolve, GATHER_MS)),
  ]);
}

/** Keeps only the candidate lines keep() accepts. @param {string} sdp @param {(line: string) => boolean} keep */
function filterCandidates(sdp, keep) {
  return sdp.split("\r\n").filter((l) => !l.startsWith("a=candidate:") || keep(l)).join("\r\n");
}

/** The candidate types in an SDP, e.g. ["host udp", "relay udp"]. @param {string} sdp */
function candidateTypes(sdp) {
  const seen = new Set();
  for (const l of sdp.split("\r\n")) {
    const m = l.match(/^a=candidate:\S+ \d+ (\S+) \d+ \S+ \d+ typ (\S+)/);
    if (m) seen.add(`${m[2]} ${m[1].toLowerCase()}`);
  }
  return [...seen];
}

/** The selected pair, described. @param {RTCPeerConnection} pc */
async function selectedPair(pc) {
  const stats = await pc.getStats();
  let pair = null;
  stats.forEach((s) => {
    if (s.type === "transport" && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
  });
  if (!pair) stats.forEach((s) => { if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") pair = s; });
  if (!pair) return { local: "?", remote: "?" };
  const l = stats.get(pair.localCandidateId) || {};
  const r = stats.get(pair.remoteCandidateId) || {};
  const via = l.candidateType === "relay" ? ` via TURN over ${l.relayProtocol || "?"}` : "";
  return {
    local: `${l.candidateType} ${l.protocol}${via}`,
    remote: `${r.candidateType} ${r.protocol} ${r.address || r.ip}:${r.port}`,
  };
}

/**
 * One path: a data channel to the server's echo, with the given ICE
 * servers and policy, keeping only the candidates keep() accepts (both
 * ways: neither side learns of another path).
 * @param {string} name @param {RTCIceServer[]} iceServers @param {RTCIceTransportPolicy} policy
 * @param {(line: string) => boolean} keep
 * @returns {Promise<Result>}
 */
async function tryPath(name, iceServers, policy, keep) {
  const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: policy });
  try {
    const dc = pc.createDataChannel("selftest");
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const offer = pc.localDescription.sdp;
    const candidates = candidateTypes(offer);
    if (policy === "relay" && !candidates.some((c) => c.startsWith("relay"))) {
      return { name, ok: false, candidates, detail: "no relay address: the TURN server could not be reached, or refused the credentials" };
    }
    const resp = await fetch("/v1/selftest", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ sdp: filterCandidates(offer, keep) }) });
    const body = await resp.json();
    if (!resp.ok) return { name, ok: false, candidates, detail: `the server refused the test: ${body.error?.message || resp.status}` };
    await pc.setRemoteDescription({ type: "answer", sdp: filterCandidates(body.sdp, keep) });
    const echoed = new Promise((resolve) => { dc.onmessage = (ev) => resolve(ev.data); });
    await Promise.race([new Promise((resolve) => { dc.onopen = resolve; }), timeout(CONNECT_MS, "no connection within 8 s: this path is blocked")]);
    dc.send("ping");
    await Promise.race([echoed, timeout(3000, "connected, but the echo never came back")]);
    const pair = await selectedPair(pc);
    return { name, ok: true, candidates, ...pair, detail: `${pair.local} to the server's ${pair.remote}` };
  } catch (e) {
    return { name, ok: false, detail: e instanceof Error ? e.message : String(e) };
  } finally {
    pc.close();
  }
}

/** @param {RTCIceServer[]} servers @param {(url: string) => boolean} want */
function withURLs(servers, want) {
  return servers.map((s) => ({ ...s, urls: [].concat(s.urls).filter(want) })).filter((s) => s.urls.length > 0);
}

/** @param {Result[]} results */
function summary(results) {
  const ok = (n) => results.find((r) => r.name === n)?.ok;
  if (ok("UDP")) return "Calls will work from here: audio and video go straight to the server over UDP.";
  if (ok("TCP")) return "Calls will work from here over TCP (UDP is blocked); quality may suffer on a poor network.";
  if (results.some((r) => r.name.startsWith("TURN") && r.ok)) return "Calls will work from here through the relay (TURN): this network blocks direct paths.";
  return "Calls cannot reach this server from here: every path is blocked. Send the report below to whoever runs the server.";
}

/** @param {Result} r */
function row(r) {
  const tr = document.createElement("tr");
  const cells = [r.name, r.ok === null ? "not offered" : r.ok ? "works" : "blocked", r.detail];
  cells.forEach((text, i) => {
    const td = document.createElement("td");
    td.textContent = text;
    if (i === 1) td.className = r.ok === null ? "skip" : r.ok ? "ok" : "fail";
    tr.append(td);
  });
  return tr;
}

async function run() {
  const infoResp = await fetch("/v1/selftest");
  const info = await infoResp.json();
  const turn = info.iceServers || [];
  const udp = (l) => / udp /i.test(l), tcp = (l) => / tcp /i.test(l), any = () => true;
  /** @type {[string, () => Promise<Result>|Result][]} */
  const paths = [
    ["UDP", () => tryPath("UDP", [], "all", udp)],
    ["TCP", () => info.tcpPort ? tryPath("TCP", [], "all", tcp) : { name: "TCP", ok: null, detail: "the server has ICE-TCP off (media.tcp_port 0)" }],
  ];
  for (const [name, want] of [["TURN over UDP", (u) => /^turn:.*transport=udp/.test(u)], ["TURN over TCP", (u) => /^turn:.*transport=tcp/.test(u)], ["TURN over TLS", (u) => u.startsWith("turns:")]]) {
    const servers = withURLs(turn, want);
    paths.push([name, () => servers.length ? tryPath(name, servers, "relay", any) : { name, ok: null, detail: "the server offers no such TURN listener" }]);
  }
  const tbody = document.querySelector("#results tbody");
  /** @type {Result[]} */
  const results = [];
  for (const [, run] of paths) {
    const r = await run();
    results.push(r);
    tbody.append(row(r));
  }
  const text = summary(results);
  document.getElementById("summary").textContent = text;
  const report = [
    `Switchboard connection test, ${new Date().toISOString()}`,
    `Server: ${location.origin} (media UDP ${info.udpPort}, ICE-TCP ${info.tcpPort || "off"})`,
    `Browser: ${navigator.userAgent}`,
    text,
    ...results.map((r) => `${r.name}: ${r.ok === null ? "not offered" : r.ok ? "works" : "blocked"}: ${r.detail}` +
      (r.candidates ? ` [gathered: ${r.candidates.join(", ") || "none"}]` : "")),
  ].join("\n");
  document.getElementById("report").textContent = report;
  const copy = /** @type {HTMLButtonElement} */ (document.getElementById("copy"));
  copy.disabled = false;
  copy.onclick = async () => {
    try {
      await navigator.clipboard.writeText(report);
    } catch {
      getSelection()?.selectAllChildren(document.getElementById("report"));
      document.execCommand("copy");
    }
    document.getElementById("copied").hidden = false;
  };
  /** @type {any} */ (window).selftest = { results, summary: text, report };
}

run().catch((e) => {
  document.getElementById("summary").textContent = `The test could not run: ${e instanceof Error ? e.message : e}`;
  /** @type {any} */ (window).selftest = { error: String(e) };
});
