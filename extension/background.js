/**
 * Background (Chrome service worker / Firefox event page): owns settings and is the only part that
 * talks to the check service. Draft text passes through in memory only: never stored, never logged.
 */
/* global importScripts */
if (typeof importScripts === "function" && !(globalThis.Rasoat && globalThis.Rasoat.mergeSettings)) {
  importScripts("lib/protocol.js", "lib/settings.js"); // Firefox lists them in background.scripts instead
}
(function (root) {
  "use strict";
  const R = root.Rasoat;
  const CHECK_TIMEOUT_MS = 3000;
  const HEALTH_TIMEOUT_MS = 2000;
  // Characters (code points), as the service counts them (its default MAX_TEXT_CHARS); longer
  // drafts are not sent. Not UTF-16 units: a draft full of emoji was refused at half the limit.
  const MAX_TEXT = 100000;
  const CONTENT_JS = ["lib/protocol.js", "lib/settings.js", "lib/spans.js", "lib/text-map.js",
    "content/platforms.js", "content/ui.js", "content/draw.js", "content/field.js", "content/card.js",
    "content/dialog.js", "content/guard.js", "content/main.js"];
  const CONTENT_CSS = ["content/highlight.css"];

  let cached = null; // {settings, locked}; dropped whenever storage changes
  const tabCounts = new Map(); // tabId → {counts, state}; numbers only
  const rules = new Map(); // "code|lang" → rule docs from the service
  const strings = new Map(); // lang → {key: message}

  let generation = 0; // bumped on every storage change: a read that started before it is stale

  /** Effective settings (defaults ← sync ← local ← managed), cached until storage changes. */
  async function loadSettings() {
    if (cached) return cached;
    const started = generation;
    const read = (area) => (area ? area.get(null).catch(() => ({})) : Promise.resolve({}));
    const [sync, local, managed] = await Promise.all([read(chrome.storage.sync), read(chrome.storage.local),
      read(chrome.storage.managed)]);
    const settings = R.mergeSettings(sync, local, managed);
    if (started === generation) cached = settings;
    return settings;
  }
  chrome.storage.onChanged.addListener(() => {
    generation++;
    cached = null;
  });
  // Read settings as soon as the worker starts: Chromium's first `storage.managed` read takes ~3 s
  // (measured, no policy installed), and the first page's settings and checks wait on it.
  loadSettings().catch(() => {});

  /** UI strings of `lang` from the extension's own _locales (one source for every page). */
  async function loadStrings(lang) {
    if (strings.has(lang)) return strings.get(lang);
    const out = {};
    try {
      const res = await fetch(chrome.runtime.getURL(`_locales/${lang}/messages.json`));
      const json = await res.json();
      for (const [key, value] of Object.entries(json)) out[key] = value.message;
    } catch (_e) {
      /* fall back to keys */
    }
    strings.set(lang, out);
    return out;
  }

  /**
   * fetch with a deadline (AbortController) and the bearer token when one is set. No
   * `cache: "no-store"`: in Chromium it bypasses the CORS preflight cache, so every check paid an
   * OPTIONS round trip first (~2–6 ms of the ~10 ms gap to a bare fetch, counted in the service's
   * access log). Nothing is cached anyway: POST answers are never reused, and the service marks
   * every response `Cache-Control: no-store`, so no browser keeps them. `redirect: "error"`: a
   * draft goes only to the service the user configured — a 307/308 would send the same body to
   * whatever origin the redirect names; such a check fails like an unreachable service instead.
   */
  async function serviceFetch(settings, path, init, timeoutMs) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const headers = Object.assign({ Accept: "application/json" }, init.headers || {});
    if (settings.token) headers.Authorization = "Bearer " + settings.token;
    try {
      return await fetch(settings.serviceUrl + path, Object.assign({}, init, { headers, signal: controller.signal,
        credentials: "omit", redirect: "error" }));
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Host name of the page a message came from ("" for extension pages). A frame with no address
   * of its own (about:blank, about:srcdoc: the editing iframe of TinyMCE, or of CKEditor 4 until
   * it writes its document) has its creator's origin: `sender.origin` names it. A browser that
   * gives none has the tab's address stand in: our scripts run in such a frame only because it
   * inherits an added site's origin (see syncRegistrations).
   */
  function senderHost(sender) {
    const host = (url) => {
      try {
        return new URL(url || "").hostname;
      } catch (_e) {
        return "";
      }
    };
    const own = host(sender.url || (sender.tab && sender.tab.url));
    if (own || !/^(about|blob|data):/.test(sender.url || "")) return own;
    return sender.origin !== undefined ? host(sender.origin) : host(sender.tab && sender.tab.url);
  }

  /**
   * Whether a message comes from one of our own pages (popup, options — also when opened as a
   * tab, where `sender.tab` is set too) rather than from a content script on a site.
   */
  function fromExtensionPage(sender) {
    return typeof sender.url === "string" && sender.url.startsWith(chrome.runtime.getURL(""));
  }

  /**
   * The limit in characters a service's 413 names (server: `error.limit` with `unit`
   * "characters"), or null: the body was too large in bytes, or an older service said no number.
   */
  async function textLimitOf(res) {
    try {
      const error = (await res.json()).error;
      return error.unit === "characters" && Number.isInteger(error.limit) && error.limit >= 0 ? error.limit : null;
    } catch (_e) {
      return null;
    }
  }

  /** Wall-clock milliseconds with sub-millisecond precision, comparable across the extension's contexts. */
  const now = () => performance.timeOrigin + performance.now();

  /**
   * `check`: send the draft to the configured service — only from an enabled site's page. The
   * reply carries `timing` (when each hop here happened; numbers only) for the browser benchmark.
   */
  async function check(msg, sender) {
    const timing = { received: now(), fetchStart: 0, fetchEnd: 0, jsonEnd: 0, replied: 0 };
    const { settings } = await loadSettings();
    if (!sender.tab || !R.isSiteEnabled(settings, senderHost(sender))) return { ok: false, error: "disabled" };
    let req;
    try {
      req = R.checkRequest(msg.text, msg.lang, msg.minSeverity);
    } catch (_e) {
      return { ok: false, error: "bad-request" };
    }
    // Too long: how long, and the limit, in characters, so the badge can say how far over it is.
    const length = req.text.length > MAX_TEXT ? R.characters(req.text) : 0; // (counted only when it may be over)
    if (length > MAX_TEXT) return { ok: false, error: "too-long", length, limit: MAX_TEXT };
    // Half an emoji (a lone surrogate, cut by a site's length limit or a broken paste) made the
    // service refuse the whole draft (HTTP 400, shown as "offline"): each becomes U+FFFD, one
    // UTF-16 unit like it, so every offset in the answer still fits the page's text.
    const text = req.text.toWellFormed ? req.text.toWellFormed() : req.text;
    let res;
    timing.fetchStart = now();
    try {
      res = await serviceFetch(settings, "/api/v1/check", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text, lang: req.lang, min_severity: req.minSeverity }),
      }, CHECK_TIMEOUT_MS);
    } catch (err) {
      return { ok: false, error: R.fetchErrorName(err) };
    }
    timing.fetchEnd = now();
    // A service whose own limit is lower than ours (RASOAT_MAX_TEXT_CHARS): its 413 names it.
    if (res.status === 413) return { ok: false, error: "http-413", length: R.characters(req.text), limit: await textLimitOf(res) };
    if (!res.ok) return { ok: false, error: "http-" + res.status };
    try {
      const body = await res.json();
      timing.jsonEnd = now();
      const off = new Set(settings.disabledRules);
      const matches = R.normalizeMatches(body.matches, req.text.length).filter((m) => !off.has(m.code));
      timing.replied = now();
      return { ok: true, matches, pack: body.pack || null, incomplete: !!body.incomplete, timing };
    } catch (_e) {
      return { ok: false, error: "bad-response" };
    }
  }

  /** `rule`: a rule's docs (what / why / instead, legal basis) for the card; cached per language. */
  async function rule(msg) {
    const code = String(msg.code || "");
    const lang = msg.lang === "en" ? "en" : "vi";
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(code)) return { ok: false, error: "bad-request" };
    const key = code + "|" + lang;
    if (rules.has(key)) return { ok: true, rule: rules.get(key) };
    const { settings } = await loadSettings();
    try {
      const res = await serviceFetch(settings, `/api/v1/rules/${encodeURIComponent(code)}?lang=${lang}`, {}, CHECK_TIMEOUT_MS);
      if (!res.ok) return { ok: false, error: "http-" + res.status };
      const body = await res.json();
      const value = body.rule || body;
      rules.set(key, value);
      return { ok: true, rule: value };
    } catch (err) {
      return { ok: false, error: R.fetchErrorName(err) };
    }
  }

  /**
   * `/api/v1/health` of the service in `settings`, for the popup and the options page. Health is
   * public (load balancers call it without a token), so on its own it says "connected" to a
   * service that refuses every check for a missing or wrong token. A second request, a check of
   * an empty text (no draft; the route every check takes, so a proxy in front answers it as it
   * will the checks), tells: 401/403 → `denied`, as the badge says. Any other answer counts as
   * accepted.
   */
  async function health(settings) {
    try {
      const res = await serviceFetch(settings, "/api/v1/health", {}, HEALTH_TIMEOUT_MS);
      if (res.status === 401 || res.status === 403) return { ok: false, error: "denied" };
      if (!res.ok) return { ok: false, error: "http-" + res.status };
      // Something answers there, but not Rasoat (an HTML page, another API): not "unreachable".
      const body = await res.json().catch(() => null);
      if (!body || body.status !== "ok") return { ok: false, error: "not-service" };
      const probe = await serviceFetch(settings, "/api/v1/check", { method: "POST",
        headers: { "Content-Type": "application/json" }, body: '{"text": ""}' }, HEALTH_TIMEOUT_MS);
      if (probe.status === 401 || probe.status === 403) return { ok: false, error: "denied", health: body };
      return { ok: true, health: body };
    } catch (err) {
      return { ok: false, error: R.fetchErrorName(err) };
    }
  }

  /**
   * Content-script registrations for sites the user added (beyond the manifest's platforms): in
   * every frame of the site, and (`matchOriginAsFallback`) in frames with no address of their own
   * that inherit its origin — the about:blank or srcdoc iframe a CKEditor 4 or TinyMCE editor
   * types in. A registration made before that option (an older version, kept across sessions)
   * is made anew.
   */
  async function syncRegistrations() {
    if (!chrome.scripting || !chrome.scripting.registerContentScripts) return;
    const { settings } = await loadSettings();
    const wanted = Object.keys(settings.sites).filter((k) => settings.sites[k] === true && !R.PLATFORMS[k]);
    const registered = await chrome.scripting.getRegisteredContentScripts();
    const stale = registered.filter((s) => !wanted.includes(s.id.slice(5)) || !s.matchOriginAsFallback).map((s) => s.id);
    if (stale.length) await chrome.scripting.unregisterContentScripts({ ids: stale });
    const existing = registered.map((s) => s.id).filter((id) => !stale.includes(id));
    for (const key of wanted) {
      const origins = R.sitePatterns(key);
      if (existing.includes("site:" + key) || !(await chrome.permissions.contains({ origins }))) continue;
      await chrome.scripting.registerContentScripts([{ id: "site:" + key, matches: origins, js: CONTENT_JS,
        css: CONTENT_CSS, runAt: "document_idle", allFrames: true, matchOriginAsFallback: true,
        persistAcrossSessions: true }]);
    }
  }

  /**
   * Start the content scripts at once in the site's open tabs (the registration takes effect
   * only on the next load), in all their frames — an editor's about:blank iframe too — and in
   * `tabId` (the popup's tab). Frames they run in already (the site turned off and on again) are
   * left alone: run twice, every file but main.js would start its part over beside the first
   * (a second <rasoat-root>, highlights the first painter no longer holds).
   */
  async function injectNow(key, tabId) {
    const tabs = await chrome.tabs.query({ url: R.sitePatterns(key) }).catch(() => []);
    const ids = new Set(tabs.map((t) => t.id));
    if (tabId) ids.add(tabId);
    let injected = true;
    for (const id of ids) {
      try {
        const probes = await chrome.scripting.executeScript({ target: { tabId: id, allFrames: true },
          func: () => !!(globalThis.Rasoat && globalThis.Rasoat.started) });
        const frameIds = probes.filter((p) => !p.result).map((p) => p.frameId);
        if (!frameIds.length) continue;
        const target = { tabId: id, frameIds };
        await chrome.scripting.insertCSS({ target, files: CONTENT_CSS });
        await chrome.scripting.executeScript({ target, files: CONTENT_JS });
      } catch (_e) {
        injected = false; // a tab closed or gone elsewhere meanwhile: it starts them on its next load
      }
    }
    return injected;
  }

  /** `setSiteEnabled`: turn a site on/off; for an added site also (un)register and inject now. */
  async function setSiteEnabled(msg) {
    const key = R.siteKey(msg.host);
    if (!key) return { ok: false, error: "bad-request" };
    const sync = await chrome.storage.sync.get("sites");
    const sites = Object.assign({}, sync.sites || {});
    if (msg.enabled === null) delete sites[key]; // "remove site" in the options page
    else sites[key] = !!msg.enabled;
    await chrome.storage.sync.set({ sites });
    cached = null;
    try {
      await syncRegistrations();
      if (msg.enabled && !R.PLATFORMS[key] && !(await injectNow(key, msg.tabId))) return { ok: true, injected: false };
    } catch (_e) {
      return { ok: true, injected: false };
    }
    return { ok: true };
  }

  /** `setRuleEnabled`: add/remove a rule code in the disabled list. */
  async function setRuleEnabled(msg) {
    const code = String(msg.code || "");
    if (!code) return { ok: false, error: "bad-request" };
    const sync = await chrome.storage.sync.get("disabledRules");
    const set = new Set(Array.isArray(sync.disabledRules) ? sync.disabledRules : []);
    if (msg.enabled) set.delete(code);
    else set.add(code);
    await chrome.storage.sync.set({ disabledRules: Array.from(set) });
    cached = null;
    return { ok: true };
  }

  /**
   * `resetSettings` (our pages only): every setting back to its default, the token too. Added
   * sites lose their content scripts, and host access granted beyond the manifest's (added sites,
   * another service address) is given back. Managed values stay in force, as they always are.
   */
  async function resetSettings() {
    await Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]);
    cached = null;
    await syncRegistrations();
    const builtIn = new Set(chrome.runtime.getManifest().host_permissions || []);
    const granted = ((await chrome.permissions.getAll()).origins || []).filter((o) => !builtIn.has(o));
    if (granted.length) await chrome.permissions.remove({ origins: granted }).catch(() => false);
    return { ok: true };
  }

  const FRAME_POST_OPS = ["drafts", "edit", "postedAnyway"];

  /**
   * `framePost` (content scripts only): one Post can send boxes of several frames of a tab — a
   * thread's title in the page, its body in an editor whose whole document is a same-origin
   * iframe (CKEditor 4, TinyMCE) — each watched by that frame's own copy of the content scripts,
   * which share no memory with the others (in Firefox not even same-origin ones). The frame that
   * held the Post asks the others through here: `op` of guard.js's `Rasoat.framePost` runs in
   * the named frames (or all of them) in the content scripts' own world, and their answers come
   * back. Nothing goes through the page, which sees none of it.
   */
  async function framePost(msg, sender) {
    const ok = sender.tab && !fromExtensionPage(sender) && FRAME_POST_OPS.includes(msg.op) &&
      typeof msg.url === "string" && typeof msg.token === "string" && Array.isArray(msg.path) &&
      msg.path.length <= 256 && msg.path.every((i) => Number.isInteger(i) && i >= 0);
    if (!ok) return { ok: false, error: "bad-request" };
    const frameIds = Array.isArray(msg.frameIds) ? msg.frameIds.filter(Number.isInteger) : [];
    const target = frameIds.length ? { tabId: sender.tab.id, frameIds } : { tabId: sender.tab.id, allFrames: true };
    try {
      const results = await chrome.scripting.executeScript({ target, args: [msg.op, msg.url, msg.path, msg.token],
        func: (op, url, path, token) =>
          (globalThis.Rasoat && globalThis.Rasoat.framePost ? globalThis.Rasoat.framePost(op, url, path, token) : null) });
      const frames = results.filter((r) => r.frameId !== sender.frameId && r.result)
        .map((r) => ({ frameId: r.frameId, result: r.result }));
      return { ok: true, frames };
    } catch (_e) {
      return { ok: false, error: "offline" }; // a frame gone meanwhile: the asking frame decides alone
    }
  }

  /** A draft too long's `{length, limit}` (characters) from a content script: numbers or null, nothing else. */
  function tooLongBy(over) {
    const count = (n) => (Number.isInteger(n) && n >= 0 ? n : null);
    return over && typeof over === "object" ? { length: count(over.length), limit: count(over.limit) } : null;
  }

  const watchers = new Map(); // open popup's port → the tab it is about (see R.POPUP_PORT_NAME)

  /** Tell the open popups about `tabId` its counts now (numbers only), as `status` gives them. */
  function tellWatchers(tabId) {
    for (const [port, watched] of watchers) {
      if (watched !== tabId) continue;
      try {
        port.postMessage({ counts: tabCounts.get(tabId) || null });
      } catch (_e) {
        watchers.delete(port); // closed meanwhile
      }
    }
  }

  /** `counts` from a content script: keep per tab (numbers only) and show errors on the toolbar icon. */
  function counts(msg, sender) {
    if (!sender.tab) return { ok: false };
    const c = msg.counts || {};
    tabCounts.set(sender.tab.id, { counts: { errors: c.errors | 0, warnings: c.warnings | 0, infos: c.infos | 0 },
      state: String(msg.state || ""), incomplete: msg.incomplete === true, over: tooLongBy(msg.over) });
    tellWatchers(sender.tab.id);
    const text = c.errors ? String(c.errors) : c.warnings ? String(c.warnings) : "";
    chrome.action.setBadgeText({ tabId: sender.tab.id, text }).catch(() => {});
    chrome.action.setBadgeBackgroundColor({ tabId: sender.tab.id, color: c.errors ? "#d93025" : "#e37400" }).catch(() => {});
    return { ok: true };
  }

  /** Answer one message; every kind is listed in lib/protocol.js. */
  async function handle(msg, sender) {
    switch (msg && msg.kind) {
      case R.KINDS.check:
        return check(msg, sender);
      case R.KINDS.rule:
        return rule(msg);
      case R.KINDS.getSettings: {
        const { settings, locked } = await loadSettings();
        // A content script asks about its own page; our pages name the host they show (the popup:
        // the active site's tab, even when the popup itself is open in a tab).
        const site = sender.tab && !fromExtensionPage(sender);
        const host = site ? senderHost(sender) : String(msg.host || "");
        const page = Object.assign({}, settings, { token: site ? "" : settings.token });
        return { ok: true, settings: page, locked, strings: await loadStrings(settings.lang),
          siteEnabled: R.isSiteEnabled(settings, host) };
      }
      case R.KINDS.setSiteEnabled:
        return setSiteEnabled(msg);
      case R.KINDS.setRuleEnabled:
        return setRuleEnabled(msg);
      case R.KINDS.framePost:
        return framePost(msg, sender);
      case R.KINDS.counts:
        return counts(msg, sender);
      case R.KINDS.resetSettings:
        return fromExtensionPage(sender) ? resetSettings() : { ok: false, error: "bad-request" };
      case R.KINDS.status: {
        const { settings } = await loadSettings();
        // "Test connection" in the options page tries the address and token as typed, before
        // Save. Only our own pages may name them: a site's script never chooses where we connect.
        const typed = fromExtensionPage(sender) && R.validSetting("serviceUrl", msg.serviceUrl);
        const tested = typed ? Object.assign({}, settings, { serviceUrl: msg.serviceUrl.replace(/\/+$/, ""),
          token: typeof msg.token === "string" ? msg.token : settings.token }) : settings;
        return Object.assign({ counts: tabCounts.get(msg.tabId) || null, serviceUrl: tested.serviceUrl }, await health(tested));
      }
      default:
        return { ok: false, error: "unknown-kind" };
    }
  }

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    handle(msg, sender).then(sendResponse, () => sendResponse({ ok: false, error: "internal" }));
    return true; // answer asynchronously
  });
  // Content scripts send checks over a long-lived port (lib/protocol.js PORT_NAME): same messages,
  // same sender checks (`port.sender` is the page's tab and URL), a much cheaper round trip.
  if (chrome.runtime.onConnect) {
    chrome.runtime.onConnect.addListener((port) => {
      if (port.name === R.POPUP_PORT_NAME) {
        // An open popup follows its tab's counts; only our own pages may (numbers only, still).
        if (!fromExtensionPage(port.sender)) return port.disconnect();
        port.onMessage.addListener((m) => {
          if (m && Number.isInteger(m.tabId)) watchers.set(port, m.tabId);
        });
        port.onDisconnect.addListener(() => watchers.delete(port));
        return;
      }
      if (port.name !== R.PORT_NAME) return;
      port.onMessage.addListener((m) => {
        const reply = (value) => {
          try {
            port.postMessage({ id: m && m.id, reply: value });
          } catch (_e) {
            /* the page went away meanwhile */
          }
        };
        handle(m && m.message, port.sender).then(reply, () => reply({ ok: false, error: "internal" }));
      });
    });
  }
  /**
   * The keyboard shortcut (manifest `commands`, Alt+Shift+K unless the user chose another): tell
   * the tab's frames to open the findings of the box in use — the one frame whose box has the
   * focus does. Without it the card was for the mouse alone: the badge is last in the page's Tab
   * order. Nothing of the draft is in this message.
   */
  async function onCommand(command, tab) {
    if (command !== R.SHOW_FINDINGS_COMMAND) return;
    const target = tab && tab.id >= 0 ? tab : (await chrome.tabs.query({ active: true, currentWindow: true }))[0];
    if (target) await chrome.tabs.sendMessage(target.id, { kind: R.KINDS.showFindings }).catch(() => {});
  }
  if (chrome.commands) chrome.commands.onCommand.addListener((command, tab) => { onCommand(command, tab); });
  root.RasoatBackground = { onCommand }; // what Chromium runs for the shortcut, for the e2e tests

  chrome.tabs.onRemoved.addListener((tabId) => tabCounts.delete(tabId));
  chrome.tabs.onUpdated.addListener((tabId, info) => {
    if (info.status === "loading" && tabCounts.delete(tabId)) tellWatchers(tabId);
  });
  chrome.runtime.onInstalled.addListener((details) => {
    if (details.reason === "install") chrome.tabs.create({ url: chrome.runtime.getURL("welcome/welcome.html") });
    syncRegistrations().catch(() => {});
  });
  chrome.runtime.onStartup.addListener(() => syncRegistrations().catch(() => {}));
})(globalThis);
