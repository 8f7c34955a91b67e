// @ts-check
// Who is in a call session and what is shown of them: the participants, the forwarded tracks
// (matched to their publisher by mid, docs/protocol.md "Which track is whose"), mutes and the
// active speaker. The state stays on the session; the grid draws it.

/** @typedef {import("./session.js").CallSession} CallSession */

/**
 * Marks a participant's tile "reconnecting" (data-reconnecting) while their media is stopped.
 * @param {CallSession} s
 * @param {string} uid
 * @param {boolean} on
 */
export function setReconnecting(s, uid, on) {
  const t = s.grid?.tiles.get(uid);
  if (t) t.el.dataset.reconnecting = String(on);
  if (on) s.listener.onParticipantReconnecting?.(uid);
  else s.listener.onParticipantReconnected?.(uid);
}

/**
 * Marks a participant's tile with their connection quality (data-quality: "good" or "poor";
 * docs/protocol.md, connectionQuality), yours included.
 * @param {CallSession} s
 * @param {string} uid
 * @param {string} quality
 */
export function setQuality(s, uid, quality) {
  s.grid?.setQuality(uid, quality === "poor" ? "poor" : "good");
  s.listener.onConnectionQuality?.(uid, quality);
}

/**
 * A video the server stopped forwarding for this browser's downlink, or forwards again
 * (docs/protocol.md, streamState): its tile says so (data-paused="bandwidth"), and the listener hears it.
 * @param {CallSession} s
 * @param {any} d {trackId, uid, mid, state, reason}
 */
export function setStreamState(s, d) {
  const uid = String(d.uid || "");
  const known = s.tracksByMid.get(String(d.mid || ""));
  const paused = d.state === "paused";
  s.grid?.setPaused(known && known.source === "screen" ? uid + ":screen" : uid, paused ? String(d.reason || "bandwidth") : "");
  s.listener.onStreamState?.(uid, String(d.trackId || ""), paused ? "paused" : "active");
}

/**
 * Records a forwarded track the server announced, by its mid.
 * @param {CallSession} s
 * @param {any} d {trackId, uid, kind, mid}
 */
export function noteTrack(s, d) {
  if (d && d.mid) s.tracksByMid.set(String(d.mid), { uid: d.uid || "", trackId: d.trackId || "", kind: d.kind || "", source: d.source || "" });
}

/**
 * A forwarded track stopped: its m-line carries nothing more; stop showing it.
 * @param {CallSession} s
 * @param {any} d {trackId, uid, mid}
 */
export function onTrackUnpublished(s, d) {
  const mid = d && d.mid ? String(d.mid) : "";
  const track = s.remoteByMid.get(mid);
  const known = s.tracksByMid.get(mid);
  if (known && known.source === "screen") s.grid?.remove(known.uid + ":screen");
  else if (known && known.kind === "video") s.grid?.setPaused(known.uid, ""); // a streamState paused ends with its track
  s.tracksByMid.delete(mid);
  s.remoteByMid.delete(mid);
  if (!track) return;
  s.audioTracks.delete(track.id);
  s.grid?.detachTrack(d.uid, track);
}

/**
 * Matches a received track to its publisher: by the transceiver's mid (what the server
 * announced), else by the stream id (the publisher's uid). Never by the track's own id.
 * @param {CallSession} s
 * @param {RTCTrackEvent} ev
 */
export function onTrack(s, ev) {
  const mid = ev.transceiver && ev.transceiver.mid != null ? String(ev.transceiver.mid) : "";
  const known = s.tracksByMid.get(mid);
  const stream = ev.streams[0];
  const uid = (known && known.uid) || (stream ? stream.id : "");
  if (!uid) return;
  if (mid) s.remoteByMid.set(mid, ev.track);
  s.mark("track-" + ev.track.kind);
  if (!s.participants.has(uid)) addParticipant(s, { uid, name: s.nameOf(uid) }, false);
  if (known && known.source === "screen") {
    // A screen share gets a tile of its own, shown large (data-source="screen").
    const tile = s.grid?.add(uid + ":screen", s.nameOf(uid) + " (screen)", false);
    if (tile) tile.el.dataset.source = "screen";
    s.grid?.attach(uid + ":screen", ev.track);
    return;
  }
  s.grid?.attach(uid, ev.track);
  if (ev.track.kind === "audio") s.audioTracks.set(ev.track.id, uid);
  else showOnceDecoding(s, uid);
}

