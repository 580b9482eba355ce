/**
 * background.js with a hand-written chrome.* stub and real fetch against a local HTTP server that
 * answers like the service: what is sent (URL, token, body), which sites may send, error names.
 */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");

/** A chrome.* stand-in: storage areas in memory, message listener captured for direct calls. */
function chromeStub() {
  const area = (data) => ({
    data,
    async get(keys) {
      if (keys === null || keys === undefined) return JSON.parse(JSON.stringify(this.data));
      const out = {};
      for (const k of [].concat(keys)) if (k in this.data) out[k] = this.data[k];
      return out;
    },
    async set(patch) { Object.assign(this.data, JSON.parse(JSON.stringify(patch))); for (const l of listeners) l(patch); },
  });
  const listeners = [];
  const stub = {
    storage: { sync: area({}), local: area({}), managed: area({}), onChanged: { addListener: (l) => listeners.push(l) } },
    runtime: {
      onMessage: { addListener: (l) => { stub.listener = l; } },
      onConnect: { addListener: (l) => { stub.connect = l; } },
      onInstalled: { addListener() {} },
      onStartup: { addListener() {} },
      getURL: (p) => "chrome-extension://test/" + p,
    },
    tabs: { onRemoved: { addListener() {} }, onUpdated: { addListener() {} }, create() {},
      sent: [], async sendMessage(tabId, msg) { this.sent.push([tabId, msg]); },
      async query() { return [{ id: 3 }]; } },
    commands: { onCommand: { addListener: (l) => { stub.command = l; } } },
    action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {} },
    permissions: { contains: async () => true },
  };
  return stub;
}

/** Send one message the way a content script on `url` would; resolves with the reply. */
function send(stub, msg, url) {
  return new Promise((resolve) => {
    stub.listener(msg, url ? { tab: { id: 7, url }, url } : {}, resolve);
  });
}

const requests = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => { body += c; });
  req.on("end", () => {
    requests.push({ method: req.method, url: req.url, auth: req.headers.authorization || null, body });
    if (req.url.startsWith("/api/v1/check")) {
      const { text } = JSON.parse(body);
      if (text === "500") { res.writeHead(500); res.end("{}"); return; }
      if (text.startsWith("413")) {
        // A service configured with a lower limit than the extension's, as server/inputs.py answers.
        res.writeHead(413, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { code: "too-large", message: "`text` is longer than the 5-character limit.",
          field: "text", limit: 5, unit: "characters" } }));
        return;
      }
      const i = text.indexOf("MẬT");
      const matches = i < 0 ? [] : [
        { code: "SEC001", name: "secret-document", category: "state-secret", severity: "error", message: "m",
          offset: i, length: 3, text: "MẬT", suggestions: [], legal_basis: ["Luật A"], frame: null },
        { code: "OFF001", name: "x", category: "offensive-language", severity: "warning", message: "m",
          offset: 0, length: 1, text: text[0], suggestions: [], legal_basis: [], frame: null },
        { code: "BAD", severity: "error", offset: 999, length: 5 }];
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ pack: { id: "p", version: "1" }, incomplete: false, matches }));
    } else if (req.url === "/api/v1/health") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ status: "ok", pack: { id: "p", version: "1" } }));
    } else {
      res.writeHead(404);
      res.end("{}");
    }
  });
});

let stub, base;
test.before(async () => {
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
  require("../../extension/lib/protocol.js");
  require("../../extension/lib/settings.js");
  stub = chromeStub();
  globalThis.chrome = stub;
  require("../../extension/background.js");
  await stub.storage.sync.set({ serviceUrl: base, disabledRules: ["OFF001"] });
  await stub.storage.local.set({ token: "s3cret" });
});
test.after(() => server.close());

