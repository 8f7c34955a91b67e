// @ts-check
/**
 * CometChat-compatible calling surface over the switchboard SDK: the names,
 * classes, listeners and order of events of CometChat's "default calling /
 * ringing" and Calls SDK pages, so code written from them runs unchanged
 * with only the import and the init/login lines swapped:
 *
 * ```js
 * import { CometChat, CometChatCalls } from "https://calls.example.com/sdk/cometchat.js";
 * await CometChat.init({ baseUrl: "https://calls.example.com" }); // instead of init(appID, appSettings)
 * await CometChat.login(authToken);                                // a switchboard auth token
 * // ... then the CometChat snippets as written
 * ```
 *
 * Differences worth knowing:
 * - Timestamps (`getInitiatedAt`, `getJoinedAt`, `getEndedAt`) are unix **seconds**, as
 *   CometChat's; the switchboard `Call` (switchboard.js) keeps milliseconds.
 * - `initiateCall(call, timeout)`: timeout in seconds, truncated; `<= 0` or absent: 45.
 * - `getActiveCall()` is synchronous (the call this page rang, answered or was rung with);
 *   `Switchboard.getActiveCall()` asks the server.
 * - `CometChatCalls.generateToken(sessionId, authToken)` resolves `{token}`, which
 *   `startSession` takes as is (or the string).
 * - Ending: `endCall` then `endSession`, or `leaveSession` then `endCall`: both are fine
 *   (the second `endCall` answers ok, see docs/protocol.md).
 * @module cometchat
 */

import { Switchboard, decodeJWT } from "./switchboard.js";
import { Call as SbCall, CALL_TYPE, RECEIVER_TYPE, CALL_STATUS } from "./call.js";
import { SwitchboardError } from "./rpc.js";
import { DefaultLayout } from "./cometchat-layout.js";

/** The ring timeout CometChat uses when none (or <= 0) is given, in seconds. */
export const DEFAULT_CALL_TIMEOUT = 45;

/** A user, with CometChat's getters. Fields are public too. */
export class User {
  /**
   * @param {string|{uid?: string, name?: string, avatar?: string, status?: string}} uid
   * @param {string} [name]
   */
  constructor(uid, name) {
    const d = typeof uid === "object" && uid ? uid : { uid: String(uid || ""), name };
    /** @type {string} */ this.uid = d.uid || "";
    /** @type {string} */ this.name = d.name || name || this.uid;
    /** @type {string} */ this.avatar = d.avatar || "";
    /** @type {string} */ this.status = d.status || "";
    /** @type {string} */ this.authToken = "";
  }
  getUid() {
    return this.uid;
  }
  getName() {
    return this.name;
  }
  getAvatar() {
    return this.avatar;
  }
  getStatus() {
    return this.status;
  }
  getAuthToken() {
    return this.authToken;
  }
}

/** A group, with CometChat's getters. */
export class Group {
  /**
   * @param {string|{guid?: string, uid?: string, name?: string, icon?: string}} guid
   * @param {string} [name]
   */
  constructor(guid, name) {
    const d = typeof guid === "object" && guid ? guid : { guid: String(guid || ""), name };
    /** @type {string} */ this.guid = d.guid || d.uid || "";
    /** @type {string} */ this.name = d.name || name || this.guid;
    /** @type {string} */ this.icon = d.icon || "";
  }
  getGuid() {
    return this.guid;
  }
  getName() {
    return this.name;
  }
  getIcon() {
    return this.icon;
  }
}

/**
 * A call, as CometChat's `Call`: `new CometChat.Call(receiverID, callType, receiverType)`
 * for an outgoing one; the SDK hands out filled ones in replies and listeners.
 */
