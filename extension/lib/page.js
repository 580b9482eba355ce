/** Shared by the popup, options and first-run pages: settings + strings from the background, data-i18n. */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});

  /** Ask the background; failures become `{ok: false}` so pages never throw. */
  async function ask(message) {
    try {
      return (await chrome.runtime.sendMessage(message)) || { ok: false };
    } catch (_e) {
      return { ok: false, error: "internal" };
    }
  }

  /** Translated string (`$1`… substituted) from the loaded strings; the key when missing. */
  function t(key, ...subs) {
    const s = (R.strings && R.strings[key]) || key;
    return subs.reduce((acc, sub, i) => acc.split("$" + (i + 1)).join(String(sub)), s);
  }

  /** Load settings and strings, fill every `[data-i18n]` element; returns the getSettings reply. */
  async function initPage(host) {
    const reply = await ask({ kind: "getSettings", host: host || "" });
    R.strings = reply.strings || {};
    document.documentElement.lang = (reply.settings && reply.settings.lang) || "vi";
    for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
    return reply;
  }

  /** Whether a `status` reply failed because something other than Rasoat answers at the address. */
  function answeredElsewhere(status) {
    const error = String((status && status.error) || "");
    return error === "not-service" || error.startsWith("http-");
  }

  Object.assign(R, { ask, t, initPage, answeredElsewhere });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
