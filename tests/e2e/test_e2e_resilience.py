"""Long drafts, a slow service, a service going down and up while a draft is open (Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.e2e import harness
from tests.e2e import pages as P
from tests.e2e.platforms import PLATFORMS


def _popup_lines(ctx, page) -> tuple[str, str]:
    """The popup about `page`'s tab: its connection state and its line about the tab's draft."""
    sw = harness.service_worker(ctx)
    tab = sw.evaluate("u => chrome.tabs.query({}).then(t => t.find(x => x.url === u).id)", page.url)
    popup = P.open_popup(ctx, tab)
    try:
        return (
            popup.locator("#connection").get_attribute("data-state"),
            popup.locator("#counts").text_content(),
        )
    finally:
        popup.close()


def _press_by_hand(ext, page, selector: str) -> None:
    """Click `selector` as a hand does: the button goes down, and up a moment later — here once
    the service, asked again as the press begins, has answered (a hand's press lasts ~0.1 s: as
    long as that takes, at most; 2 s at the most here)."""
    box = page.locator(selector).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    _wait_asked_again(ext, page)
    page.mouse.up()


def _wait_asked_again(ext, page) -> bool:
    """Wait (2 s at the most) until the draft's Post has asked the service again — asked ahead,
    as a press begins or the focus reaches Post; a hand takes a few tenths of a second to the
    click, up or key. Whether it has."""
    for _ in range(100):
        if not P.in_content_world(ext, page, "Rasoat.activeController.asksAgain()"):
            return True
        page.wait_for_timeout(20)
    return False


def _sent_once_unchecked(page, badge: str | None = "offline") -> None:
    """The draft went out at once, as the user sent it — no dialog — and the badge still says
    `badge` (None: not looked at — a chat box the page empties is "idle")."""
    assert P.wait_posted(page, timeout=3000) == [P.DRAFT]
    assert P.dialog(page).count() == 0
    if badge:
        assert P.wait_badge_state(page, badge)["state"] == badge


@contextmanager
def _draft_typed_while_down(ext, fixture_server, service, name: str, query: str) -> Iterator:
    """`name`'s page opened with `query` (a page that acts only on real clicks or keys), the
    service stopped, the draft typed and its check failed (badge "ngoại tuyến"): the page, the
    service still down until the block ends."""
    page = P.open_platform(ext, fixture_server, name, query)
    try:
        P.focus_editor(page, PLATFORMS[name])
        with service.stopped():
            page.keyboard.type(P.DRAFT)
            assert P.wait_badge_state(page, "offline", "issues")["state"] == "offline"
            yield page
    finally:
        page.close()


def test_a_service_back_up_checks_the_open_draft_again_and_its_post(
    ext, fixture_server, service
) -> None:
    """The service stops while a draft is typed (badge "ngoại tuyến", nothing underlined) and
    comes back, the draft unchanged. The open draft is checked again without a keystroke (it
    stayed "offline" until the next edit: the popup said connected, and unreachable for the
    tab), and Post gets its last check (it went out unchecked: the failure of the draft's last
    check was taken as the answer). Down once more and edited: no underline is left on changed
    text, and Post goes through."""
    platform = PLATFORMS["facebook"]
    strings = P.strings()
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        with service.stopped():
            page.keyboard.type(P.DRAFT)
            assert P.wait_badge_state(page, "offline", "issues")["state"] == "offline"
            assert P.marks(page) == []
            assert _popup_lines(ext, page) == (
                "offline",
                strings["badgeTitle_offline"]["message"],
            )
        # Back up, same address; nothing typed since.
        P.wait_badge_state(page, "issues", timeout=15_000)
        P.wait_marks(page, P.expected_marks(service, P.DRAFT))
        connection, counts = _popup_lines(ext, page)
        assert connection == "online" and counts.startswith(
            strings["severity_error"]["message"] + ": "
        ), counts
        P.press_post(page, platform)
        P.edit_from_dialog(page, platform, P.DRAFT)

        # Down again, the draft edited at its end: what is drawn is only ever the flagged text.
        more = P.DRAFT + " Cảm ơn chị."
        expected = {(t[0], t[3]) for t in P.expected_marks(service, more)}
        with service.stopped():
            page.keyboard.press("End")
            page.keyboard.type(" Cảm ơn chị.")
            P.wait_badge_state(page, "offline")
            drawn = {(m["code"], m["text"]) for m in P.marks(page)}
            assert drawn <= expected, drawn
            P.press_post(page, platform)
            assert P.wait_posted(page) == [more]
            assert not P.dialog(page).is_visible()
    finally:
        page.close()


def test_post_after_the_service_came_back_is_checked(ext, fixture_server, service) -> None:
    """The draft's only check failed (the service was down); the service is back and Post is
    pressed at once, before any retry: the post waits for a check of the draft and the dialog
    asks (it went out unchecked: the failed check was taken as the answer). The service is
    asked again as the press begins (a click with no time between its down and up comes before
    that answer: it goes out untouched, see below)."""
    platform = PLATFORMS["x"]
    page = P.open_platform(ext, fixture_server, "x")
    try:
        P.focus_editor(page, platform)
        with service.stopped():
            page.keyboard.type(P.DRAFT)
            assert P.wait_badge_state(page, "offline", "issues")["state"] == "offline"
        _press_by_hand(ext, page, platform.post)
        P.edit_from_dialog(page, platform, P.DRAFT)
        P.wait_marks(page, P.expected_marks(service, P.DRAFT))
    finally:
        page.close()


def test_post_from_the_keyboard_after_the_service_came_back_is_checked(
    ext, fixture_server, service
) -> None:
    """The draft's only check failed (the service was down); the service is back and the user
    Tabs to Post and presses Enter before any retry. The service is asked again as the focus
    reaches Post: the key's click gets the last check and the dialog asks — not a click let
    through unchecked because the question came no earlier than the click."""
    platform = PLATFORMS["reddit"]
    page = P.open_platform(ext, fixture_server, "reddit")
    try:
        P.focus_editor(page, platform)
        with service.stopped():
            page.keyboard.type(P.DRAFT)
            assert P.wait_badge_state(page, "offline", "issues")["state"] == "offline"
        page.keyboard.press("Tab")
        _wait_asked_again(ext, page)  # (between Tab and Enter, a hand's few tenths of a second)
        page.keyboard.press("Enter")
        P.dialog(page).wait_for(state="visible")
        assert P.posted(page) == []
        P.choose(page, "edit")
        assert P.field_text(page, platform) == P.DRAFT
        P.wait_marks(page, P.expected_marks(service, P.DRAFT))
    finally:
        page.close()


def test_a_post_clicked_with_no_gap_while_the_service_is_down_goes_out_the_first_time(
    ext, fixture_server, service
) -> None:
    """A click whose button goes down and up with no time between (a script's or a tool's, as
    Playwright's own) on a page that acts only on real clicks (reddit `?trusted-clicks-only`),
    the service down: the click came while the service, asked again as the press began, had
    not answered yet; it was held for that answer and, still down, made again by script, which
    the page ignored — the user had to press again. A click the user made is never held just to
    ask a down service again: it goes out the first time, with no dialog."""
    platform = PLATFORMS["reddit"]
    with _draft_typed_while_down(
        ext, fixture_server, service, "reddit", "?trusted-clicks-only"
    ) as page:
        P.press_post(page, platform)
        _sent_once_unchecked(page)


def test_a_post_pressed_by_hand_while_the_service_is_down_goes_out_the_first_time(
    ext, fixture_server, service
) -> None:
    """The service down, a user presses Post as a hand does — the button goes down, then up a
    moment later — on a page that acts only on real clicks (reddit `?trusted-clicks-only`): the
    Post was held to ask the service again and, still down, made again by script, which the
    page ignored: the user's click was lost and they had to press Post twice. The service is
    asked again as the press begins; still down, the user's own click goes out, once."""
    platform = PLATFORMS["reddit"]
    with _draft_typed_while_down(
        ext, fixture_server, service, "reddit", "?trusted-clicks-only"
    ) as page:
        _press_by_hand(ext, page, platform.post)
        _sent_once_unchecked(page)


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_a_post_pressed_from_the_keyboard_while_the_service_is_down_goes_out_the_first_time(
    ext, fixture_server, service, key: str
) -> None:
    """The service down, the user Tabs from the draft to Post (a native <button>) and presses
    Enter or Space, on a page that acts only on real clicks (reddit `?trusted-clicks-only`): the
    browser makes a click with no pointerdown before it. That click was held to ask the service
    again and, still down, made again by script, which the page ignored: the user had to press
    twice. The service is asked again as the focus reaches Post; still down, the user's own
    key-made click goes out, once, with no dialog."""
    with _draft_typed_while_down(
        ext, fixture_server, service, "reddit", "?trusted-clicks-only"
    ) as page:
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.matches('button.post')")
        # Asked as the focus came, still down: the Post will not ask again (the background's
        # retries never answer that).
        assert _wait_asked_again(ext, page)
        page.keyboard.press(key)
        _sent_once_unchecked(page)


@pytest.mark.parametrize("name", ["zalo", "messenger"])
def test_enter_to_send_while_the_service_is_down_goes_out_the_first_time(
    ext, fixture_server, service, name: str
) -> None:
    """The service down, Enter pressed in a chat box that sends on Enter, on a page that acts only
    on real keys (`?trusted-keys-only`): the Enter was held to ask the service again and, still
    down, pressed again by script, which the page ignored — the message stayed in the box and
    the user had to press Enter twice. The user's own Enter is never held just to ask a down
    service again: it goes out the first time, with no dialog, the box emptied by the page."""
    platform = PLATFORMS[name]
    with _draft_typed_while_down(ext, fixture_server, service, name, "?trusted-keys-only") as page:
        page.keyboard.press("Enter")
        _sent_once_unchecked(page, badge=None)  # (the page empties the box: "idle")
        assert P.field_text(page, platform).strip() == ""


def test_enter_to_send_after_the_service_came_back_and_answered_is_checked(
    ext, fixture_server, service
) -> None:
    """The draft's check failed (the service was down); the service is back and has answered
    the draft's background re-check: Enter gets the last check on that answer, the dialog asks,
    nothing is sent (on a page that acts only on real keys, as above)."""
    platform = PLATFORMS["zalo"]
    page = P.open_platform(ext, fixture_server, "zalo", "?trusted-keys-only")
    try:
        P.focus_editor(page, platform)
        with service.stopped():
            page.keyboard.type(P.DRAFT)
            assert P.wait_badge_state(page, "offline", "issues")["state"] == "offline"
        P.wait_badge_state(page, "issues", timeout=15_000)
        page.keyboard.press("Enter")
        P.edit_from_dialog(page, platform, P.DRAFT)
        assert P.posted(page) == []
    finally:
        page.close()


# Records every underline the extension draws from now on: its rule and the text under it.
RECORD_DRAWN_JS = f"""() => {{
  window.__drawn = new Set();
  const root = {P.SHADOW};
  const record = () => root.querySelectorAll('[data-testid="rasoat-mark"]')
    .forEach(m => window.__drawn.add(m.dataset.code + '\\u0000' + m.dataset.text));
  record();
  new MutationObserver(record).observe(root, {{subtree: true, childList: true}});
}}"""


def _drawn(page) -> set[tuple[str, str]]:
    return {tuple(x.split("\0")) for x in page.evaluate("() => [...window.__drawn]")}


def _wait_checks(slow: harness.SlowService, n: int, page) -> None:
    """Wait until the slow service has received `n` checks."""
    for _ in range(300):
        if slow.checks >= n:
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"{slow.checks} checks sent, {n} expected")


