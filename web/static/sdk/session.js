// @ts-check
// A call session: one participant's media in one call, over /v1/rtc.
//
// Two RTCPeerConnections, as docs/protocol.md describes: the publisher (this
// browser offers, the server answers in the publishOffer reply) and the
// subscriber (the server offers with the subscriberOffer event, this browser
// answers with subscriberAnswer). ICE candidates trickle both ways; the ones
// that arrive before a connection's remote description are held, then added.
// All work on one connection is chained, so offers and answers never overlap.

import { Connection, wsURL, SwitchboardError, tokenMediaURL } from "./rpc.js";
import { Grid } from "./grid.js";
import { captureLocal, openDevice, listDevices } from "./media.js";
import { sendInit, adoptable, closeWarm } from "./warm.js";

/**
 * @typedef {object} OngoingCallListener
 * @property {(user: {uid: string, name: string}) => void} [onUserJoined]
 * @property {(user: {uid: string, name: string}) => void} [onUserLeft]
 * @property {(users: {uid: string, name: string}[]) => void} [onUserListUpdated]
 * @property {(info: {reason: string}) => void} [onCallEnded]
 * @property {(err: {code: string, message: string}) => void} [onError]
 * @property {(change: {uid: string, kind: "audio"|"video", muted: boolean}) => void} [onMuteChanged]
 * @property {(uid: string|null) => void} [onActiveSpeakerChanged]
 * @property {(problem: import("./media.js").MediaProblem) => void} [onMediaError]
 * @property {(stream: MediaStream) => void} [onLocalStream]
 * @property {(uid: string) => void} [onFirstRemoteFrame]
 * @property {() => void} [onAudioBlocked]  the browser needs a click before it plays sound
 * @property {(joined: any) => void} [onJoined]
 * @property {(uid: string) => void} [onParticipantReconnecting]  their media stopped; the tile says so
 * @property {(uid: string) => void} [onParticipantReconnected]
 * @property {() => void} [onReconnecting]  this browser's network changed: resuming, restarting ICE
 */

/**
 * @typedef {object} SessionSettings
 * @property {boolean} [audioOnly]        publish no video (an audio call)
 * @property {boolean} [startAudioMuted]
 * @property {boolean} [startVideoMuted]
 * @property {string}  [audioDeviceId]
 * @property {string}  [videoDeviceId]
 * @property {Record<string, string>|((uid: string) => string)} [names] display names when the server gives none
 * @property {Promise<{stream: MediaStream, problems: import("./media.js").MediaProblem[]}>} [media]
 *           media captured ahead (Switchboard.prepareMedia), so the call starts sooner
 * @property {Promise<import("./warm.js").WarmPeers|null>} [peers]
 *           peer connections made ahead for that media (Switchboard.prepareMedia): the first offer is ready
 * @property {boolean} [listenOnly]     capture nothing and publish nothing (also where the page cannot capture)
 * @property {RTCIceTransportPolicy} [iceTransportPolicy]  "relay": only TURN paths (joined's iceServers); default "all"
 * @property {boolean} [simulcast]      true: send camera video as three simulcast layers (default: one encoding; sdk/README.md says why)
 * @property {OngoingCallListener} [listener]
 */

