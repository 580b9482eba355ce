/** Popup: connection and pack status, counts for this tab, on/off for this site. */
(function (R) {
  "use strict";

  /** Fill the popup for the active tab. */
  async function main() {
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
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
    conn.textContent = status.ok ? R.t("popupOnline", url) : R.t("popupOffline", url);
    conn.dataset.state = status.ok ? "online" : "offline";
    const pack = status.ok && status.health && status.health.pack;
    if (pack) document.getElementById("pack").textContent = R.t("popupPack", pack.id || "?", pack.version || "?");
    const c = status.counts && status.counts.counts;
    document.getElementById("counts").textContent = c
      ? `${R.t("severity_error")}: ${c.errors} · ${R.t("severity_warning")}: ${c.warnings} · ${R.t("severity_info")}: ${c.infos}`
      : R.t("popupNoCounts");

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
