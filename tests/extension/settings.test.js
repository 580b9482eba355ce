/** settings.js: defaults ← sync ← local ← managed, site keys, which sites are checked. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const R = require("../../extension/lib/settings.js");

test("defaults: the local service, Vietnamese, 400 ms, errors trigger the last check", () => {
  const { settings, locked } = R.mergeSettings({}, {}, {});
  assert.equal(settings.serviceUrl, "http://127.0.0.1:8765");
  assert.equal(settings.lang, "vi");
  assert.equal(settings.debounceMs, 400);
  assert.equal(settings.blockSeverity, "error");
  assert.deepEqual(locked, []);
});

test("sync, then local, then managed: managed wins key by key and those keys are locked", () => {
  const { settings, locked } = R.mergeSettings(
    { serviceUrl: "https://user.example/", debounceMs: 250, lang: "en" },
    { token: "local-token" },
    { serviceUrl: "https://rasoat.agency.gov.vn", blockSeverity: "warning" });
  assert.equal(settings.serviceUrl, "https://rasoat.agency.gov.vn");
  assert.equal(settings.blockSeverity, "warning");
  assert.equal(settings.debounceMs, 250);
  assert.equal(settings.lang, "en");
  assert.equal(settings.token, "local-token");
  assert.deepEqual(locked.sort(), ["blockSeverity", "serviceUrl"]);
});

test("invalid stored values are ignored, never half-applied", () => {
  const { settings } = R.mergeSettings({ debounceMs: 5, lang: "fr", serviceUrl: "javascript:alert(1)", sites: [] }, null, "x");
  assert.equal(settings.debounceMs, 400);
  assert.equal(settings.lang, "vi");
  assert.equal(settings.serviceUrl, "http://127.0.0.1:8765");
  assert.deepEqual(settings.sites, {});
});

test("a service URL is valid only when fetch can use it as the base of the service's paths", () => {
  for (const url of ["http://127.0.0.1:8765", "http://[::1]:8765", "https://rasoat.agency.gov.vn",
    "https://agency.gov.vn/rasoat"]) {
    assert.equal(R.validSetting("serviceUrl", url), true, url);
  }
  // A typo in the port, an open bracket, a space in the host (the options page threw on these,
  // saved nothing and said nothing); a query or fragment the paths would land in; credentials.
  for (const url of ["http://127.0.0.1:99999", "http://[::1", "http://exa mple.com", "https://x.vn/?a=1",
    "https://x.vn/#top", "http://user:pass@x.vn", "ftp://x.vn", "http://"]) {
    assert.equal(R.validSetting("serviceUrl", url), false, url);
    assert.equal(R.mergeSettings({ serviceUrl: url }, {}, {}).settings.serviceUrl, "http://127.0.0.1:8765", url);
  }
});

test("managed site lists win host by host and users keep their own sites", () => {
  const { settings, locked } = R.mergeSettings({ sites: { "portal.example.vn": true, "reddit.com": false } }, {},
    { enabledSites: ["congthongtin.bo.gov.vn"], disabledSites: ["www.youtube.com"] });
  assert.ok(R.isSiteEnabled(settings, "congthongtin.bo.gov.vn"));
  assert.ok(R.isSiteEnabled(settings, "portal.example.vn"));
  assert.ok(!R.isSiteEnabled(settings, "www.youtube.com"));
  assert.ok(!R.isSiteEnabled(settings, "www.reddit.com"));
  assert.ok(R.isSiteEnabled(settings, "www.facebook.com"));
  assert.deepEqual(locked.sort(), ["site:congthongtin.bo.gov.vn", "site:youtube.com"]);
});

test("site keys fold www/m/chat prefixes, ports and platform subdomains", () => {
  assert.equal(R.siteKey("www.facebook.com"), "facebook.com");
  assert.equal(R.siteKey("m.facebook.com:8443"), "facebook.com");
  assert.equal(R.siteKey("chat.zalo.me"), "zalo.me");
  assert.equal(R.siteKey("business.linkedin.com"), "linkedin.com");
  assert.equal(R.siteKey("Portal.Agency.gov.vn."), "portal.agency.gov.vn");
  assert.equal(R.siteKey("notfacebook.com"), "notfacebook.com");
});

test("built-in platforms are on by default, other sites off until added", () => {
  const { settings } = R.mergeSettings({}, {}, {});
  for (const host of ["www.facebook.com", "x.com", "chat.zalo.me", "www.threads.com", "www.youtube.com"]) {
    assert.ok(R.isSiteEnabled(settings, host), host);
  }
  assert.ok(!R.isSiteEnabled(settings, "example.com"));
  assert.ok(!R.isSiteEnabled(settings, ""));
});

test("splitForStorage keeps the token local and refuses invalid values", () => {
  assert.deepEqual(R.splitForStorage({ token: "t", lang: "en" }), { sync: { lang: "en" }, local: { token: "t" } });
  assert.throws(() => R.splitForStorage({ debounceMs: 99999 }), RangeError);
});

test("an added site's patterns cover the host and its subdomains", () => {
  assert.deepEqual(R.sitePatterns("portal.gov.vn"), ["*://portal.gov.vn/*", "*://*.portal.gov.vn/*"]);
});

test("an added IP address's pattern names the address alone", () => {
  assert.deepEqual(R.sitePatterns("10.0.0.5"), ["*://10.0.0.5/*"]);
  assert.deepEqual(R.sitePatterns("[fd00::5]"), ["*://[fd00::5]/*"]);
  assert.deepEqual(R.sitePatterns("noibo"), ["*://noibo/*", "*://*.noibo/*"]);
});

test("a site typed or pasted into Add a site is read as the browser reads an address", () => {
  for (const [typed, key] of [
    ["portal.agency.gov.vn", "portal.agency.gov.vn"],
    ["  https://www.Portal.Agency.gov.vn/dien-dan?id=3#top ", "portal.agency.gov.vn"],
    ["portal.agency.gov.vn:8443/forum", "portal.agency.gov.vn"],
    ["https://m.facebook.com/groups/123", "facebook.com"],
    // an intranet's one-word host and its addresses, as an official's ministry may run them
    ["noibo", "noibo"],
    ["http://noibo:8080/", "noibo"],
    ["10.0.0.5:8080/forum", "10.0.0.5"],
    ["http://[FD00::5]:8080/", "[fd00::5]"],
    // a Vietnamese domain name, in the xn-- form a page's own location.hostname has
    ["bộngoạigiao.vn", new URL("http://bộngoạigiao.vn").hostname],
  ]) {
    assert.equal(R.siteKeyOf(typed), key, typed);
  }
  for (const typed of ["", "   ", "cổng nội bộ", "ftp://files.gov.vn", "javascript:alert(1)",
    "http://", "a..b", "https://user:pw@", "http://[::1"]) {
    assert.equal(R.siteKeyOf(typed), "", typed);
  }
});
