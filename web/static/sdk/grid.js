// @ts-check
// The default in-call view that startSession draws into its element: one tile
// per participant (video, name, muted and speaking marks), yours included.
//
// Markup (style it with these classes; tests use the data-testid values):
//   <div class="sb-grid" data-count="N">
//     <div class="sb-tile" data-uid="bob" data-testid="tile-bob" data-local="false"
//          data-speaking="false" data-audio-muted="false" data-video-off="false"
//          data-stalled="false"   ("true": a camera picture that has not moved for 2 s)
//          data-quality="good"    ("poor": the server says their connection is poor)
//          data-paused=""         ("bandwidth": the server stopped their video for your downlink)
//          role="group" aria-label="Bob, muted, camera off">  (what a screen reader says of it)
//       <video class="sb-video" autoplay playsinline muted></video>
//       <audio autoplay></audio>                       (remote tiles only)
//       <div class="sb-avatar">B</div>                 (shown when there is no video)
//       <div class="sb-label"><span class="sb-name">Bob</span><span class="sb-mic">muted</span>
//            <span class="sb-stalled">poor connection</span>
//            <span class="sb-paused">video paused: your connection is slow</span></div>
//     </div>
//   </div>

/**
 * @typedef {object} Tile
 * @property {HTMLElement} el
 * @property {HTMLVideoElement} video
 * @property {HTMLAudioElement|null} audio
 * @property {HTMLElement} name
 * @property {number} frames  the video's frame count at the last look (remote tiles)
 * @property {number} still   looks since it last moved
 */

/** How often the remote pictures are looked at, and after how many looks without a new frame a tile is "stalled". */
const STALL_LOOK_MS = 1000;
const STALL_LOOKS = 2;

export class Grid {
  /** @param {HTMLElement} element */
  constructor(element) {
    this.root = document.createElement("div");
    this.root.className = "sb-grid";
    this.root.setAttribute("data-testid", "call-grid");
    element.replaceChildren(this.root);
    /** @type {Map<string, Tile>} */
    this.tiles = new Map();
    /** @type {((uid: string) => void)|null} called when a remote tile shows its first frame */
    this.onFirstFrame = null;
    /** @type {(() => void)|null} called when the browser blocks sound until a click */
    this.onAudioBlocked = null;
    /** @type {any} the timer of lookForStalls, while there are remote tiles */
    this.stallTimer = null;
  }

  /**
   * Adds (or renames) a participant's tile.
   * @param {string} uid
   * @param {string} name
   * @param {boolean} local
   * @returns {Tile}
   */
  add(uid, name, local) {
    const have = this.tiles.get(uid);
    if (have) {
      if (name) have.name.textContent = local ? name + " (you)" : name;
      labelTile(have);
      return have;
    }
    const el = document.createElement("div");
    el.className = "sb-tile";
    el.dataset.uid = uid;
    el.dataset.testid = "tile-" + uid;
    el.setAttribute("data-testid", "tile-" + uid);
    el.dataset.local = String(local);
    el.dataset.speaking = "false";
    el.dataset.audioMuted = "false";
    el.dataset.videoOff = "true";
    el.dataset.stalled = "false";
    el.dataset.quality = "good";
    el.dataset.paused = "";
    const video = document.createElement("video");
    video.className = "sb-video";
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;
    const avatar = document.createElement("div");
    avatar.className = "sb-avatar";
    avatar.setAttribute("aria-hidden", "true");
    avatar.textContent = initials(name || uid);
    const label = document.createElement("div");
    label.className = "sb-label";
    const nameEl = document.createElement("span");
    nameEl.className = "sb-name";
    nameEl.textContent = local ? (name || uid) + " (you)" : name || uid;
    const mic = document.createElement("span");
    mic.className = "sb-mic";
    mic.textContent = "muted";
    const stalled = document.createElement("span");
    stalled.className = "sb-stalled";
    stalled.textContent = "poor connection";
    const paused = document.createElement("span");
    paused.className = "sb-paused";
    paused.textContent = "video paused: your connection is slow";
    label.append(nameEl, mic, stalled, paused);
    el.append(video, avatar, label);
    /** @type {HTMLAudioElement|null} */
    let audio = null;
    if (!local) {
      audio = document.createElement("audio");
      audio.autoplay = true;
      el.append(audio);
      this.watchFirstFrame(uid, video);
    }
    if (local) this.root.prepend(el);
    else this.root.append(el);
    const tile = { el, video, audio, name: nameEl, frames: 0, still: 0 };
    el.setAttribute("role", "group");
    labelTile(tile);
    this.tiles.set(uid, tile);
    this.root.dataset.count = String(this.tiles.size);
    if (!local && !this.stallTimer) this.stallTimer = setInterval(() => this.lookForStalls(), STALL_LOOK_MS);
    return tile;
  }

  /**
   * Marks each remote camera picture that has not moved for STALL_LOOKS looks while it should
   * (its video on, not turned off): frames stopped on the way (a slow or lossy downlink, the
   * sender's uplink), which a still picture does not show by itself. A screen share is left
   * alone: a screen that does not change sends no frames.
   */
  lookForStalls() {
    for (const t of this.tiles.values()) {
      const d = t.el.dataset;
      if (d.local === "true") continue;
      const frames = t.video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
      const watched = d.videoOff === "false" && !!t.video.srcObject && d.source !== "screen" && !document.hidden;
      t.still = watched && frames === t.frames ? t.still + 1 : 0;
      t.frames = frames;
      const stalled = String(t.still >= STALL_LOOKS);
      if (d.stalled !== stalled) {
        d.stalled = stalled;
        labelTile(t);
      }
    }
  }

