/** What a compose box and a Post/Send control look like on each platform, and which fields to check. */
(function (root) {
  "use strict";
  const R = (root.Rasoat = root.Rasoat || {});

  /** Known compose editors: always checked, even though they set spellcheck="false" themselves. */
  const COMPOSE_SELECTORS = [
    "[data-lexical-editor]", // Facebook, Threads, Instagram, Messenger (Lexical)
    ".public-DraftEditor-content", // X (Draft.js)
    "[data-testid^='tweetTextarea']",
    ".ql-editor", // LinkedIn (Quill)
    "#richInput", // Zalo Web
    "[contenteditable][role='textbox']", // YouTube, Reddit, Messenger
    "shreddit-composer [contenteditable]",
    "#contenteditable-root", // YouTube comment box
    // Rich-text editors of forums and portals, which turn the spell checker off on their
    // editing body: CKEditor 4 (its iframe's body, or inline), TinyMCE (iframe or inline).
    ".cke_editable", ".mce-content-body",
  ].join(",");

  /** Post/Send controls recognised by attributes (checked before labels). */
  const POST_SELECTORS = [
    "[data-testid='tweetButton']", "[data-testid='tweetButtonInline']", "[data-testid='dmComposerSendButton']",
    "button.share-actions__primary-action", "#submit-button", "#comment-submit-button",
    "[data-testid='react-composer-post-button']", "[data-translate-inner='STR_SEND']", "[data-translate-title='STR_SEND']",
    "button[type='submit']", "input[type='submit']", "[data-rasoat-post]",
  ].join(",");

  /** Labels of Post/Send controls, vi and en, compared case-insensitively after trimming. */
  const POST_LABELS = ["đăng", "đăng bài", "đăng ngay", "chia sẻ", "chia sẻ ngay", "gửi", "gửi đi", "trả lời",
    "bình luận", "phản hồi", "post", "post all", "publish", "share", "share now", "send", "tweet", "reply",
    "comment", "submit", "đăng tất cả", "nhắn tin",
    // Messenger's send button is labelled by its shortcut.
    "nhấn enter để gửi", "press enter to send"];

  /** Elements that can act as a clickable control. */
  const CONTROL_SELECTOR = "button, [role='button'], input[type='submit'], input[type='button']";

  /** Normalise a label for the table: NFC, lower case, collapsed spaces, no trailing punctuation. */
  function normalizeLabel(label) {
    return String(label || "").normalize("NFC").toLowerCase().replace(/\s+/g, " ").replace(/[.…!:]+$/, "").trim();
  }

  /** True when a control's label (aria-label, value or visible text) is a Post/Send word. */
  function isPostLabel(label) {
    return POST_LABELS.includes(normalizeLabel(label));
  }

  /** The label of a control: aria-label first, then an input's value, then its text. */
  function controlLabel(el) {
    const aria = el.getAttribute && el.getAttribute("aria-label");
    if (aria) return aria;
    if (el.nodeName === "INPUT") return el.value || "";
    return (el.textContent || "").slice(0, 60);
  }

  /** Whether `el` (a button-like element) is a Post/Send control by attribute or by label. */
  function isPostControl(el) {
    if (!el || !el.matches) return false;
    if (el.matches(POST_SELECTORS)) return true;
    return el.matches(CONTROL_SELECTOR) && isPostLabel(controlLabel(el));
  }

  /**
   * The element above `el`, out of a shadow root to its host: web components (Reddit's
   * shreddit-…) keep an editor in their shadow root and slot the Post button in from outside.
   */
  function parentOf(el) {
    if (el.parentElement) return el.parentElement;
    const up = el.parentNode;
    return up && up.nodeType === 11 && up.host ? up.host : null;
  }

  /**
   * Where a compose box sits among the page's controls: the box itself — or, for an editor that
   * is the whole document of a same-origin iframe (the <body> of CKEditor 4's or TinyMCE's
   * editing iframe, a designMode document), that iframe in the page around it, where its Post
   * control is ("Gửi bài" below the editor). Only such a body: a box inside a framed page
   * (YouTube's live chat) has its own Send in its own page.
   */
  function anchorOf(field) {
    const doc = field.ownerDocument;
    // (In a designMode document the box is its root element: the whole document is editable.)
    if (!doc || (field !== doc.body && field !== doc.documentElement)) return field;
    try {
      return (doc.defaultView && doc.defaultView.frameElement) || field;
    } catch (_e) {
      return field; // (a cross-origin parent: no frameElement to reach)
    }
  }

  /** Whether `node` is `ancestor` or below it, across shadow roots (Node.contains stops at them). */
  function containsComposed(ancestor, node) {
    for (let n = node; n; n = n.nodeType === 1 ? parentOf(n) : n.parentNode) if (n === ancestor) return true;
    return false;
  }

  /** The Post/Send control an event target sits in (walking up from an icon or label), or null. */
  function postControlFrom(target) {
    let el = target && target.nodeType === 1 ? target : target && target.parentElement;
    for (let depth = 0; el && depth < 6; depth++, el = parentOf(el)) {
      if (isPostControl(el)) return el;
      if (el.isContentEditable) return null;
    }
    return null;
  }

  /**
   * Whether `control` belongs to the compose box `field`: inside the same form or dialog, or a
   * close relative — a common ancestor at most 12 levels above the field — that comes after it.
   * A send comes after its box; a control before it, outside its form, is something else: a feed
   * post's action bar ("Bình luận", "Chia sẻ") sits just above the post's comment box.
   */
  function belongsTo(control, field) {
    const at = anchorOf(field);
    const scope = at.closest && at.closest("form, [role='dialog'], #chat-input-container-id");
    if (scope && containsComposed(scope, control)) return true;
    if (precedes(control, at)) return false;
    let el = parentOf(at);
    for (let depth = 0; el && depth < 12; depth++, el = parentOf(el)) {
      if (containsComposed(el, control)) return el !== at.ownerDocument.body && el !== at.ownerDocument.documentElement;
    }
    return false;
  }

  /** Whether `a` comes before `b` (and is not its ancestor) in one document or shadow tree;
   * across trees the order is not defined: false. */
  function precedes(a, b) {
    if (a.getRootNode() !== b.getRootNode()) return false;
    const position = b.compareDocumentPosition(a);
    return !!(position & 2) && !(position & 8); // PRECEDING, and not CONTAINS
  }

  /** The Post/Send control nearest to a compose box (searching outwards), or null. */
  function findPostControl(field) {
    let el = parentOf(anchorOf(field));
    for (let depth = 0; el && depth < 12; depth++, el = parentOf(el)) {
      for (const c of el.querySelectorAll(POST_SELECTORS + "," + CONTROL_SELECTOR)) {
        if (!field.contains(c) && isPostControl(c)) return c;
      }
    }
    return null;
  }

  /** Whether the field is a known platform compose box (checked regardless of spellcheck). */
  function isComposeBox(el) {
    return !!(el && el.matches && el.matches(COMPOSE_SELECTORS));
  }

  // Autofill hints of sign-in, contact and payment fields: what the user types there is not a draft.
  const SIGN_IN_HINTS = /(^|\s)(username|email|tel|tel-[a-z-]+|one-time-code|current-password|new-password|cc-[a-z-]+)(\s|$)/;

  /**
   * Whether a text input is for signing in or contact details rather than a post (Facebook's login
   * "email or phone" box is a text input): its autofill hint or keyboard says so, or its form also
   * asks for a password. Such fields are never sent to the service.
   */
  function isSignInField(input) {
    if (SIGN_IN_HINTS.test((input.getAttribute("autocomplete") || "").toLowerCase())) return true;
    if (/^(email|tel|numeric)$/.test((input.getAttribute("inputmode") || "").toLowerCase())) return true;
    const form = input.closest("form");
    return !!form && form.querySelectorAll("input[type='password']").length > 0;
  }

  /**
   * The field to check for a focused element, or null: a textarea / text input, or the editing
   * host of a contenteditable. Skips `data-rasoat="off"` (anywhere above), read-only, password,
   * sign-in (isSignInField) and search fields, and `spellcheck="false"` fields that are not known
   * compose boxes.
   */
  function fieldFor(target) {
    if (!target || target.nodeType !== 1) return null;
    let field = null;
    if (target.nodeName === "TEXTAREA") field = target;
    else if (target.nodeName === "INPUT") {
      const type = (target.getAttribute("type") || "text").toLowerCase();
      if (type === "text" && target.getAttribute("role") !== "combobox" && !isSignInField(target)) field = target;
    } else if (target.isContentEditable) {
      field = target;
      while (field.parentElement && field.parentElement.isContentEditable) field = field.parentElement;
    }
    if (!field || field.readOnly || field.disabled) return null;
    if (field.closest("[data-rasoat='off']")) return null;
    if (isComposeBox(field)) return field;
    if (field.getAttribute("role") === "combobox" || field.getAttribute("role") === "searchbox") return null;
    if (field.getAttribute("spellcheck") === "false") return null;
    return field;
  }

  /**
   * Whether a suggestion list of the field (an "@" mention or "#" tag typeahead) has an active
   * option, which Enter picks: the ARIA combobox pattern Lexical's typeahead menu and others
   * follow, the field naming that option in aria-activedescendant while the list is open.
   */
  function choosingSuggestion(field) {
    const id = field.getAttribute("aria-activedescendant");
    if (!id) return false;
    const scope = field.getRootNode();
    const option = (scope.getElementById ? scope.getElementById(id) : null) || field.ownerDocument.getElementById(id);
    return !!option && option.getClientRects().length > 0;
  }

  /**
   * Whether plain Enter sends on this field: single-line inputs, Zalo, Messenger/Instagram chats,
   * X's direct messages, YouTube's live chat, LinkedIn's messages when the user chose Enter to
   * send, and comment/reply boxes (recognised by their label).
   * Ctrl/⌘+Enter posts on X, LinkedIn and Reddit (its comment and post composers).
   */
  function enterSends(field, host, event) {
    if (event && (event.ctrlKey || event.metaKey)) return /(^|\.)(x|twitter|linkedin|reddit)\.com$/.test(host);
    if (field.nodeName === "INPUT") return true;
    const label = normalizeLabel((field.getAttribute("aria-label") || "") + " " + (field.getAttribute("aria-placeholder") || ""));
    // Facebook/Instagram comment and chat boxes send on Enter — Instagram's is a textarea.
    const fbComment = /(^|\.)(facebook|instagram)\.com$/.test(host) && /bình luận|comment|trả lời|reply|nhắn|message/.test(label);
    // X's direct messages: Enter sends, in the Draft.js composer and in the newer chat's textarea.
    const xMessage = /(^|\.)(x|twitter)\.com$/.test(host) &&
      !!field.closest("[data-testid='dmComposerTextInput'], [data-testid='dm-composer-textarea']");
    if (field.nodeName === "TEXTAREA") return fbComment || xMessage;
    if (xMessage) return true;
    if (field.id === "richInput" || /(^|\.)(zalo\.me|messenger\.com)$/.test(host)) return true;
    // YouTube's live chat (a page of its own, framed by the video's): Enter sends the message.
    // Its comment box, a contenteditable too, takes Enter as a new line.
    if (/(^|\.)youtube\.com$/.test(host) && field.closest("yt-live-chat-text-input-field-renderer")) return true;
    // LinkedIn's messages: Enter sends when the user chose "Press Enter to Send" — the form then
    // shows no Send button, only its send options (the sign public automation code reads too);
    // with "Click Send", Enter is a new line.
    const linkedInForm = /(^|\.)linkedin\.com$/.test(host) ? field.closest(".msg-form") : null;
    if (linkedInForm) {
      const send = linkedInForm.querySelector(".msg-form__send-button, .msg-form__send-btn");
      return !(send && send.getClientRects().length) && !!linkedInForm.querySelector(".msg-form__send-toggle");
    }
    if (/(^|\.)(facebook|instagram)\.com$/.test(host)) return fbComment;
    return field.getAttribute("data-rasoat-enter") === "send";
  }

  Object.assign(R, { COMPOSE_SELECTORS, POST_SELECTORS, POST_LABELS, CONTROL_SELECTOR, normalizeLabel,
    isPostLabel, controlLabel, isPostControl, parentOf, anchorOf, containsComposed, postControlFrom, findPostControl, belongsTo,
    isComposeBox, fieldFor, choosingSuggestion, enterSends });
  if (typeof module !== "undefined" && module.exports) module.exports = R;
})(globalThis);
