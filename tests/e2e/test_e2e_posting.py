"""The moment of posting on each platform's fixture page: every way a post leaves gets the last
check once, and the draft always gets out when the user says so (Chromium, the real service)."""

from __future__ import annotations

import pytest

from tests.e2e import harness
from tests.e2e import pages as P
from tests.e2e.platforms import PLATFORMS, Platform

DRAFT, CLEAN = P.DRAFT, P.CLEAN

LIVE_CHAT = P.LIVE_CHAT  # (a frame of the live video page)


def test_enter_in_youtube_live_chat_gets_the_last_check(ext, fixture_server, service) -> None:
    """Enter sends a live chat message (its own keydown handler): it is held like the Send
    button, and "Post anyway" sends exactly the draft, once. Before, Enter sent it unchecked."""
    page, frame = P.open_live_chat(ext)
    try:
        P.focus_editor(frame, LIVE_CHAT)
        page.keyboard.type(DRAFT)
        P.wait_marks(frame, P.expected_marks(service, DRAFT))
        page.keyboard.press("Enter")
        P.edit_from_dialog(frame, LIVE_CHAT, DRAFT)
        page.keyboard.press("Enter")
        P.dialog(frame).wait_for(state="visible")
        P.choose(frame, "post-anyway")
        assert P.wait_posted(frame) == [DRAFT]
        assert P.field_text(frame, LIVE_CHAT) == ""
    finally:
        page.close()


# A comment form as simple pages make it (Facebook's basic mobile site): a text input, Enter
# submits the form — through its submit button when it has one.
ADD_INPUT_FORM_JS = """withButton => {
  const form = document.createElement('form');
  form.id = 'input-form';
  form.innerHTML = '<input type="text" name="comment_text" aria-label="Viết bình luận...">'
    + (withButton ? '<input type="submit" value="Bình luận">' : '');
  form.addEventListener('submit', e => {
    e.preventDefault();
    const li = document.createElement('li');
    li.textContent = form.elements.comment_text.value;
    document.getElementById('posted').appendChild(li);
    form.elements.comment_text.value = '';
  });
  document.querySelector('main').prepend(form);
}"""


@pytest.mark.parametrize("with_button", [True, False], ids=["submit-button", "no-button"])
def test_post_anyway_after_enter_submits_a_plain_form(
    ext, fixture_server, service, with_button: bool
) -> None:
    """Enter in a form's text input is held for the last check; "Post anyway" then submits the
    form, once. Before, it re-sent a key event, which submits nothing: the comment never left,
    and every further Enter asked again."""
    box = Platform("comment-form", "#input-form input[name=comment_text]", None, "textarea")
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.evaluate(ADD_INPUT_FORM_JS, with_button)
        P.focus_editor(page, box)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        page.keyboard.press("Enter")
        P.edit_from_dialog(page, box, DRAFT)
        page.keyboard.press("Enter")
        P.dialog(page).wait_for(state="visible")
        P.choose(page, "post-anyway")
        assert P.wait_posted(page, timeout=3000) == [DRAFT]
        page.wait_for_timeout(300)  # a second submission would be recorded by now
        assert P.posted(page) == [DRAFT]
    finally:
        page.close()


def test_post_of_a_thread_checks_every_post_in_it(ext, fixture_server, service) -> None:
    """Threads: the first post of a thread has errors, the user adds a second one and writes a
    clean line there, then presses Post (it sends both). The last check looks at every box that
    Post sends, not only the one typed in last — before, the first post went out unchecked.
    Edit goes to the box with the errors, caret at the end of its draft."""
    platform = PLATFORMS["threads"]
    second = ".dialog .editor-frame:nth-of-type(2) [contenteditable]"
    page = P.open_platform(ext, fixture_server, "threads")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        page.click("#add-to-thread")
        page.wait_for_selector(second)
        page.click(second)
        page.keyboard.type(CLEAN)
        P.wait_badge_state(page, "ok")
        page.click(platform.post)
        P.dialog(page).wait_for(state="visible")
        items = page.locator('[data-testid="rasoat-dialog-item"]')
        assert items.count() == sum(
            m["severity"] == "error" for m in P.merge_same_spans(P.service_check(service, DRAFT))
        )
        assert P.posted(page) == []
        P.choose(page, "edit")
        page.keyboard.type(" ok")
        page.wait_for_function(
            f"([sel, want]) => ({P.FIELD_TEXT_JS})(sel) === want",
            arg=[platform.editor, DRAFT + " ok"],
            timeout=2000,
        )
        assert P.field_text(page, Platform("second", second, None, "lexical")) == CLEAN
        P.wait_badge_state(page, "issues")
        page.click(platform.post)
        P.dialog(page).wait_for(state="visible")
        P.choose(page, "post-anyway")
        page.wait_for_function("() => document.querySelectorAll('#posted li').length == 2")
        assert P.posted(page) == [DRAFT + " ok", CLEAN]
    finally:
        page.close()