export class CallSession {
  /**
   * @param {string} baseUrl
   * @param {string} callToken
   * @param {SessionSettings} settings
   * @param {HTMLElement|null} element  where the grid is drawn (null: draw nothing)
   */
  constructor(baseUrl, callToken, settings, element) {
    /** where /v1/rtc is opened: the media node the token names (a cluster), else the server */
    this.baseUrl = tokenMediaURL(callToken) || baseUrl;
    this.callToken = callToken;
    this.settings = settings || {};
    /** @type {OngoingCallListener} */
    this.listener = this.settings.listener || {};
    this.grid = element ? new Grid(element) : null;
    /** @type {RTCPeerConnection|null} */
    this.publisher = null;
    /** @type {RTCPeerConnection|null} */
    this.subscriber = null;
    /** @type {MediaStream} */
    this.localStream = new MediaStream();
    /** Whether the server sends activeSpeakers (then levels are not polled). */
    this.serverSpeakers = false;
    /** The screen share's sender, while sharing. @type {RTCRtpSender | null} */
    this.screenSender = null;
    /** @type {Map<string, {uid: string, name: string}>} */
    this.participants = new Map();
    /** @type {{uid: string, name: string}} */
    this.me = { uid: "", name: "" };
    this.sessionId = "";
    this.audioMuted = !!this.settings.startAudioMuted;
    this.videoMuted = !!this.settings.startVideoMuted;
    this.ended = false;
    /** @type {Map<string, Promise<any>>} per-connection chains of work */
    this.chains = new Map();
    /** @type {import("./warm.js").WarmPeers|null} peers made while the call rang, until joined adopts them */
    this.warm = null;
    /** the adopted warm publisher's offer, sent by the first publish (applied already) */
    this.warmOffer = "";
    /** the next publisher offer restarts ICE (the warm peers gathered without joined's ICE servers) */
    this.restartOffer = false;
    /** @type {Map<string, RTCIceCandidateInit[]>} remote candidates held until the remote description is set */
    this.held = new Map([["publisher", []], ["subscriber", []]]);
    /** @type {Map<string, string>} remote audio track id -> publisher uid (for the speaker) */
    this.audioTracks = new Map();
    /**
     * Forwarded tracks announced by the server (joined.tracks, trackPublished), by the mid of
     * the subscriber m-line that carries them: how a received track is matched to its
     * publisher (docs/protocol.md, "Which track is whose").
     * @type {Map<string, {uid: string, trackId: string, kind: string, source: string}>}
     */
    this.tracksByMid = new Map();
    /** @type {Map<string, MediaStreamTrack>} received tracks by mid */
    this.remoteByMid = new Map();
    /** @type {string|null} */
    this.speaker = null;
    /** @type {Set<string>} participants who muted their microphone */
    this.mutedAudio = new Set();
    /** @type {any} */
    this.levelTimer = null;
    /** @type {Connection|null} */
    this.conn = null;
    /** @type {Set<string>} connections whose ICE restart awaits the server's answer */
    this.restarting = new Set();
    this.lastRecover = 0;
    /** a recovery is under way: set by recover(), cleared when both connections' ICE is back */
    this.recovering = false;
    /** @type {any} */
    this.resumeTimer = null;
    /** @type {any} a network change deferred by recover() */
    this.recoverTimer = null;
    this.onOnline = () => this.recover(true);
    if (typeof addEventListener === "function") addEventListener("online", this.onOnline);
    /** @type {Record<string, number>} when each step happened (Date.now()), for diagnostics */
    this.marks = { start: Date.now() };
    /** @type {Array<[string, number]>} every step as it happens, the last 64 (see note) */
    this.steps = [];
    if (this.grid) {
      this.grid.onFirstFrame = (uid) => this.listener.onFirstRemoteFrame?.(uid);
      this.grid.onAudioBlocked = () => this.listener.onAudioBlocked?.();
    }
  }