@pytest.mark.parametrize("name", ["facebook", "x", "reddit"])
def test_a_late_answer_never_underlines_words_edited_meanwhile(
    ext, fixture_server, service, name: str
) -> None:
    """The service answers well after the pause, while the user types on: before the flagged
    words (they move), inside one of them (it is no longer what was flagged). What the late
    answer draws is carried through those edits: every underline ever drawn is a rule on the
    very text it flags, and the next answer underlines exactly the draft as it is."""
    platform = PLATFORMS[name]
    prefix, word = "Kính gửi các anh chị. ", "Tuan@2024"
    final = prefix + P.DRAFT.replace(word, word[:4] + "x" + word[4:])
    flagged = {(t[0], t[3]) for text in (P.DRAFT, final) for t in P.expected_marks(service, text)}
    with harness.slow_service(service.url, delay=1.5) as slow:
        P.configure(ext, serviceUrl=slow.url)
        page = P.open_platform(ext, fixture_server, name)
        try:
            P.focus_editor(page, platform)
            page.evaluate(RECORD_DRAWN_JS)
            page.keyboard.insert_text(P.DRAFT)
            _wait_checks(slow, 1, page)  # out, not answered: the user types on
            page.keyboard.press("Control+Home")
            page.keyboard.type(prefix)
            for _ in range(P.DRAFT.index(word) + 4):  # into the flagged word, by keys
                page.keyboard.press("ArrowRight")
            page.keyboard.type("x")
            assert P.field_text(page, platform) == final
            P.wait_marks(page, P.expected_marks(service, final), timeout=15_000)
            assert slow.answered >= 2
            assert _drawn(page) <= flagged, _drawn(page) - flagged
        finally:
            page.close()
            P.configure(ext, serviceUrl=service.url)


