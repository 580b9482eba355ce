/** Message kinds between content scripts, pages and the background, plus pure helpers on findings. */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});

  /** Every message kind the background answers (camelCase, one obvious name each). */
  const KINDS = Object.freeze({
    check: "check", // {kind, text, lang, minSeverity} → CheckReply
    rule: "rule", // {kind, code, lang} → {ok, rule} | {ok: false, error}
    getSettings: "getSettings", // {kind} → {ok, settings, strings, siteEnabled}
    setSiteEnabled: "setSiteEnabled", // {kind, host, enabled} → {ok}
    setRuleEnabled: "setRuleEnabled", // {kind, code, enabled} → {ok}
    counts: "counts", // {kind, counts, state, incomplete, over} → {ok} (content → background, per tab)
    status: "status", // {kind, tabId?, serviceUrl?, token?} → {ok, health, counts, serviceUrl} (URL/token: our pages only)
    resetSettings: "resetSettings", // {kind} → {ok} (our pages only): every setting back to its default
    showFindings: "showFindings", // {kind} background → content scripts: the keyboard shortcut was pressed
    // {kind, op: "drafts"|"edit"|"postedAnyway", url, path, token, frameIds?} → {ok, frames: [{frameId, result}]}
    // (content scripts only): a Post held in one frame asks the tab's other frames about the boxes it sends there
    framePost: "framePost",
  });

  /** The manifest's command (keyboard shortcut) that opens the findings of the box in use. */
  const SHOW_FINDINGS_COMMAND = "show-findings";

  /**
   * Name of the long-lived port content scripts send checks over: `{id, message}` in,
   * `{id, reply}` out, the same messages and replies as `runtime.sendMessage`.
   */
  const PORT_NAME = "rasoat-check";

  /**
   * Name of the port an open popup follows its tab over (our pages only): `{tabId}` in, then
   * `{counts}` out — the tab's counts as `status` gives them — each time they change, so the
   * popup follows the box in use (a too-long draft's length at each keystroke) while it is open.
   */
  const POPUP_PORT_NAME = "rasoat-popup";

  /** Severities from least to most serious, as the service names them. */
  const SEVERITIES = Object.freeze(["info", "warning", "error"]);

  /**
   * @typedef {"info"|"warning"|"error"} Severity
   * @typedef {{code: string, name: string, category: string, severity: Severity, message: string,
   *   offset: number, length: number, text: string, suggestions: string[], legal_basis: string[],
   *   frame: (string|null)}} Match  One finding; offset/length in UTF-16 code units.
   * @typedef {{kind: "check", text: string, lang: string, minSeverity: Severity}} CheckRequest
   * @typedef {{ok: true, matches: Match[], pack: object, incomplete: boolean}
   *   | {ok: false, error: ("offline"|"timeout"|"disabled"|"bad-request"|string),
   *      length?: number, limit?: number|null}} CheckReply  (length, limit: characters, with
   *   "too-long" and "http-413"; limit null when a 413 named none)
   * @typedef {{errors: number, warnings: number, infos: number}} Counts
   */

  /** Rank of a severity (0 info … 2 error); unknown names rank below info. */
  function severityRank(severity) {
    return SEVERITIES.indexOf(severity);
  }

  /** True when `severity` is at least `min` (both severity names). */
  function atLeast(severity, min) {
    return severityRank(severity) >= Math.max(0, severityRank(min));
  }

  /** Build the check message a content script sends; rejects what the service would reject. */
  function checkRequest(text, lang, minSeverity) {
    if (typeof text !== "string") throw new TypeError("text must be a string");
    if (lang !== "vi" && lang !== "en") throw new RangeError("lang must be vi or en");
    if (severityRank(minSeverity) < 0) throw new RangeError("unknown severity: " + minSeverity);
    return { kind: KINDS.check, text, lang, minSeverity };
  }

  /**
   * Keep only well-formed matches that fit inside `text`, with offsets as integers, sorted by
   * offset; used by the background on the service's JSON so content scripts can trust spans.
   */
  function normalizeMatches(matches, textLength) {
    if (!Array.isArray(matches)) return [];
    const out = [];
    for (const m of matches) {
      if (!m || typeof m !== "object") continue;
      const offset = m.offset, length = m.length;
      if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length <= 0) continue;
      if (offset + length > textLength || severityRank(m.severity) < 0) continue;
      out.push({
        code: String(m.code || ""),
        name: String(m.name || m.code || ""),
        category: String(m.category || ""),
        severity: m.severity,
        message: String(m.message || ""),
        offset,
        length,
        text: typeof m.text === "string" ? m.text : "",
        suggestions: Array.isArray(m.suggestions) ? m.suggestions.filter((s) => typeof s === "string") : [],
        legal_basis: Array.isArray(m.legal_basis) ? m.legal_basis.map(String) : [],
        frame: m.frame == null ? null : String(m.frame),
      });
    }
    // The service's order: by start, then end, then code.
    return out.sort((a, b) => a.offset - b.offset || a.length - b.length || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  /**
   * One item per span: findings with the same offset and length (two rules flagging the same
   * text) become the most serious of them (ties: the lower code), carrying the others in `also`
   * (most serious first) — one underline, one card section, one dialog line per span. Sorted by
   * offset, then length. Inputs are left alone; items already merged are merged again as a whole.
   */
  function mergeSameSpans(matches) {
    const bySpan = new Map();
    for (const m of matches) {
      const key = m.offset + ":" + m.length;
      const group = bySpan.get(key);
      const parts = [Object.assign({}, m, { also: undefined }), ...(m.also || [])];
      if (group) group.push(...parts);
      else bySpan.set(key, parts);
    }
    const out = [];
    for (const group of bySpan.values()) {
      group.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      const [first, ...rest] = group;
      const also = rest.filter((m, i) => m.code !== first.code && rest.findIndex((x) => x.code === m.code) === i)
        .map((m) => { const copy = Object.assign({}, m); delete copy.also; return copy; });
      const item = Object.assign({}, first, { also });
      // Suggestions from every rule on the span, the main rule's first.
      item.suggestions = Array.from(new Set([first, ...also].flatMap((m) => m.suggestions || [])));
      out.push(item);
    }
    return out.sort((a, b) => a.offset - b.offset || a.length - b.length);
  }

  /** Every rule code of a (merged) item: its own first, then those in `also`. */
  function codesOf(match) {
    return [match.code, ...(match.also || []).map((m) => m.code)];
  }

  /**
   * A merged item without rule `code` (turned off): the next most serious rule takes its place;
   * null when no rule is left.
   */
  function withoutRule(match, code) {
    const also = (match.also || []).filter((m) => m.code !== code);
    if (match.code !== code) return also.length === (match.also || []).length ? match : Object.assign({}, match, { also });
    if (!also.length) return null;
    return Object.assign({}, also[0], { offset: match.offset, length: match.length, also: also.slice(1) });
  }

  /** Count matches by severity for the badge and the popup. @returns {Counts} */
  function countBySeverity(matches) {
    const counts = { errors: 0, warnings: 0, infos: 0 };
    for (const m of matches) {
      if (m.severity === "error") counts.errors++;
      else if (m.severity === "warning") counts.warnings++;
      else counts.infos++;
    }
    return counts;
  }

  /** Matches at or above `min` — what the last check before Post acts on. */
  function blocking(matches, min) {
    return matches.filter((m) => atLeast(m.severity, min));
  }

  /** Map a failed fetch to the error names of CheckReply (AbortError → timeout, else offline). */
  function fetchErrorName(err) {
    return err && err.name === "AbortError" ? "timeout" : "offline";
  }

  /**
   * How many characters `text` has, as the service counts them: code points (a surrogate pair is
   * one). The background counts a draft before sending it; a field counts a draft still too long
   * as it is edited, so the badge says its new length at once.
   */
  function characters(text) {
    let pairs = 0;
    for (let i = 0; i < text.length - 1; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          pairs++;
          i++;
        }
      }
    }
    return text.length - pairs;
  }

  /**
   * What to say of a draft too long to check: "Bản nháp quá dài: 100.001/100.000 ký tự — … 1 ký
   * tự …" when the limit is known (`over`: {length, limit} in characters, from the check's
   * reply), else the plain "too long" tooltip. `t` is the page's string lookup; numbers are
   * grouped as `lang` writes them. Called by the badge, its card and the popup.
   */
  function tooLongTitle(t, lang, over) {
    const known = over && Number.isInteger(over.length) && Number.isInteger(over.limit) && over.length > over.limit;
    if (!known) return t("badgeTitle_tooLong");
    const fmt = (n) => n.toLocaleString(lang === "en" ? "en-US" : "vi-VN");
    return t("badgeTitle_tooLongBy", fmt(over.length), fmt(over.limit), fmt(over.length - over.limit));
  }

  Object.assign(R, { KINDS, PORT_NAME, POPUP_PORT_NAME, SHOW_FINDINGS_COMMAND, SEVERITIES, severityRank, atLeast, checkRequest, normalizeMatches,
    countBySeverity, blocking, fetchErrorName, mergeSameSpans, codesOf, withoutRule, characters, tooLongTitle });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