export class Call {
  /**
   * @param {string} receiverID uid or guid
   * @param {string} callType CALL_TYPE.AUDIO | CALL_TYPE.VIDEO
   * @param {string} receiverType RECEIVER_TYPE.USER | RECEIVER_TYPE.GROUP
   */
  constructor(receiverID, callType, receiverType) {
    /** @type {string} */ this.receiverId = receiverID || "";
    /** @type {string} */ this.type = callType || "";
    /** @type {string} */ this.receiverType = receiverType || "";
    /** @type {string} */ this.sessionId = "";
    /** @type {string} */ this.status = "";
    /** @type {User|null} */ this.callInitiator = null;
    /** @type {User|Group|null} */ this.callReceiver = null;
    /** @type {number} unix seconds */ this.initiatedAt = 0;
    /** @type {number} unix seconds */ this.joinedAt = 0;
    /** @type {number} unix seconds */ this.endedAt = 0;
    /** @type {string} why it stopped ringing or ended (cancelled, unanswered, answeredElsewhere, ended...) */
    this.reason = "";
    /** @type {string} */ this.callToken = "";
    /** @type {SbCall|null} the switchboard call underneath */
    this.raw = null;
  }

  /**
   * @param {SbCall} c
   * @returns {Call}
   */
  static from(c) {
    const group = c.receiverType === RECEIVER_TYPE.GROUP;
    const recv = /** @type {any} */ (c.receiver);
    const call = new Call(group ? recv.guid || recv.uid : recv.uid, c.callType, c.receiverType);
    call.sessionId = c.sessionId;
    call.status = c.status;
    call.callInitiator = new User(c.initiator);
    call.callReceiver = group ? new Group(recv) : new User(recv);
    call.initiatedAt = seconds(c.initiatedAt);
    call.joinedAt = seconds(c.joinedAt);
    call.endedAt = seconds(c.endedAt);
    call.reason = c.reason || c.endReason;
    call.callToken = c.callToken;
    call.raw = c;
    return call;
  }

  getSessionId() {
    return this.sessionId;
  }
  getReceiverId() {
    return this.receiverId;
  }
  getReceiverType() {
    return this.receiverType;
  }
  getType() {
    return this.type;
  }
  /** The call's status as CometChat's CALL_STATUS (initiated, ongoing, rejected...). */
  getStatus() {
    return this.status;
  }
  getAction() {
    return this.status;
  }
  /** @returns {User} */
  getCallInitiator() {
    return this.callInitiator || new User("");
  }
  /** @returns {User|Group} */
  getCallReceiver() {
    return this.callReceiver || (this.receiverType === RECEIVER_TYPE.GROUP ? new Group(this.receiverId) : new User(this.receiverId));
  }
  /** @returns {User|Group} same as getCallReceiver (CometChat's message-style name) */
  getReceiver() {
    return this.getCallReceiver();
  }
  /** @returns {User} */
  getSender() {
    return this.getCallInitiator();
  }
  /** Unix seconds. */
  getInitiatedAt() {
    return this.initiatedAt;
  }
  /** Unix seconds (0 if never answered). */
  getJoinedAt() {
    return this.joinedAt;
  }
  /** Unix seconds (0 while it goes on). */
  getEndedAt() {
    return this.endedAt;
  }
  /** Seconds talked (0 if never answered). */
  getDuration() {
    return this.raw ? this.raw.getDuration() : 0;
  }
  /** @returns {string} */
  getReason() {
    return this.reason;
  }
}

/** @param {number} ms */
function seconds(ms) {
  return ms ? Math.floor(ms / 1000) : 0;
}

/**
 * The ringing listener: `new CometChat.CallListener({onIncomingCallReceived, ...})`.
 * Methods: onIncomingCallReceived, onOutgoingCallAccepted, onOutgoingCallRejected
 * (rejected, busy, unanswered), onIncomingCallCancelled, onCallEndedMessageReceived.
 */
export class CallListener {
  /** @param {Record<string, (call: Call) => void>} handlers */
  constructor(handlers = {}) {
    Object.assign(this, handlers);
  }
}