test("check posts {text, lang, min_severity} with the bearer token and returns clean matches", async () => {
  requests.length = 0;
  const reply = await send(stub, { kind: "check", text: "bản MẬT", lang: "vi", minSeverity: "info" },
    "https://www.facebook.com/");
  assert.equal(reply.ok, true);
  assert.deepEqual(reply.matches.map((m) => [m.code, m.offset, m.length]), [["SEC001", 4, 3]],
    "out-of-range matches and rules turned off are dropped");
  assert.equal(requests.length, 1);
  assert.equal(requests[0].url, "/api/v1/check");
  assert.equal(requests[0].auth, "Bearer s3cret");
  assert.deepEqual(JSON.parse(requests[0].body), { text: "bản MẬT", lang: "vi", min_severity: "info" });
});

test("text is sent only from enabled sites' pages — never from others or from extension pages", async () => {
  requests.length = 0;
  const fromOther = await send(stub, { kind: "check", text: "MẬT", lang: "vi", minSeverity: "info" }, "https://example.com/");
  const fromPage = await send(stub, { kind: "check", text: "MẬT", lang: "vi", minSeverity: "info" });
  assert.deepEqual(fromOther, { ok: false, error: "disabled" });
  assert.deepEqual(fromPage, { ok: false, error: "disabled" });
  assert.equal(requests.length, 0);
});

test("bad requests are refused before any fetch", async () => {
  requests.length = 0;
  const reply = await send(stub, { kind: "check", text: 5, lang: "vi", minSeverity: "info" }, "https://x.com/");
  assert.deepEqual(reply, { ok: false, error: "bad-request" });
  assert.deepEqual(await send(stub, { kind: "nope" }), { ok: false, error: "unknown-kind" });
  assert.equal(requests.length, 0);
});

test("a draft's length is counted as the service counts it: code points, not UTF-16 units", async () => {
  requests.length = 0;
  // 60,000 emoji: 120,000 UTF-16 units but 60,000 characters, well within the service's 100,000.
  const emoji = "MẬT " + "😀".repeat(60000);
  const reply = await send(stub, { kind: "check", text: emoji, lang: "vi", minSeverity: "info" }, "https://x.com/");
  assert.equal(reply.ok, true, JSON.stringify(reply).slice(0, 200));
  const secret = reply.matches.find((m) => m.code === "SEC001");
  assert.deepEqual([secret.offset, secret.length], [0, 3]);
  assert.equal(requests.length, 1);
  // One character over the limit, emoji counted once each: refused before any fetch.
  const over = "😀".repeat(50000) + "a".repeat(50001);
  const refused = await send(stub, { kind: "check", text: over, lang: "vi", minSeverity: "info" }, "https://x.com/");
  // How long it is and the limit, in characters, so the badge can say how far over it is.
  assert.deepEqual(refused, { ok: false, error: "too-long", length: 100001, limit: 100000 });
  const exactly = await send(stub, { kind: "check", text: over.slice(0, -1), lang: "vi", minSeverity: "info" },
    "https://x.com/");
  assert.equal(exactly.ok, true);
  assert.equal(requests.length, 2);
});

test("a service's 413 gives its own limit and the draft's length in characters", async () => {
  const reply = await send(stub, { kind: "check", text: "413 😀😀", lang: "vi", minSeverity: "info" }, "https://x.com/");
  assert.deepEqual(reply, { ok: false, error: "http-413", length: 6, limit: 5 });
});

test("a lone surrogate (half an emoji) is sent as U+FFFD: offsets unchanged, the service accepts it", async () => {
  requests.length = 0;
  const text = "x\ud83d bản MẬT";
  const reply = await send(stub, { kind: "check", text, lang: "vi", minSeverity: "info" }, "https://x.com/");
  assert.equal(reply.ok, true);
  assert.equal(JSON.parse(requests[0].body).text, "x\ufffd bản MẬT");
  assert.deepEqual(reply.matches.map((m) => [m.offset, m.length]), [[text.indexOf("MẬT"), 3]]);
});

