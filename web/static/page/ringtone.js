// @ts-check
// Tones generated with WebAudio (no audio file): two sine waves, 440 + 480
// Hz. "ring" (an incoming call): two short bursts every three seconds;
// "ringback" (the caller hears the other side ring): two seconds on, four
// off, as telephone networks play it.

/** @type {Record<string, {bursts: [number, number][], period: number, level: number}>} */
const PATTERNS = {
  ring: { bursts: [[0, 0.4], [0.6, 1.0]], period: 3000, level: 0.12 },
  ringback: { bursts: [[0, 2.0]], period: 6000, level: 0.06 },
};

export class RingTone {
  /** @param {"ring"|"ringback"} [pattern] */
  constructor(pattern = "ring") {
    this.pattern = PATTERNS[pattern];
    /** @type {((blocked: boolean) => void)|null} told whether the browser blocks the sound */
    this.onBlocked = null;
    /** @type {AudioContext|null} */
    this.ctx = null;
    /** @type {GainNode|null} */
    this.gain = null;
    /** @type {OscillatorNode[]} */
    this.oscs = [];
    /** @type {any} */
    this.timer = null;
  }

  /** Creates the AudioContext inside a user gesture, so later rings may sound. */
  unlock() {
    if (this.ctx) {
      if (this.ctx.state === "suspended") this.ctx.resume().catch(() => {});
      return;
    }
    const AC = window.AudioContext || /** @type {any} */ (window).webkitAudioContext;
    if (!AC) return;
    this.ctx = new AC();
    this.ctx.onstatechange = () => this.onBlocked?.(this.blocked);
  }

  /** Whether the browser holds the sound back until the person clicks or types. */
  get blocked() {
    return !!this.ctx && this.ctx.state === "suspended";
  }

  /** Starts ringing (no-op when already ringing). */
  start() {
    if (this.timer) return;
    this.unlock(); // without a click yet it starts suspended: it sounds from the first click
    if (!this.ctx) return;
    const ctx = this.ctx;
    this.gain = ctx.createGain();
    this.gain.gain.value = 0;
    this.gain.connect(ctx.destination);
    for (const f of [440, 480]) {
      const o = ctx.createOscillator();
      o.frequency.value = f;
      o.connect(this.gain);
      o.start();
      this.oscs.push(o);
    }
    const { bursts, period, level } = this.pattern;
    const ring = () => {
      if (!this.gain) return;
      const g = this.gain.gain;
      const t = ctx.currentTime;
      g.cancelScheduledValues(t);
      g.setValueAtTime(0, t);
      for (const [on, off] of bursts) {
        g.setValueAtTime(0, t + on);
        g.linearRampToValueAtTime(level, t + on + 0.05);
        g.setValueAtTime(level, t + off - 0.05);
        g.linearRampToValueAtTime(0, t + off);
      }
    };
    ring();
    this.timer = setInterval(ring, period);
    this.onBlocked?.(this.blocked);
  }

  /** Whether the tone is playing. */
  get ringing() {
    return this.timer !== null;
  }

  /** Stops ringing. */
  stop() {
    clearInterval(this.timer);
    this.timer = null;
    for (const o of this.oscs) {
      try {
        o.stop();
      } catch {
        // already stopped
      }
      o.disconnect();
    }
    this.oscs = [];
    this.gain?.disconnect();
    this.gain = null;
  }
}
