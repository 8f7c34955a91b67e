// @ts-check
// The home screen's lists: people (with presence), groups, call history.

import { h, $, initials } from "./dom.js";
import { clock, statusWord, when } from "./words.js";
import { decorateQuality } from "./quality.js";

/**
 * @typedef {{uid: string, name: string, online?: boolean, status?: string}} Person
 * @typedef {{guid: string, name: string, membersCount?: number}} Group
 * @typedef {(id: string, receiverType: "user"|"group", callType: "audio"|"video", name: string) => void} Dial
 * @typedef {(call: import("../sdk/call.js").Call) => void} Join
 * @typedef {(uid: string) => string} NameOf
 */

/**
 * Whether a call is a group call going on now that you can join from here: someone is in
 * it, and you are not (you left, declined or missed it). docs/protocol.md: a member may
 * accept a group call while it rings or goes on (a late join, or rejoining after leaving).
 * Your view of its status may say "rejected" or "missed" while it goes on: endedAt says
 * whether it has ended.
 * @param {import("../sdk/call.js").Call} c
 * @param {string} me
 */
export function joinable(c, me) {
  if (c.receiverType !== "group" || c.endedAt) return false;
  const mine = c.participants.find((p) => p.uid === me);
  if (mine && (mine.status === "ongoing" || mine.status === "initiated")) return false; // in it (another device) or ringing
  return c.participants.some((p) => p.uid !== me && p.status === "ongoing");
}

/**
 * "1 member", "4 members".
 * @param {number} n
 * @param {string} noun singular
 */
export function plural(n, noun) {
  return `${n} ${n === 1 ? noun : noun + "s"}`;
}

/**
 * Draws the people list: online first, then by name; yourself left out.
 * @param {Person[]} people
 * @param {string} me
 * @param {Dial} dial
 */
export function renderPeople(people, me, dial) {
  const list = $("people");
  const others = people.filter((p) => p.uid !== me);
  others.sort((a, b) => Number(!!b.online) - Number(!!a.online) || (a.name || a.uid).localeCompare(b.name || b.uid));
  list.replaceChildren(...others.map((p) => personRow(p, dial)));
  $("people-empty").hidden = others.length > 0;
}

/**
 * @param {Person} p
 * @param {Dial} dial
 */
