/** A tiny DOM stand-in for node tests: elements and text nodes with the fields text-map.js reads. */
"use strict";

class Text {
  constructor(data) {
    this.nodeType = 3;
    this.nodeName = "#text";
    this.data = data;
    this.parentNode = null;
    this.childNodes = [];
  }
  get textContent() { return this.data; }
}

class Element {
  constructor(tag, attrs) {
    this.nodeType = 1;
    this.nodeName = tag.toUpperCase();
    this.attrs = Object.assign({}, attrs || {});
    this.childNodes = [];
    this.parentNode = null;
  }
  getAttribute(name) { return Object.prototype.hasOwnProperty.call(this.attrs, name) ? this.attrs[name] : null; }
  get id() { return this.attrs.id || ""; }
  get parentElement() { return this.parentNode; }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(""); }
  get isContentEditable() {
    const v = this.attrs.contenteditable;
    if (v === "true" || v === "") return true;
    if (v === "false") return false;
    return !!this.parentNode && this.parentNode.isContentEditable === true;
  }
  /** Simple selectors only (tag, #id, .class, [a], [a='v'], [a^='v'], lists); combinators never match. */
  matches(selectorList) {
    return selectorList.split(",").some((sel) => matchesOne(this, sel.trim()));
  }
  closest(selectorList) {
    for (let el = this; el; el = el.parentNode) if (el.matches(selectorList)) return el;
    return null;
  }
  querySelectorAll(selectorList) {
    const out = [];
    const walk = (n) => {
      for (const c of n.childNodes) {
        if (c.nodeType !== 1) continue;
        if (c.matches(selectorList)) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }
  contains(node) {
    for (let n = node; n; n = n.parentNode) if (n === this) return true;
    return false;
  }
  getRootNode() {
    let n = this;
    while (n.parentNode) n = n.parentNode;
    return n;
  }
  /** The DOM's bits for one tree: PRECEDING 2, FOLLOWING 4, CONTAINS 8, CONTAINED_BY 16. */
  compareDocumentPosition(other) {
    if (other === this) return 0;
    if (other.contains(this)) return 8 | 2;
    if (this.contains(other)) return 16 | 4;
    const order = [];
    const walk = (n) => { order.push(n); for (const c of n.childNodes) walk(c); };
    walk(this.getRootNode());
    return order.indexOf(other) < order.indexOf(this) ? 2 : 4;
  }
  append(...kids) {
    for (const k of kids) {
      const node = typeof k === "string" ? new Text(k) : k;
      node.parentNode = this;
      this.childNodes.push(node);
    }
    return this;
  }
}

function matchesOne(el, sel) {
  if (/\s/.test(sel.replace(/\[[^\]]*\]/g, ""))) return false; // descendant selectors: not modelled
  const token = /([a-zA-Z][\w-]*|\*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:(\^?=)['"]?([^'"\]]*)['"]?)?\]/y;
  let pos = 0;
  while (pos < sel.length) {
    token.lastIndex = pos;
    const m = token.exec(sel);
    if (!m) return false;
    pos = token.lastIndex;
    if (m[1] && m[1] !== "*" && el.nodeName !== m[1].toUpperCase()) return false;
    if (m[2] && el.attrs.id !== m[2]) return false;
    if (m[3] && !(el.attrs.class || "").split(/\s+/).includes(m[3])) return false;
    if (m[4]) {
      const v = el.getAttribute(m[4]);
      if (v === null) return false;
      if (m[5] === "=" && v !== m[6]) return false;
      if (m[5] === "^=" && !v.startsWith(m[6])) return false;
    }
  }
  return true;
}

/** h("p", {class: "x"}, "text", h("br")) builds a tree; strings become text nodes. */
function h(tag, attrs, ...kids) {
  return new Element(tag, attrs).append(...kids);
}

/** All text nodes under `node`, in document order (to find the node an offset should land in). */
function textNodes(node, out = []) {
  if (node.nodeType === 3) out.push(node);
  for (const c of node.childNodes) textNodes(c, out);
  return out;
}

module.exports = { h, Text, Element, textNodes };
