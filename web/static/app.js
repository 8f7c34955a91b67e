// @ts-check
// The switchboard web page: sign in, see who is online, call, answer, talk.
// Screens: signin -> home (people, groups, history) -> outgoing | incoming -> call.

// The SDK package, by its name (the import map in index.html points it at /sdk/), as any app would.
import { Switchboard } from "@switchboard-rtc/sdk";
import { $, initials } from "./page/dom.js";
import { CallAlerts } from "./page/alerts.js";
import { Home } from "./page/home.js";
import { RingTone } from "./page/ringtone.js";
import { CallScreen } from "./page/callscreen.js";
import { outgoingOutcome, incomingOutcome, clock } from "./page/words.js";
import { Previews } from "./page/previews.js";
import { wireSignIn, explainInsecurePage, tokenFromFragment, probeDevLogin, signInError } from "./page/signin.js";

const TOKEN_KEY = "switchboard.token";
const SCREENS = ["signin", "home", "outgoing", "incoming", "call"];

const sb = new Switchboard();
const ring = new RingTone("ring");
const ringback = new RingTone("ringback");
const alerts = new CallAlerts($("alerts"));

/** What the page is showing and about which call. */
const state = {
  /** @type {string} */ screen: "",
  /** @type {import("./sdk/call.js").Call|null} the call being rung, answered or held */
  call: null,
  /** @type {string} the other side's name (or the group's) */
  peerName: "",
  /** @type {string} the session of the last call that ended for you */
  ended: "",
  /** whether your own call is being placed (initiateCall not answered yet) */
  dialing: false,
  /** @type {import("./sdk/call.js").Call|null} a call that rang you while yours was being placed: shown if yours is refused */
  heldIncoming: null,
  /** @type {string} the data-testid of the call button last pressed: the focus comes back to it */
  lastButton: "",
  /** timings for tests and curious people (Date.now() ms) */
  timings: { accepted: 0, firstFrame: /** @type {Record<string, number>} */ ({}), marks: /** @type {Record<string, number>} */ ({}) },
};

const previews = new Previews(sb, state);

const callScreen = new CallScreen(sb, {
  onEnded: (text) => endedToHome(text),
  onDropped: (text) => rejoinOrHome(text),
  onFirstFrame: (uid) => {
    state.timings.firstFrame[uid] = Date.now();
    const marks = sb.session?.marks;
    if (marks) state.timings.marks = { ...marks };
  },
  nameOf: (uid) => nameOf(uid),
});

const home = new Home(sb, {
  dial: (id, receiverType, callType, name) => dial(id, receiverType, callType, name),
  join: (call) => joinOngoing(call),
  current: () => state.call?.sessionId || "",
  loaded: (calls, me) => {
    // The end-of-call notice shows the same figure as the history row (the server's, your time in it).
    const d = calls.find((c) => c.sessionId === state.ended && c.status !== "ongoing")?.getDurationOf(me) || 0;
    if (d && !state.call && $("notice").textContent.startsWith("Call ended · ")) notify(`Call ended · ${clock(d)}`);
  },
});
const nameOf = (/** @type {string} */ uid) => home.nameOf(uid);

// A handle for tests and debugging in the console.
/** @type {any} */ (window).switchboardApp = { sb, state, home, callScreen, ring, ringback, alerts };

/** @param {string} name */
function show(name) {
  const from = state.screen;
  state.screen = name;
  // Each tone belongs to its screen: whatever leaves the screen silences it, so that no path
  // (an error, a race with another event) can leave a phone ringing with nothing to answer.
  if (name !== "incoming") stopRinging();
  if (name !== "outgoing") ringback.stop();
  for (const s of SCREENS) $("screen-" + s).hidden = s !== name;
  document.body.dataset.screen = name;
  const who = state.peerName;
  document.title = { incoming: `Incoming call from ${who}`, outgoing: `Calling ${who}…`, call: `In a call with ${who}` }[name] || "switchboard";
  const focus = { outgoing: "outgoing-title", incoming: "incoming-title", call: "call-title" }[name];
  if (focus) $(focus).focus();
  else if (name === "home" && from && from !== "home" && from !== "signin") focusHome();
  // signed in (or back with a kept session): the focus was on a form that is now hidden
  else if (name === "home" && from !== "home") $("home-title").focus();
}