/**
 * The in-call listener: `new CometChatCalls.OngoingCallListener({...})`. Methods:
 * onUserJoined(user), onUserLeft(user), onUserListUpdated(users), onCallEnded(),
 * onCallEndButtonPressed(), onError(error), onMediaDeviceListUpdated(devices),
 * onUserMuted({muted, mutedBy, isMuted}), onAudioModeChanged(modes).
 */
export class OngoingCallListener {
  /** @param {Record<string, (...args: any[]) => void>} handlers */
  constructor(handlers = {}) {
    Object.assign(this, handlers);
  }
}

/**
 * @typedef {object} CallSettings
 * @property {boolean} defaultLayout     draw the tiles and the default buttons into the element
 * @property {boolean} audioOnly
 * @property {boolean} startAudioMuted
 * @property {boolean} startVideoMuted
 * @property {boolean} showEndCallButton
 * @property {boolean} showMuteAudioButton
 * @property {boolean} showPauseVideoButton
 * @property {boolean} showSwitchCameraButton
 * @property {OngoingCallListener|Record<string, any>|null} listener
 */

/** `new CometChatCalls.CallSettingsBuilder()....build()`. */
export class CallSettingsBuilder {
  constructor() {
    /** @type {CallSettings} */
    this.settings = {
      defaultLayout: true,
      audioOnly: false,
      startAudioMuted: false,
      startVideoMuted: false,
      showEndCallButton: true,
      showMuteAudioButton: true,
      showPauseVideoButton: true,
      showSwitchCameraButton: true,
      listener: null,
    };
  }
  /** @param {boolean} on */
  enableDefaultLayout(on) {
    this.settings.defaultLayout = !!on;
    return this;
  }
  /** @param {boolean} on */
  setIsAudioOnlyCall(on) {
    this.settings.audioOnly = !!on;
    return this;
  }
  /** @param {string} type CALL_TYPE.AUDIO | CALL_TYPE.VIDEO (the Calls SDK's session settings) */
  setType(type) {
    this.settings.audioOnly = String(type).toLowerCase() === CALL_TYPE.AUDIO;
    return this;
  }
  /** @param {OngoingCallListener|Record<string, any>} l */
  setCallListener(l) {
    this.settings.listener = l;
    return this;
  }
  /** @param {OngoingCallListener|Record<string, any>} l */
  setCallEventListener(l) {
    return this.setCallListener(l);
  }
  /** @param {boolean} on */
  startWithAudioMuted(on) {
    this.settings.startAudioMuted = !!on;
    return this;
  }
  /** @param {boolean} on */
  startWithVideoMuted(on) {
    this.settings.startVideoMuted = !!on;
    return this;
  }
  /** @param {boolean} on */
  showEndCallButton(on) {
    this.settings.showEndCallButton = !!on;
    return this;
  }
  /** @param {boolean} on */
  showMuteAudioButton(on) {
    this.settings.showMuteAudioButton = !!on;
    return this;
  }
  /** @param {boolean} on */
  showPauseVideoButton(on) {
    this.settings.showPauseVideoButton = !!on;
    return this;
  }
  /** @param {boolean} on */
  showSwitchCameraButton(on) {
    this.settings.showSwitchCameraButton = !!on;
    return this;
  }
  /** @returns {CallSettings} */
  build() {
    return { ...this.settings };
  }
}

/**
 * What `CometChat.init` takes: `{baseUrl}` (default: the page's origin), either as the
 * first argument or as the second (after an app id, which switchboard ignores).
 * @typedef {object} InitOptions
 * @property {string} [baseUrl]
 * @property {number} [loginTimeoutMs] how long login waits for an unreachable server (default 10000)
 */

/** The one switchboard client behind the static CometChat namespaces. */
const shared = {
  /** @type {Switchboard|null} */ sb: null,
  /** @type {InitOptions} */ opts: {},
  /** @type {User|null} */ user: null,
  /** @type {Call|null} */ active: null,
  /** @type {Map<string, string>} sessionId -> a call token handed out on accept, used once */
  tokens: new Map(),
  /** @type {Map<string, any>} */ listeners: new Map(),
  /** @type {DefaultLayout|null} */ layout: null,
};

