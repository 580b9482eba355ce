/** Content-script entry: load settings, follow the focused compose box, relayout on scroll/resize. */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});
  if (typeof document === "undefined" || R.started) return;
  R.started = true;
  R.settings = Object.assign({}, R.DEFAULTS);
  R.strings = {};
  R.activeController = null;
  const controllers = new WeakMap();

  /** Send a message to the background; any failure becomes `{ok: false, error: "offline"}`, never a page error. */
  R.send = async function send(message) {
    try {
      const reply = await chrome.runtime.sendMessage(message);
      return reply || { ok: false, error: "offline" };
    } catch (_e) {
      return { ok: false, error: "offline" };
    }
  };

  /** "Turn off this rule": store it and drop its findings everywhere on this page. */
  R.disableRule = async function disableRule(code) {
    R.settings.disabledRules = Array.from(new Set([...(R.settings.disabledRules || []), code]));
    if (R.activeController) R.activeController.dropRule(code);
    await R.send({ kind: R.KINDS.setRuleEnabled, code, enabled: false });
  };

  /** Make `field` the one being checked (others stop drawing). */
  function activate(field) {
    let c = controllers.get(field);
    if (R.activeController && R.activeController !== c) {
      R.activeController.deactivate();
      R.closePanel("rasoat-card");
    }
    if (!c) {
      c = R.createController(field);
      controllers.set(field, c);
    }
    R.activeController = c;
    c.activate();
  }

  /** Focus moved: start checking the focused compose box if it is one we check. */
  function onFocusIn(e) {
    if (!R.enabled) return;
    const target = e.composedPath ? e.composedPath()[0] : e.target;
    const field = R.fieldFor(target);
    if (field) activate(field);
  }

  let frame = 0;
  /** Scroll/resize anywhere: redraw once per frame from offsets. */
  function onLayout() {
    if (frame || !R.activeController) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const c = R.activeController;
      if (!c) return;
      if (!c.field.isConnected) {
        c.destroy();
        R.activeController = null;
        return;
      }
      c.relayout();
    });
  }

  /** Escape closes an open card (and only then is the key kept from the page). */
  function onEscape(e) {
    if (e.key !== "Escape") return;
    if (!R.panelOpen("rasoat-card")) return;
    R.closePanel("rasoat-card");
    e.stopPropagation();
  }

  /** Apply settings from the background (startup and after changes in options/popup). */
  function useSettings(reply) {
    if (!reply || !reply.ok) return;
    R.settings = reply.settings;
    R.strings = reply.strings || R.strings;
    R.enabled = !!reply.siteEnabled;
    if (!R.enabled && R.activeController) {
      R.activeController.destroy();
      R.activeController = null;
    }
  }

  /** Start: settings first, then listeners; a field already focused is picked up at once. */
  async function start() {
    useSettings(await R.send({ kind: R.KINDS.getSettings, host: location.hostname }));
    document.addEventListener("focusin", onFocusIn, true);
    window.addEventListener("scroll", onLayout, { capture: true, passive: true });
    window.addEventListener("resize", onLayout, { passive: true });
    R.installGuard();
    // SPAs remove composers without a focus change: drop the badge once the field is gone.
    setInterval(() => {
      const c = R.activeController;
      if (c && !c.field.isConnected) {
        c.destroy();
        R.activeController = null;
      }
    }, 1000);
    window.addEventListener("keydown", onEscape, true);
    try {
      // Options and popup write storage; every open page picks the change up from there.
      chrome.storage.onChanged.addListener((_changes, area) => {
        if (area !== "sync" && area !== "local" && area !== "managed") return;
        R.send({ kind: R.KINDS.getSettings, host: location.hostname }).then((reply) => {
          useSettings(reply);
          if (R.activeController) R.activeController.recheck();
        });
      });
    } catch (_e) {
      /* extension reloaded: this page keeps working without us */
    }
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
    if (R.enabled && active) {
      const field = R.fieldFor(active);
      if (field) activate(field);
    }
  }

  start();
})(globalThis);
if (typeof module !== "undefined" && module.exports) module.exports = globalThis.Rasoat;
