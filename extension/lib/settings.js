/** Settings: defaults, the platforms checked out of the box, merging sync/local/managed storage. */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});

  /** Built-in platforms (site key → label); their compose boxes are checked by default. */
  const PLATFORMS = Object.freeze({
    "facebook.com": "Facebook",
    "messenger.com": "Messenger",
    "x.com": "X",
    "twitter.com": "X",
    "linkedin.com": "LinkedIn",
    "zalo.me": "Zalo Web",
    "threads.net": "Threads",
    "threads.com": "Threads",
    "instagram.com": "Instagram",
    "reddit.com": "Reddit",
    "youtube.com": "YouTube",
  });

  /** Defaults for every setting; storage only ever holds differences from these. */
  const DEFAULTS = Object.freeze({
    serviceUrl: "http://127.0.0.1:8765",
    token: "",
    lang: "vi",
    minSeverity: "info", // lowest severity drawn
    blockSeverity: "error", // lowest severity that triggers the last check before Post
    debounceMs: 400,
    sites: {}, // site key → true/false, overriding the defaults (added sites are true)
    disabledRules: [],
  });

  /** Keys kept in storage.local rather than sync (the token never leaves this browser). */
  const LOCAL_KEYS = Object.freeze(["token"]);
  const SEVERITY_NAMES = ["info", "warning", "error"];

  /**
   * Site key of a host name: lower case, without a port, "www."/"m."/"web."/"chat."/"mobile."
   * prefixes, and reduced to a built-in platform when it is one of its subdomains.
   */
  function siteKey(host) {
    let h = String(host || "").toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
    h = h.replace(/^(www|m|web|chat|mobile|mbasic|old|new)\./, "");
    for (const key of Object.keys(PLATFORMS)) {
      if (h === key || h.endsWith("." + key)) return key;
    }
    return h;
  }

  /**
   * Site key of what a user typed to add a site — a host, or an address copied from the address
   * bar ("https://portal.gov.vn/forum", "10.0.0.5:8080") — or "" when it names no web host. Read
   * as the browser reads an address, so an intranet's one-word host ("noibo"), an IP address and
   * a Vietnamese domain name (kept as its xn-- form, as pages see their own host) are sites too.
   */
  function siteKeyOf(typed) {
    const value = String(typed || "").trim();
    if (!value || /\s/.test(value)) return "";
    let url;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : "http://" + value);
    } catch (_e) {
      return "";
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return "";
    const host = url.hostname; // lower case, xn-- for Unicode, IPv4 normalised, IPv6 in brackets
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9_-]+(\.[a-z0-9_-]+)*)$/.test(host)) return "";
    return siteKey(host);
  }

  /** Whether a site key is an IP address (no subdomains: a pattern names the address alone). */
  function isAddress(key) {
    return key.startsWith("[") || /^\d+\.\d+\.\d+\.\d+$/.test(key);
  }

  /** Whether the extension checks compose boxes on `host` under `settings`. */
  function isSiteEnabled(settings, host) {
    const key = siteKey(host);
    if (!key) return false;
    const sites = settings.sites || {};
    if (Object.prototype.hasOwnProperty.call(sites, key)) return sites[key] === true;
    return Object.prototype.hasOwnProperty.call(PLATFORMS, key);
  }

  /**
   * Whether `value` can be the service's base URL: http(s), a host, no spaces, and nothing
   * `fetch(serviceUrl + "/api/v1/check")` would break on — a port out of range or a bracket left
   * open (the options page threw on them and said nothing), a query or fragment (the path would
   * land inside it), credentials (fetch refuses URLs that carry them).
   */
  function isServiceUrl(value) {
    if (typeof value !== "string" || /\s/.test(value)) return false;
    let url;
    try {
      url = new URL(value);
    } catch (_e) {
      return false;
    }
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" &&
      !url.username && !url.password && !url.search && !url.hash && !/[?#]/.test(value);
  }

  /** Keep a value only when it has the type and range of the default it overrides. */
  function validValue(key, value) {
    switch (key) {
      case "serviceUrl":
        return isServiceUrl(value);
      case "token":
        return typeof value === "string";
      case "lang":
        return value === "vi" || value === "en";
      case "minSeverity":
      case "blockSeverity":
        return SEVERITY_NAMES.includes(value);
      case "debounceMs":
        return Number.isInteger(value) && value >= 100 && value <= 5000;
      case "sites":
        return !!value && typeof value === "object" && !Array.isArray(value);
      case "disabledRules":
        return Array.isArray(value) && value.every((c) => typeof c === "string");
      default:
        return false;
    }
  }

  /**
   * Managed (enterprise policy) storage uses lists for sites — `enabledSites`, `disabledSites` —
   * and the same names as DEFAULTS for the rest; turn it into a settings patch.
   */
  function managedPatch(managed) {
    const patch = {};
    if (!managed || typeof managed !== "object") return patch;
    for (const key of Object.keys(DEFAULTS)) {
      if (key !== "sites" && validValue(key, managed[key])) patch[key] = managed[key];
    }
    const sites = {};
    for (const h of Array.isArray(managed.enabledSites) ? managed.enabledSites : []) sites[siteKey(h)] = true;
    for (const h of Array.isArray(managed.disabledSites) ? managed.disabledSites : []) sites[siteKey(h)] = false;
    if (Object.keys(sites).length) patch.sites = sites;
    return patch;
  }

  /**
   * Effective settings: defaults ← sync ← local ← managed. Managed wins key by key; for `sites` it
   * wins host by host, so an agency can force its portal on and users still add their own sites.
   * Returns `{settings, locked}` where `locked` lists keys the options page must not offer.
   */
  function mergeSettings(sync, local, managed) {
    const settings = JSON.parse(JSON.stringify(DEFAULTS));
    for (const layer of [sync, local]) {
      if (!layer || typeof layer !== "object") continue;
      for (const key of Object.keys(DEFAULTS)) {
        if (validValue(key, layer[key])) settings[key] = key === "sites" ? Object.assign({}, layer[key]) : layer[key];
      }
    }
    const patch = managedPatch(managed);
    const locked = [];
    for (const key of Object.keys(patch)) {
      if (key === "sites") {
        settings.sites = Object.assign({}, settings.sites, patch.sites);
        locked.push(...Object.keys(patch.sites).map((h) => "site:" + h));
      } else {
        settings[key] = patch[key];
        locked.push(key);
      }
    }
    settings.serviceUrl = settings.serviceUrl.replace(/\/+$/, "");
    return { settings, locked };
  }

  /** Split a settings patch into what goes to storage.sync and what stays in storage.local. */
  function splitForStorage(patch) {
    const sync = {}, local = {};
    for (const key of Object.keys(patch)) {
      if (!validValue(key, patch[key])) throw new RangeError("invalid setting: " + key);
      (LOCAL_KEYS.includes(key) ? local : sync)[key] = patch[key];
    }
    return { sync, local };
  }

  /**
   * Origin match patterns for a user-added site key: the host and its subdomains ("portal.gov.vn"
   * → "*://portal.gov.vn/*", "*://*.portal.gov.vn/*"); an IP address alone (Chromium refuses
   * "*.[::1]").
   */
  function sitePatterns(key) {
    return isAddress(key) ? ["*://" + key + "/*"] : ["*://" + key + "/*", "*://*." + key + "/*"];
  }

  Object.assign(R, { PLATFORMS, DEFAULTS, siteKey, siteKeyOf, isSiteEnabled, mergeSettings, managedPatch,
    splitForStorage, validSetting: validValue, sitePatterns });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
