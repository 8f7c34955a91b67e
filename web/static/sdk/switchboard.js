// @ts-check
/**
 * switchboard JS SDK: ringing (initiate, accept, reject, cancel, end), presence,
 * call log and groups over /v1/ws, and call sessions (media) over /v1/rtc.
 * An ES module with no dependencies and no build step; the names follow
 * CometChat's calling SDK so its users feel at home.
 *
 * ```js
 * import { Switchboard, CALL_TYPE, RECEIVER_TYPE, CALL_STATUS } from "/sdk/switchboard.js";
 * const sb = new Switchboard();                  // same origin; or {baseUrl: "https://calls.example.com"}
 * await sb.login(authToken);
 * sb.addCallListener("app", {
 *   onIncomingCallReceived: (call) => showIncoming(call),
 *   onOutgoingCallAccepted: (call) => sb.startSession(call.callToken, {listener}, el),
 *   onOutgoingCallRejected: (call) => say(call.status), // rejected | busy | unanswered | cancelled (on another of your devices)
 *   onIncomingCallCancelled: (call) => hideIncoming(call),
 *   onCallEndedMessageReceived: (call) => sb.endSession(),
 * });
 * const call = await sb.initiateCall("bob", RECEIVER_TYPE.USER, CALL_TYPE.VIDEO, {timeout: 30});
 * ```
 *
 * After a page reload, `getActiveCall()` returns the call you are in;
 * `generateToken(sessionId)` gives a fresh call token to `startSession` again
 * (`resumeActiveCall` does the three steps).
 * @module switchboard
 */

import { Connection, wsURL, SwitchboardError } from "./rpc.js";
import { Call, toCall, CALL_TYPE, RECEIVER_TYPE, CALL_STATUS } from "./call.js";
import { CallSession } from "./session.js";
import { warmPeers, closeWarm } from "./warm.js";
import { initials } from "./grid.js";
import { listDevices, describeMediaError, MediaError, captureLocal, mediaUnavailable, mediaUnavailableMessage } from "./media.js";
import { notify } from "./listeners.js";

export { Call, CALL_TYPE, RECEIVER_TYPE, CALL_STATUS, SwitchboardError, MediaError, CallSession, describeMediaError, mediaUnavailable, mediaUnavailableMessage, initials };

/**
 * @typedef {object} CallListener
 * @property {(call: Call) => void} [onIncomingCallReceived]
 * @property {(call: Call) => void} [onOutgoingCallAccepted]   call.callToken is yours
 * @property {(call: Call) => void} [onOutgoingCallRejected]   call.status: rejected | busy | unanswered | cancelled (on another of your devices)
 * @property {(call: Call) => void} [onIncomingCallCancelled]  call.reason: cancelled | unanswered | answeredElsewhere | ...
 * @property {(call: Call) => void} [onCallEndedMessageReceived]
 * @property {(call: Call) => void} [onRinging]  a callee's device has your call (participants[i].ackedAt): say "Ringing"
 * @property {(call: Call) => void} [onIncomingCallBusy]  "call waiting": a call came while you were busy, so the server
 *   answered busy and did not ring you (1:1: status busy, call back; a group's: it goes on, acceptCall joins it later)
 */

/**
 * A presence event's user: who, and what they are now.
 * @typedef {object} PresenceUser
 * @property {string} uid
 * @property {string} name
 * @property {"online"|"offline"|"busy"} status
 */

/**
 * @typedef {object} UserListener
 * @property {(user: PresenceUser) => void} [onUserOnline]
 * @property {(user: PresenceUser) => void} [onUserOffline]
 * @property {(user: PresenceUser) => void} [onUserBusy]  entered a call; onUserOnline when it ends
 */

/**
 * @typedef {object} ConnectionListener
 * @property {() => void} [onConnected]       registered (`connected`): the first connection, and each reconnection
 * @property {() => void} [onDisconnected]    the socket dropped; reconnecting with backoff
 * @property {(reason: SwitchboardError) => void} [onUnauthorized] the server refused the auth token (reason.code, reason.message: why)
 *   (reason.code "unauthorized": e.g. expired) or the user (reason.code "forbidden": e.g. disabled
 *   by the app's backend); reason.message is the server's: sign in again
 */

