// @ts-check
// The reconnecting request/reply WebSocket under the switchboard SDK.
//
// One Connection owns one WebSocket at a time. Requests made while the socket
// is down wait (up to their timeout) for the next open socket; replies are
// matched by id; events are handed to onEvent in arrival order. When the
// socket drops, the Connection reconnects by itself with exponential backoff
// and jitter, until close() is called or the server refuses the token.

/**
 * @typedef {"connecting"|"open"|"reconnecting"|"unauthorized"|"closed"} ConnectionState
 */

/** An error reply from the server: `code` is a stable word (see docs/protocol.md). */
export class SwitchboardError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message || code);
    this.name = "SwitchboardError";
    /** @type {string} */
    this.code = code;
  }
}

/** Characters a WebSocket subprotocol may hold (RFC 7230's tchar). */
const TCHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The URL and subprotocols of a socket: the token is offered as the subprotocol bearer.TOKEN
 * beside "switchboard" (which the server answers), so it is in no URL (proxies' access logs,
 * the browser's console). A token a subprotocol cannot carry goes in ?token= instead.
 * @param {string} url
 * @param {string} token
 * @param {boolean} resume
 * @returns {[string, string[]]}
 */
export function tokenProtocols(url, token, resume) {
  const u = withQuery(url, resume ? "resume=1" : "");
  if (TCHARS.test(token)) return [u, ["switchboard", "bearer." + token]];
  return [withQuery(u, "token=" + encodeURIComponent(token)), []];
}

/** @param {string} url @param {string} q "" or name=value */
function withQuery(url, q) {
  if (!q) return url;
  return url + (url.includes("?") ? "&" : "?") + q;
}

/**
 * @typedef {object} ConnectionOptions
 * @property {string} url              ws:// or wss:// URL of the endpoint, without the token
 * @property {string} token            offered as the subprotocol bearer.TOKEN (see tokenProtocols)
 * @property {(event: string, data: any) => void} onEvent
 * @property {(state: ConnectionState) => void} [onState]
 * @property {boolean} [reconnect]     default true
 * @property {boolean} [resume]        /v1/rtc: every socket after the first adds resume=1, and a
 *                                     close frame from the server (any code) ends the connection
 * @property {number} [minBackoffMs]   default 300
 * @property {number} [maxBackoffMs]   default 8000
 * @property {number} [requestTimeoutMs] default 15000
 * @property {number} [connectTimeoutMs] default 5000: a socket not open by then is abandoned and
 *                                     dialled again (a SYN lost while the link was down would
 *                                     otherwise be retried by TCP only after seconds)
 * @property {number} [heartbeatMs]    0 (default): none. Otherwise, after this long with nothing
 *                                     received, a "ping" request; no reply within
 *                                     heartbeatTimeoutMs and the socket is taken for dead and
 *                                     replaced (a path that died without the browser saying so:
 *                                     no "online" event, nothing on the socket; it would look
 *                                     open for good, and calls would never ring here)
 * @property {number} [heartbeatTimeoutMs] default 5000
 */

export class Connection {
  /** @param {ConnectionOptions} opts */
  constructor(opts) {
    this.opts = opts;
    /** @type {WebSocket|null} */
    this.ws = null;
    /** @type {ConnectionState} */
    this.state = "connecting";
    this.nextId = 1;
    /** @type {Map<string, {resolve: (v: any) => void, reject: (e: any) => void, timer: any, sent: boolean}>} */
    this.pending = new Map();
    /** @type {{id: string, text: string}[]} frames waiting for an open socket */
    this.queue = [];
    this.attempt = 0;
    /** @type {any} */
    this.retryTimer = null;
    this.everOpened = false;
    /** @type {SwitchboardError|null} why the server refused the socket for good: the token or the user (state "unauthorized"), or a resume (closed with it) */
    this.refusal = null;
    /** when this connection last gave up on a socket of its own (reopen, connect timeout), 0: not lately */
    this.abandonedAt = 0;
    /** @type {any} a conflict error held until its socket's close says whether it was our own takeover */
    this.heldConflict = null;
    /** when the last frame arrived on the current socket (heartbeat) */
    this.lastRx = 0;
    /** @type {any} */
    this.beatTimer = null;
  }

  /**
   * Keeps watch on ws: heartbeatMs after the last frame received, a ping; no reply in
   * heartbeatTimeoutMs, and the socket is replaced (reopen). At most heartbeatMs +
   * heartbeatTimeoutMs from the last sign of life to the new dial.
   * @param {WebSocket} ws
   */
  startHeartbeat(ws) {
    const every = this.opts.heartbeatMs ?? 0;
    clearTimeout(this.beatTimer);
    if (every <= 0) return;
    this.lastRx = Date.now();
    const tick = () => {
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      const wait = this.lastRx + every - Date.now();
      if (wait > 0) {
        this.beatTimer = setTimeout(tick, wait);
        return;
      }
      this.request("ping", undefined, this.opts.heartbeatTimeoutMs ?? 5000).then(tick, (/** @type {any} */ e) => {
        if (this.ws !== ws) return; // dropped or replaced meanwhile
        if (e?.code === "timeout") this.reopen();
        else tick(); // an error reply is a sign of life too
      });
    };
    this.beatTimer = setTimeout(tick, every);
  }

  /**
   * Whether a takeover of the session by "a new connection" is this connection's own doing: a
   * socket it gave up on while that one dialled (its request already on the wire) can still reach
   * the server after the socket that replaced it, and resume the session in its place.
   */
  ownTakeover() {
    return this.opts.resume === true && Date.now() - this.abandonedAt < 15000;
  }

  /** Opens the first socket. */
  start() {
    this.dial();
  }

  dial() {
    if (this.state === "closed" || this.state === "unauthorized") return;
    const [url, protocols] = tokenProtocols(this.opts.url, this.opts.token, !!this.opts.resume && this.everOpened);
    const ws = new WebSocket(url, protocols);
    this.ws = ws;
    this.heldConflict = null;
    let opened = false;
    let timedOut = false;
    const connectTimer = setTimeout(() => {
      if (this.ws !== ws || opened) return;
      timedOut = true;
      this.abandonedAt = Date.now();
      ws.close();
    }, this.opts.connectTimeoutMs ?? 5000);
    ws.onopen = () => {
      clearTimeout(connectTimer);
      opened = true;
      this.attempt = 0;
      this.everOpened = true;
      this.startHeartbeat(ws);
      this.setState("open");
      const frames = this.queue;
      this.queue = [];
      for (const f of frames) {
        const p = this.pending.get(f.id);
        if (!p) continue; // timed out meanwhile
        p.sent = true;
        ws.send(f.text);
      }
    };
    // A socket this connection dropped (reopen: the network changed) may still deliver frames,
    // e.g. the server's conflict when the new socket took the session over: never act on them.
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastRx = Date.now();
      this.receive(ev.data);
    };
    ws.onerror = () => {}; // onclose follows and decides
    ws.onclose = (ev) => {
      clearTimeout(connectTimer);
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.state === "closed") return;
      const held = this.heldConflict;
      this.heldConflict = null;
      if (this.opts.resume && opened && ev.code === 1000 && ev.reason === "resumed" && this.ownTakeover()) {
        // Taken over by a socket this connection had given up on (see ownTakeover): resume
        // again, once; that one is closed already.
        this.abandonedAt = 0;
        this.dropSent();
        this.setState("reconnecting");
        this.dial();
        return;
      }
      if (held) this.deliver("error", held);
      if (this.opts.resume && opened && ev.code !== 1006) {
        // The server closed it (call ended, replaced, shut down): never resume.
        this.fail("closed", new SwitchboardError("closed", "connection closed (" + ev.code + ")"));
        return;
      }
      if (!opened) {
        if (timedOut) this.scheduleReconnect(); // no answer at all: the network, not the token
        else this.checkRefused();
        return;
      }
      this.dropSent();
      this.scheduleReconnect();
    };
  }

  /** Fails the requests already sent on the socket that just closed: no reply can come. */
  dropSent() {
    for (const [id, p] of this.pending) {
      if (!p.sent) continue;
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new SwitchboardError("disconnected", "the connection dropped before the reply"));
    }
  }

  /**
   * The socket closed before opening: ask over HTTP (the same URL, resume=1 included) whether
   * the server refuses it for good: 401/403 (the token, or a user the app's backend disabled; state
   * "unauthorized", the server's error in `refusal`) or, for a resume,
   * 404 (the server no longer knows the session, e.g. it restarted: state "closed", with the
   * server's error in `refusal`). Anything else is retried.
   */
  async checkRefused() {
    const http = this.opts.url.replace(/^ws/, "http");
    const resume = this.opts.resume && this.everOpened;
    try {
      const res = await fetch(withQuery(http, resume ? "resume=1" : ""), {
        headers: { Authorization: "Bearer " + this.opts.token },
        signal: AbortSignal.timeout(this.opts.connectTimeoutMs ?? 5000),
      });
      if (this.state === "closed" || this.state === "unauthorized") return;
      if (res.status === 401 || res.status === 403) {
        // The server says why (401: the token, e.g. expired; 403 forbidden: e.g. a user the
        // app's backend disabled): kept in `refusal` with its own code.
        const body = await res.json().catch(() => null);
        const e = (body && body.error) || {};
        this.refusal = new SwitchboardError(e.code || (res.status === 403 ? "forbidden" : "unauthorized"), e.message || "the server refused the token");
        this.fail("unauthorized", new SwitchboardError("unauthorized", this.refusal.message));
        return;
      }
      if (resume && res.status === 404) {
        const body = await res.json().catch(() => null);
        const e = (body && body.error) || {};
        this.refusal = new SwitchboardError(e.code || "not_found", e.message || "the server no longer knows this call session (it may have restarted)");
        this.fail("closed", this.refusal);
        return;
      }
    } catch {
      // network down: keep retrying
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.state === "closed" || this.state === "unauthorized") return;
    if (this.opts.reconnect === false) {
      this.fail("closed", new SwitchboardError("closed", "connection closed"));
      return;
    }
    this.setState("reconnecting");
    const min = this.opts.minBackoffMs ?? 300;
    const max = this.opts.maxBackoffMs ?? 8000;
    const base = Math.min(max, min * 2 ** this.attempt);
    this.attempt++;
    const delay = base / 2 + Math.random() * (base / 2);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.dial(), delay);
  }

  /**
   * Drops the current socket, which may be dead without knowing it (the network changed), and
   * dials a new one at once. Requests sent on the old one fail with "disconnected".
   */
  reopen() {
    if (this.state === "closed" || this.state === "unauthorized") return;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      this.abandonedAt = Date.now();
      ws.close(4000, "reopened");
    }
    this.dropSent();
    clearTimeout(this.retryTimer);
    this.setState("reconnecting");
    this.dial();
  }

  /** Reconnects at once (e.g. when the browser says it is back online). */
  retryNow() {
    if (this.state !== "reconnecting") return;
    clearTimeout(this.retryTimer);
    this.dial();
  }

  /**
   * @param {ConnectionState} state
   * @param {SwitchboardError} err
   */
  fail(state, err) {
    this.setState(state);
    clearTimeout(this.retryTimer);
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    this.queue = [];
  }

  /** @param {ConnectionState} state */
  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.opts.onState?.(state);
  }

  /** @param {any} raw */
  receive(raw) {
    let msg;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (msg.event) {
      if (msg.event === "error" && msg.data?.code === "conflict" && this.ownTakeover()) {
        // a takeover comes as this error, then the close: held until the close says whose it is
        this.heldConflict = msg.data;
        return;
      }
      this.deliver(msg.event, msg.data);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error) p.reject(new SwitchboardError(msg.error.code, msg.error.message));
    else p.resolve(msg.result ?? null);
  }

  /**
   * Hands an event to onEvent; what it throws is rethrown apart, not lost and not ours.
   * @param {string} event
   * @param {any} data
   */
  deliver(event, data) {
    try {
      this.opts.onEvent(event, data);
    } catch (e) {
      setTimeout(() => {
        throw e;
      });
    }
  }

  /**
   * Sends a request and resolves with its result (rejects with SwitchboardError).
   * @param {string} method
   * @param {object} [params]
   * @param {number} [timeoutMs] default opts.requestTimeoutMs, 15000
   * @returns {Promise<any>}
   */
  request(method, params, timeoutMs) {
    if (this.state === "closed" || this.state === "unauthorized") {
      return Promise.reject(new SwitchboardError(this.state, "not connected"));
    }
    const id = "r" + this.nextId++;
    /** @type {any} */
    const frame = { id, method };
    if (params !== undefined) frame.params = params;
    const text = JSON.stringify(frame);
    return new Promise((resolve, reject) => {
      const timeout = timeoutMs ?? this.opts.requestTimeoutMs ?? 15000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SwitchboardError("timeout", method + ": no reply in " + timeout + " ms"));
      }, timeout);
      const open = !!this.ws && this.ws.readyState === WebSocket.OPEN;
      this.pending.set(id, { resolve, reject, timer, sent: open });
      if (open) this.ws?.send(text);
      else this.queue.push({ id, text });
    });
  }

  /** Closes for good: no reconnect, pending requests fail. */
  close() {
    clearTimeout(this.beatTimer);
    this.fail("closed", new SwitchboardError("closed", "connection closed"));
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
  }
}

/**
 * The base URL of the node hosting a call's media, as its call token names it (claim "media",
 * set when switchboard runs as a cluster), or "" (the server that minted it).
 * @param {string} callToken
 * @returns {string}
 */
export function tokenMediaURL(callToken) {
  try {
    const part = callToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part + "=".repeat((4 - (part.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims.media === "string" ? claims.media : "";
  } catch {
    return "";
  }
}

/**
 * Builds the WebSocket URL of an endpoint from an http(s) base URL.
 * @param {string} baseUrl
 * @param {string} path
 */
export function wsURL(baseUrl, path) {
  const u = new URL(path, baseUrl);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.toString();
}
