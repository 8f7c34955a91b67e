// @ts-check
// The "default layout" of the CometChat-compatible surface (cometchat.js):
// the participant tiles plus Mute, Camera, Switch camera (with more than one camera) and End
// call buttons, drawn into
// the element given to CometChatCalls.startSession. The End call button
// fires the listener's onCallEndButtonPressed (the app then calls
// CometChat.endCall and CometChatCalls.endSession, as CometChat's pages
// show); without that method, it leaves the session.
//
// Markup: div.sb-cc > div.sb-cc-stage (the tiles, see grid.js) +
// div.sb-cc-controls[role=toolbar] > button[data-testid=cc-mute|cc-camera|cc-switch|cc-sound|cc-end].
// A few inline styles keep it usable without a stylesheet; override with your own.

/**
 * @typedef {object} LayoutActions
 * @property {(muted: boolean) => void} mute
 * @property {(off: boolean) => any} video
 * @property {() => any} switchCamera
 * @property {() => any} end
 */

export class DefaultLayout {
  /**
   * @param {HTMLElement|null} element
   * @param {import("./cometchat.js").CallSettings} settings
   * @param {Record<string, any>} listener
   * @param {LayoutActions} actions
   */
  constructor(element, settings, listener, actions) {
    this.element = element;
    this.listener = listener;
    this.actions = actions;
    /** @type {import("./session.js").CallSession|null} */
    this.session = null;
    /** @type {HTMLElement|null} where the tiles go */
    this.stage = null;
    /** @type {HTMLButtonElement|null} */
    this.soundButton = null;
    /** @type {HTMLButtonElement|null} shown while there is more than one camera */
    this.switchButton = null;
    /** @type {HTMLElement|null} */
    this.bar = null;
    this.onDeviceChange = () => this.devicesChanged();
    navigator.mediaDevices?.addEventListener?.("devicechange", this.onDeviceChange);
    if (!element) return;
    const root = el("div", "sb-cc", "display:flex;flex-direction:column;gap:8px;width:100%;height:100%;min-height:0");
    this.stage = el("div", "sb-cc-stage", "flex:1;min-height:0;position:relative;overflow:hidden");
    root.append(this.stage);
    if (settings.defaultLayout) root.append((this.bar = this.controls(settings)));
    element.replaceChildren(root);
    this.showSwitch();
  }

  /**
   * Sets a toggle's state without its action: the app changed it (CometChatCalls.muteAudio,
   * pauseVideo), and the button must say what pressing it now does.
   * @param {string} testid
   * @param {boolean} pressed
   */
  setPressed(testid, pressed) {
    const b = /** @type {HTMLButtonElement|null|undefined} */ (this.bar?.querySelector(`[data-testid="${testid}"]`));
    if (!b) return;
    b.setAttribute("aria-pressed", String(pressed));
    b.textContent = (pressed ? b.dataset.onText : b.dataset.offText) || b.textContent;
  }

  /** Shows Switch camera only while there is more than one camera to switch to. */
  async showSwitch() {
    const b = this.switchButton;
    if (!b || !navigator.mediaDevices?.enumerateDevices) return;
    const cams = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
    b.hidden = cams.length < 2;
  }

  /** @param {import("./cometchat.js").CallSettings} settings */
  controls(settings) {
    const bar = el("div", "sb-cc-controls", "display:flex;gap:8px;justify-content:center;flex-wrap:wrap;position:relative;z-index:1;padding:8px");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Call controls");
    if (settings.showMuteAudioButton) {
      bar.append(toggle("cc-mute", "Mute", "Unmute", settings.startAudioMuted, (on) => this.actions.mute(on)));
    }
    if (settings.showPauseVideoButton && !settings.audioOnly) {
      bar.append(toggle("cc-camera", "Camera off", "Camera on", settings.startVideoMuted, (on) => this.actions.video(on)));
    }
    if (settings.showSwitchCameraButton && !settings.audioOnly) {
      const sw = button("cc-switch", "Switch camera", () => this.actions.switchCamera());
      sw.hidden = true; // until two cameras are seen
      this.switchButton = sw;
      bar.append(sw);
    }
    const sound = button("cc-sound", "Turn on sound", () => {
      this.session?.resumeAudio();
      sound.hidden = true;
    });
    sound.hidden = true;
    this.soundButton = sound;
    bar.append(sound);
    if (settings.showEndCallButton) {
      const end = button("cc-end", "End call", () => this.endPressed());
      end.style.cssText = "background:#dc2626;color:#fff;border-color:#dc2626";
      bar.append(end);
    }
    return bar;
  }

  endPressed() {
    if (typeof this.listener.onCallEndButtonPressed === "function") this.listener.onCallEndButtonPressed();
    else this.actions.end();
  }

  /** @param {import("./session.js").CallSession|null} session */
  joined(session) {
    this.session = session;
  }

  /** @param {{uid: string, kind: string, muted: boolean}} _m */
  muteChanged(_m) {}

  audioBlocked() {
    if (this.soundButton) this.soundButton.hidden = false;
  }

  /** @param {string} uid */
  nameOf(uid) {
    const s = this.session;
    if (!s) return uid;
    if (s.me.uid === uid) return s.me.name;
    return s.participants.get(uid)?.name || uid;
  }

  async devicesChanged() {
    this.showSwitch();
    const l = this.listener;
    if (typeof l.onMediaDeviceListUpdated !== "function" && typeof l.onAudioModeChanged !== "function") return;
    const all = await navigator.mediaDevices.enumerateDevices();
    const of = (/** @type {string} */ kind) => all.filter((d) => d.kind === kind);
    const outputs = of("audiooutput");
    l.onMediaDeviceListUpdated?.({ audioInputDevices: of("audioinput"), videoInputDevices: of("videoinput"), audioOutputDevices: outputs });
    l.onAudioModeChanged?.(outputs.map((d, i) => ({ mode: d.label || d.deviceId, isSelected: i === 0 })));
  }

  /** Removes the view and stops listening for devices. */
  destroy() {
    navigator.mediaDevices?.removeEventListener?.("devicechange", this.onDeviceChange);
    if (this.element && this.stage && this.element.contains(this.stage)) this.element.replaceChildren();
    this.stage = null;
  }
}

/**
 * @param {string} tag
 * @param {string} cls
 * @param {string} style
 */
function el(tag, cls, style) {
  const e = document.createElement(tag);
  e.className = cls;
  e.style.cssText = style;
  return e;
}

/**
 * @param {string} testid
 * @param {string} text
 * @param {() => void} onClick
 */
function button(testid, text, onClick) {
  const b = /** @type {HTMLButtonElement} */ (el("button", "sb-cc-button", "padding:8px 16px;border-radius:999px;border:1px solid #888;font:inherit;cursor:pointer"));
  b.type = "button";
  b.textContent = text;
  b.setAttribute("data-testid", testid);
  b.addEventListener("click", onClick);
  return b;
}

/**
 * A pressed/unpressed button (aria-pressed).
 * @param {string} testid
 * @param {string} offText
 * @param {string} onText
 * @param {boolean} pressed
 * @param {(pressed: boolean) => void} onChange
 */
function toggle(testid, offText, onText, pressed, onChange) {
  const b = button(testid, pressed ? onText : offText, () => {
    const now = b.getAttribute("aria-pressed") !== "true";
    b.setAttribute("aria-pressed", String(now));
    b.textContent = now ? onText : offText;
    onChange(now);
  });
  b.dataset.onText = onText;
  b.dataset.offText = offText;
  b.setAttribute("aria-pressed", String(pressed));
  return b;
}