def test_post_while_a_slow_check_is_out_waits_for_its_answer(ext, fixture_server, service) -> None:
    """Post pressed while the draft's check is out to a slow service that answers within the
    wait (1.5 s): the Post waits ("đang kiểm tra…") and the dialog asks; nothing is posted."""
    platform = PLATFORMS["facebook"]
    with harness.slow_service(service.url, delay=0.8) as slow:
        P.configure(ext, serviceUrl=slow.url)
        page = P.open_platform(ext, fixture_server, "facebook")
        try:
            P.focus_editor(page, platform)
            page.keyboard.insert_text(P.DRAFT)
            _wait_checks(slow, 1, page)
            assert slow.answered == 0
            P.press_post(page, platform)
            waiting = page.wait_for_function(
                f"""() => {{
                  const b = {P.SHADOW}?.querySelector('[data-testid="rasoat-badge"]');
                  return b && b.classList.contains('waiting') && b.textContent;
                }}"""
            ).json_value()
            assert waiting == P.strings()["badgeChecking"]["message"]
            P.edit_from_dialog(page, platform, P.DRAFT)
            assert slow.checks == 1  # the answer waited for, not a second check
        finally:
            page.close()
            P.configure(ext, serviceUrl=service.url)


def test_post_after_the_draft_moved_on_during_a_slow_check_goes_out_after_the_wait(
    ext, fixture_server, service
) -> None:
    """The check of the draft is out; the user types on and presses Post. The answer that comes
    is for the text before: the Post waits for a check of the draft as it is, which the slow
    service does not give within the wait — the post goes out, exactly as typed, without a
    dialog. That late answer, coming after the box was emptied by the post, draws nothing."""
    platform = PLATFORMS["facebook"]
    draft = P.DRAFT + " nhé"
    with harness.slow_service(service.url) as slow:
        slow.delays = [0.8, 2.0]  # the second within the background's 3 s timeout
        P.configure(ext, serviceUrl=slow.url)
        page = P.open_platform(ext, fixture_server, "facebook")
        try:
            P.focus_editor(page, platform)
            page.keyboard.insert_text(P.DRAFT)
            _wait_checks(slow, 1, page)
            page.keyboard.type(" nhé")
            P.press_post(page, platform)
            assert P.wait_posted(page, timeout=15_000) == [draft]
            assert slow.checks == 2 and slow.answered == 1
            assert P.dialog(page).count() == 0
            for _ in range(300):
                if slow.answered == 2:
                    break
                page.wait_for_timeout(20)
            assert slow.answered == 2
            page.wait_for_timeout(200)  # the answer has reached the page
            assert P.marks(page) == []
            assert not any(P.highlights(page).values())
        finally:
            page.close()
            P.configure(ext, serviceUrl=service.url)


