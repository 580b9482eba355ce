"""The fixture pages themselves, without the extension: real editors post exactly what is typed."""

from __future__ import annotations

import ssl
import urllib.request

import pytest

from tests.e2e import harness
from tests.e2e.platforms import FORUM, PLATFORMS, Platform

DRAFT = "Chào buổi sáng, Hà Nội 🌤️ — mật ong rừng"


@pytest.fixture(scope="module")
def bare_browser(playwright_instance, fixture_server):
    ctx = harness.launch_chromium(playwright_instance, fixture_server.port, extension=None)
    try:
        yield ctx
    finally:
        harness.close_chromium(ctx)


def post(page, platform: Platform) -> None:
    if platform.enter_sends:
        page.keyboard.press("Enter")
    else:
        page.click(platform.post)


def test_pages_are_served_with_a_strict_csp(fixture_server: harness.FixtureServer) -> None:
    context = ssl.create_default_context(cafile=str(fixture_server.cert))
    context.check_hostname = True
    request = urllib.request.Request(
        f"https://127.0.0.1:{fixture_server.port}/", headers={"Host": "www.facebook.com"}
    )
    with urllib.request.urlopen(request, context=context, timeout=5) as response:
        assert "connect-src 'self'" in response.headers["Content-Security-Policy"]
        assert b"data-lexical-editor" in response.read()


@pytest.mark.parametrize("name", [*PLATFORMS, FORUM.name])
def test_fixture_posts_exactly_what_is_typed(bare_browser, fixture_server, name: str) -> None:
    platform = PLATFORMS.get(name, FORUM)
    page = bare_browser.new_page()
    try:
        page.goto(fixture_server.url(name))
        page.wait_for_selector(f"body[data-fixture='{name}'][data-ready='1']")
        assert page.evaluate("location.hostname") == harness.PLATFORM_HOST[name]
        page.click(platform.editor)
        page.keyboard.type(DRAFT)
        post(page, platform)
        page.wait_for_selector("#posted li")
        assert page.locator("#posted li").all_text_contents() == [DRAFT]
        # The site clears its composer after posting, as the real ones do.
        page.wait_for_function(
            "sel => (document.querySelector(sel).value ?? document.querySelector(sel).innerText)"
            ".trim() === ''",
            arg=platform.editor,
        )
    finally:
        page.close()


def test_page_cannot_fetch_loopback(bare_browser, fixture_server) -> None:
    """The fixture host counts as public and its CSP allows only 'self': a page-side fetch to
    127.0.0.1 must fail, which is why the extension talks to the service from its background."""
    page = bare_browser.new_page()
    try:
        page.goto(fixture_server.url("facebook"))
        outcome = page.evaluate(
            """port => fetch(`http://127.0.0.1:${port}/`).then(() => 'ok', e => 'blocked')""",
            fixture_server.port,
        )
        assert outcome == "blocked"
    finally:
        page.close()


@pytest.mark.parametrize("kind", ["ckeditor", "tinymce", "designmode"])
def test_the_forum_editor_in_an_iframe_posts_exactly_what_is_typed(
    bare_browser, fixture_server, kind: str
) -> None:
    """The forum's page whose editor is an iframe (about:blank, srcdoc, designMode): typed in
    the iframe's body, "Gửi bài" in the page posts exactly that and empties the editor; with
    a title box (`&title=1`), the title, a new line and the body."""
    page = bare_browser.new_page()
    try:
        page.goto(f"https://{harness.PLATFORM_HOST['forum']}/soan-bai?editor={kind}")
        page.wait_for_selector(f"body[data-fixture='forum-editor'][data-editor='{kind}']")
        frame = page.wait_for_selector("#editor iframe").content_frame()
        # No address of its own: written into an about:blank frame (document.open gives the
        # document the page's address), or an srcdoc.
        iframe = page.locator("#editor iframe")
        assert iframe.get_attribute("src") is None
        assert (iframe.get_attribute("srcdoc") is None) == (kind == "ckeditor")
        assert frame.evaluate("location.href") == (
            page.url if kind == "ckeditor" else "about:srcdoc"
        )
        frame.click("body")
        page.keyboard.type(DRAFT)
        page.click(FORUM.post)
        page.wait_for_selector("#posted li")
        assert page.locator("#posted li").all_text_contents() == [DRAFT]
        assert frame.evaluate("document.body.innerText").strip() == ""
        # A new thread's page (&title=1): the title box's text and the body, both emptied.
        page.goto(f"https://{harness.PLATFORM_HOST['forum']}/soan-bai?editor={kind}&title=1")
        page.wait_for_selector(f"body[data-editor='{kind}'][data-title='1']")
        frame = page.wait_for_selector("#editor iframe").content_frame()
        page.fill("#tieu-de", "Tiêu đề")
        frame.click("body")
        page.keyboard.type(DRAFT)
        page.click(FORUM.post)
        page.wait_for_selector("#posted li")
        assert page.locator("#posted li").all_text_contents() == [f"Tiêu đề\n{DRAFT}"]
        assert page.input_value("#tieu-de") == ""
        assert frame.evaluate("document.body.innerText").strip() == ""
    finally:
        page.close()