/** @returns {Switchboard} */
function client() {
  if (!shared.sb) shared.sb = new Switchboard({ baseUrl: shared.opts.baseUrl });
  return shared.sb;
}

/** @param {SbCall} c */
function remember(c) {
  if (c.callToken) shared.tokens.set(c.sessionId, c.callToken);
  return Call.from(c);
}

/** @param {Call} call */
function setActive(call) {
  shared.active = call;
}

/** @param {string} sessionId */
function clearIfActive(sessionId) {
  if (shared.active && shared.active.sessionId === sessionId) shared.active = null;
}

/** Events of switchboard's call listener, and what each does to the active call. */
const RINGING = /** @type {const} */ ([
  "onIncomingCallReceived",
  "onOutgoingCallAccepted",
  "onOutgoingCallRejected",
  "onIncomingCallCancelled",
  "onCallEndedMessageReceived",
]);

/**
 * Wraps a CometChat CallListener into a switchboard one.
 * @param {Record<string, any>} l
 */
function ringingListener(l) {
  /** @type {Record<string, (c: SbCall) => void>} */
  const out = {};
  for (const name of RINGING) {
    out[name] = (c) => {
      const call = remember(c);
      if (name === "onIncomingCallReceived" && !shared.active) setActive(call);
      if (name === "onOutgoingCallAccepted") setActive(call);
      if (name !== "onIncomingCallReceived" && name !== "onOutgoingCallAccepted") clearIfActive(call.sessionId);
      if (typeof l[name] === "function") l[name](call);
    };
  }
  return out;
}