  /**
   * Captures media, opens /v1/rtc and publishes. Resolves once joined.
   * @returns {Promise<void>}
   */
  async start() {
    const media = this.settings.listenOnly
      ? Promise.resolve({ stream: new MediaStream(), problems: [] })
      : this.settings.media ||
        captureLocal({
          audio: true,
          video: !this.settings.audioOnly,
          audioDeviceId: this.settings.audioDeviceId,
          videoDeviceId: this.settings.videoDeviceId,
        });
    /** @type {Promise<any>} */
    const joined = new Promise((resolve, reject) => {
      this.resolveJoined = resolve;
      this.rejectJoined = reject;
    });
    this.conn = new Connection({
      url: wsURL(this.baseUrl, "/v1/rtc"),
      token: this.callToken,
      // A lost socket is resumed (resume=1) and ICE restarted; the server keeps the session for
      // media.disconnect_timeout (docs/protocol.md, "Network changes and interruptions").
      reconnect: true,
      resume: true,
      maxBackoffMs: 2000,
      onEvent: (name, data) => this.onEvent(name, data),
      onState: (state) => this.onConnState(state),
    });
    this.conn.start();
    const { stream, problems } = await media;
    const warm = this.settings.peers ? await this.settings.peers.catch(() => null) : null;
    if (this.ended) {
      closeWarm(warm);
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    this.localStream = stream;
    // No microphone (refused or missing): the others see you muted, not silent for no reason.
    if (!stream.getAudioTracks().length) this.audioMuted = true;
    for (const p of problems) this.listener.onMediaError?.(p);
    for (const t of stream.getAudioTracks()) t.enabled = !this.audioMuted;
    if (this.videoMuted) this.stopVideoTracks();
    if (this.publisher) closeWarm(warm); // joined came first: the session made its own peers
    else this.warm = warm;
    this.mark("media");
    this.showLocalVideo();
    this.listener.onLocalStream?.(stream);
    await joined; // the peers are set up when "joined" arrives, media or not
    if (this.ended) return;
    await this.publish();
    if (this.audioMuted) this.sendMute("audio", true);
    if ((this.videoMuted || !stream.getVideoTracks().length) && !this.settings.audioOnly) this.sendMute("video", true);
    this.levelTimer = setInterval(() => this.pollLevels(), 300);
  }

  /** @param {import("./rpc.js").ConnectionState} state */
  onConnState(state) {
    this.note("socket:" + state);
    if (state === "unauthorized") {
      const err = new SwitchboardError("unauthorized", "this call can no longer be joined (the call token was refused)");
      this.rejectJoined?.(err);
      this.fail(err);
    } else if (state === "reconnecting" && !this.resumeTimer) {
      // The server keeps the session 15 s (media.disconnect_timeout); past 20 s it is gone.
      this.resumeTimer = setTimeout(() => {
        if (!this.ended && this.conn?.state !== "open") this.teardown({ reason: "disconnected" });
      }, 20000);
    } else if (state === "open") {
      clearTimeout(this.resumeTimer);
      this.resumeTimer = null;
    } else if (state === "closed" && !this.ended) {
      this.rejectJoined?.(new SwitchboardError("disconnected", "the call connection closed"));
      this.teardown({ reason: "disconnected" });
    }
  }

  /** @param {SwitchboardError} err */
  fail(err) {
    this.listener.onError?.({ code: err.code, message: err.message });
    this.teardown({ reason: err.code });
  }

  /**
   * @param {string} name
   * @param {any} data
   */
  onEvent(name, data) {
    if (name !== "activeSpeakers" && name !== "trickle") this.note("ev:" + name);
    const h = this.handlers[name];
    if (h) h.call(this, data || {});
  }

  /** Handlers of /v1/rtc events, one per event. @type {Record<string, (d: any) => void>} */
  get handlers() {
    return {
      joined: (d) => {
        if (this.publisher) return this.onResumed(d);
        this.mark("joined");
        this.setupPeers(d);
        this.resolveJoined?.(d);
      },
      subscriberOffer: (d) => this.onSubscriberOffer(d),
      trickle: (d) => this.onRemoteCandidate(d),
      trackPublished: (d) => this.noteTrack(d),
      trackUnpublished: (d) => this.onTrackUnpublished(d),
      userJoined: (d) => this.addParticipant(this.userOf(d), true),
      userLeft: (d) => this.removeParticipant(this.userOf(d)),
      muteChanged: (d) => this.onMuteChanged(d),
      activeLayers: (d) => this.onActiveLayers(d),
      activeSpeakers: (d) => {
        this.serverSpeakers = true; // the server's view replaces polling getStats
        if (!this.ended) this.setSpeaker((d.uids || [])[0] || null);
      },
      callEnded: (d) => this.teardown({ reason: d.reason || "ended" }),
      participantReconnecting: (d) => this.setReconnecting(d.uid, true),
      participantReconnected: (d) => this.setReconnecting(d.uid, false),
      error: (d) => this.listener.onError?.({ code: d.code || "error", message: d.message || "" }),
    };
  }

  /**
   * Dynacast: encode only the simulcast layers someone receives.
   * @param {any} d {trackId, sourceTrackId, rids}
   */
  onActiveLayers(d) {
    const senders = this.publisher?.getSenders() || [];
    // The camera may have been replaced since (replaceTrack keeps the msid): the simulcast sender.
    const sender = senders.find((s) => s.track?.id === d.sourceTrackId) || senders.find((s) => (s.getParameters().encodings || []).length > 1);
    if (!sender) return;
    const params = sender.getParameters();
    if (!params.encodings || params.encodings.length < 2) return;
    let changed = false;
    for (const e of params.encodings) {
      const on = (d.rids || []).includes(e.rid);
      if (e.active !== on) changed = true;
      e.active = on;
    }
    if (changed) sender.setParameters(params).catch(() => {});
  }

  /** @param {any} info the joined event */
  setupPeers(info) {
    this.sessionId = info.sessionId || "";
    const you = info.you || {};
    this.me = { uid: you.uid || String(you), name: you.name || you.uid || "" };
    if (!you.name) this.me.name = this.nameOf(this.me.uid);
    this.grid?.add(this.me.uid, this.me.name, true);
    this.showLocalVideo();
    for (const p of info.participants || []) {
      const u = this.userOf(p);
      if (!u.uid || u.uid === this.me.uid) continue;
      this.addParticipant(u, false);
      for (const kind of ["audio", "video"]) if (p.muted && p.muted[kind]) this.onMuteChanged({ uid: u.uid, kind, muted: true });
    }
    this.listener.onUserListUpdated?.([...this.participants.values()]);
    for (const t of info.tracks || []) this.noteTrack(t);
    /** @type {RTCConfiguration} */
    const cfg = { iceServers: info.iceServers || [], bundlePolicy: "max-bundle", iceTransportPolicy: this.settings.iceTransportPolicy || "all" };
    this.makePeers(cfg);
    this.listener.onJoined?.(info);
  }

  /**
   * Notes the first time a step happened.
   * @param {string} name
   */
  mark(name) {
    if (!(name in this.marks)) this.marks[name] = Date.now();
    this.note(name);
  }

  /**
   * Logs a step every time it happens (the last 64, for diagnostics: recoveries repeat steps).
   * @param {string} name
   */
  note(name) {
    this.steps.push([name, Date.now()]);
    if (this.steps.length > 64) this.steps.shift();
  }

  /** Shows your camera in your tile, once both exist. */
  showLocalVideo() {
    const v = this.localStream.getVideoTracks()[0];
    if (v && this.grid && this.grid.tiles.has(this.me.uid)) this.grid.attach(this.me.uid, v);
  }

  /**
   * A participant's display name: the server's, else settings.names, else the uid.
   * @param {string} uid
   */
  nameOf(uid) {
    const names = this.settings.names;
    return (typeof names === "function" ? names(uid) : names && names[uid]) || uid;
  }

  /** @param {any} d a participant, user or uid from the server */
  userOf(d) {
    const u = userOf(d);
    if (!u.name || u.name === u.uid) u.name = this.nameOf(u.uid);
    return u;
  }

  /**
   * The session's two connections: the ones made while the call rang (Switchboard.prepareMedia)
   * when they send exactly this session's tracks, their offer then ready to go; else new ones.
   * @param {RTCConfiguration} cfg
   */
  makePeers(cfg) {
    const warm = this.warm;
    this.warm = null;
    if (!warm || !adoptable(warm, this.localStream, this.settings.simulcast === true)) {
      closeWarm(warm);
      this.note("peers:new");
      this.publisher = this.watchPeer("publisher", new RTCPeerConnection(cfg));
      this.subscriber = this.watchPeer("subscriber", new RTCPeerConnection(cfg));
      return;
    }
    this.publisher = this.watchPeer("publisher", warm.publisher);
    this.subscriber = this.watchPeer("subscriber", warm.subscriber);
    if ((cfg.iceServers || []).length || cfg.iceTransportPolicy === "relay") {
      // gathered without joined's ICE servers (STUN, TURN): the first offer gathers again with them
      warm.publisher.setConfiguration(cfg);
      warm.subscriber.setConfiguration(cfg);
      this.restartOffer = true;
      this.note("peers:warm-restart");
      return;
    }
    this.note("peers:warm");
    this.warmOffer = warm.offer;
    // candidates that come before the publishOffer are held by the server (docs/protocol.md)
    for (const c of warm.candidates) this.sendCandidate("publisher", c);
  }

  /**
   * @param {"publisher"|"subscriber"} target
   * @param {RTCIceCandidateInit|null} candidate null: gathering is complete (the end of candidates)
   */
  sendCandidate(target, candidate) {
    if (!this.ended) this.conn?.request("trickle", { target, candidate }).catch(() => {});
  }

  /**
   * Wires a connection's events to the session.
   * @param {"publisher"|"subscriber"} target
   * @param {RTCPeerConnection} pc
   */
  watchPeer(target, pc) {
    if (target === "subscriber") pc.ontrack = (ev) => this.onTrack(ev);
    pc.onicecandidate = (ev) => {
      if (ev.candidate && !ev.candidate.candidate) return; // one end per connection: the null below
      this.sendCandidate(target, ev.candidate ? ev.candidate.toJSON() : null);
    };
    pc.oniceconnectionstatechange = () => {
      const ice = pc.iceConnectionState;
      this.note(target + ":ice:" + ice);
      if (ice === "disconnected" || ice === "failed") this.recover(false);
      else if (ice === "connected" || ice === "completed") {
        this.mark(target + "Ice");
        this.iceBack();
      }
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "connected") this.mark(target + "Connected");
      if (pc.connectionState === "failed" && !this.ended) {
        this.listener.onError?.({ code: "ice_failed", message: "The media connection failed (" + target + ")." });
      }
    };
    return pc;
  }

