/** Options page: service URL and token, severities, debounce, language, sites, rules turned off. */
(function (R) {
  "use strict";
  const $ = (id) => document.getElementById(id);
  let reply = null;

  /** Whether `key` is fixed by the organisation's managed policy. */
  function locked(key) {
    return (reply.locked || []).includes(key);
  }

  /** Fill the severity selects with translated labels. */
  function severityOptions(select) {
    select.replaceChildren(...R.SEVERITIES.map((s) => new Option(R.t("severity_" + s), s)));
  }

  /** Mark a locked field disabled with a short note. */
  function showLocked(id) {
    const el = $(id);
    el.disabled = true;
    const note = document.createElement("span");
    note.className = "managed";
    note.textContent = R.t("optionsManaged");
    el.insertAdjacentElement("afterend", note);
  }

  /** Draw the site list: built-in platforms and added sites, each with a checkbox. */
  function renderSites() {
    const s = reply.settings;
    const keys = Array.from(new Set([...Object.keys(R.PLATFORMS), ...Object.keys(s.sites)]));
    const ul = $("sites");
    ul.replaceChildren();
    for (const key of keys) {
      const li = document.createElement("li");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = R.isSiteEnabled(s, key);
      box.disabled = locked("site:" + key);
      box.dataset.site = key;
      box.addEventListener("change", () => setSite(key, box.checked, box));
      // The box inside its label: a screen reader names it, a click on the name toggles it.
      const label = document.createElement("label");
      label.append(box, R.PLATFORMS[key] ? `${R.PLATFORMS[key]} (${key})` : key);
      li.append(label);
      if (!R.PLATFORMS[key] && !box.disabled) {
        const rm = document.createElement("button");
        rm.type = "button";
        rm.textContent = R.t("optionsRemove");
        rm.setAttribute("aria-label", `${R.t("optionsRemove")} ${key}`); // which site, when heard alone
        rm.addEventListener("click", () => setSite(key, null));
        li.appendChild(rm);
      }
      ul.appendChild(li);
    }
  }

  /** Turn a site on/off (asking for host permission for added sites, inside the click) or remove it. */
  async function setSite(key, enabled, box) {
    if (enabled && !R.PLATFORMS[key]) {
      const granted = await chrome.permissions.request({ origins: R.sitePatterns(key) }).catch(() => false);
      if (!granted) {
        if (box) box.checked = false;
        $("status").textContent = R.t("optionsPermissionDenied", key);
        return;
      }
    }
    await R.ask({ kind: "setSiteEnabled", host: key, enabled });
    await reload({ lists: true });
  }

  /** Draw the rules turned off, each with "turn back on". */
  function renderRules() {
    const ul = $("rules");
    ul.replaceChildren();
    const codes = reply.settings.disabledRules;
    if (!codes.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = R.t("optionsNoRules");
      ul.appendChild(li);
    }
    for (const code of codes) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = R.t("optionsEnableRule");
      b.setAttribute("aria-label", `${R.t("optionsEnableRule")} ${code}`); // which rule, when heard alone
      b.disabled = locked("disabledRules");
      b.addEventListener("click", async () => {
        await R.ask({ kind: "setRuleEnabled", code, enabled: true });
        await reload({ lists: true });
      });
      li.append(document.createTextNode(code + " "), b);
      ul.appendChild(li);
    }
  }

  /** Read the form into a settings patch; throws RangeError naming the first invalid field. */
  function readForm() {
    const patch = {
      serviceUrl: $("serviceUrl").value.trim().replace(/\/+$/, ""),
      token: $("token").value,
      minSeverity: $("minSeverity").value,
      blockSeverity: $("blockSeverity").value,
      debounceMs: Number($("debounceMs").value),
      lang: $("lang").value,
    };
    for (const key of Object.keys(patch)) {
      if (locked(key)) delete patch[key];
      else if (!R.validSetting(key, patch[key])) throw new RangeError(key);
    }
    return patch;
  }

  /** Save: ask for the service origin's permission when it is not a built-in one, then store. */
  async function save(e) {
    e.preventDefault();
    let patch;
    try {
      patch = readForm();
    } catch (err) {
      // Name the field as its label does (in the UI language), not by its setting key.
      const label = document.querySelector(`label[for="${err.message}"]`);
      $("status").textContent = R.t("optionsInvalid", label ? label.textContent : err.message);
      return;
    }
    if (patch.serviceUrl) {
      const origin = new URL(patch.serviceUrl).origin + "/*";
      // Asked before any await: Firefox grants permissions.request only while the click (or
      // Enter) is being handled, and refused every address after an `await contains()` here.
      // An origin already granted resolves true at once, with no prompt.
      if (!(await chrome.permissions.request({ origins: [origin] }).catch(() => false))) {
        $("status").textContent = R.t("optionsPermissionDenied", origin);
        return;
      }
    }
    const { sync, local } = R.splitForStorage(patch);
    await chrome.storage.sync.set(sync);
    await chrome.storage.local.set(local);
    $("status").textContent = R.t("optionsSaved");
    await reload();
    testConnection(); // the line above the token spoke of the address before this save
  }

  /** Restore defaults, once the user has confirmed it: every setting, the token, added sites. */
  async function reset() {
    if (!window.confirm(R.t("optionsResetConfirm"))) return;
    const reply = await R.ask({ kind: "resetSettings" });
    await reload();
    $("status").textContent = R.t(reply.ok ? "optionsResetDone" : "optionsResetFailed");
    testConnection();
  }

  /**
   * Whether `value` is a service address that would carry drafts across the network unencrypted:
   * http:// to a host other than this computer (anyone on the network path can read them).
   * Warned about, not refused: an agency's internal service may still be on plain http.
   */
  function cleartextRemote(value) {
    let url;
    try {
      url = new URL(value.trim());
    } catch (_e) {
      return false;
    }
    if (url.protocol !== "http:") return false;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    return !(host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "::1");
  }

  /**
   * Show or hide the warning about an unencrypted remote service under the URL field: an alert
   * when it appears (a screen reader says it), and the field's description while it stands.
   */
  function showCleartextWarning() {
    const warned = cleartextRemote($("serviceUrl").value);
    $("cleartext").hidden = !warned;
    if (warned) $("serviceUrl").setAttribute("aria-describedby", "cleartext");
    else $("serviceUrl").removeAttribute("aria-describedby");
  }

  /**
   * Show the service's health (pack and version) or why it cannot be reached — for the address
   * and token as typed (`typed`: the button, before Save), else as saved (when the page opens).
   */
  async function testConnection(typed) {
    const message = { kind: "status", tabId: -1 };
    if (typed === true) {
      const url = $("serviceUrl").value.trim().replace(/\/+$/, "");
      if (!R.validSetting("serviceUrl", url)) {
        $("health").dataset.state = "offline";
        $("health").textContent = R.t("optionsInvalid", document.querySelector('label[for="serviceUrl"]').textContent);
        return;
      }
      Object.assign(message, { serviceUrl: url, token: $("token").value });
    }
    const status = await R.ask(message);
    const url = status.serviceUrl || "";
    const pack = status.ok && status.health && status.health.pack;
    const key = status.ok ? "popupOnline" : status.error === "denied" ? "popupDenied"
      : R.answeredElsewhere(status) ? "popupNotService" : "popupOffline";
    $("health").dataset.state = key.slice(5).toLowerCase(); // online, denied, notservice, offline
    $("health").textContent = R.t(key, url)
      + (pack ? " — " + R.t("popupPack", pack.id || "?", pack.version || "?") : "");
  }

  /**
   * (Re)load settings into the form. Sites and rules apply at once, without Save: after one of
   * those (`lists`), only the lists are redrawn, so what the user has typed and not yet saved in
   * the fields (a new service URL, the token) stays.
   */
  async function reload({ lists = false } = {}) {
    reply = await R.initPage();
    renderSites();
    renderRules();
    if (lists) return;
    const s = reply.settings;
    severityOptions($("minSeverity"));
    severityOptions($("blockSeverity"));
    $("serviceUrl").value = s.serviceUrl;
    showCleartextWarning();
    $("token").value = s.token || "";
    $("minSeverity").value = s.minSeverity;
    $("blockSeverity").value = s.blockSeverity;
    $("debounceMs").value = s.debounceMs;
    $("lang").value = s.lang;
  }

  /** First load: fill the form, mark managed fields, wire the buttons. */
  async function main() {
    await reload();
    for (const key of ["serviceUrl", "token", "minSeverity", "blockSeverity", "debounceMs", "lang"]) {
      if (locked(key)) showLocked(key);
    }
    $("form").addEventListener("submit", save);
    $("serviceUrl").addEventListener("input", showCleartextWarning);
    $("test").addEventListener("click", () => testConnection(true));
    $("reset").addEventListener("click", reset);
    const addSite = () => {
      const key = R.siteKeyOf($("newSite").value);
      if (key) setSite(key, true);
      else $("status").textContent = R.t("optionsInvalid", $("newSite").value);
    };
    $("addSite").addEventListener("click", addSite);
    // Enter in the site box adds the site, as the button beside it does — not the form's Save.
    $("newSite").addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || e.isComposing) return;
      e.preventDefault();
      addSite();
    });
    testConnection();
  }

  main();
})(globalThis.Rasoat);