/** CometChat's chat-side namespace: ringing, the logged-in user, the active call. */
export const CometChat = {
  CALL_TYPE,
  RECEIVER_TYPE,
  CALL_STATUS,
  Call,
  User,
  Group,
  CallListener,
  /** The errors every method rejects with (`code`, `message`): CometChat's exception type. */
  CometChatException: SwitchboardError,

  /**
   * Points the SDK at a switchboard. `init({baseUrl})` or `init(appId, {baseUrl})`.
   * @param {string|InitOptions} [a]
   * @param {InitOptions} [b]
   * @returns {Promise<boolean>}
   */
  init(a, b) {
    const opts = typeof a === "object" && a ? a : b || {};
    if (shared.sb) shared.sb.logout();
    shared.sb = null;
    shared.opts = { ...opts };
    return Promise.resolve(true);
  },

  /**
   * Signs in with a switchboard auth token (CometChat's `login(authToken)`). Rejects with a
   * SwitchboardError: `unauthorized` (token refused, HTTP 401), `unreachable` (no answer within
   * loginTimeoutMs), or `bad_request` when given a uid and key instead of a token.
   * @param {string} authToken
   * @param {string} [authKey] not supported: mint auth tokens on your backend
   * @returns {Promise<User>}
   */
  async login(authToken, authKey) {
    if (authKey !== undefined || !authToken || String(authToken).split(".").length !== 3) {
      throw new SwitchboardError("bad_request", "login takes a switchboard auth token (a JWT your backend mints); uid + auth key logins are not supported");
    }
    const sb = client();
    const u = await sb.login(authToken, { timeoutMs: shared.opts.loginTimeoutMs });
    const user = new User({ uid: u.uid, name: u.name, avatar: decodeJWT(authToken).avatar || "" });
    user.authToken = authToken;
    shared.user = user;
    for (const [id, l] of shared.listeners) sb.addCallListener(id, ringingListener(l));
    return user;
  },

  /** @returns {Promise<void>} */
  async logout() {
    shared.sb?.logout();
    shared.user = null;
    shared.active = null;
    shared.tokens.clear();
  },

  /** @returns {Promise<User|null>} */
  getLoggedinUser() {
    return Promise.resolve(shared.user);
  },

  /**
   * @param {string} id
   * @param {CallListener|Record<string, any>} listener
   */
  addCallListener(id, listener) {
    shared.listeners.set(id, listener);
    client().addCallListener(id, ringingListener(/** @type {any} */ (listener)));
  },

  /** @param {string} id */
  removeCallListener(id) {
    shared.listeners.delete(id);
    shared.sb?.removeCallListener(id);
  },

  /**
   * Rings `call`'s receiver. timeout: seconds, truncated; `<= 0` or none: 45.
   * @param {Call} call
   * @param {number} [timeout]
   * @returns {Promise<Call>}
   */
  async initiateCall(call, timeout) {
    let t = Math.trunc(Number(timeout));
    if (!Number.isFinite(t) || t <= 0) t = DEFAULT_CALL_TIMEOUT;
    const c = await client().initiateCall(call.receiverId, /** @type {any} */ (call.receiverType), /** @type {any} */ (call.type), { timeout: t });
    const out = remember(c);
    setActive(out);
    return out;
  },

  /**
   * @param {string} sessionId
   * @returns {Promise<Call>}
   */
  async acceptCall(sessionId) {
    const out = remember(await client().acceptCall(sessionId));
    setActive(out);
    return out;
  },

  /**
   * CALL_STATUS.REJECTED or BUSY (callee), CANCELLED (caller).
   * @param {string} sessionId
   * @param {string} status
   * @returns {Promise<Call>}
   */
  async rejectCall(sessionId, status) {
    clearIfActive(sessionId);
    return remember(await client().rejectCall(sessionId, /** @type {any} */ (status)));
  },

  /**
   * Ends the call (1:1: for both; group: you leave). Fine after leaveSession too.
   * @param {string} sessionId
   * @returns {Promise<Call>}
   */
  async endCall(sessionId) {
    try {
      return Call.from(await client().endCall(sessionId)); // also ends this page's session in it
    } finally {
      shared.layout?.destroy();
      shared.layout = null;
    }
  },

  /** @returns {Call|null} the call this page is ringing, being rung with, or in */
  getActiveCall() {
    return shared.active;
  },

  clearActiveCall() {
    shared.active = null;
  },
};