def test_a_double_click_on_post_leaves_the_dialog_open(ext, fixture_server, service) -> None:
    """Many users double-click buttons. The first click on Post opens the last-check dialog; the
    second lands on what is now under the pointer — the dialog's backdrop (Post sits low in
    Facebook's composer, outside the dialog) — and must not count as a click outside: before,
    it closed the dialog as "Edit" at once, and Post seemed to do nothing."""
    platform = PLATFORMS["facebook"]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.add_style_tag(content=".dialog .actions { margin-top: 420px; }")
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        box = page.locator(platform.post).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.dblclick(x, y)
        page.wait_for_timeout(300)  # the second click has been handled
        assert P.dialog(page).is_visible()
        assert P.posted(page) == []
        hit = page.evaluate(f"([x, y]) => {P.SHADOW}.elementFromPoint(x, y)?.className", [x, y])
        assert hit == "backdrop", f"the second click landed on {hit}, not outside the dialog"
        page.mouse.click(5, 5)  # a real click outside still means "Edit"
        P.dialog(page).wait_for(state="detached")
        assert P.field_text(page, platform) == DRAFT
        assert P.posted(page) == []
    finally:
        page.close()


def test_post_anyway_is_asked_once_when_the_site_ignores_the_retriggered_click(
    ext, fixture_server, service
) -> None:
    """A site that acts only on real clicks (`event.isTrusted`) ignores the Post the extension
    re-triggers after "Post anyway", so nothing posts. The user clicks Post again: before, the
    dialog came back every time, and a user who had decided could never post that draft. The
    answer holds for the draft as it is: the second click posts, and a changed draft is asked
    about again."""
    platform = PLATFORMS["reddit"]
    page = P.open_platform(ext, fixture_server, "reddit")
    try:
        page.goto(fixture_server.url("reddit") + "?trusted-clicks-only")
        page.wait_for_selector("body[data-fixture='reddit'][data-ready='1']")
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        P.press_post(page, platform)
        P.dialog(page).wait_for(state="visible")
        P.choose(page, "post-anyway")
        P.dialog(page).wait_for(state="detached")
        page.wait_for_timeout(300)  # the re-triggered click has been handled (and ignored)
        assert P.posted(page) == [], "the fixture should ignore a click made by script"

        P.press_post(page, platform)
        assert P.wait_posted(page) == [DRAFT]
        assert P.dialog(page).count() == 0

        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)  # the same words again, a new draft once the box was cleared
        P.wait_badge_state(page, "issues")
        page.keyboard.type(" nhé")
        P.wait_badge_state(page, "issues")
        P.press_post(page, platform)
        P.dialog(page).wait_for(state="visible")
    finally:
        page.close()


# A post in Facebook's feed and its comment box: the action bar's "Bình luận" and "Chia sẻ"
# come before the box; the box's own send button (also "Bình luận") and Enter come after.
FB_COMMENT = Platform("facebook-feed", 'form.comment [data-lexical-editor="true"]', None, "lexical")