  /** Offers the local tracks on the publisher and applies the server's answer. */
  publish() {
    return this.chain("publisher", async () => {
      const pc = this.publisher;
      if (!pc || this.ended) return;
      for (const track of this.localStream.getTracks()) {
        if (pc.getSenders().some((s) => s.track === track)) continue;
        pc.addTransceiver(track, sendInit(track, this.localStream, this.settings.simulcast === true));
      }
      if (pc.getTransceivers().length === 0) return; // listen-only
      // (the screen share's transceiver is added by startScreenShare, not from localStream)
      let sdp = this.warmOffer;
      this.warmOffer = "";
      if (!sdp || pc.getTransceivers().some((t) => t.mid === null)) {
        // (a transceiver added since the warm offer has no mid yet: offer again)
        const offer = await pc.createOffer(this.restartOffer ? { iceRestart: true } : undefined);
        this.restartOffer = false;
        await pc.setLocalDescription(offer);
        sdp = offer.sdp || "";
      }
      this.mark("offerSent");
      const res = await this.conn?.request("publishOffer", this.offerParams(sdp));
      this.mark("answerReceived");
      if (this.ended) return;
      await pc.setRemoteDescription({ type: "answer", sdp: res.sdp });
      this.mark("published");
      await this.flushHeld("publisher");
    });
  }