  /**
   * @param {string} uid
   * @param {HTMLVideoElement} video
   */
  watchFirstFrame(uid, video) {
    const fire = () => {
      video.removeEventListener("loadeddata", fire);
      const t = this.tiles.get(uid);
      if (t) {
        t.el.dataset.videoOff = t.el.dataset.videoMuted === "true" ? "true" : "false";
        labelTile(t);
      }
      this.onFirstFrame?.(uid);
    };
    video.addEventListener("loadeddata", fire);
  }

  /** @param {string} uid */
  remove(uid) {
    const t = this.tiles.get(uid);
    if (!t) return;
    t.video.srcObject = null;
    if (t.audio) t.audio.srcObject = null;
    t.el.remove();
    this.tiles.delete(uid);
    this.root.dataset.count = String(this.tiles.size);
    if (this.stallTimer && ![...this.tiles.values()].some((x) => x.el.dataset.local === "false")) {
      clearInterval(this.stallTimer);
      this.stallTimer = null;
    }
  }

  /**
   * Shows a participant's media: video in the tile's video, audio in its audio element.
   * @param {string} uid
   * @param {MediaStreamTrack} track
   */
  attach(uid, track) {
    const t = this.tiles.get(uid);
    if (!t) return;
    if (track.kind === "video") {
      t.video.srcObject = new MediaStream([track]);
      this.play(t.video);
      if (t.el.dataset.local === "true") t.el.dataset.videoOff = "false";
      labelTile(t);
      return;
    }
    if (t.audio) {
      t.audio.srcObject = new MediaStream([track]);
      this.play(t.audio);
    }
  }

  /**
   * Stops showing or playing a remote track that ended (its track was unpublished).
   * @param {string} uid
   * @param {MediaStreamTrack} track
   */
  detachTrack(uid, track) {
    const t = this.tiles.get(uid);
    if (!t) return;
    for (const m of [t.video, t.audio]) {
      const src = m && m.srcObject;
      if (m && src instanceof MediaStream && src.getTracks().includes(track)) m.srcObject = null;
    }
  }

  /**
   * Removes the local video (camera off).
   * @param {string} uid
   */
  detachVideo(uid) {
    const t = this.tiles.get(uid);
    if (!t) return;
    t.video.srcObject = null;
    t.el.dataset.videoOff = "true";
    labelTile(t);
  }

  /** @param {HTMLMediaElement} m */
  play(m) {
    const p = m.play();
    if (!p) return;
    p.catch((err) => {
      if (err && err.name === "NotAllowedError" && m instanceof HTMLAudioElement) this.onAudioBlocked?.();
    });
  }

  /** Retries playing every remote audio (after a click that unblocks sound). */
  resumeAudio() {
    for (const t of this.tiles.values()) if (t.audio && t.audio.srcObject) this.play(t.audio);
  }

  /**
   * @param {string} uid
   * @param {"audio"|"video"} kind
   * @param {boolean} muted
   */
  setMuted(uid, kind, muted) {
    const t = this.tiles.get(uid);
    if (!t) return;
    if (kind === "audio") t.el.dataset.audioMuted = String(muted);
    else {
      t.el.dataset.videoMuted = String(muted);
      t.el.dataset.videoOff = String(muted || !t.video.srcObject);
    }
    labelTile(t);
  }

  /**
   * @param {string} uid
   * @param {"good"|"poor"} quality
   */
  setQuality(uid, quality) {
    const t = this.tiles.get(uid);
    if (!t) return;
    t.el.dataset.quality = quality;
    labelTile(t);
  }

  /**
   * @param {string} uid the tile (uid, or uid + ":screen")
   * @param {string} reason why the server stopped its video for you ("bandwidth"), or "" once it comes again
   */
  setPaused(uid, reason) {
    const t = this.tiles.get(uid);
    if (!t) return;
    t.el.dataset.paused = reason;
    labelTile(t);
  }

  /** @param {string|null} uid the active speaker, or null */
  setSpeaker(uid) {
    for (const [id, t] of this.tiles) t.el.dataset.speaking = String(id === uid);
  }

  /** Removes everything. */
  clear() {
    for (const uid of [...this.tiles.keys()]) this.remove(uid);
    this.root.remove();
  }
}

/**
 * Names a tile for a screen reader with what the picture shows: "Bob, muted, camera off".
 * @param {Tile} t
 */
function labelTile(t) {
  const d = t.el.dataset;
  const parts = [t.name.textContent || d.uid || ""];
  if (d.audioMuted === "true") parts.push("muted");
  if (d.videoOff === "true") parts.push("camera off"); // no picture: turned off, none, or not yet
  else if (d.paused === "bandwidth") parts.push("video paused: your connection is slow");
  else if (d.stalled === "true") parts.push("picture frozen: poor connection");
  if (d.quality === "poor" && d.stalled !== "true" && d.paused !== "bandwidth") parts.push("poor connection");
  t.el.setAttribute("aria-label", parts.join(", "));
}

/**
 * Up to two initials of a name ("Ada Lovelace" -> "AL", "bob" -> "B"), from its words that
 * begin with a letter or digit ("Alice (screen)" -> "A", not "A(").
 * @param {string} name
 */
export function initials(name) {
  const all = String(name || "?").trim().split(/\s+/).filter(Boolean);
  const named = all.filter((w) => /^[\p{L}\p{N}]/u.test(w));
  const words = named.length ? named : all;
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  return letters.map((w) => [...w][0] || "").join("").toUpperCase() || "?";
}
