// Firefox ESR on the bundled page, on a machine where it finds no address to connect from (no
// default route), for web/e2e TestFirefoxOnTheDevServer: it calls the callee, who answers; its
// page must say so plainly and stay in the call (no new socket that would abort the join).
// Run inside a network namespace: node firefox_offline.js <page url> <callee uid>
// Prints one JSON line per step ({"step": ...}); exits 1 with {"error": ...}.
const pw = require(process.env.SWITCHBOARD_PLAYWRIGHT_DIR + "/node_modules/playwright-core");

const [url, callee] = process.argv.slice(2);
const host = new URL(url).hostname;
const say = (o) => console.log(JSON.stringify(o));
const tid = (id) => `[data-testid="${id}"]`;

(async () => {
  const browser = await pw._bidiFirefox.launch({
    executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
    headless: true,
    firefoxUserPrefs: {
      "media.navigator.streams.fake": true,
      "media.navigator.permission.disabled": true,
      "dom.securecontext.allowlist": host,
      "media.peerconnection.ice.obfuscate_host_addresses": false,
    },
  });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(url);
    await page.fill(tid("signin-name"), "Alice");
    await page.click(tid("signin-submit"));
    await page.waitForFunction(() => document.body.dataset.screen === "home", null, { timeout: 20000 });
    await page.waitForFunction((u) => document.querySelector(`[data-testid=person-${u}]`)?.dataset.online === "true", callee, { timeout: 20000 });
    say({ step: "signedIn", firefox: browser.version() });
    await page.click(tid("call-audio-" + callee));
    say({ step: "ringing" });
    await page.waitForFunction(() => document.body.dataset.screen === "call", null, { timeout: 30000 });
    await page.waitForFunction(() => (document.querySelector("[data-testid=media-warning]")?.textContent || "").includes("found no network address"), null, { timeout: 20000 });
    await page.waitForTimeout(1000);
    const screen = await page.evaluate(() => document.body.dataset.screen + " " + (document.querySelector("[data-testid=notice]")?.textContent || ""));
    say({ step: "warned", history: screen });
    await page.waitForFunction(() => document.body.dataset.screen === "home", null, { timeout: 30000 });
    say({ step: "home" });
  } catch (e) {
    say({ error: String(e) });
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
})();