function personRow(p, dial) {
  const name = p.name || p.uid;
  const online = !!p.online || p.status === "online" || p.status === "busy";
  const status = p.status === "busy" ? "busy" : online ? "online" : "offline";
  return h(
    "li",
    { "data-testid": "person-" + p.uid, "data-online": String(online), "data-status": status },
    h(
      "div",
      { class: "who" },
      h("span", { class: "avatar person-avatar", "aria-hidden": "true" }, initials(name)),
      h("span", { class: "dot", "data-online": String(online), "data-status": status, "aria-hidden": "true" }),
      h(
        "span",
        { class: "who-text" },
        h("span", { class: "name", title: name }, name),
        h("span", { class: "presence", "data-testid": "presence-" + p.uid }, status === "busy" ? "in a call" : status),
      ),
    ),
    h("button", { type: "button", class: "btn btn-small", "data-testid": "call-audio-" + p.uid, "aria-label": `Audio call ${name}`, onclick: () => dial(p.uid, "user", "audio", name) }, "Audio"),
    h("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "call-video-" + p.uid, "aria-label": `Video call ${name}`, onclick: () => dial(p.uid, "user", "video", name) }, "Video"),
  );
}

/**
 * Draws your groups; a group whose call goes on without you offers Join instead of a new call
 * (which the server would refuse: everyone is busy in it).
 * @param {Group[]} groups
 * @param {Dial} dial
 * @param {Map<string, import("../sdk/call.js").Call>} [ongoing] by guid: calls you can join
 * @param {Join} [join]
 */
export function renderGroups(groups, dial, ongoing = new Map(), join = () => {}) {
  const list = $("groups");
  list.replaceChildren(
    ...groups.map((g) => {
      const name = g.name || g.guid;
      const members = g.membersCount ? plural(g.membersCount, "member") : "";
      const call = ongoing.get(g.guid);
      const buttons = call
        ? [h("button", { type: "button", class: "btn btn-small btn-accept", "data-testid": "join-group-" + g.guid, "aria-label": `Join the ${call.callType === "audio" ? "audio" : "video"} call in ${name}`, onclick: () => join(call) }, "Join")]
        : [
            h("button", { type: "button", class: "btn btn-small", "data-testid": "call-group-audio-" + g.guid, "aria-label": `Audio call the group ${name}`, onclick: () => dial(g.guid, "group", "audio", name) }, "Audio"),
            h("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "call-group-video-" + g.guid, "aria-label": `Video call the group ${name}`, onclick: () => dial(g.guid, "group", "video", name) }, "Video"),
          ];
      return h(
        "li",
        { "data-testid": "group-" + g.guid, "data-call": call ? "ongoing" : "" },
        h(
          "div",
          { class: "who" },
          h("span", { class: "who-text" }, h("span", { class: "name", title: name }, name), h("span", { class: "presence", "data-testid": "group-members-" + g.guid }, call ? "call in progress" : members)),
        ),
        ...buttons,
      );
    }),
  );
  $("groups-empty").hidden = groups.length > 0;
}

/**
 * Draws the call history: direction, who, type, status (your view), duration; a group call
 * going on without you offers Join.
 * @param {import("../sdk/call.js").Call[]} calls
 * @param {string} me
 * @param {Join} [join]
 * @param {string} [current] the call this page is in
 * @param {NameOf} [nameOf] a person's name by uid (the call log names only the caller and callee)
 */
export function renderHistory(calls, me, join, current = "", nameOf = (uid) => uid) {
  $("history").replaceChildren(...historyRows(calls, me, join, current, nameOf));
  $("history-empty").hidden = calls.length > 0;
}

/**
 * Adds older calls below the history's rows, drawn as renderHistory draws them.
 * @param {import("../sdk/call.js").Call[]} calls
 * @param {string} me
 * @param {Join} [join]
 * @param {string} [current] the call this page is in
 * @param {NameOf} [nameOf] a person's name by uid
 * @returns {HTMLElement|null} the first row added
 */
export function appendHistory(calls, me, join, current = "", nameOf = (uid) => uid) {
  const rows = historyRows(calls, me, join, current, nameOf);
  const list = $("history");
  list.append(...rows);
  $("history-empty").hidden = list.children.length > 0;
  return rows[0] || null;
}

/**
 * The history's rows for calls, with their quality badges.
 * @param {import("../sdk/call.js").Call[]} calls
 * @param {string} me
 * @param {Join|undefined} join
 * @param {string} current
 * @param {NameOf} nameOf
 * @returns {HTMLElement[]}
 */
function historyRows(calls, me, join, current, nameOf) {
  const list = h("ul", {}, ...calls.map((c) => historyRow(c, me, join && c.sessionId !== current && joinable(c, me) ? join : undefined)));
  decorateQuality(list, calls, me, nameOf);
  return /** @type {HTMLElement[]} */ ([...list.children]);
}

/**
 * @param {import("../sdk/call.js").Call} c
 * @param {string} me
 * @param {Join} [join] set when the call goes on and you can join it
 */
function historyRow(c, me, join) {
  const outgoing = c.isOutgoingFor(me); // the server sends no direction: the caller is the initiator
  const group = c.receiverType === "group";
  const groupName = c.receiver.name || c.receiver.guid || "";
  const caller = c.initiator.name || c.initiator.uid;
  const other = group ? groupName : outgoing ? c.receiver.name || c.receiver.uid : caller;
  const dir = outgoing ? "Outgoing" : "Incoming";
  const kind = c.callType === "audio" ? "audio" : "video";
  const dur = c.getDurationOf(me); // your time in it: what your end-of-call notice said
  const status = c.hasLeft(me) ? "left" : c.status;
  return h(
    "li",
    {
      "data-testid": "history-row",
      "data-session": c.sessionId,
      "data-status": status,
      "data-direction": outgoing ? "outgoing" : "incoming",
      "data-type": kind,
      "data-duration": String(dur),
    },
    h("span", { class: "when" }, when(c.initiatedAt)),
    group && !outgoing
      ? h("span", { class: "what" }, `Incoming ${kind} call from `, h("strong", {}, caller), " in ", h("strong", {}, groupName))
      : h("span", { class: "what" }, `${dir} ${kind} call ${outgoing ? "to" : "from"} `, h("strong", {}, other)),
    h("span", { class: "status", "data-status": status, "data-testid": "history-status" }, statusWord(status)),
    h("span", { class: "dur", "data-testid": "history-duration" }, status === "ended" || status === "left" || dur > 0 ? clock(dur) : ""),
    join && h("button", { type: "button", class: "btn btn-small btn-accept", "data-testid": "history-join", "aria-label": `Join the ${kind} call in ${groupName}, in progress`, onclick: () => join(c) }, "Join"),
  );
}

/** How many calls the history shows first, and how many "Show older calls" adds. */
const PAGE = 20;
/** The most calls one listCallPage may ask for (docs/protocol.md: limit 1..100). */
const MAX_LIMIT = 100;

/**
 * The call history on the home screen, kept live: loaded on every call event of
 * yours, and again when someone's presence changes while it shows a call that
 * goes on without you (a group call you left, declined or missed ends when its
 * last member leaves, and nothing else tells you: they turn from "in a call" to
 * online then). It shows the newest page of the log; "Show older calls" adds the
 * next one below, and a reload keeps every call shown (new calls come in at the
 * top of the log, so the cursor after the oldest call shown stays where it was).
 * Loads run one at a time, each from what the one before showed.
 */
export class CallLog {
  /**
   * @param {import("../sdk/switchboard.js").Switchboard} sb
   * @param {() => string} current the session id of the call this page is in (or "")
   * @param {(calls: import("../sdk/call.js").Call[], me: string) => void} [onLoad] after each load
   * @param {Join} [join] joins a group call going on without you
   * @param {NameOf} [nameOf] a person's name by uid (for the quality details)
   */
  constructor(sb, current, onLoad, join, nameOf = (uid) => uid) {
    this.sb = sb;
    this.nameOf = nameOf;
    this.current = current;
    this.onLoad = onLoad;
    this.join = join;
    /** whether a listed call is still ringing or going on without you */
    this.unfinished = false;
    /** @type {any} */
    this.timer = null;
    /** @type {import("../sdk/call.js").Call[]} the calls shown, newest first */
    this.calls = [];
    /** where the log goes on after the calls shown (listCallPage's next), "" when it has no more */
    this.next = "";
    /** whose calls are shown */
    this.me = "";
    /** @type {Promise<void>} the last load queued */
    this.queue = Promise.resolve();
    /** @type {Promise<void>|null} a reload waiting for its turn: more asks for one join it */
    this.queued = null;
  }

  /** Reloads the history (the newest calls, down to the oldest one shown). */
  load() {
    if (!this.queued) {
      const run = this.queue.then(() => {
        this.queued = null;
        return this.reload();
      });
      this.queued = this.queue = run;
    }
    return this.queued;
  }

  /** "Show older calls": the log's next page, added below the calls shown. */
  older() {
    const button = /** @type {HTMLButtonElement} */ ($("history-more"));
    if (button.disabled) return this.queue;
    const hadFocus = document.activeElement === button;
    button.disabled = true;
    const error = $("history-more-error"); // said again if this try fails too
    error.hidden = true;
    error.textContent = "";
    this.queue = this.queue.then(() => this.addOlder(hadFocus));
    return this.queue;
  }

  async reload() {
    const hadFocus = document.activeElement === $("history-more");
    try {
      const me = this.sb.getLoggedInUser()?.uid || "";
      if (me !== this.me) {
        this.me = me;
        this.calls = [];
        this.next = "";
      }
      const { calls, next } = await this.newest();
      this.calls = calls;
      this.next = next;
      renderHistory(calls, me, this.join, this.current(), this.nameOf);
      this.loaded(me);
      this.showMore(hadFocus, null);
    } catch (err) {
      console.warn("switchboard: listCallPage:", err);
    }
  }

  /**
   * The newest calls down to the oldest one shown (at first, a page), and where the log goes
   * on after them.
   * @returns {Promise<{calls: import("../sdk/call.js").Call[], next: string}>}
   */
  async newest() {
    const oldest = this.calls.at(-1);
    if (!oldest) {
      const page = await this.sb.listCallPage({ limit: PAGE });
      return { calls: page.calls, next: page.next || "" };
    }
    /** @type {import("../sdk/call.js").Call[]} */
    const calls = [];
    // room for the calls that came since: one request, usually
    let limit = Math.min(MAX_LIMIT, this.calls.length + PAGE);
    let after = "";
    for (;;) {
      const page = await this.sb.listCallPage(after ? { limit, after } : { limit });
      for (const c of page.calls) {
        if (c.initiatedAt < oldest.initiatedAt) return { calls, next: this.next }; // it left the log: where it was
        calls.push(c);
        if (c.sessionId === oldest.sessionId) return { calls, next: this.next };
      }
      if (!page.next) return { calls, next: "" };
      if (calls.length >= this.calls.length + MAX_LIMIT) return { calls, next: page.next }; // the rest is for Show older calls
      after = page.next;
      limit = MAX_LIMIT;
    }
  }

  /** @param {boolean} hadFocus whether the button had the focus when pressed */
  async addOlder(hadFocus) {
    const button = /** @type {HTMLButtonElement} */ ($("history-more"));
    const error = $("history-more-error");
    /** @type {HTMLElement|null} */
    let first = null;
    try {
      if (!this.next) return; // a reload meanwhile found the log's end
      const page = await this.sb.listCallPage({ limit: PAGE, after: this.next });
      if ((this.sb.getLoggedInUser()?.uid || "") !== this.me) return; // signed out meanwhile: the next reload starts over
      const shown = new Set(this.calls.map((c) => c.sessionId));
      const calls = page.calls.filter((c) => !shown.has(c.sessionId));
      this.calls.push(...calls);
      this.next = page.next || "";
      // (an empty last page: the focus goes to the last call shown)
      first = appendHistory(calls, this.me, this.join, this.current(), this.nameOf) || /** @type {HTMLElement|null} */ ($("history").lastElementChild);
      this.loaded(this.me);
    } catch (err) {
      console.warn("switchboard: listCallPage:", err);
      error.hidden = false;
      error.textContent = "Older calls could not be loaded. Try again.";
    } finally {
      button.disabled = false;
      this.showMore(hadFocus, first);
    }
  }

  /** @param {string} me */
  loaded(me) {
    const current = this.current();
    // (your view of a group call you declined or missed says so while it goes on: endedAt does not)
    this.unfinished = this.calls.some((c) => (c.status === "ongoing" || c.status === "initiated" || !c.endedAt) && c.sessionId !== current);
    this.onLoad?.(this.calls, me);
  }

  /**
   * Shows "Show older calls" while the log has more. Had it the focus, it keeps it; when it
   * goes, the focus goes to then (the first older call added), so it is not lost.
   * @param {boolean} hadFocus
   * @param {HTMLElement|null} then
   */
  showMore(hadFocus, then) {
    const more = $("history-older");
    more.hidden = !this.next;
    if (more.hidden) {
      const error = $("history-more-error");
      error.hidden = true;
      error.textContent = "";
    }
    if (!hadFocus) return;
    if (!more.hidden) $("history-more").focus();
    else if (then) {
      then.tabIndex = -1;
      then.focus();
    }
  }

  /** Someone's presence changed: a call still going on in the history may have ended. */
  presenceChanged() {
    if (!this.unfinished || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.load();
    }, 250);
  }
}
