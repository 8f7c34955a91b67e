// @ts-check
// The home screen's data: the people (with presence), the groups (with the
// group calls going on without you, which offer Join) and the call history;
// lists.js draws them.

import { renderPeople, renderGroups, CallLog, joinable } from "./lists.js";

/**
 * @typedef {import("./lists.js").Person} Person
 * @typedef {import("./lists.js").Group} Group
 * @typedef {import("../sdk/call.js").Call} Call
 */

export class Home {
  /**
   * @param {import("../sdk/switchboard.js").Switchboard} sb
   * @param {{
   *   dial: import("./lists.js").Dial,
   *   join: import("./lists.js").Join,
   *   current: () => string,
   *   loaded: (calls: Call[], me: string) => void,
   * }} hooks current: the session of your call ("" for none); loaded: the history was read
   */
  constructor(sb, hooks) {
    this.sb = sb;
    this.hooks = hooks;
    /** @type {Map<string, Person>} */
    this.people = new Map();
    /** @type {Group[]} */
    this.groups = [];
    /** @type {Map<string, Call>} group calls going on without you, by guid (from the call log) */
    this.joinable = new Map();
    this.callLog = new CallLog(
      sb,
      hooks.current,
      (calls, me) => {
        hooks.loaded(calls, me);
        this.findJoinable(calls, me);
      },
      hooks.join,
      (uid) => this.nameOf(uid),
    );
  }

  /**
   * A person's name, as the page knows them (yourself, or from the people list), else the uid.
   * @param {string} uid
   */
  nameOf(uid) {
    const me = this.sb.getLoggedInUser();
    if (me && me.uid === uid) return me.name;
    return this.people.get(uid)?.name || uid;
  }

  async loadPeople() {
    try {
      const users = await this.sb.listUsers();
      this.people = new Map(users.map((u) => [u.uid, u]));
      this.drawPeople();
    } catch (err) {
      console.warn("switchboard: listUsers:", err);
    }
  }

  drawPeople() {
    renderPeople([...this.people.values()], this.sb.getLoggedInUser()?.uid || "", this.hooks.dial);
  }

  /**
   * @param {{uid: string, name: string}} u
   * @param {"online"|"offline"|"busy"} status
   */
  setPresence(u, status) {
    const have = this.people.get(u.uid);
    this.people.set(u.uid, { ...(have || {}), uid: u.uid, name: u.name || have?.name || u.uid, online: status !== "offline", status });
    this.drawPeople();
    this.callLog.presenceChanged(); // a call in the history may have ended without you
  }

  async loadGroups() {
    try {
      this.groups = await this.sb.listGroups();
      this.drawGroups();
    } catch (err) {
      console.warn("switchboard: listGroups:", err);
    }
  }

  drawGroups() {
    renderGroups(this.groups, this.hooks.dial, this.joinable, this.hooks.join);
  }

  loadHistory() {
    return this.callLog.load();
  }

  /**
   * Group calls going on without you: their group offers Join (newest first: the log's order).
   * @param {Call[]} calls
   * @param {string} me
   */
  findJoinable(calls, me) {
    const current = this.hooks.current();
    /** @type {Map<string, Call>} */
    const ongoing = new Map();
    for (const c of calls) {
      const guid = c.receiver.guid || "";
      if (guid && !ongoing.has(guid) && c.sessionId !== current && joinable(c, me)) ongoing.set(guid, c);
    }
    const sig = (/** @type {Map<string, Call>} */ m) => [...m].map(([g, c]) => g + ":" + c.sessionId).join();
    const changed = sig(ongoing) !== sig(this.joinable);
    this.joinable = ongoing;
    if (changed) this.drawGroups();
  }
}
