/** The package itself: manifest for both browsers, files it names, locales complete and valid. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const EXT = path.resolve(__dirname, "../../extension");
const manifest = JSON.parse(fs.readFileSync(path.join(EXT, "manifest.json"), "utf8"));
const locale = (lang) => JSON.parse(fs.readFileSync(path.join(EXT, "_locales", lang, "messages.json"), "utf8"));
const exists = (rel) => fs.existsSync(path.join(EXT, rel));

/** Every .js/.html file under the extension, as [relative path, text]. */
function sources() {
  const out = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|html)$/.test(e.name)) out.push([path.relative(EXT, p), fs.readFileSync(p, "utf8")]);
    }
  })(EXT);
  return out;
}

test("one MV3 manifest for Chrome (service worker) and Firefox (scripts, gecko id, data collection)", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.default_locale, "vi");
  const bg = manifest.background;
  assert.equal(bg.scripts[bg.scripts.length - 1], bg.service_worker, "Firefox runs the same background file last");
  const gecko = manifest.browser_specific_settings.gecko;
  assert.match(gecko.id, /@/);
  assert.ok(parseFloat(gecko.strict_min_version) >= 128, "older Firefox rejects data_collection_permissions");
  assert.ok(gecko.data_collection_permissions.required.includes("websiteContent"));
  assert.ok(manifest.host_permissions.includes("http://127.0.0.1:8765/*"));
  assert.ok(manifest.host_permissions.includes("http://localhost:8765/*"));
  assert.ok(parseInt(manifest.minimum_chrome_version, 10) >= 121);
});

test("every file the manifest names exists", () => {
  const files = [manifest.background.service_worker, ...manifest.background.scripts, manifest.action.default_popup,
    manifest.options_ui.page, manifest.storage.managed_schema, ...Object.values(manifest.icons),
    ...manifest.content_scripts.flatMap((c) => [...c.js, ...(c.css || [])])];
  for (const f of files) assert.ok(exists(f), f);
});

test("sites added at run time get exactly the manifest's content scripts, in the same order", () => {
  const bg = fs.readFileSync(path.join(EXT, "background.js"), "utf8");
  const list = (name) => JSON.parse(bg.match(new RegExp(`const ${name} = (\\[[^\\]]*\\])`))[1].replace(/\s+/g, " "));
  assert.deepEqual(list("CONTENT_JS"), manifest.content_scripts[0].js);
  assert.deepEqual(list("CONTENT_CSS"), manifest.content_scripts[0].css);
});

test("content scripts match every built-in platform and host permissions cover them", () => {
  const R = require("../../extension/lib/settings.js");
  const matches = manifest.content_scripts[0].matches;
  for (const key of Object.keys(R.PLATFORMS)) {
    assert.ok(matches.includes(`https://*.${key}/*`), key);
    assert.ok(manifest.host_permissions.includes(`https://*.${key}/*`), key);
  }
});

test("vi and en have the same keys, valid for chrome.i18n, each with a message and a description", () => {
  const vi = locale("vi"), en = locale("en");
  assert.deepEqual(Object.keys(vi).sort(), Object.keys(en).sort());
  for (const [key, value] of Object.entries(vi)) {
    assert.match(key, /^[A-Za-z0-9_@]+$/, "chrome.i18n rejects the whole extension over a bad key: " + key);
    for (const l of [vi, en]) {
      assert.ok(typeof l[key].message === "string" && l[key].message.length, key);
      assert.ok(typeof l[key].description === "string" && l[key].description.length, key);
    }
  }
});

test("every string the code and pages ask for exists, including the manifest's __MSG_ keys", () => {
  const keys = new Set(Object.keys(locale("vi")));
  const wanted = new Set();
  for (const v of JSON.stringify(manifest).matchAll(/__MSG_(\w+)__/g)) wanted.add(v[1]);
  for (const [file, text] of sources()) {
    for (const v of text.matchAll(/\bt\("([A-Za-z0-9_]+)"\s*[,)]/g)) wanted.add(v[1]);
    for (const v of text.matchAll(/data-i18n(?:-placeholder)?="([A-Za-z0-9_]+)"/g)) wanted.add(v[1]);
    assert.ok(!/console\.(log|info|debug)\(/.test(text), `${file} logs to the console (drafts must never be logged)`);
  }
  for (const k of wanted) assert.ok(keys.has(k), "missing string " + k);
  for (const sev of ["info", "warning", "error"]) assert.ok(keys.has("severity_" + sev));
  for (const state of ["idle", "checking", "ok", "issues", "offline"]) assert.ok(keys.has("badgeTitle_" + state));
});

test("every string in the locales is asked for somewhere (a dropped feature leaves none behind)", () => {
  const all = JSON.stringify(manifest) + sources().map(([, text]) => text).join("\n");
  // Keys built at run time from a prefix ("category_" + category, "badgeTitle_" + state).
  const prefixes = [...all.matchAll(/"([A-Za-z0-9]+_)"\s*\+/g)].map((m) => m[1]);
  assert.ok(prefixes.includes("category_") && prefixes.includes("badgeTitle_"), prefixes.join());
  for (const key of Object.keys(locale("vi"))) {
    const used = all.includes(`"${key}"`) || all.includes(`__MSG_${key}__`) ||
      prefixes.some((p) => key.startsWith(p));
    assert.ok(used, "unused string " + key);
  }
});

test("the Vietnamese strings place tone marks one way throughout, as the rule packs do (xóa, hóa)", () => {
  // "Xoá" on a button beside "sẽ bị xóa" in its confirmation reads as a slip; the packs' messages
  // (and so the card and the dialog) write "xóa", "mã hóa", "khóa".
  const vi = Object.values(locale("vi")).map((v) => v.message).join("\n");
  const newStyle = vi.match(/(?:o[áàảãạ]|o[éèẻẽẹ]|u[ýỳỷỹỵ])(?![\p{L}])/giu) || [];
  assert.deepEqual(newStyle, []);
});
