// @ts-check
// A ring tone generated with WebAudio (no audio file): two sine waves,
// 440 + 480 Hz, two seconds on and four off, as telephones do.

export class RingTone {
  constructor() {
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
    const ring = () => {
      if (!this.gain) return;
      const t = ctx.currentTime;
      this.gain.gain.cancelScheduledValues(t);
      this.gain.gain.setValueAtTime(0, t);
      this.gain.gain.linearRampToValueAtTime(0.12, t + 0.05);
      this.gain.gain.setValueAtTime(0.12, t + 1.95);
      this.gain.gain.linearRampToValueAtTime(0, t + 2.0);
    };
    ring();
    this.timer = setInterval(ring, 6000);
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
