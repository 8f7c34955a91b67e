// @ts-check
// The classes of the CometChat-compatible surface (cometchat.js re-exports them): User, Group,
// Call with CometChat's getters (timestamps in unix seconds), the listeners and the call
// settings builder.

import { Call as SbCall, CALL_TYPE, RECEIVER_TYPE } from "./call.js";

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

