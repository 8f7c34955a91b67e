// @ts-check
// Desktop notifications for incoming calls while the tab is in the
// background. Permission is asked only when the person presses "Turn on call
// alerts" (offered once signed in), never on page load.

export class CallAlerts {
  /** @param {HTMLElement} button the "Turn on call alerts" button */
  constructor(button) {
    this.button = button;
    /** @type {Notification|null} */
    this.note = null;
    button.addEventListener("click", () => this.ask());
  }

  /** Whether this browser has the Notification API. */
  get supported() {
    return typeof window !== "undefined" && "Notification" in window;
  }

  /** Shows the button when the person has not decided yet. */
  offer() {
    this.button.hidden = !this.supported || Notification.permission !== "default";
  }

  async ask() {
    if (!this.supported) return;
    try {
      await Notification.requestPermission();
    } catch {
      // an old browser's callback form: nothing to do
    }
    this.offer();
  }

  /**
   * An incoming call: a notification when the page is not in front (a background tab or
   * window). Clicking it brings the page forward.
   * @param {{sessionId: string}} call
   * @param {string} caller who calls: a person, or a group for a group's call
   * @param {string} kind "Video call", "Audio call · started by Ann"...
   */
  incoming(call, caller, kind) {
    if (!this.supported || Notification.permission !== "granted") return;
    if (document.visibilityState === "visible" && document.hasFocus()) return;
    this.clear();
    try {
      const note = new Notification(`${caller} is calling`, { body: kind, tag: "call-" + call.sessionId, requireInteraction: true });
      note.onclick = () => {
        window.focus();
        note.close();
      };
      this.note = note;
    } catch {
      // e.g. Android Chrome wants a service worker for notifications: the ring still plays
    }
  }

  /** Closes the notification (answered, declined, cancelled). */
  clear() {
    this.note?.close();
    this.note = null;
  }
}