def test_a_posts_action_bar_above_a_comment_is_not_its_send(ext, fixture_server, service) -> None:
    """Typing a comment under a post, then pressing the post's own "Chia sẻ" (share) or
    "Bình luận" (which only puts the caret in the box): their labels are Post labels and they
    sit within a few levels of the box, so each opened the last-check dialog for a comment that
    was not being sent, and "Chia sẻ" did nothing until it was answered. Controls before the
    box in the page, outside its form, are not its send; Enter and the box's own send still are."""
    page = ext.new_page()
    try:
        page.goto("https://www.facebook.com/feed")
        page.wait_for_selector("body[data-fixture='facebook-feed'][data-ready='1']")
        P.focus_editor(page, FB_COMMENT)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        page.click("#share-action")
        page.wait_for_selector("#share-menu:not([hidden])")  # the site's own click went through
        page.click("#comment-action")
        page.wait_for_timeout(300)  # (the focus it gives has nothing to wait for)
        assert P.dialog(page).count() == 0
        assert P.field_text(page, FB_COMMENT) == DRAFT and P.posted(page) == []
        page.click("#comment-send")
        P.edit_from_dialog(page, FB_COMMENT, DRAFT)
        page.keyboard.press("Enter")
        assert P.anyway_from_dialog(page) == [DRAFT]
    finally:
        page.close()


# X's direct messages (Draft.js, like its post composer): Enter sends, Shift+Enter is a new line.
X_DM = Platform("x-messages", '[data-testid="dmComposerTextInput"]', None, "draft")


def test_enter_in_x_direct_messages_gets_the_last_check(ext, fixture_server, service) -> None:
    """Enter sends a direct message on X: it is held for the last check (before, only the send
    button was, and Enter sent the message unchecked); Shift+Enter stays a line break, and
    "Post anyway" sends exactly the draft, once."""
    page = ext.new_page()
    try:
        page.goto("https://x.com/messages")
        page.wait_for_selector("body[data-fixture='x-messages'][data-ready='1']")
        P.focus_editor(page, X_DM)
        page.keyboard.type(DRAFT)
        page.keyboard.press("Shift+Enter")
        page.keyboard.type("Dòng hai.")
        text = DRAFT + "\nDòng hai."
        P.wait_marks(page, P.expected_marks(service, text))
        assert not P.dialog(page).is_visible()
        page.keyboard.press("Enter")
        P.edit_from_dialog(page, X_DM, text)
        page.keyboard.press("Enter")
        P.dialog(page).wait_for(state="visible")
        P.choose(page, "post-anyway")
        assert P.wait_posted(page) == [text]
    finally:
        page.close()


# Keys of an IME composition (Vietnamese Telex/VNI): `isComposing`, or the keyCode 229 that
# browsers give a key the IME takes. Dispatched in the page; what reached the page's own listener.
COMPOSING_KEYS_JS = """sel => {
  const box = document.querySelector(sel);
  const seen = [];
  box.addEventListener('keydown', e => seen.push([e.isComposing, e.keyCode]));
  for (const init of [{isComposing: true}, {keyCode: 229}]) {
    box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', code: 'Enter', ctrlKey: true,
      bubbles: true, cancelable: true, ...init}));
  }
  return seen;
}"""


@pytest.mark.parametrize("keys", ["Control+Enter", "Meta+Enter"])
def test_ctrl_enter_in_a_reddit_comment_gets_the_last_check(
    ext, fixture_server, service, keys: str
) -> None:
    """Reddit's comment box submits on Ctrl+Enter (⌘+Enter on macOS): that comment went out
    unchecked, as only X's and LinkedIn's Ctrl+Enter were held. It is held now like a click on
    "Bình luận": Edit gives the draft back, Post anyway posts it once. Plain Enter is still a
    new line (no dialog), and an Enter of an IME composition reaches the page untouched."""
    platform = PLATFORMS["reddit"]
    page = P.open_platform(ext, fixture_server, "reddit")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        page.keyboard.press("Enter")
        page.keyboard.type("Dòng hai.")
        text = DRAFT + "\nDòng hai."
        P.wait_marks(page, P.expected_marks(service, text))
        assert P.field_text(page, platform) == text
        assert not P.dialog(page).is_visible() and P.posted(page) == []
        assert page.evaluate(COMPOSING_KEYS_JS, platform.editor) == [[True, 0], [False, 229]]
        assert not P.dialog(page).is_visible() and P.posted(page) == []
        page.keyboard.press(keys)
        P.edit_from_dialog(page, platform, text)
        page.keyboard.press(keys)
        P.dialog(page).wait_for(state="visible")
        P.choose(page, "post-anyway")
        assert P.wait_posted(page) == [text]
    finally:
        page.close()


