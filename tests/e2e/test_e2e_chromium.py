"""The extension in Debian's Chromium on every platform's fixture page, against the real service."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e import harness
from tests.e2e import pages as P
from tests.e2e.platforms import FORUM, PLATFORMS, Platform

DRAFT, CLEAN, TITLE = P.DRAFT, P.CLEAN, P.TITLE


@pytest.fixture(scope="module")
def draft_findings(service) -> list[tuple[str, int, int, str]]:
    expected = P.expected_marks(service, DRAFT)
    severities = {m["severity"] for m in P.service_check(service, DRAFT)}
    assert "error" in severities, (
        f"the test draft no longer has an error-level finding in the default pack: {expected}"
    )
    assert P.expected_marks(service, CLEAN) == [], "the clean draft is flagged by the pack"
    return expected


def _blocking_count(service: harness.Service, text: str) -> int:
    """Error-level items the dialog lists: one per flagged span (P.merge_same_spans)."""
    return sum(m["severity"] == "error" for m in P.merge_same_spans(P.service_check(service, text)))


def _assert_drawn(page, platform: Platform, expected) -> None:
    """Underlines cover exactly the flagged text: marks read back from the DOM ranges, and the
    highlight registry (or, for a textarea, the overlay's boxes) actually holds them."""
    P.wait_marks(page, expected)
    texts = sorted(t[3] for t in expected)
    if platform.kind == "textarea":
        # No DOM range inside a textarea: each underline is an overlay box over the field.
        inside = page.evaluate(
            f"""sel => {{
            const field = document.querySelector(sel).getBoundingClientRect();
            return [...{P.SHADOW}.querySelectorAll('[data-testid="rasoat-mark"]')].map(m => {{
              const r = m.getBoundingClientRect();
              return r.width > 0 && r.height > 0 && r.left >= field.left && r.right <= field.right
                && r.top >= field.top && r.bottom <= field.bottom;
            }});
        }}""",
            platform.editor,
        )
        assert inside and all(inside), "a textarea's underlines are boxes drawn over the field"
    else:
        drawn = P.highlights(page)
        assert sorted(t for ranges in drawn.values() for t in ranges) == texts, drawn


# The intranet forum's page whose editor is an iframe (fixtures/src/forum-editor.js), by editor.
FORUM_EDITOR = "https://dien-dan.noibo.vn/soan-bai?editor="
# The editor's body inside its iframe: where the user types, and what gets underlined.
IFRAME_BODY = Platform("forum-editor", "body", None, "contenteditable")


@contextmanager
def _site_granted(playwright_instance, fixture_server, service, site: str):
    """Chromium with the extension as the user has it once they granted `site` its host access
    in Options or the popup: headless Chromium can show no permission prompt, so the copy loaded
    here holds the grant in its manifest (the only difference from extension/)."""
    with tempfile.TemporaryDirectory(prefix="rasoat-e2e-ext-") as tmp:
        copy = Path(tmp) / "extension"
        shutil.copytree(harness.EXTENSION, copy)
        manifest = json.loads((copy / "manifest.json").read_text("utf-8"))
        manifest["host_permissions"] += [f"*://{site}/*", f"*://*.{site}/*"]
        (copy / "manifest.json").write_text(json.dumps(manifest), "utf-8")
        ctx = harness.launch_chromium(playwright_instance, fixture_server.port, extension=copy)
        try:
            P.configure(ctx, serviceUrl=service.url, debounceMs=100)
            yield ctx
        finally:
            harness.close_chromium(ctx)


def _open_forum_editor(ctx, kind: str):
    """The forum's page with its `kind` of iframe editor, and the editor's frame, once ready."""
    page = ctx.new_page()
    page.goto(FORUM_EDITOR + kind)
    page.wait_for_selector(f"body[data-fixture='forum-editor'][data-editor='{kind}']")
    return page, page.wait_for_selector("#editor iframe").content_frame()


def _site_on_from_popup(ctx, site: str, on: bool) -> None:
    """Tick (or untick) `site` in the popup about its open tab, as the user does."""
    sw = harness.service_worker(ctx)
    tab = sw.evaluate(
        "u => chrome.tabs.query({url: u}).then(t => t.map(x => x.id).pop())", f"https://{site}/*"
    )
    popup = P.open_popup(ctx, tab, "() => document.getElementById('site-label').textContent")
    try:
        assert popup.locator("#site").is_checked() is not on
        popup.click("#site")
        popup.wait_for_function("on => document.getElementById('site').checked === on", arg=on)
    finally:
        popup.close()


@pytest.mark.parametrize("kind", ["ckeditor", "tinymce", "designmode"])
def test_an_added_site_with_its_editor_in_an_iframe_is_checked_at_once_and_after_reload(
    playwright_instance, fixture_server, service, kind: str
) -> None:
    """A site the user adds, whose editor lives in an iframe with no address of its own (CKEditor
    4 classic: about:blank; TinyMCE: srcdoc; an older editor: designMode), as on many of the
    agencies' forums and portals: the content scripts went only into the top frame when the site
    was turned on, and never into such an iframe even after a reload (the registered scripts did
    not match an about:blank/srcdoc frame; the background refused checks from a frame with no
    host; the editors' bodies turn the spell checker off). Turned on from the popup with the tab
    open, the draft typed in the iframe is underlined exactly; after a reload too. "Gửi bài", in
    the page around the iframe, posted the draft without the last check: it is held now, the
    dialog shown over the page; Edit goes back into the editor, Post anyway posts once."""
    site = harness.PLATFORM_HOST["forum"]
    with _site_granted(playwright_instance, fixture_server, service, site) as ctx:
        expected = P.expected_marks(service, DRAFT)
        page, frame = _open_forum_editor(ctx, kind)

        def site_on(on: bool) -> None:
            _site_on_from_popup(ctx, site, on)

        site_on(True)  # with the forum's tab open
        try:
            for reloaded in (False, True):
                if reloaded:
                    page.close()
                    page, frame = _open_forum_editor(ctx, kind)
                frame.click("body")
                frame.wait_for_selector('[data-testid="rasoat-badge"]', state="attached")
                page.keyboard.type(DRAFT)
                P.wait_badge_state(frame, "issues")
                _assert_drawn(frame, IFRAME_BODY, expected)
                assert P.field_text(frame, IFRAME_BODY) == DRAFT
                if not reloaded:
                    # The card (from the badge), in the editor's frame: inside its window.
                    frame.locator('[data-testid="rasoat-badge"]').click()
                    P.card(frame).wait_for(state="visible")
                    assert frame.evaluate(f"""() => {{
                      const r = {P.SHADOW}.querySelector('[data-testid="rasoat-card"]')
                        .getBoundingClientRect();
                      return r.left >= 0 && r.top >= 0 && r.right <= innerWidth
                        && r.bottom <= innerHeight;
                    }}""")
                    page.keyboard.press("Escape")
                    # Off and on again: the scripts already running there are not run twice
                    # (a second <rasoat-root>, which drew nothing the first one cleared).
                    site_on(False)
                    frame.wait_for_function(
                        f"() => !{P.SHADOW}?.querySelector('[data-testid=\"rasoat-badge\"]')"
                    )
                    site_on(True)
                    P.wait_badge_state(frame, "issues")
                    _assert_drawn(frame, IFRAME_BODY, expected)
                    assert frame.evaluate("document.querySelectorAll('rasoat-root').length") == 1
                    page.keyboard.press("Control+A")
                    page.keyboard.press("Delete")
            # "Gửi bài" is in the page, outside the editor's iframe: the last check holds it,
            # its dialog over the page (not inside the editor's few lines). Edit: back in the
            # iframe, the caret after the draft; then Post anyway posts the draft once.
            page.click(FORUM.post)
            P.dialog(page).wait_for(state="visible")
            assert P.dialog(frame).count() == 0
            items = page.locator('[data-testid="rasoat-dialog-item"]')
            assert items.count() == _blocking_count(service, DRAFT)
            assert P.posted(page) == []
            P.choose(page, "edit")
            assert P.dialog(page).count() == 0 and P.posted(page) == []
            assert frame.evaluate("document.hasFocus() && document.activeElement === document.body")
            page.keyboard.type(" ok")
            assert P.field_text(frame, IFRAME_BODY) == DRAFT + " ok"
            page.click(FORUM.post)
            assert P.anyway_from_dialog(page) == [DRAFT + " ok"]
        finally:
            page.close()


def test_a_draft_too_long_in_an_iframe_editor_is_kept_says_so_and_posts(
    playwright_instance, fixture_server, service
) -> None:
    """A draft over 100,000 characters pasted into an editor whose body is an iframe's document
    (CKEditor 4, TinyMCE, designMode: the forum, once the user added it), as on the other
    editors: nothing is sent, the badge in the iframe says how far over the limit the draft is,
    and "Gửi bài" in the page posts the draft intact, with no dialog."""
    site = harness.PLATFORM_HOST["forum"]
    line = CLEAN + " Công việc tuần này: họp giao ban, rà soát hồ sơ. "
    # One character over, ending in a letter (a contenteditable keeps a last space as U+00A0).
    text = (DRAFT + " " + line * (100_001 // len(line) + 1))[:100_000] + "x"
    said = (
        P.strings()["badgeTitle_tooLongBy"]["message"]
        .replace("$1", "100.001")
        .replace("$2", "100.000")
        .replace("$3", "1")
    )
    with _site_granted(playwright_instance, fixture_server, service, site) as ctx:
        _site_on_from_popup_when_open(ctx, site)
        for kind in ("ckeditor", "tinymce", "designmode"):
            page, frame = _open_forum_editor(ctx, kind)
            try:
                checks = service.check_requests()
                frame.click("body")
                frame.wait_for_selector('[data-testid="rasoat-badge"]', state="attached")
                page.keyboard.insert_text(text)  # one paste
                shown = P.wait_badge_state(frame, "tooLong", "offline", "ok", "issues")
                assert shown["state"] == "tooLong", (kind, shown)
                badge = frame.locator('[data-testid="rasoat-badge"]')
                assert badge.get_attribute("title") == said, kind
                assert P.marks(frame) == [] and service.check_requests() == checks
                page.click(FORUM.post)
                assert P.wait_posted(page) == [text], kind
                assert not P.dialog(page).is_visible() and not P.dialog(frame).is_visible()
            finally:
                page.close()


def _site_on_from_popup_when_open(ctx, site: str) -> None:
    """Turn `site` on from the popup about a tab of it (the popup needs one open)."""
    page, _frame = _open_forum_editor(ctx, "ckeditor")
    try:
        _site_on_from_popup(ctx, site, True)
    finally:
        page.close()


@pytest.mark.parametrize("loaded", ["before", "after"])
@pytest.mark.parametrize("kind", ["ckeditor", "tinymce"])
def test_a_title_in_the_page_and_a_body_in_an_iframe_are_asked_about_in_one_dialog(
    playwright_instance, fixture_server, service, kind: str, loaded: str
) -> None:
    """A new thread on the forum: its title in a box of the page, its body in the editor's
    iframe, one "Gửi bài" for both. The page's scripts and the iframe's each held that Post for
    their own box: two last-check dialogs one after the other, the second coming after the first
    one's "Post anyway". Now one dialog lists the serious findings of both boxes, Edit goes back
    to the box typed in last (the body, in its iframe), one "Post anyway" posts both once, with
    no dialog after it; with the service stopped, Post goes through without any. The page
    loaded before the site was turned on (the page's copy of the scripts then sees the Post
    first, in Chromium) or after (the iframe's copy does): the one that holds the Post asks the
    other's frame — and the page has a third frame, of another site, that no extension can
    reach."""
    site = harness.PLATFORM_HOST["forum"]
    assert _blocking_count(service, TITLE) > 0
    expected = _blocking_count(service, TITLE) + _blocking_count(service, DRAFT)
    with _site_granted(playwright_instance, fixture_server, service, site) as ctx:
        page = ctx.new_page()
        page.goto(f"{FORUM_EDITOR}{kind}&title=1")
        page.wait_for_selector(f"body[data-editor='{kind}'][data-title='1']")
        frame = page.wait_for_selector("#editor iframe").content_frame()
        # Beside them, a frame no extension may script (asking every frame must not fail on it).
        assert any(f.url.startswith("chrome-error:") for f in page.frames)
        _site_on_from_popup(ctx, site, True)
        if loaded == "after":
            page.reload()
            page.wait_for_selector(f"body[data-editor='{kind}'][data-title='1']")
            frame = page.wait_for_selector("#editor iframe").content_frame()
        try:
            page.click("#tieu-de")
            page.wait_for_selector('[data-testid="rasoat-badge"]', state="attached")
            page.keyboard.type(TITLE)
            P.wait_badge_state(page, "issues")
            frame.click("body")
            frame.wait_for_selector('[data-testid="rasoat-badge"]', state="attached")
            page.keyboard.type(DRAFT)
            P.wait_badge_state(frame, "issues")

            page.click(FORUM.post)
            P.dialog(page).wait_for(state="visible")
            dialogs = page.locator('[data-testid="rasoat-dialog"]')
            assert dialogs.count() == 1 and P.dialog(frame).count() == 0
            items = page.locator('[data-testid="rasoat-dialog-item"]')
            flagged = items.locator(".flagged").all_text_contents()
            assert items.count() == expected, flagged
            assert "MẬT" in flagged and "Tuan@2024" in flagged  # the title's, with the body's
            P.choose(page, "edit")
            assert P.dialog(page).count() == 0 and P.posted(page) == []
            # (From the page's frame, the iframe's scripts are asked to take the focus back.)
            frame.wait_for_function(
                "document.hasFocus() && document.activeElement === document.body"
            )

            page.click(FORUM.post)
            assert P.anyway_from_dialog(page) == [f"{TITLE}\n{DRAFT}"]
            assert page.locator('[data-testid="rasoat-dialog"]').count() == 0
            assert P.posted(page) == [f"{TITLE}\n{DRAFT}"]

            # The service stopped: both drafts go out, no dialog (new texts: answers are cached).
            with service.stopped():
                page.click("#tieu-de")
                page.keyboard.type(TITLE + " (2)")
                P.wait_badge_state(page, "offline")
                frame.click("body")
                page.keyboard.type(DRAFT + " (2)")
                P.wait_badge_state(frame, "offline")
                page.click(FORUM.post)
                page.wait_for_function("() => document.querySelectorAll('#posted li').length === 2")
                assert page.locator('[data-testid="rasoat-dialog"]').count() == 0
        finally:
            page.close()


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_warn_explain_and_last_check(
    ext, fixture_server, service, draft_findings, name: str
) -> None:
    platform = PLATFORMS[name]
    page = P.open_platform(ext, fixture_server, name)
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")  # may be a check of part of the draft, typed so far
        _assert_drawn(page, platform, draft_findings)
        findings = P.service_check(service, DRAFT)
        errors = sum(m["severity"] == "error" for m in findings)
        page.wait_for_function(
            f"n => {P.SHADOW}.querySelector('[data-testid=\"rasoat-badge\"]').dataset.errors == n",
            arg=str(errors),
        )

        # The card explains a finding: click the first underline (the badge for a textarea).
        first = min(findings, key=lambda m: m["offset"])
        if platform.kind == "textarea":
            page.locator('[data-testid="rasoat-badge"]').click()
        else:
            P.click_text(
                page,
                platform,
                P.utf16_slice(DRAFT, first["offset"], first["offset"] + first["length"]),
            )
        P.card(page).wait_for(state="visible")
        assert first["message"] in P.card(page).inner_text()
        page.keyboard.press("Escape")
        P.card(page).wait_for(state="hidden")

        # Post with an error left → the last-check dialog, nothing posted. (The caret is still in
        # the editor, where the click on the underline put it: Enter-to-send works from there.)
        P.press_post(page, platform)
        P.dialog(page).wait_for(state="visible")
        items = page.locator('[data-testid="rasoat-dialog-item"]')
        assert items.count() == _blocking_count(service, DRAFT)
        assert P.posted(page) == []

        # Edit → back in the editor, draft intact and focused, still nothing posted.
        P.choose(page, "edit")
        P.dialog(page).wait_for(state="hidden")
        assert P.field_text(page, platform) == DRAFT
        assert page.evaluate(
            "sel => document.querySelector(sel).contains(document.activeElement)", platform.editor
        )
        assert P.posted(page) == []

        # Post again → Post anyway → exactly the typed text goes out, once.
        assert P.post_anyway(page, platform) == [DRAFT]
    finally:
        page.close()


def test_a_compose_box_in_a_frame_is_checked_and_its_post_gets_the_last_check(
    ext, fixture_server, service, draft_findings
) -> None:
    chat = P.LIVE_CHAT
    page, frame = P.open_live_chat(ext)
    try:
        P.focus_editor(frame, chat)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(frame, "issues")
        _assert_drawn(frame, chat, draft_findings)
        P.press_post(frame, chat)
        P.edit_from_dialog(frame, chat, DRAFT)
        assert P.post_anyway(frame, chat) == [DRAFT]
    finally:
        page.close()


@pytest.mark.parametrize("name", list(PLATFORMS))
@pytest.mark.parametrize("close", ["edit", "escape", "click-text-then-escape"])
def test_edit_gives_the_caret_back_where_it_was(
    ext, fixture_server, service, draft_findings, name: str, close: str
) -> None:
    """Closing the last-check dialog (Edit, or Escape — also after a click on the dialog's text)
    puts the caret back at the end of the draft, where the user left it: what they type next
    continues the draft. On sites whose Post control is not a <button>, the click itself moves
    the page's selection out of the editor."""
    platform = PLATFORMS[name]
    page = P.open_platform(ext, fixture_server, name)
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        P.press_post(page, platform)
        P.dialog(page).wait_for(state="visible")
        if close == "edit":
            P.choose(page, "edit")
        else:
            if close == "click-text-then-escape":  # e.g. to select a flagged word in the list
                page.locator('[data-testid="rasoat-dialog"] h3').click()
            page.keyboard.press("Escape")  # focus is on the dialog's Edit button
        P.dialog(page).wait_for(state="detached")
        page.keyboard.type(" ok")
        page.wait_for_function(
            f"([sel, want]) => ({P.FIELD_TEXT_JS})(sel) === want",
            arg=[platform.editor, DRAFT + " ok"],
            timeout=2000,
        )
        assert P.posted(page) == []
    finally:
        page.close()


@pytest.mark.parametrize("name", ["facebook", "x", "reddit"])
def test_clean_draft_posts_without_a_dialog(ext, fixture_server, name: str) -> None:
    platform = PLATFORMS[name]
    page = P.open_platform(ext, fixture_server, name)
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(CLEAN)
        state = P.wait_badge_state(page, "ok")
        assert (state["errors"], state["warnings"], state["infos"]) == ("0", "0", "0")
        assert P.marks(page) == []
        P.press_post(page, platform)
        assert P.wait_posted(page) == [CLEAN]
        assert not P.dialog(page).is_visible()
    finally:
        page.close()


def test_offline_badge_and_posting_never_blocked(ext, fixture_server, service) -> None:
    """Service stopped: a quiet offline badge, no underlines, and every platform still posts."""
    with service.stopped():
        for name, platform in PLATFORMS.items():
            page = P.open_platform(ext, fixture_server, name)
            try:
                P.focus_editor(page, platform)
                page.keyboard.type(DRAFT)
                P.wait_badge_state(page, "offline")
                assert P.marks(page) == [], name
                assert P.highlights(page) in (
                    {},
                    {"rasoat-error": [], "rasoat-warning": [], "rasoat-info": []},
                ), name
                P.press_post(page, platform)
                assert P.wait_posted(page) == [DRAFT], name
                assert not P.dialog(page).is_visible(), name
            finally:
                page.close()


@pytest.mark.parametrize("selector", ["#search", "#private-note"])
def test_fields_left_alone(ext, fixture_server, selector: str) -> None:
    """Outside known compose boxes, spellcheck="false" fields are not checked, and
    data-rasoat="off" always opts out: no badge, nothing drawn, nothing sent."""
    page = P.open_platform(ext, fixture_server, "reddit")
    try:
        # The compose box is taken (so the content script is running) ...
        P.focus_editor(page, PLATFORMS["reddit"])
        # ... but these fields are not: the badge stays with the compose box and never checks.
        page.click(selector)
        page.keyboard.type(DRAFT)
        page.wait_for_timeout(600)  # several debounce periods: a check would have been drawn
        assert P.marks(page) == []
        state = P.badge(page)
        assert state is None or not state["visible"] or state["state"] == "idle", state
    finally:
        page.close()


def test_ignore_here_removes_only_that_underline(
    ext, fixture_server, service, draft_findings
) -> None:
    platform = PLATFORMS["facebook"]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        P.wait_marks(page, draft_findings)
        last = max(draft_findings, key=lambda t: t[1])
        P.click_text(page, platform, last[3])
        P.card(page).wait_for(state="visible")
        page.locator('[data-testid="rasoat-card"] [data-action="ignore"]').click()
        P.wait_marks(page, [t for t in draft_findings if t != last])
        assert P.field_text(page, platform) == DRAFT
    finally:
        page.close()


# A second compose box on the page (a comment box beside the post composer).
ADD_SECOND_COMPOSER_JS = """() => {
  const box = document.createElement('div');
  box.id = 'second-composer';
  box.contentEditable = 'true';
  box.setAttribute('role', 'textbox');
  box.style.cssText = 'min-height: 40px; border: 1px solid #999; margin: 8px;';
  document.body.prepend(box);
}"""

# Records the text of every underline the extension draws from now on.
RECORD_MARKS_JS = f"""() => {{
  window.__drawnTexts = new Set();
  const root = {P.SHADOW};
  const record = () => root.querySelectorAll('[data-testid="rasoat-mark"]')
    .forEach(m => window.__drawnTexts.add(m.dataset.text));
  record();
  new MutationObserver(record).observe(root, {{subtree: true, childList: true}});
}}"""


def test_a_composer_left_behind_never_draws_over_the_one_in_use(
    ext, fixture_server, service, draft_findings
) -> None:
    """Two compose boxes: the answer for the draft in the first arrives after the user has moved
    to the second. The second keeps exactly its own underlines (before, the first's answer
    replaced them), and the first's are drawn again once the user goes back to it."""
    platform = PLATFORMS["facebook"]
    second = "Số CCCD của anh Minh là 001203004567, gọi anh ấy nhé."
    P.configure(ext, debounceMs=800)  # the first box's check goes out after the switch
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.evaluate(ADD_SECOND_COMPOSER_JS)
        page.click("#second-composer")
        page.keyboard.type(second)
        P.wait_marks(page, P.expected_marks(service, second))
        own = {t[3] for t in P.expected_marks(service, second + " ok")}
        assert own and own.isdisjoint(t[3] for t in draft_findings), own

        checks = service.check_requests()
        page.evaluate(RECORD_MARKS_JS)
        page.click(platform.editor)
        page.keyboard.insert_text(DRAFT)
        page.click("#second-composer")
        page.keyboard.press("End")
        # The first box's check (the only one pending) is answered while the second is in use;
        # a check of the second box sent after it closes the window.
        deadline = time.monotonic() + 10
        while service.check_requests() < checks + 1:
            assert time.monotonic() < deadline, "the first box was never checked"
            page.wait_for_timeout(50)
        page.keyboard.type(" ok")
        P.wait_badge_state(page, "issues")
        P.wait_marks(page, P.expected_marks(service, second + " ok"))
        drawn = page.evaluate("() => [...window.__drawnTexts]")
        assert set(drawn) <= own, f"underlines of the box left behind were drawn: {drawn}"
        assert sorted(t for r in P.highlights(page).values() for t in r) == sorted(own)

        page.click(platform.editor)  # back to the first box: its findings, already answered
        _assert_drawn(page, platform, draft_findings)
    finally:
        page.close()
        P.configure(ext, debounceMs=100)


def test_a_composer_removed_while_another_is_in_use_leaves_it_alone(
    ext, fixture_server, service
) -> None:
    """The page drops a compose box the user has left (an SPA closing a conversation): the box
    in use keeps its underlines and badge, and its Post still gets the last check."""
    platform = PLATFORMS["facebook"]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.evaluate(ADD_SECOND_COMPOSER_JS)
        P.focus_editor(page, platform)
        page.keyboard.type(CLEAN)
        P.wait_badge_state(page, "ok")
        page.click("#second-composer")
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        expected = P.expected_marks(service, DRAFT)
        P.wait_marks(page, expected)
        page.evaluate("sel => document.querySelector(sel).remove()", platform.editor)
        page.wait_for_timeout(2500)  # the content script sweeps removed boxes once a second
        assert P.mark_tuples(page) == expected
        assert sorted(t for r in P.highlights(page).values() for t in r) == sorted(
            t[3] for t in expected
        )
        assert P.badge(page)["state"] == "issues"
    finally:
        page.close()


# A reply form beside Reddit's comment form: its own textarea and Post control.
ADD_REPLY_FORM_JS = """() => {
  const form = document.createElement('form');
  form.id = 'reply-form';
  form.className = 'dialog';
  form.innerHTML = '<textarea name="reply" rows="3"></textarea>'
    + '<button type="submit">Trả lời</button>';
  form.addEventListener('submit', e => e.preventDefault());
  document.getElementById('comment-form').after(form);
}"""


def test_post_of_a_composer_left_for_another_gets_the_last_check(
    ext, fixture_server, service, draft_findings
) -> None:
    """Type a draft in one box, click into another box nearby (a reply form) and type there,
    then press the first box's Post: the first draft gets the last check (before, the check
    looked only at the box in use, and the post went out unchecked)."""
    platform = PLATFORMS["reddit"]
    page = P.open_platform(ext, fixture_server, "reddit")
    try:
        page.evaluate(ADD_REPLY_FORM_JS)
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        page.click("#reply-form textarea")
        page.keyboard.type(CLEAN)
        P.wait_badge_state(page, "ok")
        page.click(platform.post)
        P.edit_from_dialog(page, platform, DRAFT)
        assert page.evaluate(
            "sel => document.activeElement === document.querySelector(sel)", platform.editor
        )
        assert P.post_anyway(page, platform) == [DRAFT]

        # The site turned off: no box is checked any more, and no Post is held.
        page.click(platform.editor)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        page.click("#reply-form textarea")
        P.configure(ext, sites={"reddit.com": False})
        page.wait_for_function(NO_BADGE_JS)
        page.click(platform.post)
        page.wait_for_function("() => document.querySelectorAll('#posted li').length == 2")
        assert P.posted(page) == [DRAFT, DRAFT]
        assert not P.dialog(page).is_visible()
    finally:
        page.close()
        P.configure(ext, sites={})


NO_BADGE_JS = f"() => !{P.SHADOW}?.querySelector('[data-testid=\"rasoat-badge\"]')"


@pytest.mark.parametrize("how", ["site-off-and-on", "composer-detached-and-put-back"])
def test_a_composer_is_checked_again_after_the_extension_let_it_go(
    ext, fixture_server, service, draft_findings, how: str
) -> None:
    """The extension drops a compose box when its site is turned off (popup) or when the box
    leaves the page (an SPA detaching its composer). When the site is turned back on, or the same
    box comes back, drafts typed there are checked and the Post is held again — before, the
    box stayed dead until a reload, and a Post went out without the last check."""
    platform = PLATFORMS["facebook"]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(CLEAN)
        P.wait_badge_state(page, "ok")
        if how == "site-off-and-on":
            P.configure(ext, sites={"facebook.com": False})
            page.wait_for_function(NO_BADGE_JS)
            P.configure(ext, sites={})
            P.wait_badge_state(page, "ok")  # the box still has focus: taken again at once
        else:
            page.evaluate(
                """sel => {
              const box = document.querySelector(sel);
              const parent = box.parentNode, next = box.nextSibling;
              box.remove();
              window.__putBack = () => parent.insertBefore(box, next);
            }""",
                platform.editor,
            )
            page.wait_for_function(NO_BADGE_JS)  # the extension has let the box go
            page.evaluate("() => window.__putBack()")
            page.click(platform.editor)  # removing it took the focus away: the user clicks in
        page.keyboard.press("Control+End")
        page.keyboard.type(" " + DRAFT)
        P.wait_badge_state(page, "issues")
        text = CLEAN + " " + DRAFT
        P.wait_marks(page, P.expected_marks(service, text))
        P.press_post(page, platform)
        P.edit_from_dialog(page, platform, text)
    finally:
        page.close()
        P.configure(ext, sites={})


# Watches the page outside <rasoat-root>: any mutation there is a change the page could see.
WATCH_PAGE_JS = """() => {
  window.__pageMutations = [];
  new MutationObserver(records => {
    for (const r of records) {
      const target = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (target && target.closest('rasoat-root')) continue;
      if ([...r.addedNodes].every(n => n.nodeName === 'RASOAT-ROOT')
          && r.removedNodes.length === 0 && r.type === 'childList') continue;
      window.__pageMutations.push(r.type + ' ' + (target ? target.nodeName : '?')
        + (r.attributeName ? ' ' + r.attributeName : ''));
    }
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                          characterData: true});
}"""


def test_checking_and_drawing_never_touch_the_page(
    ext, fixture_server, service, draft_findings
) -> None:
    """Between the last keystroke and the underlines being drawn, nothing in the page's own DOM
    (the editors included) changes: everything drawn lives in <rasoat-root>'s shadow root."""
    P.configure(ext, debounceMs=700)
    try:
        for name in ("facebook", "x", "linkedin", "zalo", "youtube", "reddit"):
            platform = PLATFORMS[name]
            page = P.open_platform(ext, fixture_server, name)
            try:
                P.focus_editor(page, platform)
                page.keyboard.insert_text(DRAFT)
                page.evaluate("() => new Promise(r => setTimeout(r, 100))")  # editor settles
                page.evaluate(WATCH_PAGE_JS)  # well before the 700 ms debounce ends
                P.wait_marks(page, draft_findings)
                P.wait_badge_state(page, "issues")
                mutations = page.evaluate("window.__pageMutations")
                assert mutations == [], f"{name}: the page's DOM changed: {mutations[:5]}"
            finally:
                page.close()
    finally:
        P.configure(ext, debounceMs=100)


@pytest.mark.parametrize("name", ["messenger", "zalo"])
def test_shift_enter_is_a_new_line_not_a_post(ext, fixture_server, service, name: str) -> None:
    """Where Enter sends, Shift+Enter must stay a line break even with errors in the draft."""
    platform = PLATFORMS[name]
    page = P.open_platform(ext, fixture_server, name)
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        page.keyboard.press("Shift+Enter")
        page.keyboard.type("Dòng hai.")
        text = DRAFT + "\nDòng hai."
        P.wait_marks(page, P.expected_marks(service, text))
        assert not P.dialog(page).is_visible()
        assert P.posted(page) == []
        assert P.post_anyway(page, platform) == [text]
    finally:
        page.close()


@pytest.mark.parametrize(
    ("name", "send"),
    [
        ("x", "Control+Enter"),  # X posts on Ctrl/⌘+Enter
        ("instagram", "Enter"),  # Enter posts an Instagram comment
        ("messenger", 'div[role="button"][aria-label="Nhấn Enter để gửi"]'),  # the send button
    ],
)
def test_other_ways_to_post_get_the_last_check(
    ext, fixture_server, service, draft_findings, name: str, send: str
) -> None:
    platform = PLATFORMS[name]
    page = P.open_platform(ext, fixture_server, name)
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, draft_findings)
        if send.endswith("Enter"):
            page.keyboard.press(send)
        else:
            page.click(send)
        assert P.anyway_from_dialog(page) == [DRAFT]
    finally:
        page.close()


# Where the dialog's parts are, in viewport pixels, with the dialog's own scroll position.
DIALOG_LAYOUT_JS = f"""() => {{
  const d = {P.SHADOW}.querySelector('[data-testid="rasoat-dialog"]');
  const box = e => {{
    const r = e.getBoundingClientRect(); return {{top: r.top, bottom: r.bottom}};
  }};
  const list = d.querySelector('ul');
  return {{dialog: box(d), heading: box(d.querySelector('h3')),
    edit: box(d.querySelector('[data-action="edit"]')),
    anyway: box(d.querySelector('[data-action="post-anyway"]')), scrollTop: d.scrollTop,
    listScrolls: list.scrollHeight > list.clientHeight, viewport: innerHeight,
    focused: {P.SHADOW}.activeElement?.dataset.action}};
}}"""


def test_dialog_with_many_findings_keeps_heading_and_buttons_in_view(
    ext, fixture_server, service
) -> None:
    """Focusing "Edit" must not scroll the heading away: with many findings only the list
    scrolls, and the heading and both buttons stay inside the dialog and the viewport."""
    platform = PLATFORMS["facebook"]
    text = " ".join(f"{DRAFT} CCCD số {i}: 04030200{9100 + i}." for i in range(6))
    assert _blocking_count(service, text) >= 12, "the long draft no longer has many errors"
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        page.keyboard.insert_text(text)
        P.wait_badge_state(page, "issues")
        P.press_post(page, platform)
        P.dialog(page).wait_for(state="visible")
        page.wait_for_timeout(100)  # any scroll caused by focusing has happened by now
        at = page.evaluate(DIALOG_LAYOUT_JS)
        assert at["focused"] == "edit", at
        assert at["scrollTop"] == 0, at
        assert at["listScrolls"], at
        for part in ("heading", "edit", "anyway"):
            inside = at["dialog"]["top"] <= at[part]["top"]
            assert inside and at[part]["bottom"] <= at["dialog"]["bottom"], (part, at)
            assert 0 <= at[part]["top"] and at[part]["bottom"] <= at["viewport"], (part, at)
        P.choose(page, "edit")
        assert P.posted(page) == []
    finally:
        page.close()


# The accessible name and description of the last-check dialog, resolved as a screen reader
# does: the texts of the elements its aria-labelledby / aria-describedby name, in its shadow root.
DIALOG_ARIA_JS = f"""() => {{
  const root = {P.SHADOW};
  const d = root.querySelector('[data-testid="rasoat-dialog"]');
  const text = attr => (d.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)
    .map(id => root.getElementById(id)?.textContent ?? '<missing ' + id + '>').join(' ');
  return {{role: d.getAttribute('role'), modal: d.getAttribute('aria-modal'),
          name: text('aria-labelledby'), description: text('aria-describedby'),
          focused: root.activeElement?.dataset.action}};
}}"""


def test_dialog_is_announced_with_its_reason(ext, fixture_server, service, draft_findings) -> None:
    """A screen reader landing on "Edit" hears the dialog's title and why the post waits: the
    intro and each flagged text (before, only the title: nothing described the dialog)."""
    platform = PLATFORMS["facebook"]
    strings = P.strings()
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        P.press_post(page, platform)
        P.dialog(page).wait_for(state="visible")
        aria = page.evaluate(DIALOG_ARIA_JS)
        assert (aria["role"], aria["modal"], aria["focused"]) == ("alertdialog", "true", "edit")
        assert aria["name"] == strings["dialogTitle"]["message"]
        count = str(_blocking_count(service, DRAFT))
        intro = strings["dialogIntro"]["message"].replace("$1", count)
        assert aria["description"].startswith(intro), aria
        errors = [
            m
            for m in P.merge_same_spans(P.service_check(service, DRAFT))
            if m["severity"] == "error"
        ]
        for m in errors:
            assert (
                P.utf16_slice(DRAFT, m["offset"], m["offset"] + m["length"]) in aria["description"]
            ), (m, aria)
        page.keyboard.press("Escape")
        assert P.posted(page) == []
    finally:
        page.close()


# A rule of another category flagging exactly the text the fixture pack's state-secret rule flags
# ("MẬT"), so two rules answer for one span — as packs do until they are de-duplicated.
SAME_SPAN_RULE = """code = "INT099"
name = "marked-document"
category = "internal-work"
severity = "warning"
type = "phrases"
message = { vi = "Tài liệu có dấu (“{match}”).", en = "A marked document (“{match}”)." }
phrases = ["MẬT"]
case_sensitive = true

[doc]
what = { vi = "Dấu mật.", en = "A marking." }
why = { vi = "Vì quy định.", en = "Because the rules say so." }
instead = { vi = "Hãy viết khác.", en = "Write it differently." }

[[legal_basis]]
instrument = "law-a"
article = "Điều 2"

[[examples]]
bad = "Văn bản [[MẬT]] số 5"
"""


def test_two_rules_on_the_same_text_make_one_underline_and_one_item(
    ext, fixture_server, service
) -> None:
    """The real service with a pack where two rules flag the same span: one underline (the more
    serious rule's severity), one card section and one dialog line listing both rules."""
    platform = PLATFORMS["facebook"]
    with tempfile.TemporaryDirectory(prefix="rasoat-e2e-pack-") as tmp:
        pack = Path(tmp) / "same-span"
        shutil.copytree(harness.ROOT / "tests/fixtures/packs/basic", pack)
        (pack / "rules/internal-work/marked-document.toml").write_text(SAME_SPAN_RULE)
        dup = harness.Service(pack=str(pack))
        dup.start()
        page = None
        try:
            found = P.service_check(dup, DRAFT)
            spans = [(m["offset"], m["length"]) for m in found]
            same = [s for s in set(spans) if spans.count(s) > 1]
            assert len(same) == 1, f"the pack should flag one span twice: {found}"
            both = sorted(
                (m for m in found if (m["offset"], m["length"]) == same[0]),
                key=lambda m: (-P.SEVERITY_RANK[m["severity"]], m["code"]),
            )
            assert both[0]["severity"] != both[1]["severity"]
            P.configure(ext, serviceUrl=dup.url)
            page = P.open_platform(ext, fixture_server, "facebook")
            P.focus_editor(page, platform)
            page.keyboard.type(DRAFT)
            P.wait_badge_state(page, "issues")
            P.wait_marks(page, P.expected_marks(dup, DRAFT))
            start, length = same[0]
            [mark] = [m for m in P.marks(page) if m["start"] == start]
            assert mark["codes"].split() == [m["code"] for m in both]
            assert mark["severity"] == both[0]["severity"]
            flagged = P.utf16_slice(DRAFT, start, start + length)
            drawn = P.highlights(page)
            assert sum(ranges.count(flagged) for ranges in drawn.values()) == 1, drawn
            assert flagged in drawn["rasoat-" + both[0]["severity"]]
            assert P.badge(page)["errors"] == str(_blocking_count(dup, DRAFT))
            P.click_text(page, platform, flagged)
            P.card(page).wait_for(state="visible")
            sections = P.card(page).locator("section")
            assert sections.count() == 1
            assert sections.first.get_attribute("data-code") == both[0]["code"]
            also = sections.first.locator('[data-part="also"]')
            assert also.count() == 1 and also.get_attribute("data-code") == both[1]["code"]
            assert both[1]["message"] in also.text_content()
            page.keyboard.press("Escape")
            P.press_post(page, platform)
            P.dialog(page).wait_for(state="visible")
            items = page.locator('[data-testid="rasoat-dialog-item"]')
            assert items.count() == _blocking_count(dup, DRAFT)
            codes = [items.nth(i).get_attribute("data-codes") for i in range(items.count())]
            assert codes.count(" ".join(m["code"] for m in both)) == 1, codes
            P.choose(page, "edit")
            assert P.posted(page) == []
        finally:
            if page is not None:
                page.close()
            dup.close()
            P.configure(ext, serviceUrl=service.url)


# A run of "a" not at the end of the text sends `(a|aa)+$` into exponential backtracking: the
# service's regex phase runs out of its time budget (policy/engine.py REGEX_BUDGET_S) on it and
# answers `incomplete: true` — the draft was not fully checked.
RUNAWAY = "a" * 40 + "b"


@contextmanager
def _runaway_service() -> Iterator[harness.Service]:
    """The real service with the fixture pack, one of whose patterns runs away on RUNAWAY."""
    with tempfile.TemporaryDirectory(prefix="rasoat-e2e-pack-") as tmp:
        pack = Path(tmp) / "runaway"
        shutil.copytree(harness.ROOT / "tests/fixtures/packs/basic", pack)
        rule = pack / "rules/internal-work/internal-meeting-notes.toml"
        rule.write_text(rule.read_text("utf-8").replace(r"'\bNB-\d{4}\b'", "'(a|aa)+$'"), "utf-8")
        slow = harness.Service(pack=str(pack))
        slow.start()
        try:
            yield slow
        finally:
            slow.close()


def _incomplete(service: harness.Service, text: str) -> bool:
    """Whether the real service says it could not check all of `text` in time."""
    body = json.dumps({"text": text, "lang": "vi", "min_severity": "info"}).encode()
    req = urllib.request.Request(
        service.url + "/api/v1/check", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.load(res)["incomplete"]


def test_a_draft_the_service_could_not_fully_check_is_never_shown_as_clean(
    ext, fixture_server, service
) -> None:
    """The service ran out of its time budget on the draft (`incomplete`) and found nothing: the
    badge showed "✓", its tooltip "no problems found", and Post went out as after a full check.
    Now the badge, its card, the screen reader's live region and the popup say it was not fully
    checked; Post still goes through without a dialog (a check cut short asks no more than a
    service that cannot answer). A draft checked in full afterwards is "✓" again."""
    platform = PLATFORMS["facebook"]
    strings = {k: v["message"] for k, v in P.strings().items()}
    text = "Hẹn cả nhóm 9 giờ sáng mai họp giao ban nhé. " + RUNAWAY
    sw = harness.service_worker(ext)
    page = None
    with _runaway_service() as slow:
        try:
            assert _incomplete(slow, text) and P.service_check(slow, text) == []
            assert not _incomplete(slow, P.CLEAN) and P.service_check(slow, P.CLEAN) == []
            P.configure(ext, serviceUrl=slow.url)
            page = P.open_platform(ext, fixture_server, "facebook")
            P.focus_editor(page, platform)
            page.keyboard.type(text)
            shown = P.wait_badge_state(page, "ok", "issues", "offline")
            badge = page.locator('[data-testid="rasoat-badge"]')
            assert (shown["state"], shown.get("incomplete")) == ("ok", "true"), shown
            assert badge.text_content() == strings["badgeIncomplete"]  # not "✓"
            assert badge.get_attribute("title") == strings["badgeTitle_incomplete"]
            live = page.evaluate(
                f"() => {P.SHADOW}.querySelector('[data-testid=\"rasoat-live\"]').textContent"
            )
            assert live == strings["liveCounts"].replace("$1", strings["badgeTitle_incomplete"])
            badge.click()
            assert P.card(page).text_content().startswith(strings["badgeTitle_incomplete"])
            page.keyboard.press("Escape")
            tab = sw.evaluate("""async () => (await chrome.tabs.query({url: 'https://www.facebook.com/*'}))
                                 .map(t => t.id).pop()""")
            popup = P.open_popup(ext, tab)
            try:
                assert popup.locator("#incomplete").text_content() == strings["incompleteNote"]
            finally:
                popup.close()
            P.press_post(page, platform)
            assert P.wait_posted(page) == [text]
            assert not P.dialog(page).is_visible()
            # The box emptied by the post; a draft the service checks in full is clean again.
            P.focus_editor(page, platform)
            page.keyboard.type(P.CLEAN)
            page.wait_for_function(f"""() => {{
              const b = {P.SHADOW}?.querySelector('[data-testid="rasoat-badge"]');
              return b && b.dataset.state === 'ok' && b.dataset.incomplete === 'false';
            }}""")
            assert badge.text_content() == "✓"
            assert badge.get_attribute("title") == strings["badgeTitle_ok"]
        finally:
            if page is not None:
                page.close()
            P.configure(ext, serviceUrl=service.url)


def test_a_draft_not_fully_checked_says_so_beside_its_findings_and_in_the_last_check(
    ext, fixture_server, service
) -> None:
    """Findings in a draft the service could not fully check (`incomplete`): the badge, the card
    and the last-check dialog said nothing of it, as if the findings listed were all of them."""
    platform = PLATFORMS["facebook"]
    strings = {k: v["message"] for k, v in P.strings().items()}
    text = P.DRAFT + " " + RUNAWAY
    page = None
    with _runaway_service() as slow:
        try:
            assert _incomplete(slow, text) and _blocking_count(slow, text)
            P.configure(ext, serviceUrl=slow.url)
            page = P.open_platform(ext, fixture_server, "facebook")
            P.focus_editor(page, platform)
            page.keyboard.type(text)
            P.wait_marks(page, P.expected_marks(slow, text))
            shown = P.wait_badge_state(page, "issues")
            assert shown.get("incomplete") == "true", shown
            badge = page.locator('[data-testid="rasoat-badge"]')
            assert badge.text_content().endswith(strings["badgeIncomplete"])
            assert badge.get_attribute("title") == (
                strings["badgeTitle_issues"] + " " + strings["incompleteNote"]
            )
            badge.click()
            note = P.card(page).locator('[data-part="incomplete"]')
            assert note.text_content() == strings["incompleteNote"]
            page.keyboard.press("Escape")
            P.press_post(page, platform)
            P.dialog(page).wait_for(state="visible")
            note = P.dialog(page).locator('[data-part="incomplete"]')
            assert note.text_content() == strings["incompleteNote"]
            assert "rasoat-dialog-incomplete" in P.dialog(page).get_attribute("aria-describedby")
            P.choose(page, "edit")
            assert P.posted(page) == []
        finally:
            if page is not None:
                page.close()
            P.configure(ext, serviceUrl=service.url)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("debounceMs", "50"),
        ("serviceUrl", "ftp://rasoat.example"),
        ("serviceUrl", "http://127.0.0.1:87650"),
        ("serviceUrl", "http://[::1:8765"),
    ],
)
def test_options_name_an_invalid_field_by_its_label(ext, field: str, value: str) -> None:
    """Saving an invalid value says which field, as the page labels it in the UI language
    (Vietnamese by default) — not by the setting's key ("debounceMs"); nothing is saved. A
    service URL the browser cannot parse (a port out of range, an open bracket) passed the
    check, then threw: no message at all."""
    sw = harness.service_worker(ext)
    before = sw.evaluate("() => chrome.storage.sync.get(null)")
    page = P.open_options(ext)
    try:
        page.fill(f"#{field}", value)
        page.click("#save")
        label = page.locator(f'label[for="{field}"]').text_content()
        assert label and label != field
        page.wait_for_function("() => document.querySelector('#status').textContent !== ''")
        strings = P.strings()
        assert page.locator("#status").text_content() == strings["optionsInvalid"][
            "message"
        ].replace("$1", label)
        assert sw.evaluate("() => chrome.storage.sync.get(null)") == before
    finally:
        page.close()


def test_options_turning_a_rule_back_on_keeps_what_is_typed_and_not_saved(ext) -> None:
    """Rules and sites apply at once, without Save. "Turn back on" redrew the whole form from
    storage: a token and a pause typed just before, not yet saved, were silently put back."""
    sw = harness.service_worker(ext)
    before = sw.evaluate("() => chrome.storage.sync.get(null)")
    sw.evaluate("() => chrome.storage.sync.set({disabledRules: ['ACC001', 'SEC001']})")
    page = ext.new_page()
    try:
        P.open_options(
            ext, "() => document.querySelectorAll('#rules button').length === 2", page=page
        )
        page.fill("#token", "agency-token-2026")
        page.fill("#debounceMs", "900")
        page.locator("#rules li", has_text="ACC001").get_by_role("button").click()
        page.wait_for_function("() => document.querySelectorAll('#rules button').length === 1")
        assert sw.evaluate("() => chrome.storage.sync.get('disabledRules')") == {
            "disabledRules": ["SEC001"]
        }
        assert page.input_value("#token") == "agency-token-2026"
        assert page.input_value("#debounceMs") == "900"
    finally:
        page.close()
        sw.evaluate("() => chrome.storage.sync.remove('disabledRules')")
        sw.evaluate("s => chrome.storage.sync.set(s)", before)


def test_options_controls_are_named_for_a_screen_reader_and_pages_titled_in_the_ui_language(
    ext,
) -> None:
    """Each site's checkbox had no name (its text was a span beside it) and every "Turn back on"
    button was the same "Bật lại" without the rule; the three pages were titled "Rà soát" also
    in English."""
    sw = harness.service_worker(ext)
    before = sw.evaluate("() => chrome.storage.sync.get(null)")
    sw.evaluate("() => chrome.storage.sync.set({disabledRules: ['ACC001'], lang: 'en'})")
    strings = P.strings("en")
    page = ext.new_page()
    try:
        P.open_options(
            ext, "() => document.querySelectorAll('#rules button').length === 1", page=page
        )
        facebook = page.get_by_role("checkbox", name="Facebook (facebook.com)", exact=True)
        assert facebook.is_checked()
        turn_on = strings["optionsEnableRule"]["message"]
        assert page.get_by_role("button", name=f"{turn_on} ACC001", exact=True).count() == 1
        assert page.title() == strings["optionsTitle"]["message"]
        for path, key in (
            ("welcome/welcome.html", "welcomeTitle"),
            ("popup/popup.html", "extensionName"),
        ):
            P.open_extension_page(
                ext, path, "() => document.documentElement.lang === 'en'", page=page
            )
            assert page.title() == strings[key]["message"], path
    finally:
        page.close()
        sw.evaluate("() => chrome.storage.sync.remove(['disabledRules', 'lang'])")
        sw.evaluate("s => chrome.storage.sync.set(s)", before)


def test_options_warn_when_drafts_would_cross_the_network_unencrypted(ext) -> None:
    """A service at http:// on another computer gets every draft in clear text, readable on the
    network path; the options page accepted it without a word. Now it warns (in Vietnamese by
    default) as the address is typed and when a saved one is shown; https:// and this computer's
    own addresses get no warning."""
    sw = harness.service_worker(ext)
    strings = P.strings()
    before = sw.evaluate("() => chrome.storage.sync.get(null)")
    page = ext.new_page()
    try:
        P.open_options(ext, page=page)
        for url, warned in (
            ("http://rasoat.agency.gov.vn", True),
            ("http://10.0.0.5:8765", True),
            ("https://rasoat.agency.gov.vn", False),
            ("http://127.0.0.1:8765", False),
            ("http://localhost:8765", False),
            ("http://[::1]:8765", False),
        ):
            page.fill("#serviceUrl", url)
            assert page.locator("#cleartext").is_visible() == warned, url
        assert page.locator("#cleartext").text_content() == strings["optionsCleartext"]["message"]
        sw.evaluate("() => chrome.storage.sync.set({serviceUrl: 'http://rasoat.agency.gov.vn'})")
        page.reload()
        page.wait_for_function("() => document.getElementById('serviceUrl').value.includes('.gov')")
        assert page.locator("#cleartext").is_visible()
    finally:
        page.close()
        sw.evaluate("() => chrome.storage.sync.remove('serviceUrl')")
        sw.evaluate("s => chrome.storage.sync.set(s)", before)


def test_options_enter_in_the_site_box_adds_the_site_not_saves_the_form(ext, service) -> None:
    """Enter in "Add a site" submitted the form: Save ran (storing the other fields as they
    stood: "Đã lưu.") and the site typed was never looked at. Now Enter does what the Add button
    beside it does: here, saying the value is not a site, with nothing saved."""
    sw = harness.service_worker(ext)
    strings = P.strings()
    # The default service address, whose permission the extension has: Save needs no prompt.
    sw.evaluate("() => chrome.storage.sync.remove('serviceUrl')")
    before = sw.evaluate("() => chrome.storage.sync.get(null)")
    page = ext.new_page()
    try:
        P.open_options(ext, page=page)
        page.fill("#debounceMs", "900")
        page.fill("#newSite", "cổng nội bộ")
        page.press("#newSite", "Enter")
        page.wait_for_function("() => document.querySelector('#status').textContent !== ''")
        assert page.locator("#status").text_content() == strings["optionsInvalid"][
            "message"
        ].replace("$1", "cổng nội bộ")
        assert sw.evaluate("() => chrome.storage.sync.get(null)") == before
    finally:
        page.close()
        P.configure(ext, **before, serviceUrl=service.url)


def test_options_adds_an_intranet_site_an_ip_address_and_a_pasted_address(ext, service) -> None:
    """ "Add a site" took only names like portal.gov.vn: a ministry's intranet forum on a one-word
    host ("noibo") or an IP address was "Giá trị không hợp lệ". What is typed is now read as the
    browser reads an address, and each site gets patterns Chromium accepts: an address alone
    ("*://*.[fd00::5]/*" is refused as an invalid port)."""
    sw = harness.service_worker(ext)
    before = sw.evaluate("() => chrome.storage.sync.get(null)")
    page = ext.new_page()
    try:
        page.add_init_script(
            FIREFOX_PERMISSION_RULE_JS
            + """
          (() => {
            const request = chrome.permissions.request;
            window.asked = [];
            chrome.permissions.request = (p) => {
              window.asked.push(p.origins);
              return request(p);
            };
          })();"""
        )
        P.open_options(ext, page=page)
        added = (
            ("http://10.0.0.5:8080/dien-dan", "10.0.0.5", ["*://10.0.0.5/*"]),
            ("noibo", "noibo", ["*://noibo/*", "*://*.noibo/*"]),
            ("http://[FD00::5]:8080/", "[fd00::5]", ["*://[fd00::5]/*"]),
        )
        for typed, key, _ in added:
            page.fill("#newSite", typed)
            page.click("#addSite")
            page.wait_for_function(
                "k => document.querySelector(`#sites [data-site='${k}']`)", arg=key
            )
        assert page.evaluate("() => window.asked") == [patterns for *_, patterns in added]
        assert sw.evaluate("() => chrome.storage.sync.get('sites')") == {
            "sites": {key: True for _, key, _ in added}
        }
        # Chromium's own check of the patterns (it throws on one it cannot parse); headless
        # Chromium cannot show the prompt, so the permission itself is never granted here.
        for *_, patterns in added:
            assert sw.evaluate("o => chrome.permissions.contains({origins: o})", patterns) is False
    finally:
        page.close()
        sw.evaluate("() => chrome.storage.sync.remove('sites')")
        sw.evaluate("s => chrome.storage.sync.set(s)", before)


def test_options_restore_defaults_asks_first_then_clears_every_setting(ext, service) -> None:
    """ "Restore defaults" asks first (Cancel changes nothing, not even what is typed), then puts
    every setting back: the address, the token, the pause, the language, added sites and rules
    turned off; the page redraws in the default language and says so."""
    sw = harness.service_worker(ext)
    strings = {lang: P.strings(lang) for lang in ("vi", "en")}
    before = sw.evaluate("() => chrome.storage.sync.get(null)")
    custom = {
        "serviceUrl": service.url,
        "lang": "en",
        "debounceMs": 900,
        "disabledRules": ["ACC001"],
        "sites": {"noibo": True, "reddit.com": False},
    }
    P.configure(ext, **custom)
    sw.evaluate("() => chrome.storage.local.set({token: 'agency-token-2026'})")
    stored = "() => Promise.all([chrome.storage.sync.get(null), chrome.storage.local.get(null)])"
    page = ext.new_page()
    dialogs: list[str] = []
    try:
        P.open_options(
            ext, "() => document.getElementById('debounceMs').value === '900'", page=page
        )
        page.fill("#debounceMs", "1200")
        page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.click("#reset")
        page.wait_for_timeout(300)  # a refused confirm has nothing to wait for
        assert dialogs == [strings["en"]["optionsResetConfirm"]["message"]]
        assert sw.evaluate(stored) == [custom, {"token": "agency-token-2026"}]
        assert page.input_value("#debounceMs") == "1200"

        page.once("dialog", lambda d: d.accept())
        page.click("#reset")
        page.wait_for_function(
            "t => document.getElementById('status').textContent === t",
            arg=strings["vi"]["optionsResetDone"]["message"],
        )
        assert sw.evaluate(stored) == [{}, {}]
        assert [
            page.input_value(f"#{k}") for k in ("serviceUrl", "token", "debounceMs", "lang")
        ] == ["http://127.0.0.1:8765", "", "400", "vi"]
        assert page.evaluate("() => document.documentElement.lang") == "vi"
        assert page.locator("#sites [data-site='noibo']").count() == 0
        assert page.locator("#sites [data-site='reddit.com']").is_checked()
        assert page.locator("#rules").text_content() == strings["vi"]["optionsNoRules"]["message"]
    finally:
        page.close()
        sw.evaluate(
            "() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()])"
        )
        sw.evaluate("s => chrome.storage.sync.set(s)", before)


def test_options_test_connection_tries_the_address_as_typed(ext, service) -> None:
    """ "Test connection" tested the saved address, not the one just typed: a new address typed
    in and tested said "connected" — to the old one. It now tries what is typed (before Save),
    and an address that is not one says so; nothing is saved by testing."""
    sw = harness.service_worker(ext)
    strings = P.strings()
    closed = f"http://127.0.0.1:{harness.free_port()}"  # nothing listens there
    before = sw.evaluate("() => chrome.storage.sync.get(null)")
    page = P.open_options(ext, "() => document.getElementById('health').dataset.state")
    try:
        assert page.locator("#health").get_attribute("data-state") == "online"
        page.fill("#serviceUrl", closed + "/")
        page.click("#test")
        page.wait_for_function(
            "() => document.getElementById('health').dataset.state === 'offline'"
        )
        assert page.locator("#health").text_content() == strings["popupOffline"]["message"].replace(
            "$1", closed
        )
        page.fill("#serviceUrl", "http://127.0.0.1:87650")
        page.click("#test")
        label = page.locator('label[for="serviceUrl"]').text_content()
        page.wait_for_function(
            "t => document.getElementById('health').textContent === t",
            arg=strings["optionsInvalid"]["message"].replace("$1", label),
        )
        page.fill("#serviceUrl", service.url)
        page.click("#test")
        page.wait_for_function("() => document.getElementById('health').dataset.state === 'online'")
        assert sw.evaluate("() => chrome.storage.sync.get(null)") == before
    finally:
        page.close()


# Firefox's rule for `permissions.request`, played in Chromium (WebDriver may not open Firefox's
# moz-extension:// pages): it works only while a user input event is being dispatched — from the
# capturing listener on `window` to the bubbling one — never after an `await` in the handler.
# Headless Chromium cannot show the prompt either, so a request made in time stands for the user
# answering "Allow".
FIREFOX_PERMISSION_RULE_JS = """(() => {
  let handling = 0;
  for (const type of ["click", "submit", "keydown", "change"]) {
    addEventListener(type, () => { handling++; }, true);
    addEventListener(type, () => { handling--; }, false);
  }
  chrome.permissions.request = async () => {
    if (handling > 0) return true;
    throw new Error("permissions.request may only be called from a user input handler");
  };
})();"""


def test_options_save_asks_for_the_service_permission_inside_the_click(ext, service) -> None:
    """Saving an address the extension has no permission for yet (an agency's service): Save
    awaited `permissions.contains` before `permissions.request`, and Firefox refuses a request
    made after an await in the click handler — every such save there said "Permission … was not
    granted" and stored nothing. The request now comes first, while the click is handled."""
    sw = harness.service_worker(ext)
    strings = P.strings()
    agency = f"http://127.0.0.1:{harness.free_port()}"  # not among the manifest's host permissions
    page = ext.new_page()
    try:
        page.add_init_script(FIREFOX_PERMISSION_RULE_JS)
        P.open_options(ext, page=page)
        page.fill("#serviceUrl", agency)
        page.click("#save")
        page.wait_for_function("() => document.querySelector('#status').textContent !== ''")
        assert page.locator("#status").text_content() == strings["optionsSaved"]["message"]
        assert sw.evaluate("() => chrome.storage.sync.get('serviceUrl')") == {"serviceUrl": agency}
    finally:
        page.close()
        P.configure(ext, serviceUrl=service.url)


def test_options_connection_line_follows_a_saved_address(ext, service) -> None:
    """The connection line under the address was tested once, when the page opened: after saving
    a new address it still said "cannot reach" the old one beside "Saved."."""
    strings = P.strings()
    P.configure(ext, serviceUrl=f"http://127.0.0.1:{harness.free_port()}")  # nothing there
    page = ext.new_page()
    try:
        page.add_init_script(FIREFOX_PERMISSION_RULE_JS)  # stands for "Allow" on the prompt
        P.open_options(ext, "() => document.getElementById('health').dataset.state", page=page)
        assert page.locator("#health").get_attribute("data-state") == "offline"
        page.fill("#serviceUrl", service.url)
        page.click("#save")
        page.wait_for_function("() => document.getElementById('health').dataset.state === 'online'")
        assert (
            page.locator("#health")
            .text_content()
            .startswith(strings["popupOnline"]["message"].replace("$1", service.url))
        )
    finally:
        page.close()
        P.configure(ext, serviceUrl=service.url)


TOOLBAR_TEXT_JS = """async url => {
  const tab = (await chrome.tabs.query({})).find(t => t.url === url);
  return chrome.action.getBadgeText({tabId: tab.id});
}"""


def test_toolbar_count_follows_ignore_and_the_site_turned_off(
    ext, fixture_server, service, draft_findings
) -> None:
    """The toolbar icon shows the draft's error count; "Ignore here" on one error lowers it,
    and turning the site off clears it (before, both left the old count on the icon)."""
    platform = PLATFORMS["facebook"]
    sw = harness.service_worker(ext)
    errors = _blocking_count(service, DRAFT)
    last = max(
        (
            m
            for m in P.merge_same_spans(P.service_check(service, DRAFT))
            if m["severity"] == "error"
        ),
        key=lambda m: m["offset"],
    )
    page = P.open_platform(ext, fixture_server, "facebook")

    def toolbar(want: str) -> None:
        deadline = time.monotonic() + 10
        while sw.evaluate(TOOLBAR_TEXT_JS, page.url) != want:
            assert time.monotonic() < deadline, sw.evaluate(TOOLBAR_TEXT_JS, page.url)
            page.wait_for_timeout(50)

    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        toolbar(str(errors))
        P.click_text(
            page, platform, P.utf16_slice(DRAFT, last["offset"], last["offset"] + last["length"])
        )
        P.card(page).wait_for(state="visible")
        page.locator('[data-testid="rasoat-card"] [data-action="ignore"]').click()
        toolbar(str(errors - 1))
        P.configure(ext, sites={"facebook.com": False})
        page.wait_for_function(NO_BADGE_JS)
        toolbar("")
    finally:
        page.close()
        P.configure(ext, sites={})