  /**
   * publishOffer's params: the offer, and which m-line is the screen share.
   * @param {string | undefined} sdp
   */
  offerParams(sdp) {
    const t = this.screenSender && this.publisher?.getTransceivers().find((x) => x.sender === this.screenSender);
    return t && t.mid ? { sdp, sources: { [t.mid]: "screen" } } : { sdp };
  }

  /**
   * Shares the screen as a second video track (high resolution, low frame rate): the others
   * see it large, beside the camera. Resolves once it is published.
   * @param {MediaStreamTrack} [track] a track to share instead of asking (tests: a canvas's captureStream)
   */
  async startScreenShare(track) {
    if (this.screenSender || !this.publisher) return;
    const t = track || (await navigator.mediaDevices.getDisplayMedia({ video: { width: { max: 1920 }, height: { max: 1080 }, frameRate: { max: 5 } } })).getVideoTracks()[0];
    t.contentHint = "detail";
    t.onended = () => this.stopScreenShare();
    this.screenSender = this.publisher.addTransceiver(t, { direction: "sendonly", streams: [new MediaStream([t])] }).sender;
    this.grid?.add(this.me.uid + ":screen", this.me.name + " (screen)", true);
    this.grid?.attach(this.me.uid + ":screen", t);
    await this.publish();
  }

  /** Stops the screen share (its m-line stops sending; the others get trackUnpublished). */
  async stopScreenShare() {
    const sender = this.screenSender;
    if (!sender || !this.publisher) return;
    this.screenSender = null;
    sender.track?.stop();
    this.publisher.removeTrack(sender);
    this.grid?.remove(this.me.uid + ":screen");
    await this.publish();
  }

  /** @param {any} d {sdp} */
  onSubscriberOffer(d) {
    this.chain("subscriber", async () => {
      const pc = this.subscriber;
      if (!pc || this.ended) return;
      this.mark("subscriberOffer");
      await pc.setRemoteDescription({ type: "offer", sdp: d.sdp });
      this.note("sub:remoteSet");
      await this.flushHeld("subscriber");
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      this.note("sub:answerSent");
      await this.conn?.request("subscriberAnswer", { sdp: answer.sdp });
      this.note("sub:answerAcked");
    }).catch((err) => this.listener.onError?.({ code: "negotiation", message: String(err && err.message) }));
  }

  /**
   * The network changed or a connection's ICE went disconnected/failed: open a new socket with
   * resume=1 (the old one may be dead); ICE restarts when the server confirms (onResumed).
   */
  /**
   * @param {boolean} networkChanged the browser said so ("online"): always start over (at most
   *   once a second). A connection's ICE going down during a recovery younger than 10 s is the
   *   old path dying: the restart under way will replace it, and a new socket would abort it.
   */
  recover(networkChanged) {
    if (this.ended || !this.publisher) return;
    const since = Date.now() - this.lastRecover;
    if (networkChanged && since < 1000) {
      // the network changed just after a recovery began (e.g. ICE went down, then the link came
      // back): that one may be dialling on the old path; start over once the second is up
      clearTimeout(this.recoverTimer);
      this.recoverTimer = setTimeout(() => this.recover(true), 1000 - since);
      return;
    }
    if (since < 1000 || (!networkChanged && this.recovering && since < 10000)) return;
    this.lastRecover = Date.now();
    this.recovering = true;
    this.note(networkChanged ? "recover:network" : "recover:ice");
    this.listener.onReconnecting?.();
    this.conn?.reopen();
  }

  /**
   * A connection's ICE is connected again. The path is back: a socket still dialling since the
   * link went away (its SYN may wait seconds for TCP's next retry) is dialled again at once.
   */
  iceBack() {
    if (!this.recovering) return;
    this.recovering = !this.iceUp();
    if (this.conn?.state === "reconnecting") this.conn.reopen();
  }

  /** Whether both connections' ICE is connected. */
  iceUp() {
    const up = (/** @type {RTCPeerConnection|null} */ pc) => !!pc && (pc.iceConnectionState === "connected" || pc.iceConnectionState === "completed");
    return up(this.publisher) && up(this.subscriber);
  }

