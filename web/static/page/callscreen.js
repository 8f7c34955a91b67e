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
      onJoined: () => ($("speaker").textContent = ""),
      onUserJoined: (u) => {
        this.names.set(u.uid, u.name);
        $("speaker").textContent = `${u.name} joined`;
      },
      onUserLeft: (u) => ($("speaker").textContent = `${u.name} left`),
      onUserListUpdated: (users) => {
        for (const u of users) this.names.set(u.uid, u.name);
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
   */
  hangUp(call) {
    this.stop();
    if (call) this.sb.endCall(call.sessionId).catch(() => {});
    else this.sb.endSession();
  }

  /**
   * The call ended elsewhere (callEnded on /v1/ws).
   * @param {import("../sdk/call.js").Call} call
   */
  ended(call) {
    if (!this.active) return;
    const dur = call.getDuration() || this.seconds();
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
