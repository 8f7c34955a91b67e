// @ts-check
// The sign-in screen: a name (on a server with a dev login) or a pasted
// auth token, an auth token handed in the address (#token=...), and a word
// when this page cannot have a camera or microphone at all.

import { $ } from "./dom.js";
import { mediaUnavailable } from "@switchboard-rtc/sdk";

/**
 * Wires the two forms; each ends in signIn with an auth token.
 * @param {(token: string) => Promise<void>} signIn
 */
export function wireSignIn(signIn) {
  $("dev-form").addEventListener("submit", (ev) => onDevSignIn(ev, signIn));
  $("token-form").addEventListener("submit", (ev) => onTokenSignIn(ev, signIn));
}

/**
 * Says at once when this page can have no camera or microphone because it
 * is not a secure context (plain http:// from another address than
 * localhost, e.g. a phone on the LAN): calls from it are listen-only.
 */
export function explainInsecurePage() {
  if (mediaUnavailable() !== "insecure_context") return;
  const https = "https://" + location.host + location.pathname;
  $("insecure").textContent =
    "Calls from this page are listen-only: browsers give the camera and microphone only to secure pages, " +
    `and this one was opened over plain http:// from another address. Open ${https} instead ` +
    `(the server must serve HTTPS: "switchboard serve --self-signed", or a certificate with --tls-cert and --tls-key).`;
  $("insecure").hidden = false;
}

/** Takes `#token=...` from the address (an embedding app hands it so) and hides it. */
export function tokenFromFragment() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return "";
  history.replaceState(null, "", location.pathname + location.search);
  return decodeURIComponent(m[1]);
}

/** Shows the name form only when this server has a dev login (GET /v1/info). */
export async function probeDevLogin() {
  let dev = false;
  try {
    const res = await fetch("/v1/info");
    if (res.ok) dev = Boolean((await res.json()).devLogin);
  } catch {
    // Unreachable server: the token form still works once it is back.
  }
  $("dev-form").hidden = !dev;
  $("signin-or").hidden = !dev;
}

/** @param {string} text what went wrong ("": nothing) */
export function signInError(text) {
  const e = $("signin-error");
  e.textContent = text;
  e.hidden = !text;
}

/**
 * @param {SubmitEvent} ev
 * @param {(token: string) => Promise<void>} signIn
 */
async function onDevSignIn(ev, signIn) {
  ev.preventDefault();
  const name = /** @type {HTMLInputElement} */ ($("signin-name")).value.trim();
  if (!name) return;
  signInError("");
  try {
    const res = await fetch("/v1/dev/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.status === 404) {
      await probeDevLogin();
      signInError("Signing in by name is only for development servers. Paste the auth token your app or administrator gave you.");
      return;
    }
    if (!res.ok) {
      signInError((body.error && body.error.message) || `Sign-in failed (HTTP ${res.status}).`);
      return;
    }
    await signIn(body.token);
  } catch {
    signInError("The server cannot be reached. Check your connection and try again.");
  }
}

/**
 * @param {SubmitEvent} ev
 * @param {(token: string) => Promise<void>} signIn
 */
async function onTokenSignIn(ev, signIn) {
  ev.preventDefault();
  const token = /** @type {HTMLTextAreaElement} */ ($("signin-token")).value.trim();
  if (!token) {
    signInError("Paste an auth token first.");
    return;
  }
  signInError("");
  await signIn(token);
}