  /** @param {any} d a second joined: the resumed socket (resumed: true), or a session lost */
  onResumed(d) {
    this.note(d.resumed ? "resumed" : "resume-refused");
    if (!d.resumed) {
      // The server no longer had this session: it is over for this page.
      this.conn?.request("leave").catch(() => {});
      this.teardown({ reason: "disconnected" });
      return;
    }
    this.restartIce();
  }

  /** Restarts ICE on both connections (restartIce; a publishOffer with iceRestart). */
  restartIce() {
    this.conn?.request("restartIce").catch((e) => this.listener.onError?.({ code: e.code || "error", message: e.message }));
    this.chain("publisher", async () => {
      const pc = this.publisher;
      if (!pc || this.ended || !pc.remoteDescription) return;
      this.restarting.add("publisher");
      try {
        const offer = await pc.createOffer({ iceRestart: true });
        await pc.setLocalDescription(offer);
        this.note("restart:offerSent");
        const res = await this.conn?.request("publishOffer", { sdp: offer.sdp });
        if (this.ended) return;
        await pc.setRemoteDescription({ type: "answer", sdp: res.sdp });
        this.note("restart:answered");
      } finally {
        this.restarting.delete("publisher");
      }
      await this.flushHeld("publisher");
    }).catch((err) => this.listener.onError?.({ code: err.code || "negotiation", message: String(err && err.message) }));
  }

  /**
   * Marks a participant's tile "reconnecting" (data-reconnecting) while their media is stopped.
   * @param {string} uid
   * @param {boolean} on
   */
  setReconnecting(uid, on) {
    const t = this.grid?.tiles.get(uid);
    if (t) t.el.dataset.reconnecting = String(on);
    if (on) this.listener.onParticipantReconnecting?.(uid);
    else this.listener.onParticipantReconnected?.(uid);
  }

  /** @param {any} d {target, candidate} */
  onRemoteCandidate(d) {
    const target = d.target === "publisher" ? "publisher" : "subscriber";
    const pc = target === "publisher" ? this.publisher : this.subscriber;
    if (!d.candidate) return;
    if (!pc || !pc.remoteDescription || this.restarting.has(target)) {
      this.held.get(target)?.push(d.candidate);
      return;
    }
    pc.addIceCandidate(d.candidate).catch(() => {});
  }

  /** @param {"publisher"|"subscriber"} target */
  async flushHeld(target) {
    const pc = target === "publisher" ? this.publisher : this.subscriber;
    const list = this.held.get(target) || [];
    this.held.set(target, []);
    for (const c of list) await pc?.addIceCandidate(c).catch(() => {});
  }

  /**
   * Runs fn after the previous work on the same connection.
   * @param {string} name
   * @param {() => Promise<void>} fn
   */
  chain(name, fn) {
    const prev = this.chains.get(name) || Promise.resolve();
    const next = prev.catch(() => {}).then(fn);
    this.chains.set(name, next);
    return next;
  }

  /**
   * Records a forwarded track the server announced, by its mid.
   * @param {any} d {trackId, uid, kind, mid}
   */
  noteTrack(d) {
    if (d && d.mid) this.tracksByMid.set(String(d.mid), { uid: d.uid || "", trackId: d.trackId || "", kind: d.kind || "", source: d.source || "" });
  }

  /**
   * A forwarded track stopped: its m-line carries nothing more; stop showing it.
   * @param {any} d {trackId, uid, mid}
   */
  onTrackUnpublished(d) {
    const mid = d && d.mid ? String(d.mid) : "";
    const track = this.remoteByMid.get(mid);
    const known = this.tracksByMid.get(mid);
    if (known && known.source === "screen") this.grid?.remove(known.uid + ":screen");
    this.tracksByMid.delete(mid);
    this.remoteByMid.delete(mid);
    if (!track) return;
    this.audioTracks.delete(track.id);
    this.grid?.detachTrack(d.uid, track);
  }

  /**
   * Matches a received track to its publisher: by the transceiver's mid (what the server
   * announced), else by the stream id (the publisher's uid). Never by the track's own id.
   * @param {RTCTrackEvent} ev
   */
  onTrack(ev) {
    const mid = ev.transceiver && ev.transceiver.mid != null ? String(ev.transceiver.mid) : "";
    const known = this.tracksByMid.get(mid);
    const stream = ev.streams[0];
    const uid = (known && known.uid) || (stream ? stream.id : "");
    if (!uid) return;
    if (mid) this.remoteByMid.set(mid, ev.track);
    this.mark("track-" + ev.track.kind);
    if (!this.participants.has(uid)) this.addParticipant({ uid, name: this.nameOf(uid) }, false);
    if (known && known.source === "screen") {
      // A screen share gets a tile of its own, shown large (data-source="screen").
      const tile = this.grid?.add(uid + ":screen", this.nameOf(uid) + " (screen)", false);
      if (tile) tile.el.dataset.source = "screen";
      this.grid?.attach(uid + ":screen", ev.track);
      return;
    }
    this.grid?.attach(uid, ev.track);
    if (ev.track.kind === "audio") this.audioTracks.set(ev.track.id, uid);
  }