/**
 * Back home from a call screen (the focused control just vanished): the focus goes to the
 * outcome notice, which is read out, else to the call button last pressed.
 */
function focusHome() {
  const n = $("notice");
  if (!n.hidden && n.textContent) {
    n.focus();
    return;
  }
  const b = state.lastButton && document.querySelector(`[data-testid="${state.lastButton}"]`);
  if (b instanceof HTMLElement) b.focus();
}

/**
 * @param {string} text
 * @param {"good"|"bad"} [tone]
 */
function notify(text, tone = "good") {
  const n = $("notice");
  n.textContent = text;
  n.dataset.tone = tone;
  n.hidden = !text;
}

// ---- sign in -------------------------------------------------------------

async function boot() {
  const unlock = () => {
    ring.unlock();
    ringback.unlock();
  };
  document.addEventListener("pointerdown", unlock, { capture: true });
  document.addEventListener("keydown", unlock, { capture: true });
  document.addEventListener("keydown", onEscape);
  document.addEventListener("keydown", keepFocusInRinging);
  // When the browser holds sound back (no click yet, e.g. after a reload), say how to get it.
  ring.onBlocked = (blocked) => ($("sound-hint").hidden = !blocked || !ring.ringing);
  $("sound-on").addEventListener("click", () => {
    unlock();
    $("sound-hint").hidden = true;
  });
  wireSignIn(signIn);
  $("signout").addEventListener("click", signOut);
  $("history-more").addEventListener("click", () => home.callLog.older());
  wireCallButtons();
  explainInsecurePage();
  const fromURL = tokenFromFragment();
  const token = fromURL || sessionStorage.getItem(TOKEN_KEY);
  await probeDevLogin();
  if (token) await signIn(token);
  else {
    show("signin");
    if (!$("dev-form").hidden) $("signin-name").focus();
  }
}

