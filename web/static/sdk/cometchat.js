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

import { Switchboard, badElement } from "./switchboard.js";
import { Call as SbCall, CALL_TYPE, RECEIVER_TYPE, CALL_STATUS } from "./call.js";
import { SwitchboardError } from "./rpc.js";
import { DefaultLayout } from "./cometchat-layout.js";
import { DEFAULT_CALL_TIMEOUT, User, Group, Call, CallListener, OngoingCallListener, CallSettingsBuilder } from "./cometchat-models.js";

export { DEFAULT_CALL_TIMEOUT, User, Group, Call, CallListener, OngoingCallListener, CallSettingsBuilder };
/** @typedef {import("./cometchat-models.js").CallSettings} CallSettings */

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
  /** the call token of the session the layout draws */
  layoutToken: "",
};

/** @returns {Switchboard} */
function client() {
  if (!shared.sb) {
    shared.sb = new Switchboard({ baseUrl: shared.opts.baseUrl });
    // getActiveCall follows the ringing whether or not the app added a CallListener
    // (first: the app's listeners see it already set)
    shared.sb.addCallListener(ACTIVE_CALL, ringingListener({}));
  }
  return shared.sb;
}

/** The id of the listener that keeps the active call (not a CometChat listener id). */
const ACTIVE_CALL = "\u0000switchboard:active-call";

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
      // The caller's other pages are told too (docs/protocol.md); only the page that placed
      // the call is the "caller's device" that starts the session.
      if (name === "onOutgoingCallAccepted") {
        if (shared.active?.sessionId !== call.sessionId) return;
        setActive(call);
      }
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
    // init again for the same server (an app's start-up run twice) keeps the login;
    // another server starts over, signed out
    if (shared.sb && baseOf(opts) !== baseOf(shared.opts)) signOut();
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
    const user = new User({ uid: u.uid, name: u.name, avatar: u.avatar || "" });
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
    if (!call || typeof call !== "object" || !call.receiverId) {
      throw new SwitchboardError("bad_request", "initiateCall takes a CometChat.Call: new CometChat.Call(receiverId, callType, receiverType)");
    }
    let t = Math.trunc(Number(timeout));
    if (!Number.isFinite(t) || t <= 0) t = DEFAULT_CALL_TIMEOUT;
    const c = await client().initiateCall(call.receiverId, /** @type {any} */ (call.receiverType), /** @type {any} */ (call.type), { timeout: t });
    const out = remember(c);
    setActive(out);
    if (c.callToken && c.status === CALL_STATUS.ONGOING) {
      // Glare: the one called was calling us, and this answered their call. To the app it is
      // its outgoing call accepted: onOutgoingCallAccepted comes next, after this resolves.
      setTimeout(() => {
        if (shared.active !== out) return; // ended or replaced meanwhile
        for (const l of shared.listeners.values()) if (typeof l.onOutgoingCallAccepted === "function") l.onOutgoingCallAccepted(out);
      }, 0);
    }
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
    const out = remember(await client().rejectCall(sessionId, /** @type {any} */ (status)));
    clearIfActive(sessionId); // a refused reject leaves the call as it was
    return out;
  },

  /**
   * Ends the call (1:1: for both; group: you leave). Fine after leaveSession too.
   * @param {string} sessionId
   * @returns {Promise<Call>}
   */
  async endCall(sessionId) {
    const sb = client();
    try {
      return Call.from(await sb.endCall(sessionId)); // also ends this page's session in it
    } finally {
      // another call's id (stale or wrong) leaves the session, and so its view, alone
      if (!sb.session || sb.session.ended) dropLayout();
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
    const bad = badElement(element);
    if (bad) {
      call(l, "onError", { code: bad.code, message: bad.message });
      return;
    }
    if (shared.layout && shared.layoutToken === token && startedWith(sb, token)) {
      // Again with the same token (a double click, a re-render): the same session, drawn
      // where it is; the first call reports its outcome.
      await sb.startSession(token, {}, shared.layout.element).catch(() => {});
      return;
    }
    shared.layout?.destroy();
    const layout = new DefaultLayout(element || null, s, l, {
      mute: (m) => sb.muteAudio(m),
      video: (off) => sb.pauseVideo(off),
      switchCamera: () => sb.switchCamera(),
      end: () => CometChatCalls.endSession(),
    });
    shared.layout = layout;
    shared.layoutToken = token || "";
    let told = ""; // the code of the last error the session's onError gave the app
    try {
      await sb.startSession(token || "", sessionSettings(s, l, layout, (code) => (told = code)), layout.stage);
      layout.joined(sb.session);
    } catch (err) {
      layout.destroy();
      const e = /** @type {any} */ (err);
      // As CometChat's, startSession reports through onError, once: a refused token was told already.
      if (told !== (e.code || "error")) call(l, "onError", { code: e.code || "error", message: e.message || String(err) });
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
    dropLayout();
    await shared.sb?.endSession();
  },

  /** @param {boolean} muted */
  muteAudio(muted) {
    shared.sb?.muteAudio(muted);
    shared.layout?.setPressed("cc-mute", !!muted); // the default layout's button follows
  },
  /** @param {boolean} paused */
  async pauseVideo(paused) {
    await shared.sb?.pauseVideo(paused);
    shared.layout?.setPressed("cc-camera", !!paused);
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

/** Removes the drawn call view, if any. */
function dropLayout() {
  const layout = shared.layout;
  shared.layout = null;
  shared.layoutToken = "";
  layout?.destroy();
}

/** Signs out and forgets the client: what a new `init` for another server does. */
function signOut() {
  dropLayout();
  shared.sb?.logout();
  shared.sb = null;
  shared.user = null;
  shared.active = null;
  shared.tokens.clear();
}

/**
 * The server an init's options name (the page's origin when none).
 * @param {InitOptions} o
 */
function baseOf(o) {
  return String(o.baseUrl || location.origin).replace(/\/+$/, "");
}

/**
 * Whether sb's session (starting or running) is the one of callToken.
 * @param {Switchboard} sb
 * @param {string} callToken
 */
function startedWith(sb, callToken) {
  const live = sb.session;
  return sb.starting?.callToken === callToken || (!!live && !live.ended && live.callToken === callToken);
}

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
 * @param {(code: string) => void} [onTold] sees the code of each error the session reports
 * @returns {import("./session.js").SessionSettings}
 */
function sessionSettings(s, l, layout, onTold) {
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
      onError: (e) => {
        onTold?.(e.code);
        call(l, "onError", e);
      },
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
