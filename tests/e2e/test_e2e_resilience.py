"""Long drafts, a slow service, a service going down and up while a draft is open (Chromium)."""

from __future__ import annotations

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
    asks (it went out unchecked: the failed check was taken as the answer)."""
    platform = PLATFORMS["x"]
    page = P.open_platform(ext, fixture_server, "x")
    try:
        P.focus_editor(page, platform)
        with service.stopped():
            page.keyboard.type(P.DRAFT)
            assert P.wait_badge_state(page, "offline", "issues")["state"] == "offline"
        P.press_post(page, platform)
        P.edit_from_dialog(page, platform, P.DRAFT)
        P.wait_marks(page, P.expected_marks(service, P.DRAFT))
    finally:
        page.close()


def test_a_post_asks_a_down_service_again_only_once(ext, fixture_server, service) -> None:
    """Asking again at Post holds the Post (and re-triggers it when the service is still down).
    On a page that ignores clicks made by script (reddit `?trusted-clicks-only`), that first
    Post is lost to the page: the user's next Post must go out, not wait and be held again."""
    platform = PLATFORMS["reddit"]
    page = P.open_platform(ext, fixture_server, "reddit")
    try:
        page.goto(fixture_server.url("reddit") + "?trusted-clicks-only")
        page.wait_for_selector("body[data-fixture='reddit'][data-ready='1']")
        P.focus_editor(page, platform)
        with service.stopped():
            page.keyboard.type(P.DRAFT)
            assert P.wait_badge_state(page, "offline", "issues")["state"] == "offline"
            P.press_post(page, platform)
            page.wait_for_function(
                f"() => {P.SHADOW}?.querySelector('[data-testid=\"rasoat-badge\"]')"
                ".dataset.state === 'offline'"
            )
            page.wait_for_timeout(300)  # the re-triggered click has been handled (and ignored)
            assert P.posted(page) == [], "the fixture should ignore a click made by script"
            P.press_post(page, platform)
            assert P.wait_posted(page) == [P.DRAFT]
            assert P.dialog(page).count() == 0
    finally:
        page.close()
