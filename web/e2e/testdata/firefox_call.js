// Firefox ESR on the bundled page, driven by playwright-core 1.56.1's BiDi
// Firefox (no downloaded browser), for web/e2e TestFirefoxCallsChromium and
// TestFirefoxOnTheDevServer.
// Run inside a network namespace: node firefox_call.js <page url> <callee uid> [offline]
// "offline": Firefox finds no address to connect from; instead of media, its
// page must show the SDK's warning and stay in the call ({"step": "warned"}).
// Prints one JSON line per step ({"step": ...}); exits 1 with {"error": ...}.
const pw = require(process.env.SWITCHBOARD_PLAYWRIGHT_DIR + "/node_modules/playwright-core");

const [url, callee, mode] = process.argv.slice(2);
const host = new URL(url).hostname;
const say = (o) => console.log(JSON.stringify(o));
const tid = (id) => `[data-testid="${id}"]`;

async function screen(page, name, timeout) {
  await page.waitForFunction((n) => document.body.dataset.screen === n, name, { timeout });
}

// mediaFlows waits until a remote video decodes new frames and remote audio
// packets arrive (getStats of the SDK's subscriber connection).
async function mediaFlows(page) {
  return page.evaluate(async () => {
    const snap = async () => {
      const out = { video: 0, audio: 0 };
      const pc = window.switchboardApp?.sb?.session?.subscriber;
      if (!pc) return out;
      (await pc.getStats()).forEach((r) => {
        if (r.type !== "inbound-rtp") return;
        if (r.kind === "video") out.video += r.framesDecoded || 0;
        if (r.kind === "audio") out.audio += r.packetsReceived || 0;
      });
      return out;
    };
    const base = await snap();
    const deadline = Date.now() + 20000;
    let last = base;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      last = await snap();
      if (last.video > base.video + 10 && last.audio > base.audio + 10) break;
    }
    return { frames: last.video - base.video, audio: last.audio - base.audio };
  });
}

(async () => {
  const browser = await pw._bidiFirefox.launch({
    executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
    headless: true,
    firefoxUserPrefs: {
      "media.navigator.streams.fake": true,
      "media.navigator.permission.disabled": true,
      "dom.securecontext.allowlist": host, // the page over http:// on a lab address
      "media.peerconnection.ice.obfuscate_host_addresses": false,
      "media.autoplay.default": 0,
      "media.autoplay.blocking_policy": 0,
    },
  });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(url);
    await page.fill(tid("signin-name"), "Alice");
    await page.click(tid("signin-submit"));
    await screen(page, "home", 20000);
    await page.waitForFunction((u) => document.querySelector(`[data-testid=person-${u}]`)?.dataset.online === "true", callee, { timeout: 20000 });
    say({ step: "signedIn", firefox: browser.version() });
    await page.click(tid("call-video-" + callee));
    await screen(page, "outgoing", 10000);
    say({ step: "ringing" });
    await screen(page, "call", 30000);
    if (mode === "offline") {
      await page.waitForFunction(() => (document.querySelector("[data-testid=media-warning]")?.textContent || "").includes("found no network address"), null, { timeout: 20000 });
      await page.waitForTimeout(1000); // and it stays in the call
      say({ step: "warned", history: await page.evaluate(() => document.body.dataset.screen) });
    } else {
      const m = await mediaFlows(page);
      say({ step: "media", frames: m.frames, audio: m.audio });
    }
    await screen(page, "home", 60000);
    // The history updates live: the row shows the call ringing first, then how it ended.
    await page.waitForFunction(() => {
      const status = document.querySelector("[data-testid=history-row]")?.dataset.status;
      return !!status && status !== "initiated" && status !== "ongoing";
    }, null, { timeout: 15000 });
    const status = await page.evaluate(() => document.querySelector("[data-testid=history-row]")?.dataset.status || "");
    say({ step: "home", history: status });
  } finally {
    await browser.close();
  }
})().catch((e) => {
  say({ error: String((e && e.stack) || e) });
  process.exit(1);
});