test("HTTP errors and an unreachable service come back as error names, never as exceptions", async () => {
  const r500 = await send(stub, { kind: "check", text: "500", lang: "vi", minSeverity: "info" }, "https://x.com/");
  assert.deepEqual(r500, { ok: false, error: "http-500" });
  const closed = http.createServer();
  await new Promise((r) => closed.listen(0, "127.0.0.1", r));
  const port = closed.address().port;
  await new Promise((r) => closed.close(r));
  await stub.storage.sync.set({ serviceUrl: `http://127.0.0.1:${port}` });
  const off = await send(stub, { kind: "check", text: "MẬT", lang: "vi", minSeverity: "info" }, "https://x.com/");
  assert.deepEqual(off, { ok: false, error: "offline" });
  await stub.storage.sync.set({ serviceUrl: base });
});

test("getSettings answers the popup about the host it names, also when the popup is open in a tab", async () => {
  const popup = "chrome-extension://test/popup/popup.html";
  const asTab = await send(stub, { kind: "getSettings", host: "www.facebook.com" }, popup); // sender.tab is set
  assert.equal(asTab.siteEnabled, true);
  const asPopup = await new Promise((r) => stub.listener({ kind: "getSettings", host: "www.facebook.com" }, { url: popup }, r));
  assert.equal(asPopup.siteEnabled, true);
  assert.equal((await send(stub, { kind: "getSettings", host: "example.com" }, popup)).siteEnabled, false);
  // A content script cannot claim another site: its own page's host decides.
  const page = await send(stub, { kind: "getSettings", host: "www.facebook.com" }, "https://example.com/");
  assert.equal(page.siteEnabled, false);
  assert.equal(page.settings.token, "");
});

test("getSettings gives content scripts no token; status reports health and this tab's counts", async () => {
  const fromPage = await send(stub, { kind: "getSettings" }, "https://chat.zalo.me/");
  assert.equal(fromPage.settings.token, "");
  assert.equal(fromPage.siteEnabled, true);
  await send(stub, { kind: "counts", counts: { errors: 2, warnings: 1, infos: 0 }, state: "issues" }, "https://x.com/");
  const status = await send(stub, { kind: "status", tabId: 7 });
  assert.equal(status.ok, true);
  assert.deepEqual(status.health.pack, { id: "p", version: "1" });
  assert.deepEqual(status.counts.counts, { errors: 2, warnings: 1, infos: 0 });
});

test("status tests an address given only by our own pages; a site's script cannot choose one", async () => {
  const closed = http.createServer();
  await new Promise((r) => closed.listen(0, "127.0.0.1", r));
  const elsewhere = `http://127.0.0.1:${closed.address().port}`;
  await new Promise((r) => closed.close(r));
  const fromSite = await send(stub, { kind: "status", tabId: 7, serviceUrl: elsewhere }, "https://x.com/");
  assert.equal(fromSite.serviceUrl, base);
  assert.equal(fromSite.ok, true);
  const options = "chrome-extension://test/options/options.html";
  const typed = await send(stub, { kind: "status", tabId: -1, serviceUrl: elsewhere + "/", token: "" }, options);
  assert.deepEqual([typed.serviceUrl, typed.ok, typed.error], [elsewhere, false, "offline"]);
  const invalid = await send(stub, { kind: "status", tabId: -1, serviceUrl: "http://127.0.0.1:99999" }, options);
  assert.equal(invalid.serviceUrl, base); // not an address: the saved one is tested
});

test("nothing but settings is written to storage after checks", async () => {
  await send(stub, { kind: "check", text: "bản MẬT riêng tư", lang: "vi", minSeverity: "info" }, "https://x.com/");
  const everything = JSON.stringify([stub.storage.sync.data, stub.storage.local.data]);
  assert.ok(!everything.includes("riêng tư"));
  assert.deepEqual(Object.keys(stub.storage.sync.data).sort(), ["disabledRules", "serviceUrl"]);
  assert.deepEqual(Object.keys(stub.storage.local.data), ["token"]);
});

