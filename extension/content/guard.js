/**
 * The last check before Post: a capture-phase listener on the platform's own Post/Send control
 * (clicked, or pressed from the keyboard) and on Enter-to-send. With findings at/above the
 * configured level it pauses that one post and asks; "Post anyway" re-triggers the same control
 * once, so exactly the typed text goes out.
 */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});
  const WAIT_MS = 1500; // longest a Post waits for a pending check; then it goes through
  let bypass = null; // {target, kind}: the one re-triggered post that must pass untouched
  let heldKeyUp = null; // {key, control}: the keyup of a held keyboard press on a Post control
  let waitingEnter = null; // {field, send}: a held Enter-to-send waiting for its check (no dialog yet)
  let busy = false; // a post is being decided (dialog open or waiting): swallow repeats
  let lastCaret = null; // {field, range}: the last selection inside the field being checked
  let asking = null; // the token of this frame's own framePost request (the background asks all frames)
  // Input types whose Enter submits a form without a submit button only when it has one of them.
  const TEXT_TYPES = /^(text|search|url|tel|email|password|number|date|datetime-local|month|time|week)$/;

  /**
   * The controller a Post control belongs to: of the fields the control sits next to, the one
   * nearest to it — not simply the active one. A user may type in one composer, click into
   * another (a reply box), then press the first one's Post: that post is the first draft's.
   */
  function controllerFor(control) {
    const active = activeOrEarly();
    // The field in use, when the control is in its own form or dialog (a title and a body in one
    // form: the box typed in last leads; draftsSentBy adds the other).
    const scope = control.closest && control.closest("form, [role='dialog']");
    if (active && scope && R.containsComposed(scope, R.anchorOf(active.field)) && active.field.isConnected) return active;
    const all = [active, ...(R.liveControllers ? R.liveControllers() : [])];
    let best = null, bestDepth = -1;
    for (const c of all) {
      if (!c || c.isDestroyed() || !c.field.isConnected || !R.belongsTo(control, c.field)) continue;
      const depth = sharedDepth(control, c.field);
      if (depth > bestDepth) { // ties: the active field, listed first
        best = c;
        bestDepth = depth;
      }
    }
    return best;
  }

  /**
   * Every draft a press of `control` sends: the box it belongs to (controllerFor) first, then any
   * other box the user has typed in whose own nearest Post control is this very one — the other
   * posts of a thread (Threads, X), a title beside a body. A reply box with a Send of its own is
   * not another post's.
   */
  function draftsSentBy(control, main) {
    const others = (R.liveControllers ? R.liveControllers() : []).filter((c) => c !== main &&
      !c.isDestroyed() && c.field.isConnected && R.findPostControl(c.field) === control);
    return [main, ...others];
  }

  /** How deep in the tree (across shadow roots) the nearest element holding both `control` and `field` sits. */
  function sharedDepth(control, field) {
    let shared = R.parentOf(R.anchorOf(field));
    while (shared && !R.containsComposed(shared, control)) shared = R.parentOf(shared);
    let depth = 0;
    for (let el = shared; el; el = R.parentOf(el)) depth++;
    return depth;
  }

  /** The field being checked — or, before the settings have arrived, the one focused last. */
  function activeOrEarly() {
    const c = R.activeController;
    if (c && c.field.isConnected) return c;
    return (R.earlyController && R.earlyController()) || null;
  }

  /** Stop this event from reaching the page (once; the post is then decided by us). */
  function hold(e) {
    e.preventDefault();
    e.stopImmediatePropagation();
  }

  /**
   * Decide a held post of the drafts `controllers` (the box in use first), sent by `control`
   * (null: a plain Enter, which sends its one box): wait (≤ 1.5 s, badge "checking…") for
   * findings on each text as it is — and on the boxes of other frames the same control sends
   * (otherFramesOf) — then either let it through via `release()` or show one dialog with the
   * serious findings of them all.
   */
  async function decide(controllers, release, gone = () => false, control = null) {
    busy = true;
    try {
      const where = control ? otherFramesOf(control) : null;
      const asked = where ? askFrames("drafts", where) : Promise.resolve([]);
      const answered = await Promise.all(controllers.map((c) => c.ensureFresh(WAIT_MS).catch(() => false)));
      const remote = (await asked).filter((f) => f.result && Array.isArray(f.result.findings));
      if (gone()) {
        // Let go already (the user typed on): nothing left to decide.
        for (const c of controllers) c.restoreState();
        return;
      }
      const serious = controllers.map((c, i) =>
        (answered[i] && c.text.trim() ? R.blocking(c.matches, R.settings.blockSeverity) : []));
      for (const c of controllers) c.restoreState();
      // A check cut short alone asks nothing (as a service that cannot answer asks nothing): the
      // badge already says "not fully checked". With something serious, the dialog says it too.
      const cut = controllers.some((c, i) => answered[i] && c.isIncomplete()) || remote.some((f) => f.result.incomplete);
      // "Edit" goes to the first box with something serious: the one in use when it has.
      const flagged = controllers.find((_c, i) => serious[i].length);
      // Another frame's box (the body in an editor's iframe, or the title around it) goes first
      // when it was in use after this frame's.
      const there = remote.filter((f) => f.result.findings.length)
        .sort((a, b) => b.result.usedAt - a.result.usedAt)[0];
      if (!flagged && !there) {
        // No answer in time, or nothing serious: the post goes through unchanged.
        busy = false;
        release();
        return;
      }
      const editThere = !!there && (!flagged || there.result.usedAt > (flagged.usedAt || 0));
      const own = serious.flat(), theirs = remote.flatMap((f) => f.result.findings);
      waitingEnter = null; // the dialog takes the keys from here: a key typed is no "moving on"
      // Over the page the Post control is in: the one around an editor that is a whole iframe's
      // document (CKEditor 4, TinyMCE), not inside the editor's few lines.
      const doc = R.anchorOf(controllers[0].field).ownerDocument;
      R.showDialog(editThere ? [...theirs, ...own] : [...own, ...theirs], {
        edit() {
          busy = false;
          if (editThere) askFrames("edit", where, [there.frameId]);
          else if (flagged === controllers[0]) returnToEditor(flagged);
          else caretAtEnd(flagged.field);
        },
        async postAnyway() {
          for (const c of controllers) c.postAnyway();
          // The other frames' boxes too, before the Post is pressed again: their own guards see
          // that press and must let it through, not ask a second time.
          if (remote.length) await askFrames("postedAnyway", where, remote.map((f) => f.frameId));
          busy = false;
          release();
        },
      }, cut, doc);
    } catch (_e) {
      // Whatever broke on our side, the user's post is never lost: let it through.
      busy = false;
      release();
    }
  }

  /**
   * Where to find `control` from another frame — `{url, path}`: its document's address and the
   * child indexes down to it — when a press of it may send boxes that other frames' copies of
   * these scripts watch: this frame is an editor's iframe and the control is in the page around
   * it, or the control's page holds such an iframe (CKEditor 4, TinyMCE, designMode) whose
   * Post it is. Else null: one frame, no one to ask (and no round trip on every other site).
   */
  function otherFramesOf(control) {
    const doc = control.ownerDocument;
    if (!doc || control.getRootNode() !== doc) return null; // (in a shadow root: not reached from outside)
    if (doc === document && !editorFrames(doc).some((body) => R.findPostControl(body) === control)) return null;
    const path = [];
    for (let el = control; el !== doc.documentElement; el = el.parentElement) {
      if (!el.parentElement) return null;
      path.unshift(Array.prototype.indexOf.call(el.parentElement.children, el));
    }
    return { url: doc.URL, path };
  }

  /** The editing bodies of `doc`'s same-origin iframes whose whole document is an editor. */
  function editorFrames(doc) {
    const bodies = [];
    for (const frame of doc.querySelectorAll("iframe, frame")) {
      try {
        const body = frame.contentDocument && frame.contentDocument.body;
        if (body && (body.isContentEditable || frame.contentDocument.designMode === "on")) bodies.push(body);
      } catch (_e) {
        /* another origin: its scripts are not ours to reach */
      }
    }
    return bodies;
  }

  /**
   * Ask the other frames of this tab (through the background) to run `op` of R.framePost on the
   * boxes `where` sends; their answers, or none in time (never longer than a check's wait).
   */
  async function askFrames(op, where, frameIds) {
    const token = (asking = Math.random().toString(36).slice(2));
    const late = new Promise((resolve) => setTimeout(() => resolve(null), WAIT_MS + 500));
    try {
      const reply = await Promise.race([R.send({ kind: R.KINDS.framePost, op, url: where.url, path: where.path, token,
        frameIds }), late]);
      return reply && reply.ok && Array.isArray(reply.frames) ? reply.frames : [];
    } catch (_e) {
      return [];
    } finally {
      if (asking === token) asking = null;
    }
  }

  /**
   * Run in this frame by the background for a Post another frame holds (see askFrames): of the
   * boxes here that the control at `path` in the document at `url` sends, "drafts": their serious
   * findings once checked as they are now (≤ 1.5 s), whether a check was cut short, and when the
   * flagged one was in use; "edit": back into the one flagged; "postedAnyway": the answer holds
   * for them, so the Post pressed again passes here too. Null when none is here.
   */
  async function framePost(op, url, path, token) {
    if (token === asking) return null; // this frame's own question
    const control = controlAt(url, path);
    if (!control) return null;
    const drafts = (R.liveControllers ? R.liveControllers() : []).filter((c) =>
      !c.isDestroyed() && c.field.isConnected && c.text.trim() && R.findPostControl(c.field) === control);
    if (!drafts.length) return null;
    if (op === "postedAnyway") {
      for (const c of drafts) c.postAnyway();
      return true;
    }
    const flaggedHere = () => drafts.filter((c) => c.isFresh() && R.blocking(c.matches, R.settings.blockSeverity).length)
      .sort((a, b) => (b.usedAt || 0) - (a.usedAt || 0));
    if (op === "edit") {
      const c = flaggedHere()[0];
      if (c && c.savedSelection) returnToEditor(c);
      else if (c) caretAtEnd(c.field);
      return !!c;
    }
    for (const c of drafts) if (c === R.activeController) saveSelection(c); // for "Edit"
    const answered = await Promise.all(drafts.map((c) => c.ensureFresh(WAIT_MS).catch(() => false)));
    const findings = drafts.flatMap((c, i) => (answered[i] ? R.blocking(c.matches, R.settings.blockSeverity) : []));
    for (const c of drafts) c.restoreState();
    const first = flaggedHere()[0];
    return { findings, incomplete: drafts.some((c, i) => answered[i] && c.isIncomplete()),
      usedAt: first ? first.usedAt || 0 : 0 };
  }

  /** The Post control at `path` in this frame's document or the page around it, if that is at `url`. */
  function controlAt(url, path) {
    const outer = parentWindow();
    for (const doc of [document, outer && outer.document]) {
      if (!doc || doc.URL !== url) continue;
      let el = doc.documentElement;
      for (const i of path) el = el && el.children[i];
      if (el && R.isPostControl(el)) return el;
    }
    return null;
  }

  /** Give focus back to the editor with the caret where it was before the post was held. */
  function returnToEditor(controller) {
    const field = controller.field;
    const saved = controller.savedSelection;
    field.focus({ preventScroll: true });
    try {
      if (R.isValueField(field) && saved) field.setSelectionRange(saved.start, saved.end);
      else if (saved && saved.range && saved.range.startContainer.isConnected) {
        const sel = document.getSelection();
        sel.removeAllRanges();
        sel.addRange(saved.range);
      }
    } catch (_e) {
      /* the editor re-rendered; focusing it is enough */
    }
  }

  /** Focus a box the user had left (another post of the thread) with the caret after its draft. */
  function caretAtEnd(field) {
    field.focus({ preventScroll: true });
    try {
      if (R.isValueField(field)) field.setSelectionRange(field.value.length, field.value.length);
      else {
        const sel = document.getSelection();
        sel.selectAllChildren(field);
        sel.collapseToEnd();
      }
    } catch (_e) {
      /* focusing it is enough */
    }
  }

  /** The page's selection when it lies inside `field` (a copy), else null. */
  function selectionIn(field) {
    const sel = document.getSelection();
    return sel && sel.rangeCount && field.contains(sel.anchorNode) ? sel.getRangeAt(0).cloneRange() : null;
  }

  /**
   * `selectionchange`: keep the last caret inside the checked field. By the time a Post click
   * arrives the selection has often left the editor — pressing a non-<button> control (Facebook's
   * `div[role=button]`) moves it there, Draft.js drops it on blur — and "Edit" must not put the
   * caret at the start of the draft, where the next keystrokes would land.
   */
  function onSelectionChange() {
    const c = R.activeController;
    if (!c || R.isValueField(c.field)) return;
    const range = selectionIn(c.field);
    if (range) lastCaret = { field: c.field, range };
  }

  /** Remember where the caret was, so "Edit" can put it back. */
  function saveSelection(controller) {
    const field = controller.field;
    if (R.isValueField(field)) {
      controller.savedSelection = { start: field.selectionStart, end: field.selectionEnd };
      return;
    }
    const range = selectionIn(field) || (lastCaret && lastCaret.field === field ? lastCaret.range : null);
    controller.savedSelection = range ? { range } : null;
  }

  /** Capture-phase click anywhere: is it a Post/Send control next to the field being typed in? */
  function onClick(e) {
    const target = e.composedPath ? e.composedPath()[0] : e.target; // inside open shadow roots too
    if (!e.isTrusted && bypass && (bypass.kind === "click" || bypass.kind === "press")) {
      // Our own re-triggered click — or one the site makes of our re-pressed keys: let it through
      // (a click exactly once).
      if (bypass.target === target || bypass.target.contains(target)) {
        if (bypass.kind === "click") bypass = null;
        return;
      }
    }
    const control = R.postControlFrom(target);
    if (!control || control.getAttribute("aria-disabled") === "true" || control.disabled) return;
    const controller = controllerFor(control);
    if (!controller) return;
    if (busy) return hold(e);
    const drafts = draftsSentBy(control, controller);
    for (const c of drafts) c.refresh();
    if (!drafts.some((c) => c.text.trim() && needsDecision(c, e.isTrusted))) return;
    hold(e);
    saveSelection(controller);
    decide(drafts, () => {
      bypass = { target: control, kind: "click" };
      if (control.isConnected) control.click();
      setTimeout(() => { if (bypass && bypass.target === control) bypass = null; }, 0);
    }, undefined, control);
  }

  /**
   * Capture-phase pointerdown and focusin: a Post may be coming — a press on a Post control
   * begins, or the focus reaches it (Tab to a native button, then Enter or Space: the browser's
   * click then comes with no pointerdown of its own; an assistive tool that moves the focus
   * first). When the drafts it sends last found the service down, they ask it again now
   * (field.js askBeforePost) rather than at the click: the click then finds the answer in and,
   * the service still down, passes untouched — not held and made again by script, which a site
   * that acts only on real clicks ignores. Nothing is held or changed here; the click is decided
   * by onClick as ever.
   */
  function onPostAhead(e) {
    if (!e.isTrusted || busy) return;
    try {
      const target = e.composedPath ? e.composedPath()[0] : e.target;
      const control = R.postControlFrom(target);
      if (!control || control.getAttribute("aria-disabled") === "true" || control.disabled) return;
      const controller = controllerFor(control);
      if (!controller) return;
      for (const c of draftsSentBy(control, controller)) if (c.askBeforePost) c.askBeforePost();
    } catch (_e) {
      /* the click decides as before */
    }
  }

  /**
   * Whether a post must wait: findings are stale, or fresh and serious — unless the user has
   * already answered "Post anyway" for this very draft. Sites that act only on real clicks or
   * keys (`event.isTrusted`) ignore the Post the extension re-triggers; the user's own next
   * Post must then go out, not bring the dialog back: asked once, not every time.
   * `made`: the Post was the user's own (a trusted click or key on a Post control, or a
   * trusted Enter-to-send), which such a site would ignore once held and made again: it is
   * never held just to ask a service that was down again (a Post control's is asked as the
   * press begins or the focus reaches it: onPostAhead; an Enter has nothing ahead of it).
   */
  function needsDecision(controller, made = false) {
    if (controller.postedAnyway) return false;
    // The check failed: no wait, unless the service failed at once and may be back (asked once).
    // A Post control the user pressed before that question (asked ahead) was answered (a click
    // with no time between its down and up, Enter at once after Tab, a tool's click with no
    // press or focus before it), and the user's own Enter-to-send, go out untouched: the draft
    // stays as unchecked as the badge says ("ngoại tuyến"), and the post is not lost to a site
    // that ignores our re-click or re-pressed Enter.
    if (R.unanswered(controller.state)) return !made && !!(controller.asksAgain && controller.asksAgain());
    if (controller.isFresh && controller.isFresh()) return R.blocking(controller.matches, R.settings.blockSeverity).length > 0;
    return true;
  }

  /**
   * Enter or Space on a Post control that is not a native button (Facebook's, Threads' and
   * Instagram's are div[role=button]): the browser makes no click of it, the site's own key
   * handler posts. Held and decided like a click; "Post anyway" presses the key again (keydown
   * and keyup: sites act on either). Returns whether the key was such a press.
   */
  function onControlKey(e) {
    if ((e.key !== "Enter" && e.key !== " ") || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return false;
    const target = e.composedPath ? e.composedPath()[0] : e.target;
    // Native controls (and links) are clicked by the browser on these keys: onClick decides.
    if (!target || target.nodeType !== 1 || target.closest("button, input, a[href], summary")) return false;
    const control = R.postControlFrom(target);
    if (!control || control.getAttribute("aria-disabled") === "true") return false;
    if (!e.isTrusted && bypass && bypass.kind === "press" && bypass.target === control) return true;
    const controller = controllerFor(control);
    if (!controller) return false;
    if (busy) {
      hold(e);
      return true;
    }
    const drafts = draftsSentBy(control, controller);
    for (const c of drafts) c.refresh();
    if (!drafts.some((c) => c.text.trim() && needsDecision(c, e.isTrusted))) return false;
    hold(e);
    heldKeyUp = { key: e.key, control }; // a site acting on keyup must not post meanwhile
    saveSelection(controller);
    const init = { key: e.key, code: e.code, keyCode: e.keyCode, which: e.keyCode, bubbles: true,
      cancelable: true, composed: true };
    decide(drafts, () => {
      if (!control.isConnected) return;
      bypass = { target: control, kind: "press" };
      try {
        control.dispatchEvent(new KeyboardEvent("keydown", init));
        control.dispatchEvent(new KeyboardEvent("keyup", init));
      } finally {
        bypass = null;
      }
    }, undefined, control);
    return true;
  }

  /**
   * Capture-phase keyup: the release of a key whose press on a Post control was held — on the
   * control, or on the dialog that took the focus meanwhile — never reaches the page.
   */
  function onKeyUp(e) {
    if (!heldKeyUp || !e.isTrusted || e.key !== heldKeyUp.key) return;
    const path = e.composedPath ? e.composedPath() : [e.target];
    const mine = path.some((n) => n === heldKeyUp.control || n.nodeName === "RASOAT-ROOT");
    heldKeyUp = null;
    if (mine) hold(e);
  }

  /**
   * A key pressed in a chat box whose Enter is waiting for its check: the user has moved on to
   * the next message. The waiting Enter goes out first, unchecked as after the wait's end — then
   * this key goes where it would have without Rasoat, into the emptied box. Holding on would put
   * it into the message waiting to be sent ("Chào anhEm gửi…", sent as one).
   */
  function sendWaitingEnter(e) {
    // Not a modifier alone, nor the Enter still held down (auto-repeat): the same press.
    if (!waitingEnter || !e.isTrusted || e.repeat || /^(Shift|Control|Alt|Meta|CapsLock)$/.test(e.key)) return;
    const target = e.composedPath ? e.composedPath()[0] : e.target;
    if (!(waitingEnter.field === target || waitingEnter.field.contains(target))) return;
    waitingEnter.send(false);
  }

  /** Capture-phase keydown: Enter-to-send (never while composing, never Shift+Enter). */
  function onKeyDown(e) {
    sendWaitingEnter(e);
    if (onControlKey(e)) return;
    if (e.key !== "Enter" || e.shiftKey || e.altKey || e.isComposing || e.keyCode === 229) return;
    const target = e.composedPath ? e.composedPath()[0] : e.target;
    const c = R.activeController || (R.fieldFor(target) ? activeOrEarly() : null);
    if (!c || !(c.field === target || c.field.contains(target))) return;
    if (!e.isTrusted && bypass && bypass.kind === "enter") {
      bypass = null;
      return;
    }
    if (!R.enterSends(c.field, location.hostname, e)) return;
    // Enter in an open "@" mention list picks the person: not a send.
    if (!e.ctrlKey && !e.metaKey && R.choosingSuggestion(c.field)) return;
    if (busy) return hold(e);
    // Ctrl/⌘+Enter posts like the Post control: on X, every post of the thread. Plain Enter
    // sends the one chat or comment box it is pressed in.
    const control = (e.ctrlKey || e.metaKey) && R.findPostControl(c.field);
    const drafts = control ? draftsSentBy(control, c) : [c];
    for (const d of drafts) d.refresh();
    // The user's own Enter is never held just to ask a down service again (needsDecision): a
    // site that acts only on real keys would ignore the Enter pressed again by script, and the
    // message would stay unsent. Nothing comes ahead of an Enter to ask earlier; the draft's
    // background re-check (field.js retryLater) is what finds a service back up.
    if (!drafts.some((d) => d.text.trim() && needsDecision(d, e.isTrusted))) return;
    hold(e);
    saveSelection(c);
    // Many send handlers still read the legacy codes (Draft.js's Enter reads `which`): given in
    // the init, they are the event's own. A property defined on the event here would change only
    // this content script's view of it, never the page's handlers'.
    const init = { key: "Enter", code: "Enter", keyCode: 13, which: 13, bubbles: true, cancelable: true,
      composed: true, ctrlKey: e.ctrlKey, metaKey: e.metaKey };
    let sent = false;
    /** Send the held Enter, once; `refocus` puts the caret back first (after the dialog). */
    function send(refocus) {
      if (sent) return;
      sent = true;
      if (waitingEnter && waitingEnter.send === send) waitingEnter = null;
      busy = false;
      if (refocus) returnToEditor(c);
      bypass = { target, kind: "enter" };
      const ev = new KeyboardEvent("keydown", init);
      const notCancelled = (target.isConnected ? target : c.field).dispatchEvent(ev);
      bypass = null;
      if (notCancelled) submitImplicitly(c.field);
    }
    waitingEnter = { field: c.field, send };
    decide(drafts, () => send(true), () => sent, control || null);
  }

  /**
   * What a real Enter in a single-line input does when the page lets it: submit the input's form
   * (implicit submission). A dispatched key event has no default action, so after "Post anyway"
   * a comment form that posts this way (a plain `<form>` with an `<input>`) would send nothing.
   * Like the browser, click the form's default button (our own click: let through once), or
   * submit the form when it has none and this is its only text field.
   */
  function submitImplicitly(field) {
    const form = field.nodeName === "INPUT" && field.isConnected ? field.form : null;
    if (!form) return;
    const elements = Array.from(form.elements);
    const button = elements.find((el) => el.type === "submit" || el.type === "image");
    if (!button) {
      if (elements.filter((el) => el.nodeName === "INPUT" && TEXT_TYPES.test(el.type)).length === 1) form.requestSubmit();
      return;
    }
    if (button.disabled) return; // the browser submits nothing then, either
    bypass = { target: button, kind: "click" };
    button.click();
    bypass = null;
  }

  /**
   * Install the capture-phase listeners (window, so they run before the page's own: clicks, and
   * keys down and up), and follow the caret for "Edit".
   */
  function installGuard() {
    window.addEventListener("pointerdown", onPostAhead, true);
    window.addEventListener("focusin", onPostAhead, true);
    window.addEventListener("click", onClick, true);
    window.addEventListener("keydown", onKeyDown, true);
    window.addEventListener("keyup", onKeyUp, true);
    document.addEventListener("selectionchange", onSelectionChange);
    // In a same-origin iframe (an editor whose whole document is the box: CKEditor 4, TinyMCE),
    // the Post control is in the page around it ("Gửi bài" below the editor), where the page's
    // own copy of these scripts knows of no box to hold it for: listen there too. A control there
    // is held only for a box it belongs to (R.belongsTo from the iframe element, R.anchorOf).
    const outer = parentWindow();
    if (outer) {
      outer.addEventListener("pointerdown", onPostAhead, true);
      outer.addEventListener("focusin", onPostAhead, true);
      outer.addEventListener("click", onClick, true);
      outer.addEventListener("keydown", onKeyDown, true);
      outer.addEventListener("keyup", onKeyUp, true);
    }
  }

  /** The window around this frame when it is of the same origin (null: the top, or another origin). */
  function parentWindow() {
    try {
      return window.frameElement ? window.parent : null;
    } catch (_e) {
      return null;
    }
  }

  Object.assign(R, { installGuard, saveSelection, returnToEditor, framePost });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
