/**
 * Plain text of a compose box with an offset map back to DOM positions.
 * Works on any tree with nodeType/nodeName/childNodes/data, so Node tests can use a tiny stand-in.
 */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});

  const TEXT_NODE = 3, ELEMENT_NODE = 1;
  /** Elements that start a new line, the way Lexical, Draft, Quill and browsers lay them out. */
  const BLOCK_TAGS = new Set(["P", "DIV", "LI", "UL", "OL", "H1", "H2", "H3", "H4", "H5", "H6",
    "BLOCKQUOTE", "PRE", "TR", "TABLE", "SECTION", "ARTICLE", "HEADER", "FOOTER", "FIGURE", "HR"]);
  /** Elements whose content is never typed text. */
  const SKIP_TAGS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "TEXTAREA", "INPUT", "SELECT"]);

  /**
   * @typedef {{node: object, start: number, end: number}} Segment  one DOM text node's slice of the
   *   plain text (end exclusive, UTF-16).
   * @typedef {{text: string, segments: Segment[]}} TextMap
   */

  /** True for form fields whose text lives in `.value` (the textarea/input path). */
  function isValueField(el) {
    const tag = el && el.nodeName;
    return tag === "TEXTAREA" || tag === "INPUT";
  }

  /** Whether an element's subtree holds no user text (scripts, Quill's caret placeholder …). */
  function skipElement(el) {
    if (SKIP_TAGS.has(el.nodeName)) return true;
    const cls = el.getAttribute ? el.getAttribute("class") : null;
    return !!cls && /(^|\s)ql-cursor(\s|$)/.test(cls);
  }

  /**
   * Walk `rootNode` and build its plain text: text nodes as they are (no-break spaces read as
   * spaces, same length), a "\n" between blocks and for each `<br>` that is followed by more text —
   * a trailing `<br>` (Lexical/Draft/Quill's empty-line placeholder, Firefox's caret `<br>`) adds
   * nothing, as in the editors' own plain text. Called on every edit, so it is one linear pass.
   * @returns {TextMap}
   */
  function buildTextMap(rootNode) {
    let text = "";
    let pending = 0; // line breaks owed before the next text
    const segments = [];
    /** Emit the line breaks owed before the next text. */
    function flush() {
      if (pending > 0) {
        text += "\n".repeat(pending);
        pending = 0;
      }
    }
    /** A block starts or ends: at least one line break before any later text. */
    function blockEdge() {
      if (text.length > 0 || pending > 0) pending = Math.max(pending, 1);
    }
    /** Depth-first, in document order. */
    function walk(node) {
      if (node.nodeType === TEXT_NODE) {
        const data = node.data || "";
        if (!data.length) return;
        flush();
        segments.push({ node, start: text.length, end: text.length + data.length });
        text += data.indexOf("\u00a0") >= 0 ? data.replace(/\u00a0/g, " ") : data;
        return;
      }
      if (node.nodeType !== ELEMENT_NODE || skipElement(node)) return;
      if (node.nodeName === "BR") {
        pending += 1;
        return;
      }
      const block = node !== rootNode && BLOCK_TAGS.has(node.nodeName);
      if (block) blockEdge();
      const kids = node.childNodes;
      for (let i = 0; i < kids.length; i++) walk(kids[i]);
      if (block) blockEdge();
    }
    walk(rootNode);
    return { text, segments };
  }

  /** Index of the last segment whose start is ≤ offset (binary search), or -1. */
  function lastStartingAtOrBefore(segments, offset) {
    let lo = 0, hi = segments.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segments[mid].start <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * DOM position of a UTF-16 offset. `edge` "start" prefers the text node that begins there (so a
   * range does not start at the end of the previous node), "end" the node that ends there. Offsets
   * on a synthetic line break move to the nearest text in that direction. Null when no text.
   * @returns {{node: object, offset: number} | null}
   */
  function positionAt(map, offset, edge) {
    const segs = map.segments;
    if (!segs.length) return null;
    let i = lastStartingAtOrBefore(segs, offset);
    if (edge === "start") {
      if (i >= 0 && offset < segs[i].end) return { node: segs[i].node, offset: offset - segs[i].start };
      // On a break or past the end of a node: the next node's first character.
      if (i + 1 < segs.length) return { node: segs[i + 1].node, offset: 0 };
      const last = segs[segs.length - 1];
      return { node: last.node, offset: last.end - last.start };
    }
    // edge === "end": the node that contains offset as an inner or final position.
    while (i >= 0 && segs[i].start === offset && i > 0) i--;
    if (i < 0) return { node: segs[0].node, offset: 0 };
    const seg = segs[i];
    return { node: seg.node, offset: Math.min(offset, seg.end) - seg.start };
  }

  /** A live DOM Range for [offset, offset+length) in the map, or null when it cannot be placed. */
  function rangeFor(map, offset, length, doc) {
    const a = positionAt(map, offset, "start");
    const b = positionAt(map, offset + length, "end");
    if (!a || !b) return null;
    const range = doc.createRange();
    try {
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
    } catch (_e) {
      return null; // the DOM changed under us; the next redraw rebuilds from offsets
    }
    return range.collapsed && length > 0 ? null : range;
  }

  /** Plain text of any supported field: `.value` for textarea/input, else the map's text. */
  function fieldText(field) {
    return isValueField(field) ? String(field.value || "") : buildTextMap(field).text;
  }

  Object.assign(R, { buildTextMap, positionAt, rangeFor, fieldText, isValueField, BLOCK_TAGS });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