LINKEDIN_MESSAGE = Platform(
    "linkedin-messaging", ".msg-form__contenteditable", None, "contenteditable"
)


def open_linkedin_messaging(ext, send_mode: str):
    """LinkedIn's messaging page with its send option set as the user would ("enter": Press Enter
    to Send, the form has no Send button; "click": Click Send)."""
    page = ext.new_page()
    page.goto("https://www.linkedin.com/messaging")
    page.wait_for_selector("body[data-fixture='linkedin-messaging'][data-ready='1']")
    page.click(".msg-form__send-toggle")
    page.check(f".msg-form__hovercard input[value='{send_mode}']")
    return page


def test_enter_in_linkedin_messages_gets_the_last_check_when_it_sends(
    ext, fixture_server, service
) -> None:
    """With LinkedIn's "Press Enter to Send", Enter sends the message: it is held for the last
    check (before, only a Send button was, and with this option there is none, so every message
    went out unchecked); "Post anyway" sends exactly the draft, once."""
    page = open_linkedin_messaging(ext, "enter")
    try:
        assert page.locator(".msg-form__send-button").count() == 0
        P.focus_editor(page, LINKEDIN_MESSAGE)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        page.keyboard.press("Enter")
        assert P.anyway_from_dialog(page) == [DRAFT]
    finally:
        page.close()


def test_enter_in_linkedin_messages_is_a_new_line_when_send_is_clicked(
    ext, fixture_server, service
) -> None:
    """With "Click Send", Enter is a new line there: it is never held, however serious the
    draft (a dialog on every new line would be crying wolf); the Send button gets the check."""
    page = open_linkedin_messaging(ext, "click")
    try:
        P.focus_editor(page, LINKEDIN_MESSAGE)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        page.keyboard.press("Enter")
        page.keyboard.type("Dòng hai.")
        P.wait_badge_state(page, "issues")
        assert not P.dialog(page).is_visible()
        assert P.posted(page) == []
        typed = P.field_text(page, LINKEDIN_MESSAGE)
        assert typed.startswith(DRAFT) and typed.endswith("Dòng hai.")
        page.click(".msg-form__send-button")
        (sent,) = P.anyway_from_dialog(page)
        assert sent.startswith(DRAFT) and sent.endswith("Dòng hai.")
    finally:
        page.close()


# Records, in the page's own world, the Enter key events its handlers see that no user typed.
RECORD_REPLAYED_ENTER_JS = """sel => {
  window.__replayed = [];
  document.querySelector(sel).addEventListener('keydown', e => {
    if (!e.isTrusted && e.key === 'Enter') window.__replayed.push([e.key, e.keyCode, e.which]);
  });
}"""


