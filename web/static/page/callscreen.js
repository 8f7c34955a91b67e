// @ts-check
// The in-call screen: the SDK's participant grid, your controls (mute,
// camera, switch camera, share screen, hang up), who is speaking, what just
// happened (someone joined, left, is reconnecting), the duration, and
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
    /** @type {import("../sdk/media.js").MediaProblem[]} camera and microphone problems, as the SDK told them */
    this.problems = [];
    /** @type {string[]} other warnings shown below them */
    this.notes = [];
    /** what the last Rejoin that failed says */
    this.retryNote = "";
    /** the warnings' text when the person hid them (shown again when it changes) */
    this.hiddenWarnings = "";
    /** @type {MediaStreamTrack|null} your screen, while you share it (the page asks for it and owns it) */
    this.screen = null;
    /** @type {any} clears the passing event line */
    this.eventTimer = null;
    /** who is reconnecting now (their media stopped), if anyone: a 1:1 that then ends "disconnected" ended because of them */
    this.lost = "";
    /** this page's own session is reconnecting */
    this.selfLost = false;
    $("btn-mute").addEventListener("click", () => this.toggleMute());
    $("btn-camera").addEventListener("click", () => this.toggleCamera());
    $("btn-share").addEventListener("click", () => this.toggleShare());
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
    // After a reload mid-call: mute and camera as you left them (a muted person stays muted).
    const saved = savedMutes(call.sessionId);
    const settings = { audioOnly, names, listenOnly: !!why, listener: this.listener(), startAudioMuted: saved.audio, startVideoMuted: saved.video && !audioOnly };
    this.session = await this.sb.startSession(token, settings, $("call-stage"));
    if (!this.active) return;
    this.showOwnState();
    // Browsers without screen capture (phones) have no getDisplayMedia: no button there.
    $("btn-share").hidden = !!why || typeof navigator.mediaDevices?.getDisplayMedia !== "function";
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
    // a screen reader hears "In a call with Bob", not only a name
    $("call-title").replaceChildren(h("span", { class: "visually-hidden" }, "In a call with "), title);
    $("media-warning").replaceChildren();
    $("media-warning").hidden = true;
    $("speaker").textContent = "";
    this.event("Connecting…");
    $("btn-sound").hidden = true;
    $("btn-share").hidden = true;
    this.problems = [];
    this.notes = [];
    this.retryNote = "";
    this.hiddenWarnings = "";
    this.lost = "";
    this.selfLost = false;
    setOn("btn-mute", false, "Mute", "Unmute");
    setOn("btn-camera", false, "Camera off", "Camera on");
    setOn("btn-share", false, "Share screen", "Stop sharing");
    // Your own time in the call (a late joiner's, a rejoiner's with the time before), as the
    // end-of-call notice and your history row say; else the call's.
    const me = this.sb.getLoggedInUser()?.uid;
    const mine = call.participants.find((p) => p.uid === me);
    const at = (/** @type {number} */ t) => (t && Date.now() - t < 86400000 && t < Date.now() ? t : 0);
    const mineAt = at((mine && mine.joinedAt) || 0);
    const joined = (mineAt && mine ? mineAt - (mine.earlierMs || 0) : 0) || at(call.joinedAt);
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
        this.event("");
        this.showWaiting();
      },
      onUserJoined: (u) => {
        this.names.set(u.uid, u.name);
        this.flash(`${u.name} joined`);
      },
      onUserLeft: (u, reason) => {
        // they vanished (no reconnecting first when their sockets closed): a 1:1 ends now, naming them
        if (reason === "timeout") this.lost = u.uid;
        this.flash(`${u.name} left`);
      },
      onParticipantReconnecting: (uid) => {
        this.lost = uid;
        this.event(`${this.names.get(uid) || this.hooks.nameOf(uid)} is reconnecting…`); // until back or gone
      },
      onParticipantReconnected: (uid) => {
        if (this.lost === uid) this.lost = "";
        this.flash(`${this.names.get(uid) || this.hooks.nameOf(uid)} is back`);
      },
      onReconnecting: () => {
        this.selfLost = true;
        this.event("Reconnecting…"); // until onReconnected, or the call ends
      },
      onReconnected: () => {
        this.selfLost = false;
        this.flash("Connected again");
      },
      // however it stopped (the browser's own "Stop sharing" included): the button follows
      onScreenShareStopped: () => {
        const track = this.screen;
        this.screen = null;
        setOn("btn-share", false, "Share screen", "Stop sharing");
        track?.stop();
      },
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
      onError: (e) => {
        // this page's media could not connect: if the call ends "disconnected", it was this side
        if (e.code === "ice_failed") this.selfLost = true;
        this.warn(e.message || e.code);
      },
      onAudioBlocked: () => ($("btn-sound").hidden = false),
      onFirstRemoteFrame: (uid) => this.hooks.onFirstFrame(uid),
      onCallEnded: (info) => {
        if (!this.active) return;
        this.stop();
        // "disconnected": the other person vanished (a 1:1 ends: they were reconnecting), or this page lost the call
        const them = info.reason === "disconnected" && this.lost && this.vanished();
        if (them) this.peerLost(them, this.seconds());
        else if (info.reason === "unauthorized" || info.reason === "disconnected") this.hooks.onDropped("You were disconnected from the call.");
        else this.hooks.onEnded(`Call ended · ${clock(this.seconds())}`);
      },
    };
  }

  /**
   * Says something that passes (someone joined, left, is back) in the event line, for ms
   * (4 s): a line of its own, so who is speaking (which changes every moment) does not
   * overwrite it before it could be read.
   * @param {string} text
   * @param {number} [ms]
   */
  flash(text, ms = 4000) {
    this.event(text);
    this.eventTimer = setTimeout(() => this.event(""), ms);
  }

  /**
   * Says something in the event line (a live region) until something else is said there.
   * @param {string} text
   */
  event(text) {
    clearTimeout(this.eventTimer);
    this.eventTimer = null;
    $("call-event").textContent = text;
  }

  /** Alone in a group call: say so, rather than show an empty stage. */
  showWaiting() {
    $("call-waiting").hidden = !(this.active && this.group && this.others.size === 0);
  }

  /**
   * Your mute and camera buttons (and your tile) as the session really is: after a reload
   * the session may start muted (saved) or without a microphone.
   */
  showOwnState() {
    const s = this.session;
    if (!s) return;
    setOn("btn-mute", s.audioMuted, "Mute", "Unmute");
    setOn("btn-camera", s.videoMuted, "Camera off", "Camera on");
    if (s.audioMuted) s.grid?.setMuted(s.me.uid, "audio", true);
    if (s.videoMuted) s.grid?.setMuted(s.me.uid, "video", true);
  }

  /** @param {import("../sdk/media.js").MediaProblem} p */
  mediaProblem(p) {
    this.problems = [...this.problems.filter((x) => x.device !== p.device), p];
    $(p.device === "camera" ? "btn-camera" : "btn-mute").hidden = true;
    this.drawWarnings();
  }

  /**
   * The warnings: each device problem with what it means for the call (audio only,
   * listen-only), the other notes, and "Rejoin with ..." naming the refused devices.
   * @returns {HTMLElement|null} the Rejoin button, when offered
   */
  drawWarnings() {
    const noMic = this.problems.some((p) => p.device === "microphone");
    const noCamera = this.problems.some((p) => p.device === "camera");
    const items = this.problems.map((p) => {
      let text = p.message;
      if (noMic && (noCamera || this.call?.callType === "audio")) {
        // nothing of yours reaches the others: say it once, on the last device
        if (p === this.problems[this.problems.length - 1]) text += " You're in the call listen-only: you can see and hear the others, they can't see or hear you.";
      } else if (p.device === "camera") text += " You're in the call with audio only.";
      else text += " Others can't hear you.";
      return h("li", {}, text);
    });
    for (const n of this.notes) items.push(h("li", {}, n));
    if (this.retryNote) items.push(h("li", {}, this.retryNote));
    // The message says "then rejoin": offer it, naming only what was refused.
    const refused = this.problems.filter((p) => p.reason === "denied").map((p) => p.device);
    const said = items.map((li) => li.textContent).join("\n");
    /** @type {HTMLElement|null} */
    let button = null;
    if (refused.length) {
      const what = refused.length > 1 ? "camera and microphone" : refused[0];
      button = h("button", { type: "button", class: "btn btn-quiet", "data-testid": "btn-rejoin", onclick: () => this.rejoin() }, `Rejoin with ${what}`);
    }
    const list = $("media-warning");
    // Read, they may be put away: on a phone held sideways they took most of the others' video.
    const hide = h("button", { type: "button", class: "btn btn-quiet", "data-testid": "btn-hide-warnings", onclick: () => {
      this.hiddenWarnings = said;
      list.hidden = true;
      $("call-title").focus();
    } }, "Hide");
    if (items.length) items.push(h("li", { class: "rejoin" }, button, hide)); // last, after the reasons
    list.replaceChildren(...items);
    list.hidden = items.length === 0 || said === this.hiddenWarnings;
    return button;
  }

  /**
   * Tries the camera and microphone again (after the person allowed them) without leaving
   * the call: new tracks are published into the same session.
   */
  async rejoin() {
    const s = this.session;
    if (!s || !this.active) return;
    const audioOnly = this.call?.callType === "audio";
    this.retryNote = "";
    /** @type {import("../sdk/media.js").MediaProblem[]} */
    const still = [];
    if (!s.localStream.getAudioTracks().length) {
      try {
        await this.sb.setAudioInputDevice("");
        this.sb.muteAudio(false);
        $("btn-mute").hidden = false;
        setOn("btn-mute", false, "Mute", "Unmute");
      } catch (err) {
        still.push(this.problemAgain("microphone", err));
      }
    }
    if (!audioOnly && !s.localStream.getVideoTracks().length) {
      try {
        await this.sb.pauseVideo(false);
        $("btn-camera").hidden = false;
        setOn("btn-camera", false, "Camera off", "Camera on");
      } catch (err) {
        still.push(this.problemAgain("camera", err));
      }
    }
    this.problems = still;
    if (!still.length) {
      this.drawWarnings();
      return;
    }
    const what = still.length > 1 ? "camera and microphone" : still[0].device; // as the Rejoin button names them
    this.retryNote = `Your ${what} still can't be used. Allow ${still.length > 1 ? "them" : "it"} in the browser's site settings, then try again.`;
    // The button stays (the person will allow it and press again) and keeps the focus.
    const button = this.drawWarnings();
    if (button) button.focus();
    else $("call-title").focus();
  }

  /**
   * What a failed retry of a device means, as a problem to show.
   * @param {"camera"|"microphone"} device
   * @param {any} err
   * @returns {import("../sdk/media.js").MediaProblem}
   */
  problemAgain(device, err) {
    // the SDK's MediaError names the reason (media_denied...); a raw DOMException its name
    const name = (err && err.name) || "";
    const denied = (err && err.problem && err.problem.reason === "denied") || name === "NotAllowedError" || name === "SecurityError";
    const old = this.problems.find((p) => p.device === device);
    if (denied) return { device, reason: "denied", message: `Access to your ${device} was refused.` };
    return old ? { ...old, reason: old.reason === "denied" ? "failed" : old.reason } : { device, reason: "failed", message: `Your ${device} could not be started.` };
  }

  /** @param {string} text */
  warn(text) {
    this.notes.push(text);
    this.drawWarnings();
  }

  toggleMute() {
    const muted = $("btn-mute").dataset.on !== "true";
    this.sb.muteAudio(muted);
    setOn("btn-mute", muted, "Mute", "Unmute");
    this.saveMutes();
  }

  async toggleCamera() {
    const off = $("btn-camera").dataset.on !== "true";
    try {
      await this.sb.pauseVideo(off);
      setOn("btn-camera", off, "Camera off", "Camera on");
      this.saveMutes();
    } catch (err) {
      this.warn("The camera could not be turned on: " + (/** @type {any} */ (err).message || ""));
    }
  }

  /**
   * Share screen / Stop sharing. The page asks for the screen itself (the SDK publishes the
   * track it is given), so that it knows when the browser's own "Stop sharing" ends it.
   */
  async toggleShare() {
    if (this.screen) return this.stopShare();
    /** @type {MediaStreamTrack|undefined} */
    let track;
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: { width: { max: 1920 }, height: { max: 1080 }, frameRate: { max: 5 } }, audio: false });
      track = stream.getVideoTracks()[0];
    } catch (err) {
      const e = /** @type {any} */ (err);
      // Closing the picker (or choosing nothing) is not a failure: nothing to say.
      if (e && (e.name === "NotAllowedError" || e.name === "AbortError")) return;
      if (e && e.name === "NotFoundError") this.warn("There is no screen or window to share.");
      else this.warn("Your screen could not be shared: " + ((e && e.message) || "unknown error"));
      return;
    }
    if (!track) return;
    if (!this.active || !this.session || this.screen) {
      track.stop(); // the call ended (or a share began) while the picker was open
      return;
    }
    const shared = track;
    this.screen = shared;
    // The browser's own "Stop sharing" ends the track: the SDK unpublishes it, the button follows.
    shared.addEventListener("ended", () => {
      if (this.screen === shared) this.stopShare();
    });
    setOn("btn-share", true, "Share screen", "Stop sharing");
    try {
      await this.sb.startScreenShare(shared);
    } catch (err) {
      if (this.screen === shared) this.stopShare();
      this.warn("Your screen could not be shared: " + (/** @type {any} */ (err).message || "unknown error"));
    }
  }

  /** Stops sharing your screen (the others' screen tile goes). */
  async stopShare() {
    const track = this.screen;
    this.screen = null;
    setOn("btn-share", false, "Share screen", "Stop sharing");
    if (!track) return;
    try {
      await this.sb.stopScreenShare();
    } catch {
      // the session is gone: nothing is published any more
    }
    track.stop();
  }

  /** Keeps your mute and camera for this call across a reload (this tab only). */
  saveMutes() {
    if (!this.call) return;
    const state = { sessionId: this.call.sessionId, audio: $("btn-mute").dataset.on === "true", video: $("btn-camera").dataset.on === "true" };
    try {
      sessionStorage.setItem(MUTES_KEY, JSON.stringify(state));
    } catch {
      // storage off: a reload unmutes, and the buttons say so
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
    const them = call.reason === "disconnected" && this.vanished();
    const self = call.reason === "disconnected" && this.selfLost; // as the /v1/rtc callEnded says it
    this.stop();
    this.sb.endSession();
    if (them) this.peerLost(them, dur);
    else if (self) this.hooks.onDropped("You were disconnected from the call.");
    else this.hooks.onEnded(`Call ended · ${clock(dur)}`);
  }

  /**
   * Ends with who vanished named (a 1:1 that ended "disconnected" because of them).
   * @param {string} name
   * @param {number} seconds your time in the call
   */
  peerLost(name, seconds) {
    this.hooks.onDropped(`${name} lost their connection, so the call ended · ${clock(seconds)}`);
  }

  /**
   * Who vanished, when a 1:1 call ends "disconnected" while this page's own connection
   * held: the other person (their app closed or lost its network), by name; "" otherwise
   * (a group call goes on without them; a page that was reconnecting itself lost the call).
   */
  vanished() {
    if (this.group || this.selfLost || !this.call) return "";
    const me = this.sb.getLoggedInUser()?.uid;
    const uid = this.lost || (this.call.initiator.uid === me ? this.call.receiver.uid : this.call.initiator.uid);
    return uid ? this.names.get(uid) || this.hooks.nameOf(uid) : "";
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
    this.screen?.stop(); // the capture ends with the call
    this.screen = null;
    this.event("");
    $("call-waiting").hidden = true;
    clearInterval(this.tick);
    this.tick = null;
    $("btn-mute").hidden = false;
  }
}

const MUTES_KEY = "switchboard.mutes";

/**
 * Your saved mute and camera for a call (after a reload), or both off.
 * @param {string} sessionId
 * @returns {{audio: boolean, video: boolean}}
 */
function savedMutes(sessionId) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(MUTES_KEY) || "null");
    if (saved && saved.sessionId === sessionId) return { audio: !!saved.audio, video: !!saved.video };
  } catch {
    // storage off or garbled
  }
  return { audio: false, video: false };
}

/**
 * A toggle's label says what pressing it does (Mute / Unmute): no aria-pressed as well,
 * which would read "Unmute, toggle button, pressed". data-on styles it.
 * @param {string} id
 * @param {boolean} on
 * @param {string} offText
 * @param {string} onText
 */
function setOn(id, on, offText, onText) {
  const b = $(id);
  b.dataset.on = String(on);
  b.textContent = on ? onText : offText;
}