def _emoji_draft(units: int) -> str:
    """The draft, then lines of Vietnamese wishes and emoji up to `units` UTF-16 units: about
    two thirds as many characters (code points), as the service counts them."""
    line = "Chúc mừng năm mới, an khang thịnh vượng " + "🎉🌸" * 10 + "\n"
    text = P.DRAFT + "\n"
    while len(text.encode("utf-16-le")) // 2 + len(line) * 2 < units:
        text += line
    return text


@pytest.mark.parametrize("name", ["facebook", "reddit"])
def test_a_draft_of_emoji_over_100000_utf16_units_but_not_characters_is_checked(
    ext, fixture_server, service, name: str
) -> None:
    """The extension counted a draft's UTF-16 units against the service's limit of 100,000
    characters (code points): a long draft with many emoji (each two units) was "quá dài" and
    never checked, though the service takes it. Now it is checked and underlined exactly."""
    platform = PLATFORMS[name]
    text = _emoji_draft(101_000)
    assert len(text.encode("utf-16-le")) // 2 > 100_000 > len(text)
    page = P.open_platform(ext, fixture_server, name)
    try:
        P.focus_editor(page, platform)
        page.keyboard.insert_text(text)  # one paste
        shown = P.wait_badge_state(page, "issues", "tooLong", "offline", timeout=30_000)
        assert shown["state"] == "issues", shown
        P.wait_marks(page, P.expected_marks(service, text), timeout=30_000)
    finally:
        page.close()


