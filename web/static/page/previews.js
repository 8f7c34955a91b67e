// @ts-check
// The ringing screens' camera preview, and their note when your camera or
// microphone can't be used: media is opened while the call rings, so it
// flows as soon as the call is answered.

import { $ } from "./dom.js";

/**
 * What the others will miss, in words, when the prepared media lacks a device.
 * @param {MediaStream|null} stream
 * @param {boolean} audioOnly
 */
export function missingDevices(stream, audioOnly) {
  const mic = !!stream && stream.getAudioTracks().length > 0;
  const cam = audioOnly || (!!stream && stream.getVideoTracks().length > 0);
  if (mic && cam) return "";
  const what = !mic && !cam ? "camera and microphone" : !mic ? "microphone" : "camera";
  const effect = !mic && (!cam || audioOnly) ? "the others won't see or hear you, but you can still listen" : !mic ? "the others won't hear you" : "you'll join with audio only";
  return `Your ${what} can't be used (blocked or not found), so ${effect}.`;
}

export class Previews {
  /**
   * @param {import("../sdk/switchboard.js").Switchboard} sb
   * @param {{screen: string, call: object|null}} state the page's: which screen shows, which call rings
   */
  constructor(sb, state) {
    this.sb = sb;
    this.state = state;
  }

  /**
   * Says on a ringing screen that your camera or microphone can't be used, before the call
   * connects (the call screen says why in detail).
   * @param {"outgoing"|"incoming"} screen
   * @param {string} text
   */
  note(screen, text) {
    const n = $(screen + "-media-warning");
    n.textContent = text;
    n.hidden = !text;
  }

  /**
   * Opens the camera and microphone while the call rings and shows your camera on the screen's preview.
   * @param {string} callType
   * @param {"outgoing"|"incoming"} screen
   */
  prepare(callType, screen) {
    const audioOnly = callType === "audio";
    const video = /** @type {HTMLVideoElement} */ ($(screen + "-preview"));
    // The preview's place is taken at once (an empty frame until the camera starts) and kept
    // while the screen shows, camera or not: shown only when the camera was ready, it pushed the
    // buttons below it down a moment after the screen appeared, and hidden when there was no
    // camera, it pulled them up; either way a tap aimed at Accept landed where it had been.
    video.hidden = audioOnly;
    video.style.visibility = "";
    const noCamera = () => (video.style.visibility = "hidden"); // nothing to preview; the place stays
    const ringing = () => this.state.screen === screen;
    this.sb.prepareMedia({ audioOnly })
      .then((stream) => {
        if (ringing()) this.note(screen, missingDevices(stream, audioOnly));
        if (audioOnly || !this.state.call && this.state.screen !== "outgoing") return;
        if (!stream.getVideoTracks().length) {
          noCamera();
          return;
        }
        video.srcObject = new MediaStream(stream.getVideoTracks());
        video.play().catch(() => {});
      })
      .catch(() => {
        noCamera();
        if (ringing()) this.note(screen, missingDevices(null, audioOnly));
      });
  }

  /** Lets the prepared media go (the call will not happen) and hides the previews. */
  stop() {
    this.sb.releasePreparedMedia();
    this.clear();
  }

  /** Hides the previews (the prepared media goes on to the call). */
  clear() {
    for (const id of ["outgoing-preview", "incoming-preview"]) {
      const v = /** @type {HTMLVideoElement} */ ($(id));
      v.srcObject = null;
      v.hidden = true;
    }
  }
}
