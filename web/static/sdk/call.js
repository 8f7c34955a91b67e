// @ts-check
// The Call object and the constants of the switchboard SDK (CometChat's names).

/** Call types. */
export const CALL_TYPE = Object.freeze({ AUDIO: "audio", VIDEO: "video" });

/** Receiver types. */
export const RECEIVER_TYPE = Object.freeze({ USER: "user", GROUP: "group" });

/** Call statuses, as the server reports them (a call log shows each user's view). */
export const CALL_STATUS = Object.freeze({
  INITIATED: "initiated",
  ONGOING: "ongoing",
  BUSY: "busy",
  REJECTED: "rejected",
  CANCELLED: "cancelled",
  ENDED: "ended",
  MISSED: "missed",
  UNANSWERED: "unanswered",
});

/**
 * @typedef {object} UserRef
 * @property {string} uid
 * @property {string} [name]
 * @property {string} [avatar] the user's avatar URL, when the app set one
 */

/**
 * @typedef {object} GroupRef
 * @property {string} guid
 * @property {string} [name]
 */

/**
 * @typedef {object} CallParticipant
 * @property {string} uid
 * @property {string} [name]
 * @property {string} status
 * @property {number|null} [joinedAt] unix ms; null (or absent) until they join
 * @property {number|null} [leftAt]   unix ms; null (or absent) until they leave
 * @property {number} [earlierMs] ms in the call before joinedAt (a group member who left and joined again)
 * @property {number} [ackedAt]  unix ms: a device of this callee acknowledged the ring
 */

/** One call session, as in docs/protocol.md; times are unix milliseconds. */
export class Call {
  /** @param {any} data a Call object from the wire */
  constructor(data) {
    const d = data || {};
    /** @type {string} */
    this.sessionId = d.sessionId || "";
    /** @type {string} "audio" | "video" */
    this.callType = d.callType || "";
    /** @type {string} "user" | "group" */
    this.receiverType = d.receiverType || "";
    /** @type {UserRef} */
    this.initiator = d.initiator || { uid: "" };
    /** @type {UserRef & Partial<GroupRef>} */
    this.receiver = d.receiver || { uid: "" };
    /** @type {string} */
    this.status = d.status || "";
    /** @type {number} */
    this.initiatedAt = d.initiatedAt || 0;
    /** @type {number} */
    this.joinedAt = d.joinedAt || 0;
    /** @type {number} */
    this.endedAt = d.endedAt || 0;
    /** @type {number} seconds */
    this.timeout = d.timeout || 0;
    /** @type {CallParticipant[]} a call of more than 50 lists only its initiator, you and who joined (getCall lists all) */
    this.participants = d.participants || [];
    /** @type {number} how many participants a call of more than 50 leaves out here (0: none) */
    this.participantsOmitted = d.participantsOmitted || 0;
    /** @type {string} */
    this.endReason = d.endReason || "";
    /** @type {string} the call token, set on accept (yours) */
    this.callToken = d.callToken || "";
    /** @type {string} why an incoming call stopped ringing (cancelled, unanswered, answeredElsewhere...) */
    this.reason = d.reason || "";
    /** @type {boolean} the 1:1 callee had no socket and no push target when the call was placed */
    this.unreachable = !!d.unreachable;
  }

  getSessionId() {
    return this.sessionId;
  }
  getType() {
    return this.callType;
  }
  getReceiverType() {
    return this.receiverType;
  }
  getCallInitiator() {
    return this.initiator;
  }
  getCallReceiver() {
    return this.receiver;
  }
  getStatus() {
    return this.status;
  }
  getAction() {
    return this.status;
  }
  getInitiatedAt() {
    return this.initiatedAt;
  }
  getJoinedAt() {
    return this.joinedAt;
  }
  getEndedAt() {
    return this.endedAt;
  }
  getCallToken() {
    return this.callToken;
  }
  /** Seconds between joinedAt and endedAt (0 if the call was never answered). */
  getDuration() {
    if (!this.joinedAt || !this.endedAt) return 0;
    return Math.max(0, Math.round((this.endedAt - this.joinedAt) / 1000));
  }
  /**
   * Seconds uid spent in the call: from joining to leaving (or to the call's end), plus the
   * times before if they left and joined again (earlierMs); 0 if they never joined. A group
   * member who left early counts only their own time. Without a participant list,
   * getDuration().
   * @param {string} uid
   */
  getDurationOf(uid) {
    const p = this.participants.find((x) => x.uid === uid);
    if (!p) return this.getDuration();
    const to = p.leftAt || this.endedAt;
    if (!p.joinedAt || !to) return Math.round((p.earlierMs || 0) / 1000);
    return Math.max(0, Math.round(((p.earlierMs || 0) + to - p.joinedAt) / 1000));
  }
  /**
   * Whether uid has left this call while it goes on (a group call others are still in).
   * @param {string} uid
   */
  hasLeft(uid) {
    return this.status === "ongoing" && this.participants.some((x) => x.uid === uid && x.status === "left");
  }
  /**
   * Whether uid started this call.
   * @param {string} uid
   */
  isOutgoingFor(uid) {
    return this.initiator.uid === uid;
  }
}

/**
 * Builds a Call from an event or reply payload: either a Call object, or
 * {call, callToken, reason, status}.
 * @param {any} data
 * @returns {Call}
 */
export function toCall(data) {
  if (data && typeof data === "object" && data.call) {
    const c = new Call(data.call);
    if (data.callToken) c.callToken = data.callToken;
    if (data.reason) c.reason = data.reason;
    if (data.status && !c.status) c.status = data.status;
    return c;
  }
  return new Call(data);
}