  /**
   * @param {{uid: string, name: string}} u
   * @param {boolean} announce
   */
  addParticipant(u, announce) {
    if (!u.uid || u.uid === this.me.uid) return;
    const known = this.participants.get(u.uid);
    if (known && (!u.name || known.name === u.name)) return;
    this.participants.set(u.uid, u);
    this.grid?.add(u.uid, u.name, false);
    if (announce) {
      this.listener.onUserJoined?.(u);
      this.listener.onUserListUpdated?.([...this.participants.values()]);
    }
  }

  /** @param {{uid: string, name: string}} u */
  removeParticipant(u) {
    const known = this.participants.get(u.uid);
    if (!known) return;
    this.participants.delete(u.uid);
    for (const [id, uid] of this.audioTracks) if (uid === u.uid) this.audioTracks.delete(id);
    this.grid?.remove(u.uid);
    this.listener.onUserLeft?.(known);
    this.listener.onUserListUpdated?.([...this.participants.values()]);
  }

  /** @param {any} d {uid, kind, muted} */
  onMuteChanged(d) {
    if (!d.uid || (d.kind !== "audio" && d.kind !== "video")) return;
    this.grid?.setMuted(d.uid, d.kind, !!d.muted);
    if (d.kind === "audio") {
      if (d.muted) this.mutedAudio.add(d.uid);
      else this.mutedAudio.delete(d.uid);
      if (d.muted && this.speaker === d.uid) this.setSpeaker(null);
    }
    this.listener.onMuteChanged?.({ uid: d.uid, kind: d.kind, muted: !!d.muted });
  }

  /**
   * Polls audio levels (the decoded level of each remote audio, and your
   * microphone's) and names the loudest participant above a floor.
   */
  async pollLevels() {
    if (this.ended || !this.subscriber || this.serverSpeakers) return;
    let best = null;
    let bestLevel = 0.02;
    const remote = await levels(this.subscriber, "inbound-rtp");
    for (const [trackId, level] of remote) {
      const uid = this.audioTracks.get(trackId);
      if (uid && level > bestLevel && !this.mutedAudio.has(uid)) {
        best = uid;
        bestLevel = level;
      }
    }
    if (!this.audioMuted && this.publisher) {
      for (const [, level] of await levels(this.publisher, "media-source")) {
        if (level > bestLevel) {
          best = this.me.uid;
          bestLevel = level;
        }
      }
    }
    if (!this.ended) this.setSpeaker(best);
  }

  /** @param {string|null} uid */
  setSpeaker(uid) {
    if (uid === this.speaker) return;
    this.speaker = uid;
    this.grid?.setSpeaker(uid);
    this.listener.onActiveSpeakerChanged?.(uid);
  }

  /**
   * Mutes or unmutes your microphone (the others see it).
   * @param {boolean} muted
   */
  muteAudio(muted) {
    this.audioMuted = muted;
    if (muted && this.speaker === this.me.uid) this.setSpeaker(null);
    for (const t of this.localStream.getAudioTracks()) t.enabled = !muted;
    this.grid?.setMuted(this.me.uid, "audio", muted);
    this.sendMute("audio", muted);
  }

  /**
   * Turns your camera off (the device is released) or back on.
   * @param {boolean} paused
   * @returns {Promise<void>}
   */
  async pauseVideo(paused) {
    this.videoMuted = paused;
    if (paused) {
      this.stopVideoTracks();
      const s = this.videoSender();
      if (s) await s.replaceTrack(null);
      this.grid?.detachVideo(this.me.uid);
    } else {
      await this.useVideoTrack(await openDevice("video", this.settings.videoDeviceId));
    }
    this.grid?.setMuted(this.me.uid, "video", paused);
    this.sendMute("video", paused);
  }

  stopVideoTracks() {
    for (const t of this.localStream.getVideoTracks()) {
      t.stop();
      this.localStream.removeTrack(t);
    }
  }

  videoSender() {
    const pc = this.publisher;
    if (!pc) return null;
    return pc.getTransceivers().find((t) => t.sender.track?.kind === "video" || t.receiver.track?.kind === "video")?.sender || null;
  }