def test_a_draft_with_half_an_emoji_is_still_checked(ext, fixture_server, service) -> None:
    """A site that cuts its box's text at a length limit can cut an emoji in half, leaving a
    lone UTF-16 surrogate: the service refuses such text (HTTP 400), and the whole draft showed
    "ngoại tuyến" with nothing underlined. The background now sends it well-formed (U+FFFD in
    its place, the same length), and the draft is underlined exactly."""
    platform = PLATFORMS["reddit"]
    page = P.open_platform(ext, fixture_server, "reddit")
    try:
        P.focus_editor(page, platform)
        page.keyboard.insert_text(P.DRAFT + " 🎉")
        page.evaluate(  # the site's own script keeps all but the last UTF-16 unit
            """sel => { const el = document.querySelector(sel);
                el.value = el.value.slice(0, -1);
                el.dispatchEvent(new Event('input', {bubbles: true})); }""",
            platform.editor,
        )
        assert page.evaluate(
            "sel => document.querySelector(sel).value.endsWith('\\ud83c')", platform.editor
        )
        shown = P.wait_badge_state(page, "issues", "offline")
        assert shown["state"] == "issues", shown
        P.wait_marks(page, P.expected_marks(service, P.DRAFT + " \ufffd"))
    finally:
        page.close()


TAIL = "Số CCCD của anh Minh là 001203004567, gọi anh ấy nhé."
FILLER = P.CLEAN + " Công việc tuần này: họp giao ban, rà soát hồ sơ 📋.\n"

# Counts the times the underlines are drawn anew from now on (a rebuild of the marks layer:
# every highlight range and mark recomputed from the editor's text, with a layout).
COUNT_REBUILDS_JS = f"""() => {{
  window.__rebuilds = 0; window.__scrolls = 0;
  addEventListener('scroll', () => window.__scrolls++, {{capture: true}});
  new MutationObserver(records => {{
    if (records.some(r => [...r.addedNodes].some(n => n.dataset?.testid === 'rasoat-mark')))
      window.__rebuilds++;
  }}).observe({P.SHADOW}, {{subtree: true, childList: true}});
}}"""


def _long_flagged_draft(units: int) -> str:
    """The draft, Vietnamese lines with emoji, TAIL halfway, more lines: `units` UTF-16 units."""
    half = ""
    while (len(P.DRAFT) + 2 * len(half) + len(TAIL)) * 1.02 < units:
        half += FILLER
    return P.DRAFT + "\n" + half + TAIL + "\n" + half.rstrip("\n")


def _settled_checks(service: harness.Service, page) -> int:
    """The checks the service has answered, once its access log has stopped growing (a line is
    written just after the answer the page may already show)."""
    count = service.check_requests()
    while True:
        page.wait_for_timeout(400)
        now = service.check_requests()
        if now == count:
            return count
        count = now


@pytest.mark.parametrize("name", ["facebook", "x", "linkedin", "reddit"])
def test_typing_in_a_long_draft_far_from_its_underlines_draws_nothing_anew(
    ext, fixture_server, service, name: str
) -> None:
    """A 20,000-unit draft (Vietnamese, emoji) underlined at its start and in its middle. Typed
    at its end, far from every underline: one check for the words typed (not one per key), and
    the underlines are drawn anew once — for the answer — not at every keystroke (each rebuild
    maps the whole draft and lays it out). Typed at its start (the pause 5 s): the underlines
    move with the text at once, the middle one 10,000 units away, on exactly their words,
    before any check."""
    platform = PLATFORMS[name]
    text = _long_flagged_draft(20_000)
    typed = " Cảm ơn các anh chị 🙏."
    P.configure(ext, debounceMs=1000)
    page = P.open_platform(ext, fixture_server, name)
    try:
        P.focus_editor(page, platform)
        page.keyboard.insert_text(text)
        P.wait_badge_state(page, "issues", timeout=30_000)
        P.wait_marks(page, P.expected_marks(service, text), timeout=30_000)
        # (The test's own questions to the service are in its access log too: asked first.)
        after_typing = P.expected_marks(service, text + typed)
        after_prefix = P.expected_marks(service, "Ghi chú: " + text + typed)
        checks = _settled_checks(service, page)

        page.keyboard.press("Control+End")  # (the page scrolls: drawn anew, once)
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        page.evaluate(COUNT_REBUILDS_JS)
        page.keyboard.type(typed)
        P.wait_badge_state(page, "issues", timeout=30_000)
        P.wait_marks(page, after_typing)
        assert _settled_checks(service, page) - checks == 1
        rebuilds, scrolls = page.evaluate("() => [window.__rebuilds, window.__scrolls]")
        # Drawn anew for the answer, and where the page scrolled (the caret kept in view).
        assert rebuilds <= 1 + scrolls, f"{rebuilds} rebuilds: {len(typed)} keys, {scrolls} scrolls"

        P.configure(ext, debounceMs=5000)
        checks = service.check_requests()
        page.keyboard.press("Control+Home")
        page.keyboard.type("Ghi chú: ")
        P.wait_marks(page, after_prefix, timeout=3_000)
        assert service.check_requests() == checks, "drawn by a check, not moved with the text"
    finally:
        page.close()
        P.configure(ext, debounceMs=100)