/** @param {string} token */
async function signIn(token) {
  let user;
  try {
    user = await sb.login(token);
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    show("signin");
    signInError(/** @type {any} */ (err).message || "Sign-in failed.");
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $("me").hidden = false;
  $("me-name").textContent = user.name || user.uid;
  $("me-avatar").textContent = initials(user.name || user.uid);
  alerts.offer(); // signed in: a sensible moment to offer desktop alerts for calls
  sb.addConnectionListener("page", {
    onConnected: () => setConn("open", "Connected"),
    onDisconnected: () => setConn("reconnecting", "Reconnecting…"),
    onUnauthorized: (reason) => {
      sessionStorage.removeItem(TOKEN_KEY);
      setConn("closed", "Signed out");
      show("signin");
      // 403: the user, not the token (e.g. disabled by the app's backend): the server says so
      signInError(reason && reason.code === "forbidden" ? `You were signed out: ${reason.message}.` : "Your sign-in has expired. Sign in again.");
    },
  });
  sb.addCallListener("page", callListener);
  sb.addUserListener("page", {
    onUserOnline: (u) => home.setPresence(u, "online"),
    onUserOffline: (u) => home.setPresence(u, "offline"),
    onUserBusy: (u) => home.setPresence(u, "busy"),
  });
  setConn("open", "Connected");
  show("home");
  await Promise.all([home.loadPeople(), home.loadGroups(), home.loadHistory()]);
  await recoverActiveCall();
}

/**
 * @param {string} s
 * @param {string} text
 */
function setConn(s, text) {
  const c = $("conn");
  c.dataset.state = s;
  c.textContent = text;
  if (s === "open" && state.screen !== "signin") {
    // after a reconnection: what may have changed while away
    home.loadPeople();
    home.loadHistory();
    if (state.screen === "home") recoverActiveCall();
  }
}

function signOut() {
  callScreen.leave();
  stopRinging();
  ringback.stop();
  sb.logout();
  sessionStorage.removeItem(TOKEN_KEY);
  state.call = null;
  $("me").hidden = true;
  notify("");
  show("signin");
}

// ---- calling out ---------------------------------------------------------

/**
 * @param {string} id
 * @param {"user"|"group"} receiverType
 * @param {"audio"|"video"} callType
 * @param {string} name
 */
async function dial(id, receiverType, callType, name) {
  if (state.call || state.dialing) return;
  state.lastButton = `call-${receiverType === "group" ? "group-" : ""}${callType}-${id}`;
  // A call of this group goes on: joining it is what you can do (a new one would find everyone busy).
  const ongoing = receiverType === "group" && home.joinable.get(id);
  if (ongoing) return joinOngoing(ongoing);
  notify("");
  showOutgoing(name, callType, receiverType === "group");
  /** @type {import("./sdk/call.js").Call|null} */
  let call = null;
  /** @type {any} */
  let error = null;
  state.dialing = true;
  try {
    call = await sb.initiateCall(id, receiverType, callType);
  } catch (err) {
    error = err;
  } finally {
    state.dialing = false;
  }
  // A call may have rung you while yours was being placed (someone called you, or the same
  // group, at the same moment): the server kept one of the two.
  let rang = state.heldIncoming;
  state.heldIncoming = null;
  if (call && rang && rang.sessionId === call.sessionId) rang = null; // 1:1 glare: that very call, now accepted
  const placed = !!call && (!!call.callToken || !call.status || call.status === "initiated");
  if (rang && placed) sb.rejectCall(rang.sessionId, "busy").catch(() => {}); // yours rings: you are busy for theirs
  if (rang && !placed) {
    // Yours was refused (everyone in the group is busy: with the call that rings you): that
    // call is what you can answer.
    state.call = null;
    previews.stop();
    callListener.onIncomingCallReceived?.(rang);
    return;
  }
  if (!call) {
    state.call = null;
    previews.stop();
    const text = error.code === "rate_limited" ? "You are calling too often. Wait a few seconds and try again." : error.message || "The call could not be placed.";
    notify(text, "bad");
    show("home");
    return;
  }
  if (state.screen !== "outgoing" && !call.callToken && call.status === "initiated") {
    sb.rejectCall(call.sessionId, "cancelled").catch(() => {}); // cancelled before the server answered
    home.loadHistory();
    return;
  }
  state.call = call;
  busyNote(call);
  home.loadHistory(); // the call shows in the history as it rings
  if (call.callToken) await joinCall(call); // glare: they were calling us, so we are connected
  else if (call.status && call.status !== "initiated") outgoingEnded(call.status);
}

/**
 * The outgoing screen for a call to name: as you dial it, and again after a reload while it
 * rings (the ring-back tone, your camera's preview).
 * @param {string} name
 * @param {string} callType
 * @param {boolean} group
 */
function showOutgoing(name, callType, group) {
  state.peerName = name;
  $("outgoing-verb").textContent = "Calling";
  $("outgoing-name").textContent = name;
  $("outgoing-avatar").textContent = initials(name);
  $("outgoing-kind").textContent = (callType === "audio" ? "Audio" : "Video") + (group ? " group call" : " call");
  previews.note("outgoing", "");
  show("outgoing");
  ringback.start(); // the caller hears it ring
  previews.prepare(callType, "outgoing");
}

/**
 * A group's call rings only those who are free: the outgoing screen names the others
 * ("Cat and Dan are in another call"), who are not rung at all.
 * @param {import("./sdk/call.js").Call} call
 */
function busyNote(call) {
  if (call.receiverType !== "group") return;
  const me = sb.getLoggedInUser()?.uid;
  const busy = call.participants.filter((p) => p.uid !== me && p.status === "busy").map((p) => p.name || nameOf(p.uid));
  if (!busy.length) return;
  const who = busy.length === 1 ? busy[0] : `${busy.slice(0, -1).join(", ")} and ${busy[busy.length - 1]}`;
  $("outgoing-kind").textContent += ` · ${who} ${busy.length === 1 ? "is" : "are"} in another call`;
}

/** A callee's device has the call: "Calling" becomes "Ringing". */
function outgoingRings() {
  $("outgoing-verb").textContent = "Ringing";
  document.title = `Ringing ${state.peerName}…`;
}

/** @param {string} status */
function outgoingEnded(status) {
  const group = state.call?.receiverType === "group";
  const guid = state.call?.receiver.guid || "";
  state.call = null;
  ringback.stop();
  previews.stop();
  const text = outgoingOutcome(status, state.peerName, group);
  notify(text, "bad");
  show("home");
  const name = state.peerName;
  home.loadHistory().then(() => {
    // "Everyone is busy" in a group whose call goes on: they are busy with it, and Join is the way in.
    if (group && status === "busy" && !state.call && home.joinable.has(guid) && $("notice").textContent === text) {
      notify(`A call in ${name} is already going on: press Join to take part.`, "bad");
    }
  });
}

async function cancelOutgoing() {
  const call = state.call;
  if (!call) {
    show("home");
    return;
  }
  try {
    await sb.rejectCall(call.sessionId, "cancelled");
  } catch {
    // it ended meanwhile; the event says how
  }
  if (state.call === call) outgoingEnded("cancelled");
}

// ---- calls coming in -----------------------------------------------------

/** @type {import("./sdk/switchboard.js").CallListener} */
const callListener = {
  onIncomingCallReceived: (call) => {
    if (state.dialing) {
      state.heldIncoming = call; // dial() decides, once your own call is placed or refused
      return;
    }
    if (state.call) return; // the server answers busy for us
    state.call = call;
    const group = call.receiverType === "group";
    const caller = call.initiator.name || call.initiator.uid;
    state.peerName = group ? call.receiver.name || call.receiver.guid || caller : caller;
    // A group's call is the group's: "Team is calling", started by the caller (who may leave
    // while it still rings you: it goes on with the others, so the screen stays true).
    $("incoming-caller").textContent = state.peerName;
    $("incoming-avatar").textContent = initials(state.peerName);
    const kind = call.callType === "audio" ? "Audio call" : "Video call";
    $("incoming-kind").textContent = group ? `${kind} · started by ${caller}` : kind;
    if (group) home.loadGroups(); // you may have been added to it since the page loaded
    notify("");
    previews.note("incoming", "");
    show("incoming");
    ring.start();
    alerts.incoming(call, state.peerName, $("incoming-kind").textContent || "");
    home.loadHistory();
    previews.prepare(call.callType, "incoming");
  },
  onIncomingCallCancelled: (call) => {
    if (state.heldIncoming?.sessionId === call.sessionId) state.heldIncoming = null;
    if (!sameCall(call)) {
      home.loadHistory(); // a group call that stopped ringing you may go on: its Join
      return;
    }
    stopRinging();
    previews.stop();
    const caller = call.initiator.name || call.initiator.uid || state.call?.initiator.name || "";
    state.call = null;
    notify(incomingOutcome(call.reason || call.status, caller), call.reason === "answeredElsewhere" ? "good" : "bad");
    show("home");
    home.loadHistory();
  },
  onOutgoingCallAccepted: (call) => {
    if (!sameCall(call) || state.screen !== "outgoing") return;
    ringback.stop();
    state.timings.accepted = Date.now();
    joinCall(call);
  },
  onOutgoingCallRejected: (call) => {
    if (!sameCall(call)) return;
    outgoingEnded(call.status || call.reason);
  },
  onRinging: (call) => {
    if (sameCall(call) && state.screen === "outgoing") outgoingRings();
  },
  onIncomingCallBusy: (call) => {
    // "call waiting": someone called while you were in a call; the server answered busy
    home.loadHistory();
    if (state.screen !== "call") return;
    const caller = call.initiator.name || call.initiator.uid;
    const text =
      call.receiverType === "group"
        ? `${call.receiver.name || call.receiver.guid} is calling (started by ${caller}): you can join after this call`
        : `${caller} tried to call you`;
    callScreen.flash(text, 10000);
  },
  onCallEndedMessageReceived: (call) => {
    if (state.heldIncoming?.sessionId === call.sessionId) state.heldIncoming = null;
    if (!sameCall(call)) {
      home.loadHistory();
      return;
    }
    stopRinging();
    if (state.screen === "call") callScreen.ended(call);
    else endedToHome("The call ended.");
  },
};

/** Stops the incoming ring, its sound hint and its desktop notification. */
function stopRinging() {
  ring.stop();
  alerts.clear();
  $("sound-hint").hidden = true;
}

/** @param {import("./sdk/call.js").Call} call */
function sameCall(call) {
  return !!state.call && state.call.sessionId === call.sessionId;
}

async function acceptIncoming() {
  const call = state.call;
  if (!call) return;
  stopRinging();
  state.timings.accepted = Date.now();
  try {
    const accepted = await sb.acceptCall(call.sessionId);
    await joinCall(accepted);
  } catch (err) {
    state.call = null;
    previews.stop();
    notify("The call could not be answered: " + (/** @type {any} */ (err).message || "it ended."), "bad");
    show("home");
  }
}

async function rejectIncoming() {
  const call = state.call;
  stopRinging();
  previews.stop();
  state.call = null;
  if (call) notify(`You declined the call from ${call.initiator.name || call.initiator.uid}.`);
  show("home");
  if (!call) return;
  try {
    await sb.rejectCall(call.sessionId, "rejected");
  } catch {
    // already over
  }
  home.loadHistory();
}

/**
 * Escape on the ringing screen declines, as it closes any alert dialog; on the calling screen
 * it cancels, as the Cancel button does. Only a fresh press
 * (not a key held down from before the call came in), and not while another control of the
 * page has the focus, so an Escape meant for something else does not turn the caller away.
 * @param {KeyboardEvent} ev
 */
function onEscape(ev) {
  const screen = state.screen;
  if (ev.key !== "Escape" || ev.repeat || (screen !== "incoming" && screen !== "outgoing") || !state.call) return;
  const at = document.activeElement;
  if (at && at !== document.body && !$("screen-" + screen).contains(at)) return;
  ev.preventDefault();
  if (screen === "incoming") rejectIncoming();
  else cancelOutgoing();
}

/**
 * Tab on the ringing screen stays in it (an alert dialog: aria-modal), from its last control
 * to its first and back, rather than leaving for the top bar behind it; "Turn on sound", when
 * the browser held the ringtone back, is one of its stops.
 * @param {KeyboardEvent} ev
 */
function keepFocusInRinging(ev) {
  if (ev.key !== "Tab" || state.screen !== "incoming") return;
  const dialog = $("screen-incoming");
  const stops = /** @type {HTMLElement[]} */ ([$("sound-on"), ...dialog.querySelectorAll("button")].filter((b) => !b.closest("[hidden]") && b.getClientRects().length > 0));
  if (!stops.length) return;
  const at = /** @type {HTMLElement|null} */ (document.activeElement);
  const i = at ? stops.indexOf(at) : -1;
  const inside = i >= 0 || (!!at && dialog.contains(at)); // the heading, focused as the screen opens
  const next = ev.shiftKey ? (i <= 0 ? stops[stops.length - 1] : null) : i === stops.length - 1 || !inside ? stops[0] : null;
  if (next) {
    ev.preventDefault();
    next.focus();
  }
}

/**
 * Joins a group call that goes on without you (you left, declined or missed it): accept it
 * (docs/protocol.md: a member may accept while it rings or goes on), then its media.
 * @param {import("./sdk/call.js").Call} call
 */
async function joinOngoing(call) {
  if (state.call) return;
  const guid = call.receiver.guid || "";
  state.lastButton = "join-group-" + guid;
  notify("");
  state.peerName = call.receiver.name || guid || "the group";
  state.call = call;
  try {
    const accepted = await sb.acceptCall(call.sessionId);
    state.timings.accepted = Date.now();
    await joinCall(accepted);
  } catch (err) {
    if (state.call !== call) return;
    state.call = null;
    const e = /** @type {any} */ (err);
    notify(e.code === "invalid_state" || e.code === "not_found" ? `The call in ${state.peerName} has ended.` : "You could not join the call: " + (e.message || "it ended."), "bad");
    show("home");
    home.joinable.delete(guid);
    home.drawGroups();
    home.loadHistory();
  }
}

// ---- in call -------------------------------------------------------------

/**
 * Starts media for an accepted call and shows the call screen.
 * @param {import("./sdk/call.js").Call} call
 * @param {string} [token] a call token (default call.callToken)
 */
async function joinCall(call, token) {
  state.call = call;
  previews.clear();
  const title = call.receiverType === "group" ? call.receiver.name || call.receiver.guid || "Group call" : state.peerName || otherName(call);
  show("call");
  try {
    await callScreen.start(call, token || call.callToken, title);
  } catch (err) {
    if (state.screen === "call") endedToHome("Could not join the call: " + (/** @type {any} */ (err).message || "unknown error"), "bad");
  }
}

/** @param {import("./sdk/call.js").Call} call */
function otherName(call) {
  const me = sb.getLoggedInUser()?.uid;
  if (call.initiator.uid !== me) return call.initiator.name || call.initiator.uid;
  return call.receiver.name || call.receiver.uid || "";
}

/**
 * @param {string} text
 * @param {"good"|"bad"} [tone]
 */
function endedToHome(text, tone = "good") {
  state.ended = state.call?.sessionId || state.ended;
  state.call = null;
  notify(text, tone);
  show("home");
  home.loadHistory();
  setTimeout(() => home.loadHistory(), 800); // the log is written as the call closes
}

/**
 * The media connection dropped while the call may still be on: rejoin it
 * (as after a reload), else go home with text.
 * @param {string} text
 */
async function rejoinOrHome(text) {
  const sessionId = state.call?.sessionId;
  state.call = null;
  try {
    const call = await sb.getActiveCall();
    if (call && call.sessionId === sessionId && call.status === "ongoing" && state.screen === "call") {
      callScreen.event("Reconnecting…");
      const { token } = await sb.generateToken(call.sessionId);
      await joinCall(call, token);
      return;
    }
  } catch {
    // fall through: the call is gone
  }
  if (state.screen === "call") endedToHome(text, "bad");
}

/** After a reload: rejoin the ongoing call, or show the ringing one again. */
async function recoverActiveCall() {
  let call;
  try {
    call = await sb.getActiveCall();
  } catch {
    return;
  }
  // The reply can come after the person has placed or answered a call
  // meanwhile (a slow server): joining that call a second time would leave
  // the first session, which ends a 1:1 call for both.
  if (!call || !idle()) return;
  const me = sb.getLoggedInUser()?.uid;
  if (call.status === "ongoing") {
    state.peerName = otherName(call);
    try {
      const { token } = await sb.generateToken(call.sessionId);
      if (!idle()) return;
      await joinCall(call, token);
    } catch (err) {
      notify("Your call could not be resumed: " + (/** @type {any} */ (err).message || ""), "bad");
    }
  } else if (call.status === "initiated" && call.initiator.uid === me) {
    state.call = call;
    const group = call.receiverType === "group";
    // the same screen as before the reload: avatar, kind, ring-back tone, camera preview
    showOutgoing(call.receiver.name || call.receiver.uid || call.receiver.guid || "", call.callType, group);
    busyNote(call);
    if (call.participants.some((p) => p.ackedAt)) outgoingRings();
  } else if (call.status === "initiated") {
    callListener.onIncomingCallReceived?.(call);
  }
}

/** Whether the page is on the home screen with no call: what recovering a call may interrupt. */
function idle() {
  return !state.call && state.screen === "home";
}

function wireCallButtons() {
  $("outgoing-cancel").addEventListener("click", cancelOutgoing);
  $("incoming-accept").addEventListener("click", acceptIncoming);
  $("incoming-reject").addEventListener("click", rejectIncoming);
  $("btn-hangup").addEventListener("click", async () => {
    const dur = callScreen.seconds();
    const call = state.call;
    // A group call others are still in goes on without you: you left it (Join takes you back).
    const leaving = call?.receiverType === "group" && callScreen.others.size > 0;
    const ended = callScreen.hangUp(call);
    endedToHome(`${leaving ? "You left the call" : "Call ended"} · ${clock(dur)}`);
    // The server's figure, as the history shows it (the local clock may differ by a second).
    const done = await ended;
    const mine = done ? done.getDurationOf(sb.getLoggedInUser()?.uid || "") : 0;
    const left = done?.status === "ongoing";
    if (mine && state.screen === "home" && !state.call) notify(`${left ? "You left the call" : "Call ended"} · ${clock(mine)}`);
  });
}

boot().catch((err) => console.warn("switchboard: start failed:", err));
