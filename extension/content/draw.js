/**
 * Underlines: CSS Custom Highlights (one per severity, no DOM change) for contenteditable editors;
 * an overlay of boxes in our shadow root for textareas (via a mirror div) or when the API is missing.
 * Either way one `[data-testid=rasoat-mark]` per match carries its offsets for tests and hit-testing.
 */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});
  const NAMES = { error: "rasoat-error", warning: "rasoat-warning", info: "rasoat-info" };
  let highlights = null; // severity → Highlight, once registered

  /** Whether the CSS Custom Highlight API works here (probe like Harper: support + set/has/delete). */
  function highlightApi() {
    try {
      if (typeof Highlight !== "function" || !root.CSS || !CSS.highlights) return false;
      if (!CSS.supports("selector(::highlight(rasoat-probe))")) return false;
      const probe = new Highlight();
      CSS.highlights.set("rasoat-probe", probe);
      const ok = CSS.highlights.has("rasoat-probe");
      CSS.highlights.delete("rasoat-probe");
      return ok;
    } catch (_e) {
      return false;
    }
  }
  const HIGHLIGHTS = highlightApi();

  /**
   * Windows high contrast (forced colours). Chromium then paints a custom highlight in the
   * selection's system colours whatever its style says (only `forced-color-adjust: none` on the
   * editor itself, the page's element, would stop it): flagged text looked selected. Underlines
   * are drawn in the overlay instead, in a system colour (ui.js), until forced colours end.
   */
  const FORCED = root.matchMedia ? root.matchMedia("(forced-colors: active)") : null;
  if (FORCED && FORCED.addEventListener) {
    FORCED.addEventListener("change", () => { if (R.activeController) R.activeController.relayout(); });
  }

  /** The three registered highlights, created once. */
  function severityHighlights() {
    if (!highlights) {
      highlights = {};
      for (const sev of Object.keys(NAMES)) {
        highlights[sev] = new Highlight();
        CSS.highlights.set(NAMES[sev], highlights[sev]);
      }
    }
    return highlights;
  }

  /** Style properties copied from a textarea to its mirror so the text wraps identically. */
  const MIRROR_PROPS = ["direction", "boxSizing", "width", "height", "overflowX", "overflowY",
    "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderStyle",
    "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "fontStyle", "fontVariant", "fontWeight",
    "fontStretch", "fontSize", "fontSizeAdjust", "lineHeight", "fontFamily", "textAlign", "textTransform",
    "textIndent", "letterSpacing", "wordSpacing", "tabSize", "MozTabSize"];

  /**
   * One painter per field. `paint(matches)` (re)draws all matches from their offsets — called after
   * every check and every edit, since editors replace text nodes; `relayout()` follows scroll/resize.
   */
  function createPainter(field) {
    const valueField = R.isValueField(field);
    let useHighlights = HIGHLIGHTS && !valueField && !(FORCED && FORCED.matches);
    let drawn = []; // [{match, rects: DOMRect[], range, text}]
    let mirror = null;
    let current = [];
    let placedAt = ""; // where the field's box was when the underlines were placed (see moved)

    /** The field's box in the viewport, as a string to compare. */
    function boxKey() {
      const r = field.getBoundingClientRect();
      return r.left + "," + r.top + "," + r.width + "," + r.height;
    }

    /** A hidden copy of a textarea/input laid exactly over it, holding its value as one text node. */
    function syncMirror() {
      if (!mirror) {
        mirror = document.createElement("div");
        mirror.className = "mirror";
        R.layer("mirrors").appendChild(mirror);
      }
      const cs = getComputedStyle(field);
      for (const p of MIRROR_PROPS) mirror.style[p] = cs[p];
      mirror.style.whiteSpace = field.nodeName === "INPUT" ? "pre" : "pre-wrap";
      const box = field.getBoundingClientRect();
      mirror.style.left = box.left + "px";
      mirror.style.top = box.top + "px";
      mirror.style.width = box.width + "px";
      mirror.style.height = box.height + "px";
      mirror.textContent = field.value + "\u200b"; // keeps a trailing newline's line box
      mirror.scrollTop = field.scrollTop;
      mirror.scrollLeft = field.scrollLeft;
      return mirror.firstChild;
    }

    /** Ranges for the current matches: over the editor's own text nodes, or over the mirror. */
    function ranges(matches) {
      const out = [];
      if (valueField) {
        const node = syncMirror();
        for (const m of matches) {
          if (m.offset + m.length > field.value.length) continue;
          const r = document.createRange();
          r.setStart(node, m.offset);
          r.setEnd(node, m.offset + m.length);
          out.push({ match: m, range: r });
        }
        return out;
      }
      const map = R.buildTextMap(field);
      for (const m of matches) {
        const r = R.rangeFor(map, m.offset, m.length, document);
        if (r) out.push({ match: m, range: r });
      }
      return out;
    }

    /** Rects of a range that are visible inside the field's box (scrolled-away text is not drawn). */
    function visibleRects(range) {
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 || r.height > 0);
      if (useHighlights) return rects; // the browser clips highlights itself
      // Clip to the field's padding box: text scrolled out of view must not be drawn over the page.
      const box = field.getBoundingClientRect();
      const left = box.left + field.clientLeft, top = box.top + field.clientTop;
      const right = left + field.clientWidth, bottom = top + field.clientHeight;
      const out = [];
      for (const r of rects) {
        const l = Math.max(r.left, left), t = Math.max(r.top, top), rr = Math.min(r.right, right), b = Math.min(r.bottom, bottom);
        if (rr > l && b > t) out.push({ left: l, top: t, right: rr, bottom: b, width: rr - l, height: b - t });
      }
      return out;
    }

    /**
     * Whether what is drawn still shows `matches`: the very same findings (an edit after them
     * leaves them as they were: lib/spans.js shiftSpans), each range still over the text it was
     * drawn on (an editor that replaced the text node collapses it). Text before an edit keeps
     * its place, so such an edit needs nothing drawn anew — no mapping of a long draft, no layout.
     */
    function stillDrawn(matches) {
      if (matches.length !== current.length || drawn.length !== current.length) return false;
      for (let i = 0; i < matches.length; i++) if (matches[i] !== current[i]) return false;
      return drawn.every((d) => d.range.toString() === d.text);
    }

    /**
     * Draw `matches` (UTF-16 offsets into the field's current plain text). Nothing is redone
     * when they are drawn already (see stillDrawn), unless `force`: a scroll or resize moved the
     * text, forced colours came or went, or the shared layers were another field's meanwhile.
     */
    function paint(matches, force = false) {
      const mode = HIGHLIGHTS && !valueField && !(FORCED && FORCED.matches);
      if (!force && mode === useHighlights && stillDrawn(matches)) return;
      current = matches;
      placedAt = boxKey();
      const items = ranges(matches);
      const before = useHighlights;
      useHighlights = mode;
      if (useHighlights || before) {
        const hl = severityHighlights();
        for (const sev of Object.keys(hl)) hl[sev].clear(); // (forced colours came: none left behind)
        if (useHighlights) for (const it of items) (hl[it.match.severity] || hl.info).add(it.range);
      }
      const layerEl = R.layer("marks");
      layerEl.classList.toggle("overlay", !useHighlights);
      layerEl.replaceChildren();
      drawn = [];
      for (const it of items) {
        const rects = visibleRects(it.range);
        const text = it.range.toString();
        drawn.push({ match: it.match, rects, range: it.range, text });
        const m = it.match;
        const mark = R.el("div", { "data-testid": "rasoat-mark", "data-code": m.code, "data-codes": R.codesOf(m).join(" "),
          "data-severity": m.severity,
          "data-start": m.offset, "data-end": m.offset + m.length, "data-text": text });
        const box = it.range.getBoundingClientRect();
        Object.assign(mark.style, { left: box.left + "px", top: box.top + "px", width: box.width + "px", height: box.height + "px" });
        if (!useHighlights) {
          for (const r of rects) {
            const seg = R.el("div", { class: "seg" });
            Object.assign(seg.style, { left: r.left - box.left + "px", top: r.top - box.top + "px", width: r.width + "px", height: r.height + "px" });
            mark.appendChild(seg);
          }
        }
        layerEl.appendChild(mark);
      }
    }

    /** The match under a viewport point (a click in the editor), or null. */
    function hitTest(x, y) {
      for (const d of drawn) {
        for (const r of d.rects) if (x >= r.left && x <= r.right && y >= r.top - 2 && y <= r.bottom + 2) return d.match;
      }
      return null;
    }

    /** Viewport rect of a drawn match (to place the card), or null. */
    function rectOf(match) {
      const d = drawn.find((x) => x.match === match);
      return d && d.rects.length ? d.rects[0] : null;
    }

    /**
     * Whether the field has moved or changed size since the underlines were placed: the page
     * put something above it (a quote, a reply form opening), with no scroll or resize of the
     * window. The overlay's boxes and the marks (hit-testing) are placed in the viewport and
     * stay where they were — over whatever now lies there — until drawn again.
     */
    function moved() {
      return boxKey() !== placedAt;
    }

    /** Remove everything this painter drew. */
    function clear() {
      current = [];
      drawn = [];
      placedAt = "";
      if (useHighlights && highlights) for (const sev of Object.keys(highlights)) highlights[sev].clear();
      R.layer("marks").replaceChildren();
      if (mirror) {
        mirror.remove();
        mirror = null;
      }
    }

    return { paint, relayout: () => paint(current, true), moved, hitTest, rectOf, clear,
      get usesHighlights() { return useHighlights; } };
  }

  Object.assign(R, { createPainter, HIGHLIGHTS });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