/**
 * A new video of a participant whose tile shows no video (they rejoined after a reload, or
 * their camera came back after it was shown off): shown from its first decoded frame, unless
 * they have turned it off meanwhile. The grid does this for a tile's first video only.
 * @param {CallSession} s
 * @param {string} uid
 */
function showOnceDecoding(s, uid) {
  const t = s.grid?.tiles.get(uid);
  if (!t || t.el.dataset.videoOff !== "true") return;
  const show = () => {
    if (s.grid?.tiles.get(uid) === t && t.el.dataset.videoMuted !== "true" && t.video.srcObject) t.el.dataset.videoOff = "false";
  };
  if (t.video.readyState >= 2) show();
  else t.video.addEventListener("loadeddata", show, { once: true });
}

/**
 * @param {CallSession} s
 * @param {{uid: string, name: string}} u
 * @param {boolean} announce
 * @param {{audio?: boolean, video?: boolean}} [muted] what userJoined says (a rejoined
 *   participant's state replaces what was shown of their earlier connection, true or false)
 */
export function addParticipant(s, u, announce, muted) {
  if (!u.uid || u.uid === s.me.uid) return;
  const known = s.participants.get(u.uid);
  if (!known || (u.name && known.name !== u.name)) {
    s.participants.set(u.uid, u);
    s.grid?.add(u.uid, u.name, false);
    if (announce) {
      s.listener.onUserJoined?.(u);
      s.listener.onUserListUpdated?.([...s.participants.values()]);
    }
  }
  if (!muted || typeof muted !== "object") return;
  for (const kind of /** @type {const} */ (["audio", "video"])) {
    // a new participant's "not muted" is what is shown already; a known one's may differ
    if (typeof muted[kind] === "boolean" && (known || muted[kind])) onMuteChanged(s, { uid: u.uid, kind, muted: muted[kind] });
  }
}

/**
 * @param {{uid: string, name: string}} u
 * @param {CallSession} s
 * @param {string} [reason] userLeft's: "left", "timeout" (they vanished) or "ended_by_admin"
 */
export function removeParticipant(s, u, reason = "left") {
  const known = s.participants.get(u.uid);
  if (!known) return;
  s.participants.delete(u.uid);
  for (const [id, uid] of s.audioTracks) if (uid === u.uid) s.audioTracks.delete(id);
  s.grid?.remove(u.uid);
  s.listener.onUserLeft?.(known, reason);
  s.listener.onUserListUpdated?.([...s.participants.values()]);
}

/**
 * @param {any} d {uid, kind, muted}
 * @param {CallSession} s
 */
export function onMuteChanged(s, d) {
  if (!d.uid || (d.kind !== "audio" && d.kind !== "video")) return;
  s.grid?.setMuted(d.uid, d.kind, !!d.muted);
  if (d.kind === "audio") {
    if (d.muted) s.mutedAudio.add(d.uid);
    else s.mutedAudio.delete(d.uid);
    if (d.muted && s.speaker === d.uid) setSpeaker(s, null);
  }
  s.listener.onMuteChanged?.({ uid: d.uid, kind: d.kind, muted: !!d.muted });
}

/**
 * Polls audio levels (the decoded level of each remote audio, and your
 * microphone's) and names the loudest participant above a floor.
 * @param {CallSession} s
 */
export async function pollLevels(s) {
  if (s.ended || !s.subscriber || s.serverSpeakers) return;
  let best = null;
  let bestLevel = 0.02;
  const remote = await levels(s.subscriber, "inbound-rtp");
  for (const [trackId, level] of remote) {
    const uid = s.audioTracks.get(trackId);
    if (uid && level > bestLevel && !s.mutedAudio.has(uid)) {
      best = uid;
      bestLevel = level;
    }
  }
  if (!s.audioMuted && s.publisher) {
    for (const [, level] of await levels(s.publisher, "media-source")) {
      if (level > bestLevel) {
        best = s.me.uid;
        bestLevel = level;
      }
    }
  }
  if (!s.ended) setSpeaker(s, best);
}

/**
 * @param {string|null} uid
 * @param {CallSession} s
 */
export function setSpeaker(s, uid) {
  if (uid === s.speaker) return;
  s.speaker = uid;
  s.grid?.setSpeaker(uid);
  s.listener.onActiveSpeakerChanged?.(uid);
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
