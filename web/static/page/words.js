// @ts-check
// What the page says to people: outcomes, statuses and durations in plain words.

/**
 * Formats seconds as m:ss or h:mm:ss.
 * @param {number} s
 */
export function clock(s) {
  s = Math.max(0, Math.floor(s));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * Why an outgoing call did not connect, for the caller.
 * @param {string} status rejected | busy | unanswered | cancelled
 * @param {string} who the callee's name (or the group's)
 * @param {boolean} group
 */
export function outgoingOutcome(status, who, group) {
  switch (status) {
    case "rejected":
      return group ? `Nobody in ${who} took the call.` : `${who} declined the call.`;
    case "busy":
      return group ? `Everyone in ${who} is busy.` : `${who} is busy on another call. Try again later.`;
    case "unanswered":
      return group ? `Nobody in ${who} answered.` : `${who} didn't answer.`;
    case "cancelled":
      return "Call cancelled.";
    default:
      return `The call to ${who} did not connect (${status || "unknown reason"}).`;
  }
}

/**
 * Why an incoming call stopped ringing, for the callee.
 * @param {string} reason cancelled | unanswered | answeredElsewhere | ...
 * @param {string} who the caller's name
 */
export function incomingOutcome(reason, who) {
  switch (reason) {
    case "cancelled":
      return `${who} cancelled the call.`;
    case "unanswered":
    case "missed":
    case "timeout":
      return `You missed a call from ${who}.`;
    case "answeredElsewhere":
      return "You answered on another device.";
    case "rejectedElsewhere":
      return "You declined on another device.";
    case "disconnected":
      return `${who} lost their connection, so the call was cancelled.`;
    default:
      return `The call from ${who} ended.`;
  }
}

/** Status words in the call history (a person's view of the call). */
const STATUS_WORDS = {
  ended: "Ended",
  ongoing: "In progress",
  left: "You left",
  initiated: "Ringing",
  missed: "Missed",
  unanswered: "No answer",
  rejected: "Declined",
  busy: "Busy",
  cancelled: "Cancelled",
};

/** @param {string} status */
export function statusWord(status) {
  return /** @type {Record<string, string>} */ (STATUS_WORDS)[status] || status;
}

/**
 * A short time for the history: "14:05" today, else "12 Mar 14:05".
 * @param {number} ms
 */
export function when(ms) {
  if (!ms) return "";
  const d = new Date(ms);
  const hm = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (d.toDateString() === new Date().toDateString()) return hm;
  return d.toLocaleDateString([], { day: "numeric", month: "short" }) + " " + hm;
}
