/**
 * One controller per compose box: follows edits, checks after a pause (never mid-composition, one
 * request in flight, results cached per text), carries underlines through edits and keeps the badge.
 */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});

  /**
   * The badge state after a failed check, saying why: `tooLong` when the draft is longer than
   * the extension (`too-long`) or the service (HTTP 413) accepts, `denied` when the service
   * refuses the access token (HTTP 401/403; the popup and the options page say so too),
   * `offline` otherwise; `idle` where the site is not checked.
   */
  function failedState(reply) {
    const error = reply && reply.error;
    if (error === "disabled") return "idle";
    if (error === "too-long" || error === "http-413") return "tooLong";
    if (error === "http-401" || error === "http-403") return "denied";
    return "offline";
  }

  /** Badge states in which the last answer was no answer: a Post goes through without waiting. */
  function unanswered(state) {
    return state === "offline" || state === "tooLong" || state === "denied";
  }

  /**
   * Whether the failed last check of a draft is worth asking again, at Post and in the
   * background: the service could not be reached, or failed on its side (HTTP 5xx, a gateway
   * while it restarts) — it may be back. Not a check that timed out (a Post would wait for it
   * again), nor an answer about this draft (HTTP 4xx, too long, token refused).
   */
  function retryable(state, error) {
    return state === "offline" && (error === "offline" || /^http-5\d\d$/.test(String(error)));
  }

  // Background re-checks of a draft whose check failed: after 2 s, then twice as long each time,
  // at most every 30 s, while the draft is unchanged and its box in use.
  const RETRY_FIRST_MS = 2000;
  const RETRY_MAX_MS = 30000;

  /** [severity, count] for each severity found, most serious first. */
  function countPills(counts) {
    return [["error", counts.errors], ["warning", counts.warnings], ["info", counts.infos]].filter(([, n]) => n);
  }

  /** The counts as the badge is heard: "4 Nghiêm trọng, 2 Cảnh báo" ("" when there are none). */
  function countsSpoken(counts) {
    return countPills(counts).map(([sev, n]) => n + " " + R.t("severity_" + sev)).join(", ");
  }

  /** Key under which "Ignore here" remembers a finding: the rule and the exact flagged text. */
  function ignoreKey(m) {
    return m.code + "\u0000" + m.text;
  }

  /** Start watching `field`; returns the controller the guard and the card talk to. */
  function createController(field) {
    const painter = R.createPainter(field);
    const cache = R.lruCache(32);
    const ignored = new Set();
    const waiters = [];
    let text = R.fieldText(field);
    let matches = [];
    let fresh = false; // matches were computed for exactly `text`
    // The service ran out of time on the last answer (`incomplete`): some rules never ran on the
    // draft, so no findings is no "all clear" and the findings shown may not be all.
    let incomplete = false;
    let answeredFor = null; // text of the last reply (ok or not), so a Post does not wait twice
    let lastError = null; // the background's error for the last failed check ("offline", "timeout", …)
    let over = null; // a draft too long: {length, limit} in characters (limit null when unknown)
    let retryTimer = 0, retryMs = 0; // background re-check of a draft whose check failed
    // A Post has asked again after the failure (once: a site that ignores the Post re-triggered
    // after a failed check must get the user's next one, not another wait).
    let askedAtPost = false;
    let composing = false;
    let inFlight = false;
    let state = "idle";
    let rtt = null, drawMs = null;
    let hops = null; // where the last check's time went (ms per hop), for bench/browser.py
    let destroyed = false;
    let waitingPost = false; // a Post is held until this check answers: show "checking…" in words
    let postedAnyway = false; // the user answered "Post anyway" for exactly `text`
    const schedule = R.debounce(runCheck, R.settings.debounceMs);

    /** Re-read the field after any edit: shift old underlines, redraw, and schedule a check. */
    function onEdit() {
      if (destroyed) return;
      const next = R.fieldText(field);
      if (next === text) {
        // The same text, maybe in new nodes: an editor that rendered it anew, or the draft
        // selected and pasted over itself. The answer is still for exactly this text, so its
        // underlines are drawn over the copy now there — the painter redraws only the ranges
        // that lost their text (draw.js stillDrawn), never an underline left over text gone.
        requestPaint();
        return;
      }
      matches = R.shiftSpans(matches, R.diffEdit(text, next));
      text = next;
      postedAnyway = false; // a changed draft (or the box emptied by the post) is asked about anew
      stopRetry(); // the pause after this edit checks it
      askedAtPost = false;
      R.closePanel("rasoat-card"); // typing dismisses the card, as in every checker
      fresh = false;
      // A draft still too long says its new length at once, with no request: the limit is the
      // last answer's, the count one pass over the text just read. Within the limit again, it is
      // a draft like any other, to be checked ("checking", and a Post waits for its answer).
      if (state === "tooLong" && over && Number.isInteger(over.limit)) {
        const length = R.characters(text);
        if (length > over.limit) {
          over = { length, limit: over.limit };
          countsDue = true; // an open popup says the new length too (sent once a frame)
        } else {
          over = null;
          state = "checking";
        }
      }
      // Counts are no longer for this text: say so until the next answer (tests wait on it too).
      if (!R.unanswered(state) || !text.trim()) state = text.trim() ? "checking" : "idle";
      requestPaint();
      schedule.wait = R.settings.debounceMs; // follows the options page without a reload
      if (!composing) schedule();
    }

    /**
     * Draw this field's underlines, only while it is the field being checked: the highlights and
     * the marks layer are shared by every field on the page, so a late answer (or a site's edit)
     * for a composer the user has left must not replace the underlines of the one in use. Its
     * findings are kept and drawn when it is focused again (`activate`).
     */
    function draw() {
      if (R.activeController === api && !destroyed) painter.paint(matches);
    }

    let paintFrame = 0;
    let countsDue = false; // the numbers the toolbar and popup show changed with no answer (too long)
    /** Redraw at the next frame: keystrokes only pay for the diff, layout happens once per frame. */
    function requestPaint() {
      if (paintFrame) return;
      paintFrame = requestAnimationFrame(() => {
        paintFrame = 0;
        if (destroyed) return;
        draw();
        renderBadge();
        if (countsDue && state === "tooLong" && R.activeController === api) sendCounts(matches);
        countsDue = false;
      });
    }

    /** The findings still worth showing: not ignored here, not from a rule turned off, at/above the shown level. */
    function visible(found) {
      const off = new Set(R.settings.disabledRules || []);
      return found.filter((m) => !ignored.has(ignoreKey(m)) && !off.has(m.code) && R.atLeast(m.severity, R.settings.minSeverity));
    }

    /**
     * Ask the background to check the current text (or answer from the cache). `quiet`: a
     * background re-check after a failure, which leaves the badge as it is until it answers.
     */
    async function runCheck(quiet = false) {
      if (destroyed || composing) return;
      if (inFlight) return; // the reply handler re-checks if the text moved on meanwhile
      const sent = text;
      if (!sent.trim()) {
        apply(sent, [], performance.now());
        return;
      }
      const cached = cache.get(sent);
      if (cached) {
        apply(sent, cached.matches, performance.now(), cached.incomplete);
        return;
      }
      inFlight = true;
      if (quiet !== true) setState("checking");
      const t0 = performance.now();
      let reply;
      try {
        reply = await R.send(R.checkRequest(sent, R.settings.lang, R.settings.minSeverity));
      } catch (_e) {
        reply = { ok: false, error: "offline" };
      }
      const t1 = performance.now();
      inFlight = false;
      if (destroyed) return;
      lastError = reply && !reply.ok ? reply.error : null;
      over = null;
      if (reply && reply.ok) {
        retryMs = 0;
        askedAtPost = false;
        cache.set(sent, { matches: reply.matches, incomplete: !!reply.incomplete });
        apply(sent, reply.matches, t0, !!reply.incomplete);
        measureHops(t0, t1, reply.timing);
      } else {
        // Offline or slow service: no underlines, a quiet badge, and posting is never blocked.
        matches = [];
        fresh = false;
        incomplete = false;
        answeredFor = sent;
        draw();
        if (failedState(reply) === "tooLong") over = { length: reply.length, limit: reply.limit };
        setState(failedState(reply));
        // Nor counts of a draft checked earlier on the toolbar and in the popup: none, and why.
        if (R.activeController === api) sendCounts(matches);
        settle(false);
        if (retryable(state, lastError) && text === sent) retryLater();
      }
      // The text moved on while we waited: a held Post cannot wait for another pause.
      if (text !== sent && !composing) {
        if (waiters.length) runCheck();
        else schedule();
      }
    }

    /**
     * Show the findings for `sent`, shifted through any edit made while the request was out;
     * `cut` when the service could not check all of it in time.
     */
    function apply(sent, found, t0, cut = false) {
      const d0 = performance.now();
      // Two rules on the same text: one underline, one item listing both (the most serious first).
      let ms = R.mergeSameSpans(visible(found));
      if (text !== sent) ms = R.shiftSpans(ms, R.diffEdit(sent, text));
      matches = ms;
      fresh = text === sent;
      incomplete = cut && !!sent.trim();
      answeredFor = sent;
      draw();
      const end = performance.now();
      drawMs = end - d0;
      rtt = end - t0;
      setState(!text.trim() ? "idle" : !fresh ? "checking" : matches.length ? "issues" : "ok");
      // The toolbar shows the counts of the field in use, not of one left behind.
      if (R.activeController === api) sendCounts(matches);
      if (fresh) speakCounts();
      settle(true);
    }

    /**
     * Split the last check's time into hops (ms): to the background, its settings read, the fetch,
     * the JSON, back to the page, mapping + drawing, and until the next frame is painted. Numbers
     * only; shown as the badge's `data-hops-ms` once the frame has come.
     */
    function measureHops(t0, t1, timing) {
      if (!timing || !timing.received) return;
      const abs = (t) => performance.timeOrigin + t;
      const drawn = t0 + rtt;
      const h = { toBackground: timing.received - abs(t0), settings: timing.fetchStart - timing.received,
        fetch: timing.fetchEnd - timing.fetchStart, json: timing.jsonEnd - timing.fetchEnd,
        normalize: timing.replied - timing.jsonEnd, toPage: abs(t1) - timing.replied,
        draw: drawn - t1, frame: 0, total: rtt };
      requestAnimationFrame(() => {
        h.frame = performance.now() - drawn;
        hops = h;
        if (R.activeController === api && !destroyed) {
          const badge = R.ui().querySelector('[data-testid="rasoat-badge"]');
          if (badge) badge.dataset.hopsMs = Object.entries(hops).map(([k, v]) => k + "=" + v.toFixed(2)).join(" ");
        }
      });
    }

    /**
     * The service failed on this draft: ask again later (see RETRY_FIRST_MS), so a service back
     * up underlines the open draft without a keystroke. Only the box in use: another one is
     * checked when it is used again (`activate`).
     */
    function retryLater() {
      stopRetry();
      retryMs = Math.min(RETRY_MAX_MS, retryMs ? retryMs * 2 : RETRY_FIRST_MS);
      retryTimer = setTimeout(() => {
        retryTimer = 0;
        if (destroyed || composing || inFlight || R.activeController !== api) return;
        if (answeredFor === text && retryable(state, lastError)) runCheck(true);
      }, retryMs);
    }

    /** Drop a pending background re-check. */
    function stopRetry() {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = 0;
    }

    /** Wake every Post waiting for this text's answer. */
    function settle(answered) {
      if (answeredFor !== text) return;
      while (waiters.length) waiters.shift()(answered);
    }

    /**
     * For the last check: resolve to true once findings are current for the text as it is now, or
     * false when the service did not answer within `timeoutMs` (the post then goes through).
     */
    function ensureFresh(timeoutMs) {
      onEdit();
      if (fresh || !text.trim()) return Promise.resolve(true);
      // A failed check is no answer to wait for again — unless the service failed at once (it
      // was down, it may be back): then one Post asks it again, within the same wait.
      if (answeredFor === text && R.unanswered(state)) {
        if (!asksAgain()) return Promise.resolve(false);
        askedAtPost = true;
      }
      schedule.cancel();
      waitingPost = true;
      setState("checking");
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(done);
          if (i >= 0) waiters.splice(i, 1);
          waitingPost = false;
          resolve(false);
        }, timeoutMs);
        /** Called by settle() when the answer for this text arrives. */
        function done(answered) {
          clearTimeout(timer);
          waitingPost = false;
          resolve(answered);
        }
        waiters.push(done);
        runCheck();
      });
    }

    /** Whether a Post asks the service again about a draft whose last check failed (ensureFresh). */
    function asksAgain() {
      return answeredFor === text && retryable(state, lastError) && !askedAtPost;
    }

    /**
     * A press on this draft's Post control has begun, or the focus has reached it (guard.js
     * onPostAhead: ~0.1 s before a hand's click, longer before the Enter or Space that makes a
     * keyboard's): ask the service now what that Post would ask (asksAgain), quietly, so the
     * click finds the answer in. Still down: that counts as the Post's asking, and the click then
     * passes as the user made it — not held and made again by script, which a site that acts
     * only on real clicks ignores. Back: the click is decided on the answer. Not answered by
     * then: the user's own click goes out untouched (guard.js needsDecision); one made by the
     * page's script waits for this answer, as it did for its own.
     */
    function askBeforePost() {
      if (destroyed || composing || inFlight || !asksAgain()) return;
      stopRetry();
      const asked = text;
      runCheck(true).then(() => {
        if (text === asked && answeredFor === asked && R.unanswered(state)) askedAtPost = true;
      }).catch(() => {});
    }

    /**
     * Whether what the badge shows is the answer of a check the service cut short: only once the
     * answer is in (`ok`/`issues`); while checking, or when it failed, there is nothing to qualify.
     */
    function isCut() {
      return incomplete && (state === "ok" || state === "issues");
    }

    /** Update the badge state and redraw it. */
    function setState(next) {
      state = next;
      renderBadge();
    }

    /** Draw the badge at the field's bottom-right corner with counts by severity. */
    function renderBadge() {
      if (destroyed || R.activeController !== api) return;
      const shadow = R.ui();
      let badge = shadow.querySelector('[data-testid="rasoat-badge"]');
      if (!badge) {
        badge = R.el("button", { "data-testid": "rasoat-badge", type: "button" });
        badge.addEventListener("mousedown", (e) => e.preventDefault()); // keep the caret in the editor
        badge.addEventListener("click", () => R.activeController && R.activeController.openCard(null));
        shadow.appendChild(badge);
      }
      const counts = R.countBySeverity(matches);
      const cut = isCut();
      badge.dataset.state = state;
      badge.dataset.incomplete = String(cut);
      badge.dataset.errors = counts.errors;
      badge.dataset.warnings = counts.warnings;
      badge.dataset.infos = counts.infos;
      if (rtt !== null) badge.dataset.rttMs = rtt.toFixed(2);
      if (drawMs !== null) badge.dataset.drawMs = drawMs.toFixed(2);
      badge.replaceChildren();
      badge.classList.toggle("waiting", waitingPost);
      // Named by what it shows (speech input clicks it by that; a screen reader says the counts),
      // the tooltip heard after it as its description; a bare symbol (R, ✓, …) is named by the tooltip.
      let named = true;
      if (state === "issues" || (state === "checking" && !waitingPost && matches.length)) {
        const pills = countPills(counts);
        pills.forEach(([sev, n], i) => {
          const pill = R.el("span", { class: "pill " + sev }, n);
          // Heard, not seen: the severity after its count ("4 Nghiêm trọng, 2 Cảnh báo").
          pill.appendChild(R.el("span", { class: "sr" }, " " + R.t("severity_" + sev) + (i < pills.length - 1 || cut ? "," : "")));
          badge.appendChild(pill);
        });
        // Findings, but not all of the draft was checked: said after the counts, in words.
        if (cut) badge.appendChild(R.el("span", { class: "cut" }, R.t("badgeIncomplete")));
      } else if (cut) {
        badge.appendChild(R.el("span", {}, R.t("badgeIncomplete"))); // never the "✓" of a full check
      } else {
        const checking = waitingPost ? R.t("badgeChecking") : "…";
        const shown = { idle: "R", checking, ok: "✓", offline: R.t("badgeOffline"),
          tooLong: R.t("badgeTooLong"), denied: R.t("badgeDenied") }[state] || "R";
        named = shown.length > 1;
        badge.appendChild(R.el("span", {}, shown));
      }
      // Not fully checked: no "no problems found"; with findings, the note after what they mean.
      badge.title = !cut ? stateTitle()
        : state === "ok" ? R.t("badgeTitle_incomplete") : R.t("badgeTitle_" + state) + " " + R.t("incompleteNote");
      if (named) badge.removeAttribute("aria-label");
      else badge.setAttribute("aria-label", badge.title);
      placeBadge(badge);
    }

    /**
     * What the badge's state means, as its tooltip says (and its card, and the popup): a draft
     * too long says by how much when the limit is known ("Bản nháp quá dài: 100.001/100.000 ký tự — …").
     */
    function stateTitle() {
      return state === "tooLong" ? R.tooLongTitle(R.t, R.settings.lang, over) : R.t("badgeTitle_" + state);
    }

    /** Keep the badge inside the field's bottom-right corner. */
    function placeBadge(badge) {
      const box = field.getBoundingClientRect();
      const w = badge.offsetWidth || 28;
      badge.style.left = Math.max(0, box.right - w - 4) + "px";
      badge.style.top = Math.max(0, box.bottom - 24) + "px";
      badge.style.display = box.width || box.height ? "" : "none";
    }

    /**
     * Follow scroll and resize: redraw underlines from offsets and move the badge — only for the
     * field in use: a box the user has left also resizes (it shrinks on blur, or leaves the page),
     * and redrawing its nothing would wipe the other box's underlines from the shared layer.
     */
    function relayout() {
      if (destroyed || R.activeController !== api) return;
      painter.relayout();
      renderBadge();
    }

    /**
     * The page changed around the field in use (main.js): when that moved the field, place its
     * underlines and badge anew — from offsets, with no check (relayout); else nothing.
     */
    function follow() {
      if (destroyed || R.activeController !== api || !painter.moved()) return;
      relayout();
    }

    /** Forget a finding for this field ("Ignore here": every rule listed on it) and redraw. */
    function ignore(match) {
      for (const code of R.codesOf(match)) ignored.add(ignoreKey({ code, text: match.text }));
      matches = matches.filter((m) => !R.codesOf(m).some((code) => ignored.has(ignoreKey({ code, text: m.text }))));
      draw();
      setState(matches.length ? "issues" : text.trim() ? "ok" : "idle");
      if (R.activeController === api) sendCounts(matches);
      speakCounts();
    }

    /** Drop findings of a rule the user turned off (settings already updated). */
    function dropRule(code) {
      cache.clear();
      matches = matches.map((m) => R.withoutRule(m, code)).filter(Boolean); // the span's next rule stays
      draw();
      setState(matches.length ? "issues" : text.trim() ? "ok" : "idle");
      if (R.activeController === api) sendCounts(matches);
      speakCounts();
    }

    /**
     * Tell a screen reader the counts when they change (the underlines are only seen): through
     * the polite live region, never the focus; a clean draft is said only after findings were.
     */
    function speakCounts() {
      if (R.activeController !== api || destroyed) return;
      const spoken = countsSpoken(R.countBySeverity(matches));
      // A check cut short is said even with nothing found: silence would pass for "all clear".
      if (spoken) R.announce(R.t("liveCounts", incomplete ? spoken + ", " + R.t("badgeIncomplete") : spoken));
      else if (incomplete) R.announce(R.t("liveCounts", R.t("badgeTitle_incomplete")));
      else if (R.announced()) R.announce(R.t("liveCounts", R.t("badgeTitle_ok")));
    }

    /** Tell the background this field's counts (numbers only) for the toolbar icon and the popup. */
    function sendCounts(shown) {
      R.send({ kind: R.KINDS.counts, counts: R.countBySeverity(shown), state, incomplete: shown === matches && isCut(),
        over: state === "tooLong" ? over : null });
    }

    /** Stop everything (field removed or another field took over). */
    function deactivate() {
      painter.clear();
      const badge = R.ui().querySelector('[data-testid="rasoat-badge"]');
      if (badge) badge.remove();
    }

    /**
     * `input` (capture): re-read the field — unless the MutationObserver has already read this
     * edit. In a contenteditable the observer sees every change, and the one `input` reports is
     * either still queued for it (taken here, read once here) or delivered to it already (a
     * page's own `input` listener that runs before ours lets the browser deliver it then): one
     * walk of the editor's DOM per keystroke, not two.
     */
    function onInput(e) {
      // Trust the event over our flag: an IME that never sends compositionend must not stop checks.
      composing = !!e.isComposing;
      if (observer && !observer.takeRecords().length) return;
      onEdit();
    }
    /** IME composition began: no checks until it ends. */
    function onCompositionStart() {
      composing = true;
      schedule.cancel();
    }
    /** IME composition ended: the committed text is checked after the usual pause. */
    function onCompositionEnd() {
      composing = false;
      onEdit();
      schedule();
    }
    /** A click on an underline opens its card; elsewhere in the field closes it. */
    function onClick(e) {
      const m = painter.hitTest(e.clientX, e.clientY);
      if (m) api.openCard(m);
      else R.closePanel("rasoat-card");
    }

    // Capture phase on the field itself: Lexical stops `input` from bubbling. Deletions in Lexical
    // and Draft fire no input event at all, hence the MutationObserver as well.
    field.addEventListener("input", onInput, true);
    field.addEventListener("compositionstart", onCompositionStart, true);
    field.addEventListener("compositionend", onCompositionEnd, true);
    field.addEventListener("click", onClick, true);
    const observer = R.isValueField(field) ? null : new MutationObserver(onEdit);
    if (observer) observer.observe(field, { childList: true, characterData: true, subtree: true });
    const resize = typeof ResizeObserver === "function" ? new ResizeObserver(() => relayout()) : null;
    if (resize) resize.observe(field);

    const api = {
      field,
      get text() { return text; },
      get matches() { return matches; },
      get state() { return state; },
      isFresh: () => fresh,
      stateTitle,
      /** The answer shown is of a check the service cut short (see `incomplete`). */
      isIncomplete: () => isCut(),
      isDestroyed: () => destroyed,
      /** A Post asks again about this draft, whose last check failed (see ensureFresh). */
      asksAgain,
      askBeforePost,
      /** "Post anyway" was the answer for the draft as it is now (see guard.js: needsDecision). */
      get postedAnyway() { return postedAnyway; },
      postAnyway() { postedAnyway = true; },
      savedSelection: null,
      ensureFresh,
      relayout,
      follow,
      ignore,
      dropRule,
      deactivate,
      // (forced: the shared highlights and marks layer were another field's meanwhile)
      activate() { renderBadge(); painter.paint(matches, true); sendCounts(matches); if (!fresh && !composing) schedule(); },
      refresh() { onEdit(); },
      rectOf: (m) => painter.rectOf(m),
      recheck() { cache.clear(); fresh = false; schedule(); },
      openCard: (m) => R.openCard(api, m),
      setChecking() { setState("checking"); },
      restoreState() { setState(!text.trim() ? "idle" : !fresh ? state : matches.length ? "issues" : "ok"); },
      destroy() {
        destroyed = true;
        schedule.cancel();
        stopRetry();
        field.removeEventListener("input", onInput, true);
        field.removeEventListener("compositionstart", onCompositionStart, true);
        field.removeEventListener("compositionend", onCompositionEnd, true);
        field.removeEventListener("click", onClick, true);
        if (observer) observer.disconnect();
        if (resize) resize.disconnect();
        // The badge, highlights and marks layer are shared: only the field in use may clear them
        // (a field left earlier has already been deactivated).
        if (R.activeController !== api) return;
        deactivate();
        sendCounts([]); // the site was turned off or the box is gone: the toolbar must not keep its counts
      },
    };
    return api;
  }

  Object.assign(R, { createController, failedState, unanswered });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