def test_post_anyway_replays_enter_with_the_key_codes_the_page_reads(
    ext, fixture_server, service
) -> None:
    """After Enter was held, "Post anyway" sends it again: the page's own handlers must see
    Enter's legacy codes too (keyCode and which 13: Draft.js's Enter and many chat boxes read
    them). Before, they were set on the content script's view of the event only, and the page saw
    0 — Zalo-style handlers reading keyCode, or X's direct messages, never sent."""
    platform = PLATFORMS["zalo"]
    page = P.open_platform(ext, fixture_server, "zalo")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        page.evaluate(RECORD_REPLAYED_ENTER_JS, platform.editor)
        page.keyboard.press("Enter")
        P.dialog(page).wait_for(state="visible")
        P.choose(page, "post-anyway")
        assert P.wait_posted(page) == [DRAFT]
        assert page.evaluate("window.__replayed") == [["Enter", 13, 13]]
    finally:
        page.close()


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_post_pressed_from_the_keyboard_gets_the_last_check(
    ext, fixture_server, service, key: str
) -> None:
    """Facebook's Post is a div[role=button]: Tab to it and Enter (or Space) posts through the
    site's own key handler, with no click for the guard to see. It is held like a click, and
    "Post anyway" presses it again, once. Before, the post went out unchecked."""
    platform = PLATFORMS["facebook"]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        page.focus(platform.post)  # as Tab from the editor does
        page.keyboard.press(key)
        P.edit_from_dialog(page, platform, DRAFT)
        page.focus(platform.post)
        page.keyboard.press(key)
        P.dialog(page).wait_for(state="visible")
        P.choose(page, "post-anyway")
        assert P.wait_posted(page, timeout=3000) == [DRAFT]
        page.wait_for_timeout(300)  # a second post would be recorded by now
        assert P.posted(page) == [DRAFT]
    finally:
        page.close()


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_a_clean_post_pressed_from_the_keyboard_before_its_check_goes_out_once(
    ext, fixture_server, service, key: str
) -> None:
    """Pressed before the pause has sent the draft (a long debounce), the key waits for the
    check; nothing serious, so the press is made again and the site posts — once: the user's own
    key release, arriving after, must not post a second time (Space posts on keyup)."""
    platform = PLATFORMS["facebook"]
    P.configure(ext, debounceMs=3000)
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(CLEAN)
        page.focus(platform.post)
        page.keyboard.down(key)
        page.wait_for_timeout(300)  # the check is answered meanwhile; the key is still held down
        page.keyboard.up(key)
        assert P.wait_posted(page, timeout=3000) == [CLEAN]
        page.wait_for_timeout(300)  # a second post would be recorded by now
        assert P.posted(page) == [CLEAN]
        assert not P.dialog(page).is_visible()
    finally:
        page.close()
        P.configure(ext, debounceMs=100)


# A modal composer's focus trap, as focus-trap libraries make it: focus that lands outside the
# modal is sent back into it (a document-level capture listener).
ADD_FOCUS_TRAP_JS = """() => {
  const modal = document.querySelector('[role="dialog"]');
  const editor = modal.querySelector('[contenteditable="true"]');
  window.__trapped = 0;
  document.addEventListener('focusin', e => {
    if (modal.contains(e.target)) return;
    window.__trapped++;
    editor.focus();
  }, true);
}"""

# ... and its keys, as the focus-trap library has them (a capture listener on the document): Tab
# cycles within the modal, Escape closes it (the composer asks whether to discard the draft).
ADD_TRAP_KEYS_JS = """() => {
  const modal = document.querySelector('[role="dialog"]');
  const editor = modal.querySelector('[contenteditable="true"]');
  window.__closedByEscape = false;
  document.addEventListener('keydown', e => {
    if (e.key === 'Escape') {
      window.__closedByEscape = true;
    } else if (e.key === 'Tab' && !modal.contains(e.target)) {
      e.preventDefault();
      editor.focus();
    }
  }, true);
}"""

DIALOG_FOCUS_JS = f"() => {P.SHADOW}?.activeElement?.dataset.action ?? null"


def test_a_modal_composers_focus_trap_leaves_the_dialog_its_focus(
    ext, fixture_server, service
) -> None:
    """Facebook's composer is a modal dialog; modals keep focus inside themselves. The last-check
    dialog (outside the page's modal) must keep the focus it takes, so Escape and Tab reach it
    and keys never go to the draft behind it. Before, the page's trap took focus back to the
    editor: Escape left the dialog open, and what was typed went into the draft."""
    platform = PLATFORMS["facebook"]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.evaluate(ADD_FOCUS_TRAP_JS)
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        page.click(platform.post)
        P.dialog(page).wait_for(state="visible")
        assert page.evaluate(DIALOG_FOCUS_JS) == "edit"
        page.keyboard.press("Tab")
        assert page.evaluate(DIALOG_FOCUS_JS) == "post-anyway"
        page.keyboard.press("Escape")
        P.dialog(page).wait_for(state="detached")
        assert P.field_text(page, platform) == DRAFT
        assert P.posted(page) == []
        assert page.evaluate("window.__trapped") == 0
        page.keyboard.type(" ok")  # back in the draft, caret where it was
        page.wait_for_function(
            f"([sel, want]) => ({P.FIELD_TEXT_JS})(sel) === want",
            arg=[platform.editor, DRAFT + " ok"],
            timeout=2000,
        )
    finally:
        page.close()


