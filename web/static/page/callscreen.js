// @ts-check
// The in-call screen: the SDK's participant grid, your controls (mute,
// camera, switch camera, hang up), who is speaking, the duration, and
// plain-words warnings about the camera and microphone.

import { $, h } from "./dom.js";
import { clock } from "./words.js";
import { mediaUnavailable, mediaUnavailableMessage } from "@switchboard-rtc/sdk";

export class CallScreen {
  /**
   * @param {import("../sdk/switchboard.js").Switchboard} sb
   * @param {{onEnded: (text: string, tone?: "good"|"bad") => void, onDropped: (text: string) => void, onFirstFrame: (uid: string) => void, nameOf: (uid: string) => string}} hooks
   */
  constructor(sb, hooks) {
    this.sb = sb;
    this.hooks = hooks;
    /** @type {import("../sdk/session.js").CallSession|null} */
    this.session = null;
    this.startedAt = 0;
    /** @type {any} */
    this.tick = null;
    this.active = false;
    /** @type {Map<string, string>} uid -> name */
    this.names = new Map();
    this.group = false;
    /** @type {import("../sdk/call.js").Call|null} */
    this.call = null;
    /** @type {Set<string>} who else is in the call */
    this.others = new Set();
    $("btn-mute").addEventListener("click", () => this.toggleMute());
    $("btn-camera").addEventListener("click", () => this.toggleCamera());
    $("btn-switch-camera").addEventListener("click", () => this.sb.switchCamera()?.catch((e) => this.warn("The camera could not be switched: " + e.message)));
    $("btn-sound").addEventListener("click", () => {
      this.session?.resumeAudio();
      $("btn-sound").hidden = true;
    });
  }

  /**
   * Starts the session and shows it.
   * @param {import("../sdk/call.js").Call} call
   * @param {string} token
   * @param {string} title
   */
  async start(call, token, title) {
    this.reset(title, call);
    this.group = call.receiverType === "group";
    this.call = call;
    const audioOnly = call.callType === "audio";
    $("btn-camera").hidden = audioOnly;
    this.active = true;
    const names = (/** @type {string} */ uid) => this.names.get(uid) || this.hooks.nameOf(uid);
    // A page that can capture nothing (not a secure context) joins
    // listen-only, saying why, rather than not at all.
    const why = mediaUnavailable();
    this.session = await this.sb.startSession(token, { audioOnly, names, listenOnly: !!why, listener: this.listener() }, $("call-stage"));
    if (!this.active) return;
    if (why) {
      $("btn-mute").hidden = true;
      $("btn-camera").hidden = true;
      this.warn(mediaUnavailableMessage(why) + " You are in the call listen-only: the others can't see or hear you.");
      return;
    }
    const cams = await this.sb.getVideoInputDevices();
    $("btn-switch-camera").hidden = audioOnly || cams.length < 2;
  }

  /**
   * @param {string} title
   * @param {import("../sdk/call.js").Call} call
   */
  reset(title, call) {
    $("call-title").textContent = title;
    $("media-warning").replaceChildren();
    $("media-warning").hidden = true;
    $("speaker").textContent = "Connecting…";
    $("btn-sound").hidden = true;
    setPressed("btn-mute", false, "Mute", "Unmute");
    setPressed("btn-camera", false, "Camera off", "Camera on");
    const joined = call.joinedAt && Date.now() - call.joinedAt < 86400000 && call.joinedAt < Date.now() ? call.joinedAt : 0;
    this.startedAt = joined || Date.now();
    this.names = new Map();
    for (const p of call.participants) if (p.name) this.names.set(p.uid, p.name);
    if (call.initiator.name) this.names.set(call.initiator.uid, call.initiator.name);
    if (call.receiverType === "user" && call.receiver.uid && call.receiver.name) this.names.set(call.receiver.uid, call.receiver.name);
    clearInterval(this.tick);
    const draw = () => ($("call-duration").textContent = clock(this.seconds()));
    draw();
    this.tick = setInterval(draw, 1000);
  }

  /** @returns {import("../sdk/session.js").OngoingCallListener} */
  listener() {
    return {
      onJoined: () => {
        $("speaker").textContent = "";
        this.showWaiting();
      },
      onUserJoined: (u) => {
        this.names.set(u.uid, u.name);
        this.flash(`${u.name} joined`);
      },
      onUserLeft: (u) => this.flash(`${u.name} left`),
      onParticipantReconnecting: (uid) => ($("speaker").textContent = `${this.names.get(uid) || this.hooks.nameOf(uid)} is reconnecting…`),
      onParticipantReconnected: (uid) => this.flash(`${this.names.get(uid) || this.hooks.nameOf(uid)} is back`),
      onReconnecting: () => ($("speaker").textContent = "Reconnecting…"),
      onUserListUpdated: (users) => {
        for (const u of users) this.names.set(u.uid, u.name);
        this.others = new Set(users.map((u) => u.uid));
        this.showWaiting();
      },
      onActiveSpeakerChanged: (uid) => {
        const me = this.sb.getLoggedInUser()?.uid;
        $("speaker").textContent = !uid ? "" : uid === me ? "You are speaking" : `Speaking: ${this.names.get(uid) || this.hooks.nameOf(uid)}`;
      },
      onMediaError: (p) => this.mediaProblem(p),
      onError: (e) => this.warn(e.message || e.code),
      onAudioBlocked: () => ($("btn-sound").hidden = false),
      onFirstRemoteFrame: (uid) => this.hooks.onFirstFrame(uid),
      onCallEnded: (info) => {
        if (!this.active) return;
        this.stop();
        if (info.reason === "unauthorized" || info.reason === "disconnected") this.hooks.onDropped("You were disconnected from the call.");
        else this.hooks.onEnded(`Call ended · ${clock(this.seconds())}`);
      },
    };
  }

