/** text-map.js: plain text of each editor's DOM, and offsets mapped back to (node, offset). */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const R = require("../../extension/lib/text-map.js");
const { h, textNodes } = require("./dom-stub.js");

/** Text between two offsets, read back through the map the way a DOM Range would. */
function readBack(map, root, start, end) {
  const a = R.positionAt(map, start, "start");
  const b = R.positionAt(map, end, "end");
  const nodes = textNodes(root);
  let out = "", on = false;
  for (const n of nodes) {
    const from = n === a.node ? a.offset : 0;
    if (n === a.node) on = true;
    if (!on) continue;
    const to = n === b.node ? b.offset : n.data.length;
    out += n.data.slice(from, to);
    if (n === b.node) break;
  }
  return out;
}

test("Lexical paragraphs join with one newline; the empty-line <br> adds only its line", () => {
  const root = h("div", { "data-lexical-editor": "true" },
    h("p", {}, h("span", { "data-lexical-text": "true" }, "Gửi bản "), h("strong", {}, "MẬT")),
    h("p", {}, h("br")),
    h("p", {}, h("span", {}, "CCCD 040302009153")));
  const map = R.buildTextMap(root);
  assert.equal(map.text, "Gửi bản MẬT\n\nCCCD 040302009153");
  const i = map.text.indexOf("MẬT");
  assert.equal(readBack(map, root, i, i + 3), "MẬT");
  const j = map.text.indexOf("040302009153");
  assert.equal(readBack(map, root, j, j + 12), "040302009153");
});

test("Draft.js blocks (spans with data-text) and an empty block give the editor's own plain text", () => {
  const block = (...kids) => h("div", { "data-block": "true" }, h("div", { class: "public-DraftStyleDefault-block" }, ...kids));
  const root = h("div", { class: "public-DraftEditor-content" }, h("div", { "data-contents": "true" },
    block(h("span", { "data-offset-key": "a" }, h("span", { "data-text": "true" }, "Mật khẩu: "),
      h("span", { "data-text": "true" }, "Tuan@2024"))),
    block(h("span", { "data-offset-key": "b" }, h("br", { "data-text": "true" }))),
    block(h("span", {}, h("span", { "data-text": "true" }, "hết")))));
  const map = R.buildTextMap(root);
  assert.equal(map.text, "Mật khẩu: Tuan@2024\n\nhết");
  // A span that starts exactly where a text node starts lands in that node, not at the end of the previous one.
  const start = R.positionAt(map, 10, "start");
  assert.equal(start.node.data, "Tuan@2024");
  assert.equal(start.offset, 0);
  // …and one that ends where a node ends stays in that node.
  const end = R.positionAt(map, 10, "end");
  assert.equal(end.node.data, "Mật khẩu: ");
  assert.equal(end.offset, 10);
});

test("Quill lines are <p>s, trailing <br> placeholders add nothing, the ql-cursor placeholder is skipped", () => {
  const root = h("div", { class: "ql-editor" },
    h("p", {}, "Dòng một", h("span", { class: "ql-cursor" }, "\ufeff")),
    h("p", {}, h("br")),
    h("p", {}, "Dòng ba", h("br")));
  assert.equal(R.buildTextMap(root).text, "Dòng một\n\nDòng ba");
});

test("Zalo #richInput: text with <br> line breaks and a trailing <br>", () => {
  const root = h("div", { id: "richInput", contenteditable: "true" }, "xin chào", h("br"), "mọi người", h("br"));
  const map = R.buildTextMap(root);
  assert.equal(map.text, "xin chào\nmọi người");
  assert.equal(readBack(map, root, 9, 18), "mọi người");
});

test("a leading empty line is kept; no-break spaces read as spaces with the same length", () => {
  const root = h("div", {}, h("p", {}, h("br")), h("p", {}, "a\u00a0\u00a0b"));
  const map = R.buildTextMap(root);
  assert.equal(map.text, "\na  b");
  assert.equal(R.positionAt(map, 4, "start").offset, 3);
});

test("UTF-16 offsets after emoji map into the right node (astral chars are two units)", () => {
  const root = h("div", {}, h("p", {}, "Trời đẹp 🌤️ quá, "), h("p", {}, "CCCD 😀 040302009153"));
  const map = R.buildTextMap(root);
  const i = map.text.indexOf("040302009153");
  assert.equal(i, "Trời đẹp 🌤️ quá, \nCCCD 😀 ".length);
  assert.equal(readBack(map, root, i, i + 12), "040302009153");
});

test("a span across two paragraphs starts and ends in the right nodes (the newline has no node)", () => {
  const root = h("div", {}, h("p", {}, "abc"), h("p", {}, "def"));
  const map = R.buildTextMap(root);
  assert.equal(readBack(map, root, 1, 6), "bcde");
  // Starting on the synthetic newline moves to the next text node; ending after it, to the previous one.
  const s = R.positionAt(map, 3, "start");
  assert.deepEqual([s.node.data, s.offset], ["def", 0]);
  const e = R.positionAt(map, 4, "end");
  assert.deepEqual([e.node.data, e.offset], ["abc", 3]);
});

test("an empty editor has empty text and no positions", () => {
  const map = R.buildTextMap(h("div", {}, h("p", {}, h("br"))));
  assert.equal(map.text, "");
  assert.equal(R.positionAt(map, 0, "start"), null);
});

test("textarea and input read their value", () => {
  assert.equal(R.fieldText({ nodeName: "TEXTAREA", value: "a\nb" }), "a\nb");
  assert.equal(R.fieldText({ nodeName: "INPUT", value: "x" }), "x");
  assert.ok(R.isValueField({ nodeName: "TEXTAREA" }));
  assert.ok(!R.isValueField(h("div")));
});

test("script and style contents are not text", () => {
  const root = h("div", {}, "a", h("style", {}, "p{}"), h("script", {}, "x()"), "b");
  assert.equal(R.buildTextMap(root).text, "ab");
});