@pytest.mark.parametrize("send", ["click", "Control+Enter"])
def test_post_of_an_x_thread_checks_every_post_in_it(
    ext, fixture_server, service, send: str
) -> None:
    """X: the first post of a thread has errors, the user adds a second ("+") and writes a clean
    line in it, then posts the thread — "Đăng tất cả", or Ctrl+Enter in the second box (both
    send every post). The first post gets the last check too; Post anyway sends both, once."""
    platform = PLATFORMS["x"]
    second = '[data-testid="tweetTextarea_1"]'
    page = P.open_platform(ext, fixture_server, "x")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        page.click('[data-testid="addButton"]')
        page.click(second)
        page.keyboard.type(CLEAN)
        P.wait_badge_state(page, "ok")
        if send == "click":
            page.click(platform.post)
        else:
            page.keyboard.press(send)
        P.dialog(page).wait_for(state="visible")
        assert P.posted(page) == []
        P.choose(page, "edit")
        assert page.evaluate(
            "sel => document.querySelector(sel).contains(document.activeElement)", platform.editor
        )  # the box with the errors
        if send == "click":
            page.click(platform.post)
        else:
            page.keyboard.press(send)
        P.dialog(page).wait_for(state="visible")
        P.choose(page, "post-anyway")
        page.wait_for_function("() => document.querySelectorAll('#posted li').length == 2")
        assert P.posted(page) == [DRAFT, CLEAN]
    finally:
        page.close()


# A web component's composer, as Reddit builds them (shreddit-…): the editor lives in the
# element's open shadow root, the Post button is slotted in from the page (slot=submit-button).
ADD_SHADOW_COMPOSER_JS = """() => {
  const host = document.createElement('shreddit-simple-composer');
  const root = host.attachShadow({mode: 'open'});
  root.innerHTML = '<div class="editor-frame"><div class="editor" contenteditable="true"'
    + ' role="textbox" aria-label="Trả lời"></div></div>'
    + '<div class="actions"><slot name="submit-button"></slot></div>';
  const button = document.createElement('button');
  button.type = 'button';
  button.slot = 'submit-button';
  button.textContent = 'Trả lời';
  button.addEventListener('click', () => {
    const editor = root.querySelector('[contenteditable]');
    const li = document.createElement('li');
    li.textContent = editor.innerText;
    document.getElementById('posted').appendChild(li);
    editor.textContent = '';
  });
  host.appendChild(button);
  document.getElementById('comment-form').after(host);
}"""


def test_post_of_a_composer_in_a_shadow_root_gets_the_last_check(
    ext, fixture_server, service
) -> None:
    """An editor inside a web component's shadow root, its Post slotted in from outside: the
    guard finds the editor's Post across the shadow boundary (before, Post went out unchecked:
    the walk up from the editor stopped at its shadow root)."""
    box = Platform(
        "shadow",
        "shreddit-simple-composer >> [contenteditable]",
        "shreddit-simple-composer > button",
        "contenteditable",
    )
    page = P.open_platform(ext, fixture_server, "reddit")
    try:
        page.evaluate(ADD_SHADOW_COMPOSER_JS)
        page.click(box.editor)
        page.wait_for_selector('[data-testid="rasoat-badge"]', state="attached")
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        page.click(box.post)
        assert P.anyway_from_dialog(page) == [DRAFT]
    finally:
        page.close()


MENU_OPEN_JS = "() => !document.getElementById('typeahead-menu').hidden"


