/** spans.js: the edit between two texts, carrying findings through it, debounce, the LRU cache. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const R = require("../../extension/lib/spans.js");

const m = (offset, length, code = "X") => ({ code, offset, length });

test("diffEdit finds insertions, deletions and replacements", () => {
  assert.deepEqual(R.diffEdit("abcdef", "abXYcdef"), { start: 2, oldEnd: 2, newEnd: 4 });
  assert.deepEqual(R.diffEdit("abcdef", "abef"), { start: 2, oldEnd: 4, newEnd: 2 });
  assert.deepEqual(R.diffEdit("abcdef", "abZdef"), { start: 2, oldEnd: 3, newEnd: 3 });
  assert.deepEqual(R.diffEdit("same", "same"), { start: 4, oldEnd: 4, newEnd: 4 });
});

test("diffEdit never splits a surrogate pair", () => {
  // 😀 (D83D DE00) → 😁 (D83D DE01): the shared high surrogate belongs to the edit.
  const e = R.diffEdit("a😀b", "a😁b");
  assert.deepEqual(e, { start: 1, oldEnd: 3, newEnd: 3 });
  // 🌤 (D83C DF24) → 🍤 (D83C DF64)… and a low-surrogate-only suffix is widened too.
  const e2 = R.diffEdit("x\ud83c\udf24", "x\ud83d\udf24");
  assert.deepEqual(e2, { start: 1, oldEnd: 3, newEnd: 3 });
});

test("findings before an edit stay, after it shift, touching it disappear", () => {
  const text = "MẬT ở đây, CCCD 040302009153.";
  const before = m(0, 3, "SEC"); // "MẬT"
  const touching = m(4, 2, "T"); // "ở " — the edit is inside it
  const after = m(16, 12, "PDP"); // the number
  const next = "MẬT ở rất đây, CCCD 040302009153.";
  const edit = R.diffEdit(text, next);
  const out = R.shiftSpans([before, touching, after], edit);
  assert.deepEqual(out.map((x) => x.code), ["SEC", "PDP"]);
  assert.equal(next.slice(out[1].offset, out[1].offset + out[1].length), "040302009153");
  assert.equal(out[0], before, "untouched findings are kept as they are");
});

test("typing against a flagged word drops it (the word changed); typing a space away shifts it", () => {
  const word = m(4, 3);
  assert.deepEqual(R.shiftSpans([word], R.diffEdit("abc MẬT x", "abc MẬTs x")), []);
  assert.deepEqual(R.shiftSpans([word], R.diffEdit("abc MẬT x", "abc xMẬT x")), [], "insertion at its start touches it");
  assert.deepEqual(R.shiftSpans([word], R.diffEdit("abc MẬT x", "abcd MẬT x")), [m(5, 3)]);
  assert.deepEqual(R.shiftSpans([word], R.diffEdit("abc MẬT x", "abc MẬT xy")), [word]);
  assert.deepEqual(R.shiftSpans([word], R.diffEdit("abc MẬT x", "ab MẬT x")), [m(3, 3)]);
});

test("shiftSpans leaves its input alone", () => {
  const input = [m(10, 2)];
  R.shiftSpans(input, { start: 0, oldEnd: 0, newEnd: 5 });
  assert.deepEqual(input, [m(10, 2)]);
});

/** Fake timers: tests advance time by hand. */
function fakeTimers() {
  let now = 0, id = 0;
  const pending = new Map();
  return {
    setTimeout(fn, ms) { pending.set(++id, { fn, at: now + ms }); return id; },
    clearTimeout(h) { pending.delete(h); },
    advance(ms) {
      now += ms;
      for (const [h, t] of [...pending]) if (t.at <= now) { pending.delete(h); t.fn(); }
    },
  };
}

test("debounce runs once, with the last arguments, after a quiet period", () => {
  const timers = fakeTimers();
  const calls = [];
  const d = R.debounce((x) => calls.push(x), 400, timers);
  d(1); timers.advance(300); d(2); timers.advance(300); d(3);
  assert.deepEqual(calls, []);
  assert.ok(d.pending());
  timers.advance(400);
  assert.deepEqual(calls, [3]);
  assert.ok(!d.pending());
});

test("debounce cancel drops the call, flush runs it now, wait can change", () => {
  const timers = fakeTimers();
  const calls = [];
  const d = R.debounce((x) => calls.push(x), 400, timers);
  d("a"); d.cancel(); timers.advance(1000);
  assert.deepEqual(calls, []);
  d("b"); d.flush();
  assert.deepEqual(calls, ["b"]);
  assert.equal(d.flush(), undefined, "nothing pending");
  d.wait = 50; d("c"); timers.advance(60);
  assert.deepEqual(calls, ["b", "c"]);
});

test("lruCache keeps the most recently used entries", () => {
  const c = R.lruCache(2);
  c.set("a", 1); c.set("b", 2); c.get("a"); c.set("c", 3);
  assert.equal(c.get("b"), undefined);
  assert.equal(c.get("a"), 1);
  assert.equal(c.get("c"), 3);
  assert.equal(c.size, 2);
});
