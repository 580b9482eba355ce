/** Pure span arithmetic: find the edit between two texts, carry old findings through it, debounce. */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});

  /**
   * @typedef {{start: number, oldEnd: number, newEnd: number}} Edit  UTF-16 offsets: the old text
   *   [start, oldEnd) became the new text [start, newEnd).
   */

  /** The smallest single edit turning `before` into `after` (common prefix and suffix trimmed). */
  function diffEdit(before, after) {
    let start = 0;
    const max = Math.min(before.length, after.length);
    while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
    // A prefix ending on a high surrogate means the pair itself changed: never split it.
    if (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
    let oldEnd = before.length, newEnd = after.length;
    while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
      oldEnd--;
      newEnd--;
    }
    if (oldEnd < before.length && isLow(before.charCodeAt(oldEnd))) {
      oldEnd++;
      newEnd++;
    }
    return { start, oldEnd, newEnd };
  }

  /** UTF-16 high (leading) surrogate. */
  function isHigh(c) { return c >= 0xd800 && c <= 0xdbff; }
  /** UTF-16 low (trailing) surrogate. */
  function isLow(c) { return c >= 0xdc00 && c <= 0xdfff; }

  /**
   * Carry matches (objects with UTF-16 `offset`/`length`) through one edit: those ending before it
   * stay, those starting after it shift by the change in length, and those touching it are dropped
   * until the next check answers. Returns new objects; the input is left alone.
   */
  function shiftSpans(matches, edit) {
    const delta = (edit.newEnd - edit.start) - (edit.oldEnd - edit.start);
    const out = [];
    for (const m of matches) {
      const end = m.offset + m.length;
      if (end < edit.start) out.push(m);
      else if (m.offset > edit.oldEnd) out.push(Object.assign({}, m, { offset: m.offset + delta }));
    }
    return out;
  }

  /**
   * Return a debounced `fn`: each call restarts a `wait` ms timer and only the last call runs.
   * `.cancel()` drops a pending call, `.flush()` runs it now, `.pending()` says whether one waits.
   * `timers` lets tests pass fake setTimeout/clearTimeout.
   */
  function debounce(fn, wait, timers) {
    const t = timers || { setTimeout: root.setTimeout.bind(root), clearTimeout: root.clearTimeout.bind(root) };
    let handle = null, lastArgs = null;
    /** Run the pending call with its arguments. */
    function run() {
      handle = null;
      const args = lastArgs;
      lastArgs = null;
      return fn.apply(null, args);
    }
    /** Remember the arguments and restart the timer. */
    function debounced(...args) {
      lastArgs = args;
      if (handle !== null) t.clearTimeout(handle);
      handle = t.setTimeout(run, debounced.wait);
    }
    debounced.wait = wait;
    debounced.cancel = function () {
      if (handle !== null) t.clearTimeout(handle);
      handle = null;
      lastArgs = null;
    };
    debounced.flush = function () {
      if (handle === null) return undefined;
      t.clearTimeout(handle);
      return run();
    };
    debounced.pending = function () { return handle !== null; };
    return debounced;
  }

  /** A small least-recently-used map (results cached per text); `max` entries at most. */
  function lruCache(max) {
    const map = new Map();
    return {
      get(key) {
        if (!map.has(key)) return undefined;
        const value = map.get(key);
        map.delete(key);
        map.set(key, value);
        return value;
      },
      set(key, value) {
        map.delete(key);
        map.set(key, value);
        while (map.size > max) map.delete(map.keys().next().value);
      },
      clear() { map.clear(); },
      get size() { return map.size; },
    };
  }

  Object.assign(R, { diffEdit, shiftSpans, debounce, lruCache });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