test("setRuleEnabled and setSiteEnabled store the change in sync storage", async () => {
  await send(stub, { kind: "setRuleEnabled", code: "SEC001", enabled: false });
  assert.deepEqual(stub.storage.sync.data.disabledRules.sort(), ["OFF001", "SEC001"]);
  await send(stub, { kind: "setRuleEnabled", code: "SEC001", enabled: true });
  assert.deepEqual(stub.storage.sync.data.disabledRules, ["OFF001"]);
  await send(stub, { kind: "setSiteEnabled", host: "www.reddit.com", enabled: false });
  assert.deepEqual(stub.storage.sync.data.sites, { "reddit.com": false });
  const reply = await send(stub, { kind: "check", text: "MẬT", lang: "vi", minSeverity: "info" }, "https://www.reddit.com/r/x");
  assert.deepEqual(reply, { ok: false, error: "disabled" });
  await send(stub, { kind: "setSiteEnabled", host: "reddit.com", enabled: null });
  assert.deepEqual(stub.storage.sync.data.sites, {});
});

/** Open a port the way a content script on `url` does; `ask(message)` resolves with the reply. */
function openPort(stub, url, name = "rasoat-check") {
  const listeners = [];
  const replies = new Map();
  const port = {
    name,
    sender: { tab: { id: 9, url }, url },
    onMessage: { addListener: (l) => listeners.push(l) },
    postMessage: (m) => replies.get(m.id)(m),
  };
  stub.connect(port);
  let id = 0;
  return {
    listeners,
    ask: (message) => new Promise((resolve) => {
      id++;
      replies.set(id, resolve);
      for (const l of listeners) l({ id, message });
    }),
  };
}

test("checks over the port: same answers and the same site gate, replies matched by id", async () => {
  const port = openPort(stub, "https://www.facebook.com/");
  const [a, b] = await Promise.all([
    port.ask({ kind: "check", text: "bản MẬT", lang: "vi", minSeverity: "info" }),
    port.ask({ kind: "check", text: "không có gì", lang: "vi", minSeverity: "info" }),
  ]);
  assert.equal(a.id, 1);
  assert.equal(a.reply.ok, true);
  const direct = await send(stub, { kind: "check", text: "bản MẬT", lang: "vi", minSeverity: "info" }, "https://www.facebook.com/");
  assert.ok(a.reply.matches.some((m) => m.code === "SEC001"));
  assert.deepEqual(a.reply.matches, direct.matches);
  assert.equal(typeof a.reply.timing.fetchStart, "number");
  assert.deepEqual([b.id, b.reply.ok, b.reply.matches], [2, true, []]);
  const other = openPort(stub, "https://example.com/");
  assert.deepEqual((await other.ask({ kind: "check", text: "MẬT", lang: "vi", minSeverity: "info" })).reply,
    { ok: false, error: "disabled" });
  assert.equal(openPort(stub, "https://www.facebook.com/", "something-else").listeners.length, 0);
});

test("a site's script cannot restore the defaults (only our own pages may)", async () => {
  const before = JSON.stringify([stub.storage.sync.data, stub.storage.local.data]);
  const reply = await send(stub, { kind: "resetSettings" }, "https://x.com/");
  assert.deepEqual(reply, { ok: false, error: "bad-request" });
  assert.equal(JSON.stringify([stub.storage.sync.data, stub.storage.local.data]), before);
});