/** CometChat's Calls SDK namespace: tokens and the call session (media). */
export const CometChatCalls = {
  CallSettingsBuilder,
  SessionSettingsBuilder: CallSettingsBuilder,
  OngoingCallListener,

  /** @returns {Promise<boolean>} nothing to set up: `CometChat.init` did */
  init() {
    return Promise.resolve(true);
  },

  /**
   * A call token for a call you accepted, or whose acceptance you were told about, or any
   * ongoing call you are in. authToken: the logged-in user's (must match the login).
   * @param {string} sessionId
   * @param {string} [authToken]
   * @returns {Promise<{token: string}>}
   */
  async generateToken(sessionId, authToken) {
    if (authToken && shared.user && authToken !== shared.user.authToken) {
      throw new SwitchboardError("unauthorized", "generateToken: this auth token is not the logged-in user's; call CometChat.login with it first");
    }
    const have = shared.tokens.get(sessionId);
    if (have) {
      shared.tokens.delete(sessionId);
      return { token: have };
    }
    return client().generateToken(sessionId);
  },

  /**
   * Joins the call's media and draws it into element. Never throws: failures go to the
   * listener's onError (as CometChat's). Resolves once joined (or failed).
   * @param {string|{token: string}} callToken
   * @param {CallSettings} settings
   * @param {HTMLElement|null} [element]
   * @returns {Promise<void>}
   */
  async startSession(callToken, settings, element) {
    const token = typeof callToken === "string" ? callToken : callToken && callToken.token;
    const s = settings || new CallSettingsBuilder().build();
    const l = /** @type {Record<string, any>} */ (s.listener || {});
    const sb = client();
    shared.layout?.destroy();
    const layout = new DefaultLayout(element || null, s, l, {
      mute: (m) => sb.muteAudio(m),
      video: (off) => sb.pauseVideo(off),
      end: () => CometChatCalls.endSession(),
    });
    shared.layout = layout;
    try {
      await sb.startSession(token || "", sessionSettings(s, l, layout), layout.stage);
      layout.joined(sb.session);
    } catch (err) {
      layout.destroy();
      const e = /** @type {any} */ (err);
      call(l, "onError", { code: e.code || "error", message: e.message || String(err) });
    }
  },

  /**
   * The newer Calls SDK's join: a token for sessionId, then startSession.
   * @param {string} sessionId
   * @param {CallSettings} settings
   * @param {HTMLElement|null} [element]
   * @returns {Promise<void>}
   */
  async joinSession(sessionId, settings, element) {
    let token;
    try {
      token = await CometChatCalls.generateToken(sessionId);
    } catch (err) {
      const e = /** @type {any} */ (err);
      call(settings && settings.listener, "onError", { code: e.code || "error", message: e.message || String(err) });
      return;
    }
    await CometChatCalls.startSession(token, settings, element);
  },

  /** Leaves the session (in a 1:1 call the server then ends the call). */
  async leaveSession() {
    await CometChatCalls.endSession();
  },

  /** Releases the session: camera, microphone, connections, the drawn view. */
  async endSession() {
    const layout = shared.layout;
    shared.layout = null;
    layout?.destroy();
    await shared.sb?.endSession();
  },

  /** @param {boolean} muted */
  muteAudio(muted) {
    shared.sb?.muteAudio(muted);
  },
  /** @param {boolean} paused */
  pauseVideo(paused) {
    return shared.sb?.pauseVideo(paused);
  },
  switchCamera() {
    return shared.sb?.switchCamera();
  },
  getAudioInputDevices() {
    return client().getAudioInputDevices();
  },
  getVideoInputDevices() {
    return client().getVideoInputDevices();
  },
};

/**
 * @param {any} l
 * @param {string} name
 * @param {...any} args
 */
function call(l, name, ...args) {
  if (l && typeof l[name] === "function") l[name](...args);
}

/**
 * The switchboard session settings for CometChat call settings and listener.
 * @param {CallSettings} s
 * @param {Record<string, any>} l
 * @param {DefaultLayout} layout
 * @returns {import("./session.js").SessionSettings}
 */
function sessionSettings(s, l, layout) {
  const user = (/** @type {{uid: string, name: string}} */ u) => new User(u);
  let ended = false;
  return {
    audioOnly: s.audioOnly,
    startAudioMuted: s.startAudioMuted,
    startVideoMuted: s.startVideoMuted,
    listener: {
      onUserJoined: (u) => call(l, "onUserJoined", user(u)),
      onUserLeft: (u) => call(l, "onUserLeft", user(u)),
      onUserListUpdated: (list) => call(l, "onUserListUpdated", list.map(user)),
      onCallEnded: () => {
        layout.destroy();
        if (!ended) call(l, "onCallEnded");
        ended = true;
      },
      onError: (e) => call(l, "onError", e),
      onMediaError: (p) => call(l, "onError", { code: "media_" + p.reason, message: p.message, device: p.device }),
      onMuteChanged: (m) => {
        layout.muteChanged(m);
        if (m.kind === "audio") call(l, "onUserMuted", { muted: new User({ uid: m.uid, name: layout.nameOf(m.uid) }), mutedBy: new User({ uid: m.uid, name: layout.nameOf(m.uid) }), isMuted: m.muted });
      },
      onAudioBlocked: () => layout.audioBlocked(),
    },
  };
}

/**
 * The switchboard client underneath the CometChat namespaces (null before init/login):
 * its `session.subscriber` / `publisher` are the RTCPeerConnections, for getStats.
 * @returns {Switchboard|null}
 */
export function switchboardOf() {
  return shared.sb;
}
