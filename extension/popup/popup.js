/** Popup: connection and pack status, counts for this tab, on/off for this site. */
(function (R) {
  "use strict";

  /**
   * The site tab this popup is about: `?tab=<id>` when given; else the active tab — unless that is
   * this page itself (the popup opened as a tab), then the window's most recently used other tab.
   */
  async function siteTab() {
    const id = Number(new URLSearchParams(location.search).get("tab"));
    if (Number.isInteger(id) && id > 0) {
      const tab = await chrome.tabs.get(id).catch(() => null);
      if (tab) return tab;
    }
    const self = chrome.tabs.getCurrent ? await chrome.tabs.getCurrent().catch(() => null) : null;
    const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
    if (!self || !active || active.id !== self.id) return active;
    const others = (await chrome.tabs.query({ currentWindow: true })).filter((t) => t.id !== self.id);
    others.sort((a, b) => (b.lastAccessed || 0) - (a.lastAccessed || 0));
    return others[0];
  }

  /**
   * The string saying how the service answered: connected, refused the token, something else
   * answers at that address (HTTP error, not Rasoat's health), unreachable.
   */
  function connectionKey(status) {
    if (status.ok) return "popupOnline";
    if (status.error === "denied") return "popupDenied";
    return R.answeredElsewhere(status) ? "popupNotService" : "popupOffline";
  }

  /**
   * The lines about the tab's draft, from its counts (`status`, or the background since: follow).
   * A draft the service did not check (too long, token refused, unreachable) has no counts:
   * zeros would read as "nothing found". Say why, as the badge does.
   */
  function showCounts(counts, lang) {
    const c = counts && counts.counts;
    const state = counts && counts.state;
    document.getElementById("counts").textContent = !c ? R.t("popupNoCounts")
      : state === "tooLong" ? R.tooLongTitle(R.t, lang, counts.over)
      : ["offline", "denied"].includes(state) ? R.t("badgeTitle_" + state) // (field.js: unanswered)
      : `${R.t("severity_error")}: ${c.errors} · ${R.t("severity_warning")}: ${c.warnings} · ${R.t("severity_info")}: ${c.infos}`;
    // The service ran out of time on the draft: the counts may not be all, and none is no all-clear.
    document.getElementById("incomplete").textContent = counts && counts.incomplete ? R.t("incompleteNote") : "";
  }

  /**
   * While the popup is open, follow its tab's counts over a port to the background (each
   * answer, and a too-long draft's length at each keystroke: numbers only, no request of our
   * own). A port closed by the background stopping (idle) is opened again.
   */
  function follow(tabId, lang) {
    try {
      const port = chrome.runtime.connect({ name: R.POPUP_PORT_NAME });
      port.onMessage.addListener((m) => { if (m && "counts" in m) showCounts(m.counts, lang); });
      port.onDisconnect.addListener(() => setTimeout(() => follow(tabId, lang), 1000));
      port.postMessage({ tabId });
    } catch (_e) {
      /* the extension was reloaded: the popup keeps what it showed */
    }
  }

  /** Fill the popup for the site tab (see siteTab). */
  async function main() {
    const tab = await siteTab();
    let host = "";
    try {
      const url = new URL(tab && tab.url ? tab.url : "");
      if (url.protocol === "https:" || url.protocol === "http:") host = url.hostname;
    } catch (_e) {
      host = "";
    }
    const reply = await R.initPage(host);
    const status = await R.ask({ kind: "status", tabId: tab ? tab.id : -1 });
    const url = status.serviceUrl || (reply.settings && reply.settings.serviceUrl) || "";
    const conn = document.getElementById("connection");
    conn.textContent = R.t(connectionKey(status), url);
    conn.dataset.state = connectionKey(status).slice(5).toLowerCase(); // online, denied, notservice, offline
    const pack = status.ok && status.health && status.health.pack;
    if (pack) document.getElementById("pack").textContent = R.t("popupPack", pack.id || "?", pack.version || "?");
    const lang = reply.settings && reply.settings.lang;
    showCounts(status.counts, lang);
    if (tab) follow(tab.id, lang);

    const box = document.getElementById("site");
    if (!host) {
      document.getElementById("site-section").textContent = R.t("popupNoSite");
    } else {
      const key = R.siteKey(host);
      document.getElementById("site-label").textContent = R.t("popupSite", key);
      box.checked = !!reply.siteEnabled;
      box.disabled = (reply.locked || []).includes("site:" + key);
      box.addEventListener("change", async () => {
        const enabled = box.checked;
        if (enabled && !R.PLATFORMS[key]) {
          // Our own sites need the user's grant, asked inside this click.
          const granted = await chrome.permissions.request({ origins: R.sitePatterns(key) }).catch(() => false);
          if (!granted) {
            box.checked = false;
            document.getElementById("site-status").textContent = R.t("optionsPermissionDenied", key);
            return;
          }
        }
        await R.ask({ kind: "setSiteEnabled", host, enabled, tabId: tab.id });
      });
    }
    document.getElementById("options").addEventListener("click", (e) => {
      e.preventDefault();
      chrome.runtime.openOptionsPage();
      window.close();
    });
  }

  main();
})(globalThis.Rasoat);