test("restoring the defaults clears both storage areas and gives back host access beyond the manifest's", async () => {
  const saved = JSON.parse(JSON.stringify([stub.storage.sync.data, stub.storage.local.data]));
  const removed = [];
  for (const a of [stub.storage.sync, stub.storage.local]) a.clear = async function () { this.data = {}; };
  stub.runtime.getManifest = () => ({ host_permissions: ["http://127.0.0.1:8765/*", "https://*.x.com/*"] });
  stub.permissions.getAll = async () => ({ origins: ["http://127.0.0.1:8765/*", "https://*.x.com/*",
    "*://noibo/*", "*://*.noibo/*", "http://10.0.0.5/*"] });
  stub.permissions.remove = async (p) => { removed.push(p.origins); return true; };
  try {
    const reply = await send(stub, { kind: "resetSettings" }, "chrome-extension://test/options/options.html");
    assert.deepEqual(reply, { ok: true });
    assert.deepEqual([stub.storage.sync.data, stub.storage.local.data], [{}, {}]);
    assert.deepEqual(removed, [["*://noibo/*", "*://*.noibo/*", "http://10.0.0.5/*"]]);
  } finally {
    [stub.storage.sync.data, stub.storage.local.data] = saved;
  }
});

test("the keyboard shortcut asks the tab (the one it was pressed in, else the active one) to show its findings", async () => {
  stub.tabs.sent.length = 0;
  stub.command("show-findings", { id: 9, url: "https://www.facebook.com/" });
  stub.command("_execute_action", { id: 9 }); // the toolbar button's own shortcut: not ours
  stub.command("show-findings", undefined);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(stub.tabs.sent, [[9, { kind: "showFindings" }], [3, { kind: "showFindings" }]],
    "the kind only: nothing of a draft travels");
});

test("framePost runs Rasoat.framePost in the sender tab's other frames and returns only their answers", async () => {
  const calls = [];
  stub.scripting = {
    async executeScript(details) {
      calls.push(details);
      return [{ frameId: 0, result: { findings: ["own"] } }, { frameId: 4, result: { findings: [], usedAt: 1 } },
        { frameId: 5, result: null }];
    },
  };
  const ask = (msg, sender) => new Promise((resolve) => stub.listener(msg, sender, resolve));
  const sender = { tab: { id: 7, url: "https://dien-dan.noibo.vn/soan-bai" }, url: "about:blank", frameId: 0 };
  const msg = { kind: "framePost", op: "drafts", url: "https://dien-dan.noibo.vn/soan-bai", path: [1, 0, 3], token: "t" };
  try {
    const reply = await ask(msg, sender);
    assert.deepEqual(reply, { ok: true, frames: [{ frameId: 4, result: { findings: [], usedAt: 1 } }] },
      "the asking frame's own answer and frames with nothing there are left out");
    assert.deepEqual(calls[0].target, { tabId: 7, allFrames: true });
    assert.deepEqual(calls[0].args, ["drafts", msg.url, [1, 0, 3], "t"]);
    await ask({ ...msg, op: "postedAnyway", frameIds: [4] }, sender);
    assert.deepEqual(calls[1].target, { tabId: 7, frameIds: [4] }, "later steps go to the frames that answered");
    // A function of ours runs there, never code or a name from the message.
    const seen = [];
    globalThis.Rasoat.framePost = (...args) => { seen.push(args); return "ran"; };
    assert.equal(calls[0].func("edit", "u", [0], "x"), "ran");
    assert.deepEqual(seen, [["edit", "u", [0], "x"]]);
    for (const bad of [{ ...msg, op: "eval" }, { ...msg, path: ["body"] }, { ...msg, path: [-1] }, { ...msg, url: 5 },
      { ...msg, token: undefined }]) {
      assert.deepEqual(await ask(bad, sender), { ok: false, error: "bad-request" });
    }
    assert.deepEqual(await ask(msg, { url: "chrome-extension://test/popup/popup.html" }), { ok: false, error: "bad-request" });
    assert.equal(calls.length, 2, "nothing runs for a refused request");
    stub.scripting.executeScript = async () => { throw new Error("Frame with ID 4 was removed."); };
    assert.deepEqual(await ask(msg, sender), { ok: false, error: "offline" });
  } finally {
    delete stub.scripting;
    delete globalThis.Rasoat.framePost;
  }
});
