/** protocol.js: message building, the service's matches made safe, counts and the last-check filter. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const R = require("../../extension/lib/protocol.js");

const match = (over) => Object.assign({ code: "SEC001", name: "secret-document", category: "state-secret",
  severity: "error", message: "m", start: 0, end: 3, offset: 0, length: 3, line: 1, column: 1, text: "MẬT",
  suggestions: [], legal_basis: ["Luật A"], frame: null }, over);

test("checkRequest builds the check message and rejects what the service would reject", () => {
  assert.deepEqual(R.checkRequest("xin chào", "vi", "info"), { kind: "check", text: "xin chào", lang: "vi", minSeverity: "info" });
  assert.throws(() => R.checkRequest(42, "vi", "info"), TypeError);
  assert.throws(() => R.checkRequest("x", "fr", "info"), RangeError);
  assert.throws(() => R.checkRequest("x", "vi", "fatal"), RangeError);
});

test("every message kind is a camelCase string named after itself", () => {
  for (const [key, value] of Object.entries(R.KINDS)) {
    assert.equal(key, value);
    assert.match(value, /^[a-z][A-Za-z]+$/);
  }
});

test("normalizeMatches keeps well-formed matches inside the text, in the service's order", () => {
  const text = "MẬT và CCCD 040302009153";
  const good = [match({ offset: 12, length: 12, code: "PDP002", text: "040302009153" }), match({}),
    match({ offset: 12, length: 4, code: "AAA" })];
  const bad = [null, "x", match({ offset: -1 }), match({ length: 0 }), match({ offset: 20, length: 10 }),
    match({ offset: 1.5 }), match({ severity: "fatal" })];
  const out = R.normalizeMatches([...good, ...bad], text.length);
  assert.deepEqual(out.map((m) => [m.code, m.offset, m.length]), [["SEC001", 0, 3], ["AAA", 12, 4], ["PDP002", 12, 12]]);
  assert.deepEqual(Object.keys(out[0]).sort(), ["category", "code", "frame", "legal_basis", "length", "message", "name",
    "offset", "severity", "suggestions", "text"]);
  assert.deepEqual(R.normalizeMatches("nope", 10), []);
});

test("normalizeMatches drops suggestions that are not strings", () => {
  const [m] = R.normalizeMatches([match({ suggestions: ["04******53", 7, null] })], 3);
  assert.deepEqual(m.suggestions, ["04******53"]);
});

test("counts by severity and the findings that trigger the last check", () => {
  const ms = [match({ severity: "error" }), match({ severity: "warning" }), match({ severity: "info" }),
    match({ severity: "error" })];
  assert.deepEqual(R.countBySeverity(ms), { errors: 2, warnings: 1, infos: 1 });
  assert.equal(R.blocking(ms, "error").length, 2);
  assert.equal(R.blocking(ms, "warning").length, 3);
  assert.equal(R.blocking(ms, "info").length, 4);
  assert.ok(R.atLeast("error", "warning") && !R.atLeast("info", "warning"));
});

test("a failed fetch is 'timeout' when aborted, else 'offline'", () => {
  assert.equal(R.fetchErrorName(Object.assign(new Error("x"), { name: "AbortError" })), "timeout");
  assert.equal(R.fetchErrorName(new TypeError("fetch failed")), "offline");
  assert.equal(R.fetchErrorName(undefined), "offline");
});

test("mergeSameSpans: two rules on the same text become one item, the most serious first", () => {
  const sec = match({ code: "SEC006", offset: 30, length: 3, suggestions: ["[đã xoá]"] });
  const int = match({ code: "INT099", severity: "warning", category: "internal-work", offset: 30, length: 3, suggestions: ["tài liệu"] });
  const other = match({ code: "SEC001", offset: 21, length: 12, text: "công văn MẬT" }); // overlapping, not the same span
  const merged = R.mergeSameSpans([int, other, sec]);
  assert.deepEqual(merged.map((m) => [m.code, m.offset, m.length]), [["SEC001", 21, 12], ["SEC006", 30, 3]]);
  assert.deepEqual(R.codesOf(merged[1]), ["SEC006", "INT099"]);
  assert.equal(merged[1].severity, "error");
  assert.equal(merged[1].also[0].message, int.message);
  assert.deepEqual(merged[1].suggestions, ["[đã xoá]", "tài liệu"]);
  assert.deepEqual(merged[0].also, []);
  assert.deepEqual(R.countBySeverity(merged), { errors: 2, warnings: 0, infos: 0 }); // one count per span
  assert.equal(int.also, undefined, "inputs are left alone");
  // Same severity: the lower code leads; merging again changes nothing; one rule twice is one rule.
  const a = match({ code: "B2" }), b = match({ code: "A1" });
  const once = R.mergeSameSpans([a, b, match({ code: "B2" })]);
  assert.deepEqual(once.map(R.codesOf), [["A1", "B2"]]);
  assert.deepEqual(R.mergeSameSpans(once), once);
});

test("withoutRule: turning off the leading rule hands the span to the next one", () => {
  const [item] = R.mergeSameSpans([match({ code: "SEC006", offset: 5 }), match({ code: "INT099", severity: "warning", offset: 5 })]);
  const rest = R.withoutRule(item, "SEC006");
  assert.deepEqual([rest.code, rest.severity, rest.offset, rest.also], ["INT099", "warning", 5, []]);
  assert.deepEqual(R.codesOf(R.withoutRule(item, "INT099")), ["SEC006"]);
  assert.equal(R.withoutRule(item, "OTHER"), item);
  assert.equal(R.withoutRule(rest, "INT099"), null);
});

test("tooLongTitle says the length and the limit, grouped as the UI language writes numbers", () => {
  const strings = { badgeTitle_tooLong: "too long", badgeTitle_tooLongBy: "$1/$2 (+$3)" };
  const t = (key, ...subs) => subs.reduce((s, sub, i) => s.split("$" + (i + 1)).join(String(sub)), strings[key]);
  assert.equal(R.tooLongTitle(t, "vi", { length: 100001, limit: 100000 }), "100.001/100.000 (+1)");
  assert.equal(R.tooLongTitle(t, "en", { length: 123456, limit: 100000 }), "123,456/100,000 (+23,456)");
  // No number to give (a 413 for the body's bytes, an older service): the plain tooltip.
  assert.equal(R.tooLongTitle(t, "vi", { length: 600, limit: null }), "too long");
  assert.equal(R.tooLongTitle(t, "vi", null), "too long");
});

test("characters counts code points as the service does: a surrogate pair is one, half an emoji one", () => {
  assert.equal(R.characters(""), 0);
  assert.equal(R.characters("Xin chào"), 8);
  assert.equal(R.characters("😀😀a"), 3);
  assert.equal(R.characters("\ud83d"), 1);
  assert.equal(R.characters("a\ude00\ud83d"), 3);
});