def test_enter_that_picks_a_mention_is_not_a_send(ext, fixture_server, service) -> None:
    """Messenger (Lexical's typeahead menu): with the "@…" mention list open, Enter picks the
    person — the box names the list's active option in aria-activedescendant. That Enter is not
    held (before, a draft with errors showed the last-check dialog instead, and the mention was
    never picked); the Enter that then sends still gets the last check."""
    platform = PLATFORMS["messenger"]
    page = P.open_platform(ext, fixture_server, "messenger")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT + " Gửi @La")
        page.wait_for_function(MENU_OPEN_JS)
        P.wait_badge_state(page, "issues")
        page.keyboard.press("Enter")
        text = DRAFT + " Gửi @Lan Anh "
        page.wait_for_function(
            f"([sel, want]) => ({P.FIELD_TEXT_JS})(sel) === want",
            arg=[platform.editor, text],
            timeout=2000,
        )
        assert not P.dialog(page).is_visible()
        assert P.posted(page) == []
        assert not page.evaluate(MENU_OPEN_JS)
        page.keyboard.press("Enter")
        P.dialog(page).wait_for(state="visible")
        P.choose(page, "post-anyway")
        assert P.wait_posted(page) == [text]
    finally:
        page.close()


def test_a_modal_composers_trap_keys_never_see_the_dialogs_keys(
    ext, fixture_server, service
) -> None:
    """The same trap's keys (a document capture listener: Tab kept in the modal, Escape closes
    it): Tab and Escape pressed in the last-check dialog are the dialog's — Tab and Shift+Tab
    move between its buttons, Escape closes it and never the page's composer. Before, capture
    listeners of the page saw them first: Escape closed the composer behind the dialog."""
    platform = PLATFORMS["facebook"]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.evaluate(ADD_FOCUS_TRAP_JS)
        page.evaluate(ADD_TRAP_KEYS_JS)
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        page.click(platform.post)
        P.dialog(page).wait_for(state="visible")
        page.keyboard.press("Tab")
        assert page.evaluate(DIALOG_FOCUS_JS) == "post-anyway"
        page.keyboard.press("Shift+Tab")  # (Tab goes on to the list when it scrolls)
        assert page.evaluate(DIALOG_FOCUS_JS) == "edit"
        page.keyboard.press("Escape")
        P.dialog(page).wait_for(state="detached")
        assert page.evaluate("window.__closedByEscape") is False
        assert P.field_text(page, platform) == DRAFT
        assert P.posted(page) == []
    finally:
        page.close()


@pytest.mark.parametrize("name", ["zalo", "messenger"])
def test_typing_on_while_a_sent_message_waits_for_its_check_starts_the_next(
    ext, fixture_server, service, name: str
) -> None:
    """Chat: "Chào anh", Enter, and straight on "Em gửi báo cáo", Enter. With a slow service
    the first Enter waits for its check (here: a service that never answers) — the keys typed
    meanwhile must still start the next message, as they do without Rasoat: two messages, in
    order. Before, they went into the first one ("Chào anhEm gửi báo cáo", sent as one message)
    and the second Enter was swallowed."""
    platform = PLATFORMS[name]
    with harness.silent_service() as url:
        P.configure(ext, serviceUrl=url)
        page = P.open_platform(ext, fixture_server, name)
        try:
            P.focus_editor(page, platform)
            page.keyboard.type("Chào anh")
            page.keyboard.press("Enter")
            page.keyboard.type("Em gửi báo cáo")
            page.keyboard.press("Enter")
            page.wait_for_function(
                "() => document.querySelectorAll('#posted li').length == 2", timeout=10_000
            )
            assert P.posted(page) == ["Chào anh", "Em gửi báo cáo"]
            assert P.field_text(page, platform).strip() == ""
        finally:
            page.close()
            P.configure(ext, serviceUrl=service.url)


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_the_dialogs_buttons_work_from_the_keyboard(ext, fixture_server, service, key: str) -> None:
    """Keys pressed in the dialog stop at the window (the page never sees them), yet its focused
    button still takes Enter and Space: Edit (focused first) goes back to the draft; Tab, then the
    key on "Post anyway", posts it once."""
    platform = PLATFORMS["facebook"]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        page.click(platform.post)
        P.dialog(page).wait_for(state="visible")
        page.keyboard.press(key)
        P.dialog(page).wait_for(state="detached")
        assert P.posted(page) == []
        assert P.field_text(page, platform) == DRAFT
        page.click(platform.post)
        P.dialog(page).wait_for(state="visible")
        page.keyboard.press("Tab")
        page.keyboard.press(key)
        assert P.wait_posted(page, timeout=3000) == [DRAFT]
    finally:
        page.close()