/**
 * @typedef {object} User
 * @property {string} uid
 * @property {string} name
 * @property {string} [avatar]
 * @property {boolean} [online]
 * @property {"online"|"offline"|"busy"} [status]  listUsers: busy is online and in a call
 */

// The types of the other modules an app names, exported from the package's entry point
// (import type { SessionSettings } from "@switchboard-rtc/sdk").
/** @typedef {import("./session.js").SessionSettings} SessionSettings */
/** @typedef {import("./session.js").OngoingCallListener} OngoingCallListener */
/** @typedef {import("./media.js").MediaProblem} MediaProblem */
/** @typedef {import("./call.js").UserRef} UserRef */
/** @typedef {import("./call.js").GroupRef} GroupRef */
/** @typedef {import("./call.js").CallParticipant} CallParticipant */
/** @typedef {import("./rpc.js").ConnectionState} ConnectionState */

/**
 * listCalls' and listCallPage's query. `after`: a page's `next`, as it came; `before`: unix ms
 * (may skip calls of that millisecond; not with `after`).
 * @typedef {object} CallLogQuery
 * @property {number} [limit]  1..100 (default 50)
 * @property {string} [after]
 * @property {number} [before]
 * @property {string} [status]
 * @property {"incoming"|"outgoing"} [direction]
 */

/**
 * @typedef {object} Group
 * @property {string} guid
 * @property {string} name
 * @property {number} [membersCount]
 */

/** Events of /v1/ws and the call listener method each one calls. */
const CALL_EVENTS = {
  incomingCall: "onIncomingCallReceived",
  outgoingCallAccepted: "onOutgoingCallAccepted",
  outgoingCallRejected: "onOutgoingCallRejected",
  incomingCallCancelled: "onIncomingCallCancelled",
  callEnded: "onCallEndedMessageReceived",
  ringing: "onRinging",
  incomingCallBusy: "onIncomingCallBusy",
};

export class Switchboard {
  /** @param {{baseUrl?: string}} [opts] baseUrl defaults to the page's origin */
  constructor(opts = {}) {
    this.baseUrl = opts.baseUrl || location.origin;
    /** @type {Connection|null} */
    this.conn = null;
    /** @type {User|null} */
    this.user = null;
    /** @type {Map<string, CallListener>} */
    this.callListeners = new Map();
    /** @type {Map<string, UserListener>} */
    this.userListeners = new Map();
    /** @type {Map<string, ConnectionListener>} */
    this.connectionListeners = new Map();
    /** @type {CallSession|null} */
    this.session = null;
    /** @type {{audioOnly: boolean, simulcast: boolean, media: Promise<{stream: MediaStream, problems: any[]}>, peers: Promise<import("./warm.js").WarmPeers|null>, captured: boolean}|null} captured: the media is ready */
    this.prepared = null;
    /** @type {{callToken: string, started: Promise<CallSession>}|null} the session startSession is opening */
    this.starting = null;
    /** @type {((err: SwitchboardError|null) => void)|null} settles the login() waiting for the server */
    this.pendingLogin = null;
    /** @type {string[]} the last calls heard ringing here: a reconnect's incomingCall again is not news */
    this.rang = [];
    // Back online, perhaps on another network: a socket that looks open may be dead
    // without knowing it (its address is gone), so it is replaced at once.
    this.onOnline = () => (this.conn?.state === "open" ? this.conn.reopen() : this.conn?.retryNow());
  }

