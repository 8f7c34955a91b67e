// @ts-check
// A call session: one participant's media in one call, over /v1/rtc.
//
// The session holds the state; its parts live beside it: negotiation.js (the two
// RTCPeerConnections, offers, answers, candidates), warm.js (peers made while the call rings),
// recovery.js (resume and ICE restart after a network change), roster.js (participants, tracks,
// mutes, speaker). This file: joining, the events, your own media, leaving.

import { Connection, wsURL, SwitchboardError, tokenMediaURL } from "./rpc.js";
import { Grid } from "./grid.js";
import { captureLocal, openDevice, listDevices } from "./media.js";
import { closeWarm } from "./warm.js";
import { isolated } from "./listeners.js";
import { recover, onResumed } from "./recovery.js";
import { makePeers, publish, onSubscriberOffer, onRemoteCandidate } from "./negotiation.js";
import { noteTrack, onTrackUnpublished, addParticipant, removeParticipant, onMuteChanged, pollLevels, setSpeaker, setReconnecting, setQuality, setStreamState } from "./roster.js";

/**
 * @typedef {object} OngoingCallListener
 * @property {(user: {uid: string, name: string}) => void} [onUserJoined]
 * @property {(user: {uid: string, name: string}, reason: string) => void} [onUserLeft] reason as userLeft's
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
 * @property {(uid: string, quality: string) => void} [onConnectionQuality]  someone's connection (yours too) turned "poor" or back to "good"; the tile says so
 * @property {(uid: string, trackId: string, state: string) => void} [onStreamState]  the server stopped their video for your slow downlink ("paused") or forwards it again ("active"); the tile says so
 * @property {() => void} [onReconnecting]  this browser's network changed or its media stalled: resuming, restarting ICE
 * @property {() => void} [onReconnected]  after onReconnecting: the session is resumed and media flows again
 * @property {() => void} [onScreenShareStopped]  your screen share stopped: stopScreenShare, or the browser's own "Stop sharing"
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
 * @property {boolean} [peersFirst]   the media is captured already: wait for peers before connecting
 * @property {boolean} [listenOnly]     capture nothing and publish nothing (also where the page cannot capture)
 * @property {RTCIceTransportPolicy} [iceTransportPolicy]  "relay": only TURN paths (joined's iceServers); default "all"
 * @property {boolean} [simulcast]      false: send camera video as one encoding (default: simulcast layers, two or three by the camera's size; sdk/README.md)
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
    /** @type {OngoingCallListener} the app's listener, isolated (see the listener setter) */
    this.safeListener = {};
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
    /** @type {RTCRtpTransceiver|null} the screen share's transceiver, kept for the next share */
    this.screenTransceiver = null;
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
    /** this app ended the call (endCall): the server's callEnded is not told to the listener */
    this.endingSelf = false;
    /** the subscriber offer whose answer the server took last (the same one again is a resend that crossed that answer) */
    this.answeredOffer = "";
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
    /** @type {Record<string, number>} local candidates each connection has gathered (sent) */
    this.gathered = { publisher: 0, subscriber: 0 };
    /** the listener was told no connection could gather an address (negotiation.js noAddress) */
    this.warnedNoAddress = false;
    this.lastRecover = 0;
    /** a recovery is under way: set by recover(), cleared when both connections' ICE is back */
    this.recovering = false;
    /** the listener heard onReconnecting and awaits onReconnected (recovery.js settleRecovery) */
    this.reconnecting = false;
    /** @type {() => void} resolves whenEnded (teardown) */
    this.resolveEnded = () => {};
    /** @type {Promise<void>} settles when the session ends: work that a closed connection would leave pending races it */
    this.whenEnded = new Promise((resolve) => (this.resolveEnded = resolve));
    /** @type {any} */
    this.resumeTimer = null;
    /** @type {any} a network change deferred by recover() */
    this.recoverTimer = null;
    this.onOnline = () => recover(this, true);
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
   * The app's listener. Each of its methods is called in isolation: one that throws has its
   * exception reported as uncaught (the page's error event), and the session goes on as if it
   * had returned (joins, publishes, ends).
   * @returns {OngoingCallListener}
   */
  get listener() {
    return this.safeListener;
  }

  /** @param {OngoingCallListener} l */
  set listener(l) {
    this.safeListener = isolated(l || {});
  }

  /**
   * Captures media, opens /v1/rtc and publishes. Resolves once joined; rejects with the
   * SwitchboardError that ended the session first (e.g. code "unauthorized": the call token
   * was refused), whichever of capture and refusal comes first.
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
    joined.catch(() => {}); // awaited below; a refusal during capture is no unhandled rejection
    this.conn = new Connection({
      url: wsURL(this.baseUrl, "/v1/rtc"),
      token: this.callToken,
      // A lost socket is resumed (resume=1) and ICE restarted; the server keeps the session for
      // media.disconnect_timeout (docs/protocol.md, "Network changes and interruptions").
      reconnect: true,
      resume: true,
      maxBackoffMs: 2000,
      // a socket that died silently while media still flows is resumed within 15 s, before the
      // server's grace runs out (it noticed by its own pings)
      heartbeatMs: 10000,
      onEvent: (name, data) => this.onEvent(name, data),
      onState: (state) => this.onConnState(state),
    });
    // Media captured ahead: its peers are milliseconds from ready (their offer is being made).
    // joined must find them, or the session makes new ones and the gathering done while the call
    // rang is lost (a prepareMedia awaited just before startSession raced joined).
    // (At most 500 ms: a browser whose offer never comes must not keep the call from connecting.)
    if (this.settings.peersFirst && this.settings.peers) {
      await Promise.race([this.settings.peers.catch(() => null), new Promise((r) => setTimeout(r, 500))]);
    }
    if (!this.ended) this.conn.start();
    const { stream, problems } = await media;
    const warm = this.settings.peers ? await this.settings.peers.catch(() => null) : null;
    if (this.ended) {
      closeWarm(warm);
      for (const t of stream.getTracks()) t.stop();
      // Ended meanwhile: by a refusal (a token refused while the camera opened) or a lost
      // connection, startSession rejects with it; by the app (endSession), it resolves.
      const err = await joined.then(() => null, (e) => e);
      if (err && err.code !== "ended") throw err;
      return;
    }
    this.localStream = stream;
    // No microphone (refused or missing): the others see you muted, not silent for no reason.
    if (!stream.getAudioTracks().length) this.audioMuted = true;
    for (const p of problems) this.listener.onMediaError?.(p);
    for (const t of stream.getAudioTracks()) t.enabled = !this.audioMuted;
    if (this.videoMuted) this.stopVideoTracks();
    this.showOwnMutes();
    if (this.publisher) closeWarm(warm); // joined came first: the session made its own peers
    else this.warm = warm;
    this.mark("media");
    this.showLocalVideo();
    this.listener.onLocalStream?.(stream);
    await joined; // the peers are set up when "joined" arrives, media or not
    if (this.ended) return;
    // A connection closed mid-negotiation (the call ended meanwhile) never settles Chromium's
    // createOffer or setRemoteDescription: the end settles this instead (joined: resolves).
    await Promise.race([publish(this), this.whenEnded]);
    if (this.ended) return;
    if (this.audioMuted) this.sendMute("audio", true);
    if ((this.videoMuted || !stream.getVideoTracks().length) && !this.settings.audioOnly) this.sendMute("video", true);
    this.levelTimer = setInterval(() => pollLevels(this), 300);
  }

  /** @param {import("./rpc.js").ConnectionState} state */
  onConnState(state) {
    this.note("socket:" + state);
    if (state === "unauthorized") {
      const err = new SwitchboardError("unauthorized", "this call can no longer be joined (the call token was refused)");
      this.rejectJoined?.(err);
      this.fail(err);
    } else if (state === "closed" && this.conn?.refusal && !this.ended) {
      // A resume the server refused for good (HTTP 404: it no longer knows the session, e.g.
      // it restarted): the session is over now, with the server's word for why.
      const err = this.conn.refusal;
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
        if (this.publisher) return onResumed(this, d);
        this.mark("joined");
        this.setupPeers(d);
        this.resolveJoined?.(d);
      },
      subscriberOffer: (d) => onSubscriberOffer(this, d),
      trickle: (d) => onRemoteCandidate(this, d),
      trackPublished: (d) => noteTrack(this, d),
      trackUnpublished: (d) => onTrackUnpublished(this, d),
      userJoined: (d) => addParticipant(this, this.userOf(d), true, d.muted),
      userLeft: (d) => removeParticipant(this, this.userOf(d), d.reason),
      muteChanged: (d) => onMuteChanged(this, d),
      activeLayers: (d) => this.onActiveLayers(d),
      activeSpeakers: (d) => {
        this.serverSpeakers = true; // the server's view replaces polling getStats
        if (!this.ended) setSpeaker(this, (d.uids || [])[0] || null);
      },
      // ended by this app (endCall): its listener hears nothing, however the replies race
      callEnded: (d) => this.teardown({ reason: d.reason || "ended" }, !this.endingSelf),
      participantReconnecting: (d) => setReconnecting(this, d.uid, true),
      participantReconnected: (d) => setReconnecting(this, d.uid, false),
      connectionQuality: (d) => setQuality(this, d.uid, d.quality),
      streamState: (d) => setStreamState(this, d),
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
    this.showOwnMutes();
    this.showLocalVideo();
    for (const p of info.participants || []) {
      const u = this.userOf(p);
      if (!u.uid || u.uid === this.me.uid) continue;
      addParticipant(this, u, false);
      for (const kind of ["audio", "video"]) if (p.muted && p.muted[kind]) onMuteChanged(this, { uid: u.uid, kind, muted: true });
    }
    this.listener.onUserListUpdated?.([...this.participants.values()]);
    for (const t of info.tracks || []) noteTrack(this, t);
    /** @type {RTCConfiguration} */
    const cfg = { iceServers: info.iceServers || [], bundlePolicy: "max-bundle", iceTransportPolicy: this.settings.iceTransportPolicy || "all" };
    makePeers(this, cfg);
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

  /** Flags your own tile muted as you start (startAudioMuted, startVideoMuted, no microphone). */
  showOwnMutes() {
    if (!this.grid || !this.grid.tiles.has(this.me.uid)) return;
    if (this.audioMuted) this.grid.setMuted(this.me.uid, "audio", true);
    if (this.videoMuted) this.grid.setMuted(this.me.uid, "video", true);
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
   * Shares the screen as a second video track (high resolution, low frame rate): the others
   * see it large, beside the camera. Resolves once it is published.
   * @param {MediaStreamTrack} [track] a track to share instead of asking (tests: a canvas's captureStream)
   */
  async startScreenShare(track) {
    if (this.screenSender || !this.publisher) return;
    const t = track || (await navigator.mediaDevices.getDisplayMedia({ video: { width: { max: 1920 }, height: { max: 1080 }, frameRate: { max: 5 } } })).getVideoTracks()[0];
    t.contentHint = "detail";
    t.onended = () => this.stopScreenShare();
    // A share stopped before keeps its m-line (a connection never drops one it offered): it is
    // used again, so that sharing again and again never runs into the server's limit of media
    // sections (media.max_tracks_per_participant).
    const old = this.screenTransceiver;
    if (old && old.currentDirection !== "stopped" && this.publisher.getTransceivers().includes(old)) {
      await old.sender.replaceTrack(t);
      old.sender.setStreams?.(new MediaStream([t]));
      old.direction = "sendonly";
      this.screenSender = old.sender;
    } else {
      const tr = this.publisher.addTransceiver(t, { direction: "sendonly", streams: [new MediaStream([t])] });
      this.screenTransceiver = tr;
      this.screenSender = tr.sender;
    }
    const tile = this.grid?.add(this.me.uid + ":screen", this.me.name + " (screen)", true);
    if (tile) tile.el.dataset.source = "screen";
    this.grid?.attach(this.me.uid + ":screen", t);
    await publish(this);
  }

  /** Stops the screen share (its m-line stops sending; the others get trackUnpublished). */
  async stopScreenShare() {
    const sender = this.screenSender;
    if (!sender || !this.publisher) return;
    this.screenSender = null;
    sender.track?.stop();
    this.publisher.removeTrack(sender);
    this.grid?.remove(this.me.uid + ":screen");
    this.listener.onScreenShareStopped?.();
    await publish(this);
  }

  /**
   * Mutes or unmutes your microphone (the others see it).
   * @param {boolean} muted
   */
  muteAudio(muted) {
    muted = !!muted; // muteAudio() unmutes
    this.audioMuted = muted;
    if (muted && this.speaker === this.me.uid) setSpeaker(this, null);
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
    paused = !!paused; // pauseVideo() turns the camera on
    if (paused) {
      this.videoMuted = true;
      this.stopVideoTracks();
      const s = this.videoSender();
      if (s) await s.replaceTrack(null);
      this.grid?.detachVideo(this.me.uid);
    } else {
      // the camera stays off (and said to be) when it cannot be opened: MediaError
      const track = await openDevice("video", this.settings.videoDeviceId);
      this.videoMuted = false;
      await this.useVideoTrack(track);
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
    else await publish(this); // first camera in this call: negotiate a video sender
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
    else await publish(this);
  }

  /**
   * Uses another camera (replaceTrack: no renegotiation).
   * @param {string} deviceId
   */
  async setVideoInputDevice(deviceId) {
    if (this.videoMuted) {
      this.settings.videoDeviceId = deviceId; // used when the camera is turned back on
      return;
    }
    // a camera that cannot be opened (a wrong id, in use) changes nothing: MediaError
    const track = await openDevice("video", deviceId);
    this.settings.videoDeviceId = deviceId;
    await this.useVideoTrack(track);
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
    this.endingSelf = true;
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
    const share = this.screenSender;
    this.screenSender = null;
    share?.track?.stop(); // the browser stops capturing the screen with the call
    this.publisher?.close();
    this.subscriber?.close();
    closeWarm(this.warm);
    this.warm = null;
    this.conn?.close();
    this.grid?.clear();
    this.rejectJoined?.(new SwitchboardError("ended", "the call ended"));
    this.resolveEnded();
    if (share) this.listener.onScreenShareStopped?.();
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
 * @param {Promise<any>|undefined} p
 * @param {number} ms
 */
function withTimeout(p, ms) {
  return Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);
}