  /**
   * Says something that passes (someone joined, left, is back) in the speaker line, for 4 s.
   * @param {string} text
   */
  flash(text) {
    const el = $("speaker");
    el.textContent = text;
    setTimeout(() => {
      if (el.textContent === text) el.textContent = "";
    }, 4000);
  }

  /** Alone in a group call: say so, rather than show an empty stage. */
  showWaiting() {
    $("call-waiting").hidden = !(this.active && this.group && this.others.size === 0);
  }

  /** @param {import("../sdk/media.js").MediaProblem} p */
  mediaProblem(p) {
    let text = p.message;
    if (p.device === "camera") {
      text += " You're in the call with audio only.";
      $("btn-camera").hidden = true;
    } else {
      text += " Others can't hear you.";
      $("btn-mute").hidden = true;
    }
    this.warn(text);
    // The message says "then rejoin": offer it, once.
    if (p.reason === "denied") {
      const have = document.querySelector("[data-testid=btn-rejoin]");
      const b = have || h("button", { type: "button", class: "btn btn-quiet", "data-testid": "btn-rejoin", onclick: () => this.rejoin() }, "Rejoin with camera and microphone");
      $("media-warning").append(have?.parentElement || h("li", { class: "rejoin" }, b)); // last, after the reasons
    }
  }

  /**
   * Tries the camera and microphone again (after the person allowed them) without leaving
   * the call: new tracks are published into the same session.
   */
  async rejoin() {
    const s = this.session;
    if (!s || !this.active) return;
    const audioOnly = this.call?.callType === "audio";
    /** @type {string[]} */
    const failed = [];
    if (!s.localStream.getAudioTracks().length) {
      try {
        await this.sb.setAudioInputDevice("");
        this.sb.muteAudio(false);
        $("btn-mute").hidden = false;
        setPressed("btn-mute", false, "Mute", "Unmute");
      } catch {
        failed.push("microphone");
      }
    }
    if (!audioOnly && !s.localStream.getVideoTracks().length) {
      try {
        await this.sb.pauseVideo(false);
        $("btn-camera").hidden = false;
        setPressed("btn-camera", false, "Camera off", "Camera on");
      } catch {
        failed.push("camera");
      }
    }
    $("media-warning").replaceChildren();
    $("media-warning").hidden = true;
    if (failed.length) this.warn(`Your ${failed.join(" and ")} still can't be used. Allow it in the browser's site settings, then try again.`);
  }

  /** @param {string} text */
  warn(text) {
    const list = $("media-warning");
    list.append(h("li", {}, text));
    list.hidden = false;
  }

  toggleMute() {
    const muted = $("btn-mute").getAttribute("aria-pressed") !== "true";
    this.sb.muteAudio(muted);
    setPressed("btn-mute", muted, "Mute", "Unmute");
  }

  async toggleCamera() {
    const off = $("btn-camera").getAttribute("aria-pressed") !== "true";
    try {
      await this.sb.pauseVideo(off);
      setPressed("btn-camera", off, "Camera off", "Camera on");
    } catch (err) {
      this.warn("The camera could not be turned on: " + (/** @type {any} */ (err).message || ""));
    }
  }

  /** Seconds since the call connected. */
  seconds() {
    return this.startedAt ? (Date.now() - this.startedAt) / 1000 : 0;
  }

  /**
   * Hang up: ends the call (1:1) or leaves it (group).
   * @param {import("../sdk/call.js").Call|null} call
   * @returns {Promise<import("../sdk/call.js").Call|null>} the call as the server ended it
   */
  hangUp(call) {
    this.stop();
    if (call) return this.sb.endCall(call.sessionId).catch(() => null);
    this.sb.endSession();
    return Promise.resolve(null);
  }

  /**
   * The call ended elsewhere (callEnded on /v1/ws).
   * @param {import("../sdk/call.js").Call} call
   */
  ended(call) {
    if (!this.active) return;
    const dur = call.getDurationOf(this.sb.getLoggedInUser()?.uid || "") || this.seconds();
    this.stop();
    this.sb.endSession();
    this.hooks.onEnded(`Call ended · ${clock(dur)}`);
  }

  /** Leaves without ending (sign out). */
  leave() {
    if (!this.active) return;
    this.stop();
    this.sb.endSession();
  }

  stop() {
    this.active = false;
    this.others = new Set();
    $("call-waiting").hidden = true;
    clearInterval(this.tick);
    this.tick = null;
    $("btn-mute").hidden = false;
  }
}

/**
 * @param {string} id
 * @param {boolean} pressed
 * @param {string} offText
 * @param {string} onText
 */
function setPressed(id, pressed, offText, onText) {
  const b = $(id);
  b.setAttribute("aria-pressed", String(pressed));
  b.textContent = pressed ? onText : offText;
}