  /**
   * Signs in with an auth token and opens /v1/ws (it reconnects by itself).
   * Resolves with the user once the server has registered this device (its
   * `connected` event: from then on calls to this user ring here); rejects
   * if the token is refused (code "unauthorized": HTTP 401) or when the server cannot be reached
   * within opts.timeoutMs (code "unreachable"; default 10 s; the connection is then closed).
   * @param {string} authToken
   * @param {{timeoutMs?: number}} [opts]
   * @returns {Promise<User>}
   */
  login(authToken, opts = {}) {
    this.logout();
    const claims = decodeJWT(authToken);
    this.user = { uid: claims.uid || "", name: claims.name || claims.uid || "" };
    return new Promise((resolve, reject) => {
      let settled = false;
      const wait = opts.timeoutMs ?? 10000;
      /** @type {Connection} */
      let conn;
      // Settles this login once; a later login() or logout() settles it first (signed_out), so
      // its timer can never close the connection of the sign-in that replaced it.
      /** @param {SwitchboardError|null} err */
      const settle = (err) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.pendingLogin === settle) this.pendingLogin = null;
        if (err) reject(err);
        else resolve(/** @type {User} */ (this.user));
      };
      this.pendingLogin = settle;
      const timer = setTimeout(() => {
        if (settled) return; // (a later login() or logout() settled it: this.conn is another's)
        settle(new SwitchboardError("unreachable", `the server at ${this.baseUrl} cannot be reached (no answer in ${Math.round(wait / 1000)} s)`));
        this.logout(); // unsettled, so this.conn is still this login's
      }, wait);
      conn = this.conn = new Connection({
        url: wsURL(this.baseUrl, "/v1/ws"),
        token: authToken,
        // a socket whose path died silently (no "online" event: Firefox, a stalled Wi-Fi) is
        // replaced within 15 s, not left looking open while calls fail to ring here
        heartbeatMs: 10000,
        onEvent: (name, data) => {
          if (name !== "connected") return this.onEvent(name, data);
          // The first frame of every (re)connection: the device is registered.
          const u = data && data.user;
          if (u && u.uid) this.user = { uid: u.uid, name: u.name || u.uid, ...(u.avatar ? { avatar: u.avatar } : {}) };
          // "call waiting" (onIncomingCallBusy), asked for again on each connection; a server
          // without it answers an error, which changes nothing
          conn.request("subscribe", { events: ["incomingCallBusy"] }).catch(() => {});
          settle(null);
          this.onConnState("open");
        },
        onState: (state) => {
          if (state === "unauthorized" && !settled) {
            this.user = null;
            const why = conn.refusal;
            settle(new SwitchboardError("unauthorized", why ? `this sign-in token was refused: ${why.message}` : "this sign-in token was refused (expired or not valid here)"));
          }
          if (state !== "open") this.onConnState(state); // "open" waits for `connected`
        },
      });
      this.conn.start();
      addEventListener("online", this.onOnline);
    });
  }

  /**
   * Closes the connection and forgets the user (an ongoing session is left). A login() still
   * waiting for the server rejects with code "signed_out".
   */
  logout() {
    this.pendingLogin?.(new SwitchboardError("signed_out", "signed out (logout() or another login()) before the server answered"));
    if (this.session) this.endSession();
    this.releasePreparedMedia();
    this.conn?.close();
    this.conn = null;
    this.user = null;
    removeEventListener("online", this.onOnline);
  }

  /** @returns {User|null} the signed-in user */
  getLoggedInUser() {
    return this.user;
  }

  /** @param {import("./rpc.js").ConnectionState} state */
  onConnState(state) {
    /** @type {Record<string, string>} */
    const names = { open: "onConnected", reconnecting: "onDisconnected", unauthorized: "onUnauthorized" };
    const name = names[state];
    if (!name) return;
    const reason =
      state === "unauthorized" ? (this.conn && this.conn.refusal) || new SwitchboardError("unauthorized", "this sign-in token was refused (expired or not valid here)") : undefined;
    for (const l of [...this.connectionListeners.values()]) notify(l, name, reason);
  }

  /**
   * @param {string} name
   * @param {any} data
   */
  onEvent(name, data) {
    const method = /** @type {Record<string, string>} */ (CALL_EVENTS)[name];
    if (method) {
      const call = toCall(data);
      if (name === "incomingCall") {
        // the server sends a call still ringing again after each (re)connection
        if (this.rang.includes(call.sessionId)) return;
        this.rang = [call.sessionId, ...this.rang.slice(0, 31)];
      }
      for (const l of [...this.callListeners.values()]) notify(l, method, call);
      return;
    }
    if (name === "userOnline" || name === "userOffline" || name === "userBusy") {
      const u = data && data.user ? data.user : data || {};
      const status = { userOnline: "online", userOffline: "offline", userBusy: "busy" }[name];
      const user = { uid: u.uid, name: u.name || u.uid, status };
      const m = { userOnline: "onUserOnline", userOffline: "onUserOffline", userBusy: "onUserBusy" }[name];
      for (const l of [...this.userListeners.values()]) notify(l, m, user);
    }
  }

  /**
   * @param {string} id
   * @param {CallListener} listener
   */
  addCallListener(id, listener) {
    this.callListeners.set(id, listener);
  }
  /** @param {string} id */
  removeCallListener(id) {
    this.callListeners.delete(id);
  }
  /**
   * Presence: who comes online or goes offline.
   * @param {string} id
   * @param {UserListener} listener
   */
  addUserListener(id, listener) {
    this.userListeners.set(id, listener);
  }
  /** @param {string} id */
  removeUserListener(id) {
    this.userListeners.delete(id);
  }
  /**
   * @param {string} id
   * @param {ConnectionListener} listener
   */
  addConnectionListener(id, listener) {
    this.connectionListeners.set(id, listener);
  }
  /** @param {string} id */
  removeConnectionListener(id) {
    this.connectionListeners.delete(id);
  }

  /**
   * Sends a /v1/ws request. Before login() (or after logout()) it rejects with code
   * "not_signed_in" (not "unauthorized": no token was refused, there is none yet).
   * @param {string} method
   * @param {object} [params]
   */
  request(method, params) {
    if (!this.conn) return Promise.reject(new SwitchboardError("not_signed_in", method + ": not signed in (call login() first)"));
    return this.conn.request(method, params);
  }

  /**
   * Rings a user or a group.
   * @param {string} receiverId uid or guid
   * @param {"user"|"group"} receiverType
   * @param {"audio"|"video"} callType
   * @param {{timeout?: number, clientRequestId?: string}} [opts] ring timeout in seconds, rounded
   *   up to whole seconds (0.5 rings 1 s; none, 0 or less: the server's default, 45);
   *   clientRequestId makes a retry return the same call while it rings
   * @returns {Promise<Call>} call.unreachable: the callee has no socket and no push target
   */
  async initiateCall(receiverId, receiverType, callType, opts = {}) {
    /** @type {any} */
    const params = { receiverId, receiverType, callType };
    // the server takes whole seconds (it truncates, and 0 means its default): 0.5 must not be 45
    if (typeof opts.timeout === "number" && opts.timeout > 0) params.timeout = Math.max(1, Math.ceil(opts.timeout));
    if (opts.clientRequestId) params.clientRequestId = opts.clientRequestId;
    return toCall(await this.request("initiateCall", params));
  }

  /**
   * Accepts an incoming call. The returned call carries your callToken.
   * @param {string} sessionId
   * @returns {Promise<Call>}
   */
  async acceptCall(sessionId) {
    return toCall(await this.request("acceptCall", { sessionId }));
  }

  /**
   * Rejects (rejected, busy) an incoming call or cancels (cancelled) your outgoing one.
   * @param {string} sessionId
   * @param {"rejected"|"busy"|"cancelled"} status
   * @returns {Promise<Call>}
   */
  async rejectCall(sessionId, status) {
    return toCall(await this.request("rejectCall", { sessionId, status }));
  }

  /**
   * Ends a call (1:1: for both; group: you leave) and your session in it.
   * @param {string} sessionId
   * @returns {Promise<Call>}
   */
  async endCall(sessionId) {
    const s = this.session;
    // Your session ends with its own call only: another (a stale or wrong id) leaves it alone.
    const ours = s && !s.ended && (!s.sessionId || s.sessionId === sessionId) ? s : null;
    // The /v1/rtc callEnded this causes may come before the reply: yours is not a call that ended on you.
    if (ours) ours.endingSelf = true;
    /** @type {Call} */
    let call;
    try {
      call = toCall(await this.request("endCall", { sessionId }));
    } catch (err) {
      const code = err instanceof SwitchboardError ? err.code : "";
      const notThisCall = !ours?.sessionId && ["not_found", "forbidden", "bad_request"].includes(code);
      if (ours && notThisCall) ours.endingSelf = false;
      if (ours && !notThisCall) {
        // No answer (the socket is down): the hang-up still happens, over /v1/rtc.
        if (this.session === ours) this.session = null;
        await ours.endCall();
      }
      throw err;
    }
    if (ours) {
      if (this.session === ours) this.session = null;
      ours.teardown({ reason: "ended" }, false);
    }
    return call;
  }

  /**
   * A fresh call token for an ongoing call you are part of (e.g. after a reload).
   * @param {string} sessionId
   * @returns {Promise<{token: string}>}
   */
  async generateToken(sessionId) {
    const res = await this.request("generateToken", { sessionId });
    return { token: res.callToken || res.token };
  }

  /**
   * Tells the caller this device has the incoming call and rings (they get onRinging).
   * @param {string} sessionId
   * @returns {Promise<Call>}
   */
  async ackCall(sessionId) {
    return toCall(await this.request("ackCall", { sessionId }));
  }

  /**
   * A call you take part in, as it is now, with each participant's ring state.
   * @param {string} sessionId
   * @returns {Promise<Call>}
   */
  async getCall(sessionId) {
    return toCall(await this.request("getCall", { sessionId }));
  }

  /**
   * Registers (or updates) a push target of this user and binds this socket to it: while the
   * socket lives, the device is rung here, not by push. Kinds: "apns-voip", "apns", "fcm".
   * @param {{deviceId: string, kind: "apns-voip"|"apns"|"fcm", token: string, appId: string}} device
   * @returns {Promise<{deviceId: string, kind: string, token: string, appId: string, createdAt: number, updatedAt: number}>}
   */
  async registerDevice(device) {
    return this.request("registerDevice", device);
  }

  /**
   * Removes an install's push targets: every kind it holds, or only `kind`.
   * @param {string} deviceId
   * @param {"apns-voip"|"apns"|"fcm"} [kind]
   */
  async unregisterDevice(deviceId, kind) {
    await this.request("unregisterDevice", kind ? { deviceId, kind } : { deviceId });
  }

  /** @returns {Promise<Array<{deviceId: string, kind: string, token: string, appId: string}>>} */
  async listDevices() {
    const res = await this.request("listDevices");
    return (res && res.devices) || [];
  }

  /** @returns {Promise<Call|null>} the call you are ringing or in, if any */
  async getActiveCall() {
    const res = await this.request("getActiveCall");
    if (!res || (res.call === null && !res.sessionId)) return null;
    return toCall(res);
  }

  /**
   * Your call log, newest first, with your view of each status (missed, unanswered...).
   * To read it page by page use listCallPage: paging with `before` can skip calls initiated
   * in the same millisecond.
   * @param {CallLogQuery} [q]
   * @returns {Promise<Call[]>}
   */
  async listCalls(q = {}) {
    const res = await this.request("listCalls", q);
    const list = Array.isArray(res) ? res : (res && res.calls) || [];
    return list.map((/** @type {any} */ c) => new Call(c));
  }

  /**
   * A page of your call log, as listCalls, with `next` when more calls follow (or when a
   * filtered log stopped reading before it filled: fewer calls then, perhaps none): pass it
   * as `after` (with the same limit, status and direction) for the next page, until a page
   * comes without it.
   * @param {CallLogQuery} [q]
   * @returns {Promise<{calls: Call[], next?: string}>}
   */
  async listCallPage(q = {}) {
    const res = await this.request("listCallPage", q);
    /** @type {{calls: Call[], next?: string}} */
    const page = { calls: ((res && res.calls) || []).map((/** @type {any} */ c) => new Call(c)) };
    if (res && typeof res.next === "string" && res.next) page.next = res.next;
    return page;
  }

  /** @returns {Promise<User[]>} every user, with `online` */
  async listUsers() {
    const res = await this.request("listUsers");
    return Array.isArray(res) ? res : (res && res.users) || [];
  }

  /** @returns {Promise<Group[]>} the groups you are a member of */
  async listGroups() {
    const res = await this.request("listGroups");
    return Array.isArray(res) ? res : (res && res.groups) || [];
  }

  /**
   * Opens the camera and microphone ahead of startSession (e.g. while a call
   * rings), so media flows sooner after the answer: it also makes the call's
   * peer connections and its first offer (ICE gathers meanwhile). The next
   * startSession with the same audioOnly and simulcast uses them;
   * releasePreparedMedia() lets them go.
   * @param {{audioOnly?: boolean, simulcast?: boolean}} [opts]
   * @returns {Promise<MediaStream>} for a preview
   */
  async prepareMedia(opts = {}) {
    const audioOnly = !!opts.audioOnly;
    const simulcast = opts.simulcast !== false;
    if (!this.prepared || this.prepared.audioOnly !== audioOnly || this.prepared.simulcast !== simulcast) {
      this.releasePreparedMedia();
      const media = captureLocal({ audio: true, video: !audioOnly });
      const peers = media.then(({ stream }) => warmPeers(stream, simulcast)).catch(() => null);
      const prepared = { audioOnly, simulcast, media, peers, captured: false };
      media.then(() => (prepared.captured = true), () => {});
      this.prepared = prepared;
    }
    return (await this.prepared.media).stream;
  }

  /** Stops media captured by prepareMedia and not used by a session, and closes its peers. */
  releasePreparedMedia() {
    const p = this.prepared;
    this.prepared = null;
    if (!p) return;
    p.media.then(({ stream }) => stream.getTracks().forEach((t) => t.stop()));
    p.peers.then(closeWarm);
  }

  /**
   * Starts your media in a call: captures camera and microphone (falling back
   * to audio-only, then listen-only, telling settings.listener.onMediaError
   * why), connects /v1/rtc and draws the participants into element.
   *
   * When the page can capture nothing at all because it is not a secure
   * context (http:// from another address than localhost), it throws a
   * SwitchboardError with code "insecure_context" (or "media_unsupported")
   * instead of joining silently without publishing; settings.listenOnly
   * joins anyway, publishing nothing.
   *
   * A second startSession with the same call token while that session starts or runs (a
   * double-clicked Accept) returns the same session; another token leaves the current session
   * first.
   * @param {string} callToken
   * @param {import("./session.js").SessionSettings} settings
   * @param {HTMLElement|null} element
   * @returns {Promise<CallSession>}
   */
  startSession(callToken, settings, element) {
    const bad = badElement(element); // e.g. an element's id: nothing starts, the app's mistake is named
    if (bad) return Promise.reject(bad);
    const same = this.starting;
    if (same && same.callToken === callToken) return same.started;
    const live = this.session;
    if (live && !live.ended && live.callToken === callToken) return Promise.resolve(live);
    const started = this.openSession(callToken, settings || {}, element);
    const entry = { callToken, started };
    this.starting = entry;
    const done = () => {
      if (this.starting === entry) this.starting = null;
    };
    started.then(done, done);
    return started;
  }

  /**
   * startSession's work.
   * @param {string} callToken
   * @param {import("./session.js").SessionSettings} settings
   * @param {HTMLElement|null} element
   * @returns {Promise<CallSession>}
   */
  async openSession(callToken, settings, element) {
    const why = settings.listenOnly ? "" : mediaUnavailable();
    if (why) {
      this.releasePreparedMedia();
      throw new SwitchboardError(why === "insecure_context" ? why : "media_unsupported", mediaUnavailableMessage(why));
    }
    if (this.session) await this.endSession();
    const prepared = this.prepared;
    if (prepared && !settings.media && !settings.listenOnly && prepared.audioOnly === !!settings.audioOnly) {
      this.prepared = null;
      // the peers go with the media; a session that cannot use them (other simulcast) closes them
      settings = { ...settings, media: prepared.media, peers: prepared.peers, peersFirst: prepared.captured };
    } else this.releasePreparedMedia();
    const s = new CallSession(this.baseUrl, callToken, settings, element);
    this.session = s;
    // The app's listener as it is (an object literal or a class instance: its methods may be
    // on its prototype, and `this` in them is the app's object), with onCallEnded seen first.
    const app = settings.listener || {};
    /** @param {{reason: string}} info */
    const onCallEnded = (info) => {
      if (this.session === s) this.session = null;
      app.onCallEnded?.(info);
    };
    s.listener = new Proxy(app, { get: (target, key) => (key === "onCallEnded" ? onCallEnded : Reflect.get(target, key)) });
    try {
      await s.start();
    } catch (err) {
      if (this.session === s) this.session = null;
      s.teardown({ reason: "failed" }, false);
      throw err;
    }
    return s;
  }

  /** Leaves your session (media only; use endCall to end the call). */
  async endSession() {
    const s = this.session;
    this.session = null;
    if (s) await s.leave();
  }

  /**
   * Rejoins the call you were in before a reload: getActiveCall, generateToken, startSession.
   * Resolves with the session, or null when there is no ongoing call to rejoin.
   * @param {import("./session.js").SessionSettings} settings
   * @param {HTMLElement|null} element
   * @returns {Promise<{call: Call, session: CallSession}|null>}
   */
  async resumeActiveCall(settings, element) {
    const call = await this.getActiveCall();
    if (!call || call.status !== CALL_STATUS.ONGOING) return null;
    const { token } = await this.generateToken(call.sessionId);
    const session = await this.startSession(token, { audioOnly: call.callType === CALL_TYPE.AUDIO, ...settings }, element);
    return { call, session };
  }

  /** @param {boolean} muted */
  muteAudio(muted) {
    this.session?.muteAudio(muted);
  }
  /** @param {boolean} paused camera off (true) or on */
  pauseVideo(paused) {
    return this.session?.pauseVideo(paused);
  }
  switchCamera() {
    return this.session?.switchCamera();
  }
  /** @param {string} deviceId */
  setAudioInputDevice(deviceId) {
    return this.session?.setAudioInputDevice(deviceId);
  }
  /** @param {string} deviceId */
  setVideoInputDevice(deviceId) {
    return this.session?.setVideoInputDevice(deviceId);
  }
  /**
   * Shares the screen (a second video track, shown large to the others).
   * @param {MediaStreamTrack} [track] share this track instead of asking the user
   */
  startScreenShare(track) {
    return this.session?.startScreenShare(track);
  }
  stopScreenShare() {
    return this.session?.stopScreenShare();
  }
  getAudioInputDevices() {
    return listDevices("audioinput");
  }
  getVideoInputDevices() {
    return listDevices("videoinput");
  }
}

/**
 * Reads a JWT's claims without verifying them (the server verifies).
 * @param {string} token
 * @returns {any}
 */
export function decodeJWT(token) {
  try {
    const part = token.split(".")[1] || "";
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(
      atob(b64 + "===".slice((b64.length + 3) % 4))
        .split("")
        .map((c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0"))
        .join(""),
    );
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/**
 * The error for startSession's element when it is neither an HTMLElement nor null (an element's
 * id, say), else null.
 * @param {any} element
 * @returns {SwitchboardError|null}
 */
export function badElement(element) {
  if (element == null || typeof element.replaceChildren === "function") return null;
  const what = typeof element === "string" ? `the string ${JSON.stringify(element)}` : `a ${typeof element}`;
  return new SwitchboardError("bad_request", `startSession: element must be an HTMLElement (or null), not ${what}: pass document.getElementById(...)`);
}
