/** The explanation card: message, why, what to do instead, legal basis, suggestions and actions. */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});
  const ruleDocs = new Map(); // code → rule (docs are the same for everyone; no draft text in here)

  /** A finding's category in the UI language, with the rule code ("Bí mật nhà nước · SEC001"). */
  function categoryLabel(m) {
    const key = "category_" + String(m.category).replace(/-/g, "_"); // i18n keys allow no "-"
    const label = R.t(key);
    return (label === key ? m.name || m.category : label) + " · " + m.code;
  }

  /**
   * The context that lowered a finding, in the UI language ("lời khuyên"): a pack's frame id
   * ("advice") is an English identifier. A frame without a label (another pack's) keeps its id.
   */
  function frameLabel(frame) {
    const key = "frame_" + String(frame).replace(/-/g, "_"); // i18n keys allow no "-"
    const label = R.t(key);
    return label === key ? frame : label;
  }

  /** Read one doc field from a rule as the service returns it (`doc.why` or `doc.why.vi` or `doc.vi.why`). */
  function docText(rule, field, lang) {
    const doc = rule && rule.doc;
    if (!doc) return "";
    const v = doc[field];
    if (typeof v === "string") return v;
    if (v && typeof v === "object") return v[lang] || v.vi || v.en || "";
    const byLang = doc[lang];
    return (byLang && typeof byLang[field] === "string" && byLang[field]) || "";
  }

  /** Fetch a rule's docs through the background once per code; null when the service cannot say. */
  async function ruleDoc(code) {
    const key = code + "|" + R.settings.lang;
    if (ruleDocs.has(key)) return ruleDocs.get(key);
    let rule = null;
    try {
      const reply = await R.send({ kind: R.KINDS.rule, code, lang: R.settings.lang });
      rule = reply && reply.ok ? reply.rule : null;
    } catch (_e) {
      rule = null;
    }
    if (rule) ruleDocs.set(key, rule);
    return rule;
  }

  /** Replace the flagged text through the editor's own input path; never retried (retries duplicate text). */
  async function applySuggestion(controller, match, replacement) {
    const field = controller.field;
    const text = controller.text;
    if (text.slice(match.offset, match.offset + match.length) !== match.text && match.text) return false;
    field.focus();
    if (R.isValueField(field)) {
      field.setSelectionRange(match.offset, match.offset + match.length);
    } else {
      const range = R.rangeFor(R.buildTextMap(field), match.offset, match.length, document);
      if (!range) return false;
      const sel = document.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
    document.execCommand("insertText", false, replacement);
    // Editors (Lexical, Draft, Quill) update their state a microtask later: read back after that.
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    controller.refresh();
    return controller.text !== text;
  }

  /**
   * Open the card: for a clicked underline, that finding; from the badge (`match` null), every
   * finding in order. Clicking inside keeps the caret where it was.
   */
  function openCard(controller, match) {
    R.closePanel("rasoat-card");
    const list = match ? [match] : controller.matches.slice();
    if (!list.length) {
      showEmpty(controller);
      return;
    }
    const card = R.el("div", { "data-testid": "rasoat-card", class: "panel", role: "dialog", "aria-label": R.t("cardTitle"),
      tabindex: "-1" });
    card.addEventListener("mousedown", (e) => e.preventDefault()); // the editor keeps focus and caret
    const close = R.el("button", { class: "icon close", "data-action": "close", "aria-label": R.t("cardClose") }, "×");
    close.onclick = () => closeCard(controller);
    card.appendChild(close);
    // The service ran out of time on this draft: what is listed may not be everything.
    if (!match && controller.isIncomplete()) {
      card.appendChild(R.el("p", { class: "muted", "data-part": "incomplete" }, R.t("incompleteNote")));
    }
    for (const m of list) card.appendChild(section(controller, m));
    R.ui().appendChild(card);
    const at = (match && controller.rectOf(match)) || controller.field.getBoundingClientRect();
    R.placeNear(card, at, postRect(controller));
  }

  /**
   * Where the box's Post control is, for the card to keep clear of it — when it is in this
   * frame's document: the one of an editor in an iframe is in the page around it, whose
   * coordinates are not the card's.
   */
  function postRect(controller) {
    const post = R.findPostControl(controller.field);
    return post && post.ownerDocument === document ? post.getBoundingClientRect() : null;
  }

  /**
   * The keyboard shortcut: open every finding of the box in use (or what its state means) with
   * the focus on the card, so it can be read and its buttons reached with Tab; closing it gives
   * the focus back to the box, caret where it was. Only the frame whose box has the focus acts.
   */
  function openCardFromKeyboard() {
    const c = R.activeController;
    if (!c || c.isDestroyed() || !document.hasFocus()) return;
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
    if (!active || !(active === c.field || c.field.contains(active))) return;
    R.saveSelection(c);
    c.openCard(null);
    const card = R.ui().querySelector('[data-testid="rasoat-card"]');
    if (card) card.focus({ preventScroll: true });
  }

  /** Close the card; when it had the focus (opened from the keyboard), the box gets it back. */
  function closeCard(controller) {
    const ui = R.ui();
    const card = ui.querySelector('[data-testid="rasoat-card"]');
    const focused = !!card && card.contains(ui.activeElement);
    R.closePanel("rasoat-card");
    if (focused && controller && !controller.isDestroyed()) R.returnToEditor(controller);
  }

  /** One finding in the card: message, why, instead, legal basis, suggestions, ignore / turn off. */
  function section(controller, m) {
    const sec = R.el("section", { "data-code": m.code, "data-severity": m.severity });
    const head = R.el("div", { class: "head" });
    head.appendChild(R.el("span", { class: "sev " + m.severity }, R.t("severity_" + m.severity)));
    head.appendChild(R.el("span", { class: "name", title: m.name }, categoryLabel(m)));
    sec.appendChild(head);
    const msg = R.el("p", { "data-part": "message" });
    msg.append(R.el("span", { class: "flagged" }, m.text), " — ", m.message);
    sec.appendChild(msg);
    // Other rules flagging the same text (merged into this one item): name and message each.
    for (const a of m.also || []) {
      const also = R.el("p", { class: "also", "data-part": "also", "data-code": a.code });
      also.append(R.el("span", { class: "sev " + a.severity }, R.t("severity_" + a.severity)), " ",
        R.el("strong", {}, categoryLabel(a)), " — ", a.message);
      sec.appendChild(also);
    }
    const why = R.el("div", { "data-part": "why" });
    const instead = R.el("div", { "data-part": "instead" });
    sec.append(why, instead);
    const basis = Array.from(new Set([m, ...(m.also || [])].flatMap((x) => x.legal_basis)));
    if (basis.length) {
      sec.appendChild(R.el("h4", {}, R.t("cardLegalBasis")));
      const ul = R.el("ul", { "data-part": "legal-basis" });
      for (const lb of basis) ul.appendChild(R.el("li", {}, lb));
      sec.appendChild(ul);
    }
    if (m.frame) sec.appendChild(R.el("p", { class: "muted" }, R.t("cardFrame", frameLabel(m.frame))));
    const actions = R.el("div", { class: "actions" });
    for (const s of m.suggestions) {
      const b = R.el("button", { class: "btn primary", "data-action": "apply", "data-value": s }, R.t("cardApply", s));
      b.onclick = () => {
        R.closePanel("rasoat-card");
        applySuggestion(controller, m, s);
      };
      actions.appendChild(b);
    }
    const ign = R.el("button", { class: "btn", "data-action": "ignore" }, R.t("cardIgnore"));
    ign.onclick = () => { closeCard(controller); controller.ignore(m); };
    const off = R.el("button", { class: "btn", "data-action": "disable-rule" }, R.t("cardDisableRule"));
    off.onclick = () => { closeCard(controller); R.disableRule(m.code); };
    actions.append(ign, off);
    sec.appendChild(actions);
    ruleDoc(m.code).then((rule) => {
      if (!rule || !sec.isConnected) return;
      const w = docText(rule, "why", R.settings.lang), i = docText(rule, "instead", R.settings.lang);
      if (w) why.append(R.el("h4", {}, R.t("cardWhy")), R.el("p", {}, w));
      if (i) instead.append(R.el("h4", {}, R.t("cardInstead")), R.el("p", {}, i));
    });
    return sec;
  }

  /** Card for a badge click with nothing found: say what the state means (ok, offline …). */
  function showEmpty(controller) {
    const card = R.el("div", { "data-testid": "rasoat-card", class: "panel", role: "dialog", "aria-label": R.t("cardTitle"),
      tabindex: "-1" });
    // A check cut short found nothing: that is no "no problems found".
    card.appendChild(R.el("p", {}, controller.isIncomplete() ? R.t("badgeTitle_incomplete") : controller.stateTitle()));
    const close = R.el("button", { class: "btn", "data-action": "close" }, R.t("cardClose"));
    close.onclick = () => closeCard(controller);
    card.appendChild(close);
    R.ui().appendChild(card);
    R.placeNear(card, controller.field.getBoundingClientRect(), postRect(controller));
  }

  Object.assign(R, { openCard, openCardFromKeyboard, closeCard, applySuggestion, docText, categoryLabel });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
