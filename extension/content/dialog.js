/** The last-check dialog: lists serious findings; "Sửa lại / Edit" (default) or "Vẫn đăng / Post anyway". */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});

  /**
   * Show the dialog for `findings`; exactly one of `actions.edit` / `actions.postAnyway` runs.
   * `incomplete`: the service ran out of time on a draft, so the list may not be everything.
   * `doc`: the document it covers — the page around an editor that is a whole iframe's document.
   */
  function showDialog(findings, actions, incomplete = false, doc = document) {
    R.closePanel("rasoat-card");
    R.closePanel("rasoat-dialog");
    const backdrop = R.el("div", { class: "backdrop" });
    const dialog = R.el("div", { "data-testid": "rasoat-dialog", class: "panel", role: "alertdialog",
      "aria-modal": "true", "aria-labelledby": "rasoat-dialog-title", tabindex: "-1",
      // What a screen reader says with the title when focus lands on "Edit": why the post waits.
      "aria-describedby": ["rasoat-dialog-intro", incomplete && "rasoat-dialog-incomplete", "rasoat-dialog-list"]
        .filter(Boolean).join(" ") });
    dialog.appendChild(R.el("h3", { id: "rasoat-dialog-title" }, R.t("dialogTitle")));
    dialog.appendChild(R.el("p", { class: "muted", id: "rasoat-dialog-intro" }, R.t("dialogIntro", findings.length)));
    if (incomplete) {
      // The service ran out of time on a draft: the list may not be everything.
      dialog.appendChild(R.el("p", { class: "muted", id: "rasoat-dialog-incomplete", "data-part": "incomplete" },
        R.t("incompleteNote")));
    }
    // Focusable (in the Tab cycle when it scrolls): many findings scroll in the list alone, and
    // from the keyboard the ones below the first few could otherwise never be seen.
    const list = R.el("ul", { id: "rasoat-dialog-list", tabindex: "0", "aria-labelledby": "rasoat-dialog-intro" });
    for (const m of findings) {
      const li = R.el("li", { "data-testid": "rasoat-dialog-item", "data-code": m.code, "data-codes": R.codesOf(m).join(" "),
        "data-severity": m.severity });
      li.append(R.el("span", { class: "sev " + m.severity }, R.t("severity_" + m.severity)), " ",
        R.el("strong", {}, R.categoryLabel(m)), ": ", R.el("span", { class: "flagged" }, m.text), " — ", m.message);
      // Other rules on the same text: listed under it, not as lines of their own.
      for (const a of m.also || []) {
        li.appendChild(R.el("div", { class: "also", "data-code": a.code }, `${R.t("severity_" + a.severity)} · ${R.categoryLabel(a)} — ${a.message}`));
      }
      const basis = Array.from(new Set([m, ...(m.also || [])].flatMap((x) => x.legal_basis)));
      if (basis.length) li.appendChild(R.el("div", { class: "muted" }, basis.join("; ")));
      list.appendChild(li);
    }
    dialog.appendChild(list);
    const buttons = R.el("div", { class: "actions" });
    const edit = R.el("button", { class: "btn primary", "data-action": "edit" }, R.t("dialogEdit"));
    const post = R.el("button", { class: "btn", "data-action": "post-anyway" }, R.t("dialogPostAnyway"));
    buttons.append(edit, post);
    dialog.appendChild(buttons);
    backdrop.appendChild(dialog);
    const ui = R.ui(doc);
    ui.appendChild(backdrop);

    let done = false;
    /** Close the dialog and run one action, once. */
    function finish(which) {
      if (done) return;
      done = true;
      if (R.panelKey === onKey) R.panelKey = null;
      backdrop.remove();
      which();
    }
    // The second click of a double-click on the page's Post lands on whatever the dialog put
    // under the pointer (`detail` counts it as click 2): it must neither close the dialog as a
    // click outside nor press one of its buttons unread.
    const single = (e) => e.detail < 2;
    edit.onclick = (e) => { if (single(e)) finish(actions.edit); };
    post.onclick = (e) => { if (single(e)) finish(actions.postAnyway); };
    backdrop.addEventListener("click", (e) => { if (e.target === backdrop && single(e)) finish(actions.edit); });
    // Keys pressed in Rasoat's UI come here from ui.js's window listener (they reach no listener
    // of the page or of ours below it). The dialog is focusable itself (tabindex -1): a click on
    // its text keeps focus here, not on the page's <body>, so Escape and Tab still come.
    function onKey(e) {
      if (e.key === "Escape") finish(actions.edit);
      else if (e.key === "Tab") {
        // Keep focus in the dialog while it is open: the list (when it scrolls) and the two buttons.
        e.preventDefault();
        const stops = list.scrollHeight > list.clientHeight ? [list, edit, post] : [edit, post];
        const at = stops.indexOf(ui.activeElement);
        const next = at < 0 ? stops.indexOf(edit) : (at + (e.shiftKey ? stops.length - 1 : 1)) % stops.length;
        stops[next].focus({ preventScroll: stops[next] !== list });
      }
    }
    R.panelKey = onKey;
    edit.focus({ preventScroll: true }); // focusing must not scroll the heading out of view
    return dialog;
  }

  Object.assign(R, { showDialog });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
