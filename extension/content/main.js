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
  const made = new Set(); // every controller still alive, for the Post guard (a WeakMap cannot be listed)

  /** Controllers of this page not destroyed yet: the guard finds the one a Post control belongs to. */
  R.liveControllers = function liveControllers() {
    prune();
    return Array.from(made);
  };

  /**
   * Destroy and forget the controllers of fields that have left the page (SPAs make a new
   * composer per conversation or comment box): `made` must not keep them alive. The active one
   * is left to the caller, which also clears R.activeController.
   */
  function prune() {
    for (const c of made) {
      if (c === R.activeController && !c.isDestroyed()) continue;
      if (!c.isDestroyed() && c.field.isConnected) continue;
      if (!c.isDestroyed()) c.destroy();
      made.delete(c);
    }
  }

  // Checks go over one long-lived port: a round trip is ~0.4 ms there against ~2.3 ms for a
  // one-off `runtime.sendMessage` (measured in Chromium, content script ↔ service worker).
  let port = null;
  let nextId = 1;
  const pending = new Map(); // request id → resolve(reply | null)

  /** Open the port to the background (null when the extension is gone, e.g. reloaded). */
  function openPort() {
    try {
      const p = chrome.runtime.connect({ name: R.PORT_NAME });
      p.onMessage.addListener((m) => {
        const resolve = m && pending.get(m.id);
        if (!resolve) return;
        pending.delete(m.id);
        resolve(m.reply || null);
      });
      // The worker stopped (idle) or the page went into the back-forward cache: requests still
      // out get no answer here and are sent again as one-off messages; the next check reconnects.
      p.onDisconnect.addListener(() => {
        if (port === p) port = null;
        for (const resolve of pending.values()) resolve(null);
        pending.clear();
      });
      return p;
    } catch (_e) {
      return null;
    }
  }

  /** A check over the port; null when the port cannot answer it. */
  function sendOverPort(message) {
    port = port || openPort();
    if (!port) return Promise.resolve(null);
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      try {
        port.postMessage({ id, message });
      } catch (_e) {
        pending.delete(id);
        resolve(null);
      }
    });
  }

  /** Send a message to the background; any failure becomes `{ok: false, error: "offline"}`, never a page error. */
  R.send = async function send(message) {
    if (message.kind === R.KINDS.check) {
      const reply = await sendOverPort(message);
      if (reply) return reply;
    }
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
    // A controller destroyed before (the site turned off and on again, or the composer detached
    // for a while and put back, as SPAs do) never checks again: start a fresh one for the field.
    if (!c || c.isDestroyed()) {
      c = R.createController(field);
      controllers.set(field, c);
      made.add(c);
    }
    R.activeController = c;
    c.usedAt = Date.now(); // the box in use last, across frames too (guard.js: Edit goes there)
    c.activate();
  }

  let lastField = null; // the compose box focused last (remembered before settings arrive too)

  /** Focus moved: start checking the focused compose box if it is one we check. */
  function onFocusIn(e) {
    const target = e.composedPath ? e.composedPath()[0] : e.target;
    const field = R.fieldFor(target);
    if (field) lastField = field;
    if (field && R.settingsReady && R.enabled) activate(field);
  }

  /**
   * For a Post pressed before the settings round trip has answered (the first page after the
   * service worker starts waits ~2 s for it): take the compose box focused last so the guard can
   * hold the post like a pending check. Whether the site is enabled is the background's call —
   * it answers such a check with "disabled" and the post goes through.
   */
  R.earlyController = function earlyController() {
    if (R.settingsReady || !lastField || !lastField.isConnected) return null;
    activate(lastField);
    return R.activeController;
  };

  let frame = 0;
  let onlyIfMoved = true; // the frame's redraw was asked for by page changes alone (not a scroll/resize)
  /**
   * Scroll/resize anywhere: redraw once per frame from offsets. A change of the page's DOM
   * (`moved`: onPageChange) redraws only when it moved the field in use.
   */
  function onLayout(moved) {
    if (!R.activeController) return;
    if (moved !== true) onlyIfMoved = false;
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const follow = onlyIfMoved;
      onlyIfMoved = true;
      const c = R.activeController;
      if (!c) return;
      if (!c.field.isConnected) {
        c.destroy();
        R.activeController = null;
        return;
      }
      if (follow) c.follow();
      else c.relayout();
    });
  }

  /**
   * The page's DOM changed (anywhere: a box put above the one in use moves it with no scroll
   * or resize): check once a frame whether the field in use moved (one read of its box).
   */
  function onPageChange() {
    onLayout(true);
  }

  /** Escape closes an open card (and only then is the key kept from the page); the box gets back a focus it had. */
  function onEscape(e) {
    if (e.key !== "Escape") return;
    if (!R.panelOpen("rasoat-card")) return;
    R.closeCard(R.activeController);
    e.stopPropagation();
  }

  /** Apply settings from the background (startup and after changes in options/popup). */
  function useSettings(reply) {
    if (!reply || !reply.ok) return;
    R.settings = reply.settings;
    R.strings = reply.strings || R.strings;
    R.enabled = !!reply.siteEnabled;
    R.settingsReady = true;
    if (!R.enabled && R.activeController) {
      R.activeController.destroy();
      R.activeController = null;
    }
    if (!R.enabled) {
      // Boxes left earlier too: the guard must not hold a Post on a site turned off.
      for (const c of made) c.destroy();
      made.clear();
    }
  }

  /**
   * Start: listeners first, synchronously — the Post/Enter guard must be in place before the
   * settings round trip answers, or a Post in that window goes out unchecked — then settings; a
   * field already focused is picked up once they are in.
   */
  async function start() {
    document.addEventListener("focusin", onFocusIn, true);
    R.installGuard();
    window.addEventListener("scroll", onLayout, { capture: true, passive: true });
    window.addEventListener("resize", onLayout, { passive: true });
    // Our own drawing is in a shadow root, which this does not see: no loop.
    new MutationObserver(onPageChange).observe(document.documentElement, { childList: true, subtree: true,
      characterData: true, attributes: true, attributeFilter: ["style", "class", "hidden", "open", "rows", "cols"] });
    // SPAs remove composers without a focus change: drop the badge once the field is gone.
    setInterval(() => {
      const c = R.activeController;
      if (c && !c.field.isConnected) {
        c.destroy();
        R.activeController = null;
      }
      prune();
    }, 1000);
    window.addEventListener("keydown", onEscape, true);
    try {
      // The keyboard shortcut, passed on by the background (never from a page: only the extension
      // can message content scripts).
      chrome.runtime.onMessage.addListener((msg) => {
        if (msg && msg.kind === R.KINDS.showFindings) R.openCardFromKeyboard();
      });
    } catch (_e) {
      /* extension reloaded */
    }
    try {
      // Options and popup write storage; every open page picks the change up from there.
      chrome.storage.onChanged.addListener((_changes, area) => {
        if (area !== "sync" && area !== "local" && area !== "managed") return;
        R.send({ kind: R.KINDS.getSettings, host: location.hostname }).then((reply) => {
          useSettings(reply);
          if (R.activeController) R.activeController.recheck();
          else if (R.enabled) activateFocused(); // the site was turned back on (popup)
        });
      });
    } catch (_e) {
      /* extension reloaded: this page keeps working without us */
    }
    const reply = await R.send({ kind: R.KINDS.getSettings, host: location.hostname });
    const early = R.activeController; // taken by a Post held before the settings arrived
    useSettings(reply);
    if (!R.settingsReady) R.settingsReady = true; // no answer: keep defaults, the background still gates checks
    if (R.enabled && early && R.activeController === early) early.recheck(); // now with the user's settings
    activateFocused();
  }

  /** Take the compose box that has focus already (no focusin will come for it), if enabled here. */
  function activateFocused() {
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
    const field = active && R.fieldFor(active);
    if (R.enabled && field && R.activeController !== controllers.get(field)) activate(field);
  }

  start();
})(globalThis);
if (typeof module !== "undefined" && module.exports) module.exports = globalThis.Rasoat;