  /** @param {MediaStreamTrack} track */
  async useVideoTrack(track) {
    this.stopVideoTracks();
    this.localStream.addTrack(track);
    const s = this.videoSender();
    if (s) await s.replaceTrack(track);
    else await this.publish(); // first camera in this call: negotiate a video sender
    this.grid?.attach(this.me.uid, track);
    this.listener.onLocalStream?.(this.localStream);
  }

  /**
   * Uses another microphone (replaceTrack: no renegotiation).
   * @param {string} deviceId
   */
  async setAudioInputDevice(deviceId) {
    const track = await openDevice("audio", deviceId);
    track.enabled = !this.audioMuted;
    this.settings.audioDeviceId = deviceId;
    const old = this.localStream.getAudioTracks()[0];
    const sender = this.publisher?.getSenders().find((s) => s.track === old);
    if (old) {
      old.stop();
      this.localStream.removeTrack(old);
    }
    this.localStream.addTrack(track);
    if (sender) await sender.replaceTrack(track);
    else await this.publish();
  }

  /**
   * Uses another camera (replaceTrack: no renegotiation).
   * @param {string} deviceId
   */
  async setVideoInputDevice(deviceId) {
    this.settings.videoDeviceId = deviceId;
    if (this.videoMuted) return; // used when the camera is turned back on
    await this.useVideoTrack(await openDevice("video", deviceId));
  }

  /** Moves to the next camera, if there is more than one. Resolves with its deviceId. */
  async switchCamera() {
    const cams = await listDevices("videoinput");
    if (cams.length < 2) return this.settings.videoDeviceId || (cams[0] && cams[0].deviceId) || "";
    const current = this.localStream.getVideoTracks()[0]?.getSettings().deviceId || this.settings.videoDeviceId;
    const i = cams.findIndex((c) => c.deviceId === current);
    const next = cams[(i + 1) % cams.length].deviceId;
    await this.setVideoInputDevice(next);
    return next;
  }

  /**
   * @param {"audio"|"video"} kind
   * @param {boolean} muted
   */
  sendMute(kind, muted) {
    if (!this.conn || this.ended) return;
    this.conn.request("mute", { kind, muted }).catch(() => {});
  }

  /** Clicks that unblock sound call this. */
  resumeAudio() {
    this.grid?.resumeAudio();
  }

  /**
   * Leaves the call (endSession). In a 1:1 call the server then ends it for both.
   * @returns {Promise<void>}
   */
  async leave() {
    if (this.ended) return;
    await withTimeout(this.conn?.request("leave"), 2000).catch(() => {});
    this.teardown({ reason: "left" }, false);
  }

  /** Ends the call for everyone (endCall on /v1/rtc). */
  async endCall() {
    if (this.ended) return;
    await withTimeout(this.conn?.request("endCall"), 2000).catch(() => {});
    this.teardown({ reason: "ended" }, false);
  }

  /**
   * Releases everything once.
   * @param {{reason: string}} info
   * @param {boolean} [notify] tell the listener onCallEnded (default true)
   */
  teardown(info, notify = true) {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.levelTimer);
    clearTimeout(this.resumeTimer);
    clearTimeout(this.recoverTimer);
    if (typeof removeEventListener === "function") removeEventListener("online", this.onOnline);
    for (const t of this.localStream.getTracks()) t.stop();
    this.publisher?.close();
    this.subscriber?.close();
    closeWarm(this.warm);
    this.warm = null;
    this.conn?.close();
    this.grid?.clear();
    this.rejectJoined?.(new SwitchboardError("ended", "the call ended"));
    if (notify) this.listener.onCallEnded?.(info);
  }
}

/** @param {any} d */
function userOf(d) {
  if (typeof d === "string") return { uid: d, name: d };
  const u = d.user || d;
  return { uid: u.uid || "", name: u.name || u.uid || "" };
}

/**
 * Audio levels (0..1) from getStats: inbound-rtp by track id, or media-source.
 * @param {RTCPeerConnection} pc
 * @param {"inbound-rtp"|"media-source"} type
 * @returns {Promise<Map<string, number>>}
 */
async function levels(pc, type) {
  /** @type {Map<string, number>} */
  const out = new Map();
  try {
    const stats = await pc.getStats();
    stats.forEach((s) => {
      if (s.type === type && s.kind === "audio" && typeof s.audioLevel === "number") out.set(s.trackIdentifier || s.id, s.audioLevel);
    });
  } catch {
    // closed meanwhile
  }
  return out;
}

/**
 * @param {Promise<any>|undefined} p
 * @param {number} ms
 */
function withTimeout(p, ms) {
  return Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);
}
