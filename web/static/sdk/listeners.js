// @ts-check
// An app's listeners, called so that an exception in one never stops the others, nor the SDK's
// own work (joining, publishing, ending): the exception is reported as an uncaught error instead
// (the page's `error` event and console), after the SDK has carried on.

/**
 * Reports an exception a listener threw, as uncaught, without unwinding the caller.
 * @param {unknown} err
 */
export function reportListenerError(err) {
  if (typeof reportError === "function") reportError(err);
  else
    setTimeout(() => {
      throw err;
    });
}

/**
 * Calls l[method](...args) when it is a function; an exception is reported, not thrown.
 * @param {any} l
 * @param {string} method
 * @param {...any} args
 */
export function notify(l, method, ...args) {
  const f = l && l[method];
  if (typeof f !== "function") return;
  try {
    f.apply(l, args);
  } catch (err) {
    reportListenerError(err);
  }
}

/**
 * The listener l whose methods never throw: each exception is reported (reportListenerError)
 * and the method returns undefined. Methods added to l later are covered too.
 * @template {object} T
 * @param {T} l
 * @returns {T}
 */
export function isolated(l) {
  return /** @type {T} */ (new Proxy(/** @type {object} */ (l), {
    get(target, key) {
      const v = Reflect.get(target, key);
      if (typeof v !== "function") return v;
      return (/** @type {any[]} */ ...args) => {
        try {
          return v.apply(target, args);
        } catch (err) {
          reportListenerError(err);
          return undefined;
        }
      };
    },
  }));
}
