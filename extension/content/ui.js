/** Everything Rasoat draws lives here: one <rasoat-root> with an open shadow root, outside any editor. */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});

  const STYLE = `
    :host { all: initial; position: fixed; left: 0; top: 0; width: 0; height: 0; z-index: 2147483647; }
    * { box-sizing: border-box; font-family: system-ui, "Segoe UI", Roboto, sans-serif; }
    .layer { position: fixed; left: 0; top: 0; width: 0; height: 0; pointer-events: none; }
    [data-testid="rasoat-mark"] { position: fixed; pointer-events: none; }
    .seg { position: absolute; border-bottom: 2px solid; }
    [data-severity="error"] > .seg { border-color: #d93025; background: rgba(217,48,37,.10); }
    [data-severity="warning"] > .seg { border-color: #e37400; background: rgba(227,116,0,.10); }
    [data-severity="info"] > .seg { border-color: #1a73e8; border-bottom-style: dotted; }
    /* Windows high contrast: no fill (it would be forced to a colour of the theme's), a line in
       the theme's Highlight colour — never the text's own — its style telling the severity. */
    @media (forced-colors: active) {
      [data-severity] > .seg { background: none; border-bottom: 3px solid Highlight; }
      [data-severity="warning"] > .seg { border-bottom-style: dashed; }
      [data-severity="info"] > .seg { border-bottom: 2px dotted Highlight; }
    }
    .mirror { position: fixed; visibility: hidden; overflow: hidden; white-space: pre-wrap; word-wrap: break-word; }
    [data-testid="rasoat-badge"] { position: fixed; pointer-events: auto; display: flex; gap: 3px; align-items: center;
      height: 20px; padding: 0 6px; border: 1px solid #c7c7c7; border-radius: 10px; background: #fff; color: #444;
      font-size: 11px; line-height: 18px; cursor: pointer; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
    [data-testid="rasoat-badge"][data-state="ok"] { color: #188038; }
    [data-testid="rasoat-badge"][data-state="checking"] .pill { opacity: .55; }
    [data-testid="rasoat-badge"].waiting { color: #1a73e8; font-weight: 600; }
    [data-testid="rasoat-badge"][data-state="offline"] { color: #5f6368; border-style: dashed; }
    /* Not fully checked: never the green of a full check; the warnings' label orange (4.65:1). */
    [data-testid="rasoat-badge"][data-incomplete="true"] { color: #b06000; border-style: dashed; }
    [data-testid="rasoat-badge"] .cut { margin-left: 2px; }
    /* Labels on a warning's orange are a darker orange than its underline: white on #e37400 is
       3.1:1, below WCAG AA's 4.5:1 for this small text; on #b06000 it is 4.65:1. */
    .pill { display: inline-block; min-width: 14px; padding: 0 3px; border-radius: 7px; color: #fff; text-align: center; font-weight: 600; }
    /* Text for screen readers only (the severity after a pill's count). */
    .sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0);
      white-space: nowrap; border: 0; }
    .pill.error { background: #d93025; } .pill.warning { background: #b06000; } .pill.info { background: #1a73e8; }
    .panel { position: fixed; pointer-events: auto; background: #fff; color: #202124; border: 1px solid #dadce0;
      border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.25); font-size: 13px; line-height: 1.45; }
    /* A narrow window (a phone, 400 % zoom): the card keeps inside it, not cut off at the left. */
    [data-testid="rasoat-card"] { width: min(340px, calc(100vw - 8px)); max-height: 70vh; overflow: auto; padding: 10px 12px; }
    [data-testid="rasoat-card"] section + section { border-top: 1px solid #eee; margin-top: 8px; padding-top: 8px; }
    .close { float: right; }
    .head { display: flex; align-items: center; gap: 6px; font-weight: 600; margin-bottom: 4px; }
    .head .name { flex: 1; }
    .sev { font-size: 11px; padding: 0 6px; border-radius: 8px; color: #fff; font-weight: 600; }
    .sev.error { background: #d93025; } .sev.warning { background: #b06000; } .sev.info { background: #1a73e8; }
    .flagged { background: #fce8e6; padding: 0 2px; border-radius: 3px; }
    h4 { margin: 8px 0 2px; font-size: 12px; color: #5f6368; text-transform: uppercase; letter-spacing: .02em; }
    p { margin: 2px 0; } ul { margin: 2px 0; padding-left: 18px; }
    .actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 10px; }
    button.btn { font-size: 12px; padding: 4px 10px; border-radius: 4px; border: 1px solid #dadce0; background: #f8f9fa;
      color: #202124; cursor: pointer; }
    button.btn.primary { background: #1a73e8; border-color: #1a73e8; color: #fff; }
    button.icon { border: 0; background: none; cursor: pointer; font-size: 14px; color: #5f6368; padding: 0 4px; }
    .backdrop { position: fixed; inset: 0; pointer-events: auto; background: rgba(0,0,0,.35); display: flex;
      align-items: center; justify-content: center; }
    [data-testid="rasoat-dialog"] { position: static; width: min(460px, 92vw); max-height: 80vh; padding: 16px 18px;
      display: flex; flex-direction: column; overflow: hidden; }
    /* Many findings: only the list scrolls; the heading and the two buttons always stay in view. */
    [data-testid="rasoat-dialog"] > ul { flex: 1 1 auto; min-height: 0; overflow: auto; }
    [data-testid="rasoat-dialog"] > h3, [data-testid="rasoat-dialog"] > p, [data-testid="rasoat-dialog"] > .actions { flex: none; }
    [data-testid="rasoat-dialog"] h3 { margin: 0 0 6px; font-size: 16px; }
    [data-testid="rasoat-dialog-item"] { margin: 6px 0; }
    .also { margin: 2px 0 0 12px; font-size: 12px; color: #3c4043; }
    .muted { color: #5f6368; font-size: 12px; }
  `;

  let host = null, shadow = null, live = null; // this frame's own root
  // Roots drawn in another document: the page around an editor whose whole document is a
  // same-origin iframe (CKEditor 4, TinyMCE) shows the last-check dialog over itself, not inside
  // the editor's few lines. document → shadow root.
  const outerRoots = new Map();

  /**
   * The shadow root everything is drawn in — in this frame's document, or in `doc` (the page
   * around this frame: the dialog) — created on first use and re-attached if a page removed it.
   */
  function ui(doc = document) {
    if (doc !== document) {
      let outer = outerRoots.get(doc);
      if (!outer) outerRoots.set(doc, (outer = makeRoot(doc)));
      return attach(outer.host, doc);
    }
    if (!host) {
      ({ host, shadow, live } = makeRoot(document));
    }
    return attach(host, document);
  }

  /** A <rasoat-root> with its shadow root, style and live region, for `doc`, and the listeners of its window. */
  function makeRoot(doc) {
    const win = doc.defaultView;
    const rootHost = doc.createElement("rasoat-root");
    const rootShadow = rootHost.attachShadow({ mode: "open" });
    const style = doc.createElement("style");
    style.textContent = STYLE;
    // The live region is there, empty, before anything is said in it: a region added together
    // with its text is not announced.
    const rootLive = el("div", { class: "sr", role: "status", "data-testid": "rasoat-live" });
    rootShadow.append(style, rootLive);
    // Keep our clicks and keys from reaching the page's handlers (composer "outside click" closers).
    for (const type of ["click", "mousedown", "mouseup", "pointerdown", "pointerup", "keydown", "keyup", "keypress", "input"]) {
      rootShadow.addEventListener(type, (e) => e.stopPropagation());
    }
    // Nor focus moving into it: a modal composer's focus trap (a capture listener on the
    // document, which ours on the window runs before) would take it back from the last-check
    // dialog, and Escape, Tab and typing would go to the page and the draft behind it.
    for (const type of ["focusin", "focus"]) {
      win.addEventListener(type, (e) => { if (e.composedPath().includes(rootHost)) e.stopImmediatePropagation(); }, true);
    }
    // Keys pressed in it go no further than the window either: the page's capture listeners
    // (a focus trap's Escape closing the composer behind the dialog) would see them before the
    // shadow root stops them. The open panel gets them from here (R.panelKey); a focused
    // button's Enter/Space still presses it (default actions do not need the event to travel).
    for (const type of ["keydown", "keyup", "keypress"]) {
      win.addEventListener(type, (e) => {
        if (!e.composedPath().includes(rootHost)) return;
        e.stopImmediatePropagation();
        if (type === "keydown" && R.panelKey) R.panelKey(e);
      }, true);
    }
    return { host: rootHost, shadow: rootShadow, live: rootLive };
  }

  /** Put `rootHost` in `doc` (again, if a page removed it), in the UI language; its shadow root. */
  function attach(rootHost, doc) {
    // Our text is in the UI language, not the page's: without its own `lang` a screen reader
    // reads the Vietnamese card with the English voice of a page used in English.
    const lang = uiLang();
    if (rootHost.getAttribute("lang") !== lang) rootHost.setAttribute("lang", lang);
    if (!rootHost.isConnected) doc.documentElement.appendChild(rootHost);
    return rootHost.shadowRoot;
  }

  /** The language R.t speaks: the settings' once their strings are in, else the browser's locale's. */
  function uiLang() {
    if (R.strings && Object.keys(R.strings).length) return R.settings.lang;
    return /^en/.test(builtin("@@ui_locale")) ? "en" : "vi";
  }

  const layers = new Map(); // name → element directly under the shadow root

  /** The shadow-root child named `name` (marks, mirrors), created once. */
  function layer(name) {
    const s = ui();
    let el = layers.get(name);
    if (!el) {
      el = document.createElement("div");
      el.className = "layer " + name;
      layers.set(name, el);
    }
    if (el.parentNode !== s) s.appendChild(el);
    return el;
  }

  /** Create an element with attributes and text (text via textContent, never HTML). */
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) node.setAttribute(k, String(v));
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** A message from the extension's _locales in the browser's language ("" when unavailable). */
  function builtin(key) {
    try {
      return (root.chrome && chrome.i18n && chrome.i18n.getMessage(key)) || "";
    } catch (_e) {
      return "";
    }
  }

  /** Translated UI string from the strings the background sent (falls back to the key). */
  function t(key, ...subs) {
    // Before the background's strings arrive (a Post held at start-up), the browser's own locale.
    const s = (R.strings && R.strings[key]) || (!subs.length && builtin(key)) || key;
    return subs.reduce((acc, sub, i) => acc.split("$" + (i + 1)).join(String(sub)), s);
  }

  /** Whether two rects overlap. */
  function overlaps(a, b) {
    return !!b && a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  }

  /**
   * Place a fixed panel next to a rect: above it when there is room, else below — moved sideways
   * if it would cover `avoid` (the Post control) — else as high as the viewport allows.
   */
  function placeNear(panel, rect, avoid) {
    const vw = window.innerWidth, vh = window.innerHeight;
    const w = panel.offsetWidth || 340, h = panel.offsetHeight || 200;
    const clampX = (x) => Math.min(Math.max(4, x), vw - w - 4);
    const fits = (left, top) => top >= 4 && top + h <= vh - 4 && left >= 4 && left + w <= vw - 4 &&
      !overlaps({ left, top, right: left + w, bottom: top + h }, avoid);
    const below = rect.bottom + 6;
    const candidates = [[clampX(rect.left), rect.top - h - 6], [clampX(rect.left), below]];
    if (avoid) candidates.push([avoid.left - w - 8, below], [avoid.right + 8, below]);
    const spot = candidates.find(([l, t]) => fits(l, t)) ||
      [clampX(rect.left), Math.max(4, Math.min(rect.top - h - 6, vh - h - 4))];
    panel.style.left = spot[0] + "px";
    panel.style.top = spot[1] + "px";
  }

  /** Say `text` to a screen reader, politely and once: the same text again is not said again. */
  function announce(text) {
    ui();
    if (live.textContent !== text) live.textContent = text;
  }

  /** Whether anything was said yet. */
  function announced() {
    return !!live && live.textContent !== "";
  }

  /** The shadow roots made so far: this frame's, and any in the page around it. */
  function shadows() {
    return [shadow, ...Array.from(outerRoots.values(), (r) => r.shadow)].filter(Boolean);
  }

  /** Whether a `[data-testid=<id>]` panel is open (without creating the root). */
  function panelOpen(testid) {
    return shadows().some((s) => !!s.querySelector(`[data-testid="${testid}"]`));
  }

  /** Remove whatever `[data-testid=<id>]` panel is open. */
  function closePanel(testid) {
    for (const s of shadows()) {
      const old = s.querySelector(`[data-testid="${testid}"]`);
      if (old) (old.closest(".backdrop") || old).remove();
    }
  }

  Object.assign(R, { ui, layer, el, t, placeNear, closePanel, panelOpen, announce, announced });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
