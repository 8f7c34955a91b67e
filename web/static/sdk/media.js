// @ts-check
// Local media for a call session: camera and microphone capture with an
// audio-only (then listen-only) fallback, and the words to explain a failure.

import { SwitchboardError } from "./rpc.js";

/**
 * @typedef {object} MediaProblem
 * @property {"camera"|"microphone"} device
 * @property {"denied"|"missing"|"busy"|"failed"} reason
 * @property {string} message  a sentence a person understands
 */

/**
 * Explains a getUserMedia error for one device.
 * @param {"camera"|"microphone"} device
 * @param {any} err
 * @returns {MediaProblem}
 */
export function describeMediaError(device, err) {
  const name = (err && err.name) || "";
  const what = device === "camera" ? "camera" : "microphone";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return {
      device,
      reason: "denied",
      message: `Access to your ${what} was refused. Allow it in the browser's site settings, then rejoin.`,
    };
  }
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
    return { device, reason: "missing", message: `No ${what} was found.` };
  }
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
    return { device, reason: "busy", message: `Your ${what} is in use by another application.` };
  }
  return { device, reason: "failed", message: `Your ${what} could not be started (${name || err}).` };
}

/**
 * Why this page can capture no camera or microphone at all, or "" when it
 * can try: "insecure_context" when the page is not a secure context
 * (http:// from another address than localhost: browsers then hide
 * navigator.mediaDevices), "unsupported" when the browser has no
 * getUserMedia.
 * @returns {""|"insecure_context"|"unsupported"}
 */
export function mediaUnavailable() {
  if (typeof window !== "undefined" && window.isSecureContext === false) return "insecure_context";
  if (typeof navigator === "undefined" || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return "unsupported";
  return "";
}

/**
 * A sentence explaining mediaUnavailable()'s reason.
 * @param {string} why
 * @returns {string}
 */
export function mediaUnavailableMessage(why) {
  if (why === "insecure_context") {
    const origin = typeof location !== "undefined" ? location.origin : "this page";
    return (
      `The browser gives no camera or microphone to ${origin}: the page is not secure (plain http:// from another address than localhost). ` +
      `Open it over https:// (the server runs "switchboard serve --self-signed", or with server.tls_cert and server.tls_key), or on localhost.`
    );
  }
  return "This browser cannot use a camera or microphone.";
}

/**
 * Captures what it can: camera + microphone, else microphone alone, else
 * camera alone, else nothing (listen-only). Never throws.
 * @param {{audio: boolean, video: boolean, audioDeviceId?: string, videoDeviceId?: string}} want
 * @returns {Promise<{stream: MediaStream, problems: MediaProblem[]}>}
 */
export async function captureLocal(want) {
  /** @type {MediaProblem[]} */
  const problems = [];
  const stream = new MediaStream();
  const why = mediaUnavailable();
  if (why) {
    const message = mediaUnavailableMessage(why);
    if (want.audio) problems.push({ device: "microphone", reason: "failed", message });
    if (want.video) problems.push({ device: "camera", reason: "failed", message });
    return { stream, problems };
  }
  const audioC = constraint(want.audioDeviceId);
  const videoC = videoConstraint(want.videoDeviceId);
  if (want.audio && want.video) {
    try {
      const s = await navigator.mediaDevices.getUserMedia({ audio: audioC, video: videoC });
      return { stream: s, problems };
    } catch {
      // try each device alone to learn which one failed
    }
  }
  if (want.audio) {
    const t = await captureOne("microphone", { audio: audioC }, problems);
    if (t) stream.addTrack(t);
  }
  if (want.video) {
    const t = await captureOne("camera", { video: videoC }, problems);
    if (t) stream.addTrack(t);
  }
  return { stream, problems };
}

/**
 * @param {"camera"|"microphone"} device
 * @param {MediaStreamConstraints} c
 * @param {MediaProblem[]} problems
 * @returns {Promise<MediaStreamTrack|null>}
 */
async function captureOne(device, c, problems) {
  try {
    const s = await navigator.mediaDevices.getUserMedia(c);
    return s.getTracks()[0] || null;
  } catch (err) {
    problems.push(describeMediaError(device, err));
    return null;
  }
}

/**
 * Opens one device again (a switch, or the camera turned back on).
 * @param {"audio"|"video"} kind
 * @param {string} [deviceId]
 * @returns {Promise<MediaStreamTrack>}
 */
export async function openDevice(kind, deviceId) {
  const c = kind === "audio" ? { audio: constraint(deviceId) } : { video: videoConstraint(deviceId) };
  try {
    const s = await navigator.mediaDevices.getUserMedia(c);
    return s.getTracks()[0];
  } catch (err) {
    const p = describeMediaError(kind === "audio" ? "microphone" : "camera", err);
    throw new MediaError(p);
  }
}

/**
 * A device that could not be opened (setVideoInputDevice, setAudioInputDevice, pauseVideo(false)):
 * code "media_" + the problem's reason (media_denied, media_missing, media_busy, media_failed),
 * the problem's sentence as the message, and the problem itself.
 */
export class MediaError extends SwitchboardError {
  /** @param {MediaProblem} problem */
  constructor(problem) {
    super("media_" + problem.reason, problem.message);
    /** @type {MediaProblem} */
    this.problem = problem;
  }
}

/** @param {string} [deviceId] */
function constraint(deviceId) {
  return deviceId ? { deviceId: { exact: deviceId } } : true;
}

/** @param {string} [deviceId] */
function videoConstraint(deviceId) {
  /** @type {MediaTrackConstraints} */
  const c = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } };
  if (deviceId) c.deviceId = { exact: deviceId };
  return c;
}

/**
 * Lists input devices of a kind.
 * @param {"audioinput"|"videoinput"} kind
 * @returns {Promise<MediaDeviceInfo[]>}
 */
export async function listDevices(kind) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return [];
  const all = await navigator.mediaDevices.enumerateDevices();
  return all.filter((d) => d.kind === kind);
}
