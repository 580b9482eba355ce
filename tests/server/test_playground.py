"""The playground page in a real headless Chromium: type a draft, see it underlined and listed."""

from __future__ import annotations

import shutil

import pytest

from tests.server.helpers import SPEC, ServerProcess

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def page_url():
    with ServerProcess("--workers", "1", *(["--pack", SPEC] if SPEC else [])) as server:
        yield server.url + "/"


def test_typing_a_draft_underlines_and_lists_findings(page_url, bad):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(locale="vi-VN")
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.goto(page_url)
            text = "🎉 " + bad.text  # an emoji first: JavaScript indexes UTF-16, like the API
            page.fill("#draft", text)
            page.wait_for_selector("#findings li", timeout=10_000)
            marked = page.eval_on_selector_all(
                "#preview mark", "marks => marks.map(m => m.textContent)"
            )
            assert bad.text[bad.start : bad.end] in "".join(marked)
            assert bad.code in page.inner_text("#findings")
            assert page.inner_text("#preview") == text  # the preview shows the draft unchanged
            page.select_option("#lang", "en")
            page.wait_for_function("document.querySelector('h1').textContent.startsWith('Check')")
            assert errors == []  # no CSP violation, no script error
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


def _status_becomes(page, expression: str) -> None:
    """Wait until #status says what `expression` (evaluated in the page: its STRINGS) says."""
    page.wait_for_function(
        f"() => document.getElementById('status').textContent === ({expression})",
        timeout=15_000,
    )


def _shown(page) -> tuple[int, int]:
    """(underlines in the preview, items in the findings list)."""
    return page.locator("#preview mark").count(), page.locator("#findings li").count()


def test_a_draft_too_long_is_a_message_in_the_page_language_not_old_findings(
    page_url, bad, browser
):
    """A draft longer than the service accepts (HTTP 413): the page said the service's English
    developer message ("`text` is longer than…") in the Vietnamese page, beside the preview and
    findings of the previous draft. Now: its own message, in the page's language, and nothing
    of the previous draft shown."""
    page = browser.new_page(locale="vi-VN")
    try:
        page.goto(page_url)
        page.fill("#draft", bad.text)
        page.wait_for_selector("#findings li", timeout=10_000)
        page.fill("#draft", bad.text + " " + "x" * 100_000)
        _status_becomes(page, "STRINGS.vi.tooLong")
        assert _shown(page) == (0, 0)
        assert page.inner_text("#preview") == ""
        page.select_option("#lang", "en")
        _status_becomes(page, "STRINGS.en.tooLong")
    finally:
        page.close()


def test_an_answer_that_is_not_json_is_a_message_not_checking_forever(page_url, bad, browser):
    """A proxy in front of the service may answer its own HTML error page (502): the page threw
    on the JSON and said "Đang kiểm tra…" forever. The real service never answers HTML, so the
    proxy's answer is played by the browser's request routing."""
    page = browser.new_page(locale="vi-VN")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(page_url)
        page.route(
            "**/api/v1/check",
            lambda route: route.fulfill(
                status=502, content_type="text/html", body="<html><h1>Bad Gateway</h1></html>"
            ),
        )
        page.fill("#draft", bad.text)
        _status_becomes(page, "STRINGS.vi.failed(502)")
        assert _shown(page) == (0, 0)
        assert errors == []
    finally:
        page.close()


def test_a_service_with_a_token_asks_for_it_and_says_when_it_is_wrong(bad, browser):
    """With `RASOAT_TOKEN` set: the token field appears; a wrong token is told apart from none;
    the right one gives the findings; a wrong one afterwards leaves none of them shown."""
    token = "agency-token-2026"
    args = ("--workers", "1", *(["--pack", SPEC] if SPEC else []))
    with ServerProcess(*args, env={"RASOAT_TOKEN": token}) as server:
        page = browser.new_page(locale="vi-VN")
        try:
            page.goto(server.url + "/")
            page.fill("#draft", bad.text)
            _status_becomes(page, "STRINGS.vi.needToken")
            assert page.is_visible("#token")
            page.fill("#token", "wrong")
            _status_becomes(page, "STRINGS.vi.wrongToken")
            page.fill("#token", token)
            page.wait_for_selector("#findings li", timeout=10_000)
            assert bad.code in page.inner_text("#findings")
            page.fill("#token", token + "x")
            _status_becomes(page, "STRINGS.vi.wrongToken")
            assert _shown(page) == (0, 0)
        finally:
            page.close()
        assert not any(bad.text in line for line in server.output)  # the draft is not logged


def test_the_draft_box_is_named_and_only_the_status_is_announced(page_url, bad, browser):
    """For a screen reader: the draft box had no name but its placeholder ("Ví dụ: …"), and the
    whole preview and findings list was a live region, so every check read the draft back to
    the user while they typed. Now the box is labelled in the page's language and only the
    one-line status ("2 vấn đề") is announced."""
    page = browser.new_page(locale="vi-VN")
    try:
        page.goto(page_url)
        assert page.get_by_role("textbox", name="Bản nháp", exact=True).count() == 1
        page.get_by_role("textbox", name="Bản nháp", exact=True).fill(bad.text)
        page.wait_for_selector("#findings li", timeout=10_000)
        live = page.evaluate(
            """() => [...document.querySelectorAll(
                 '[aria-live], [role=status], [role=alert], [role=log]')].map(e => e.id)"""
        )
        assert live == ["status"]
        page.select_option("#lang", "en")
        assert page.get_by_role("textbox", name="Draft", exact=True).count() == 1
    finally:
        page.close()


def test_the_browser_keeps_no_copy_of_the_draft_in_its_history(page_url, bad, browser):
    """Chromium saves what a textarea holds into the page's history entry (restored on Back, and
    written to disk with the session for "continue where you left off"): after following the
    page's own link to openapi.json and going back, the draft was there again. `autocomplete=off`
    keeps the browser from saving it; nothing of it is in the URL or the page's storage either."""
    page = browser.new_page(locale="vi-VN")
    try:
        page.goto(page_url)
        page.fill("#draft", bad.text)
        page.wait_for_selector("#findings li", timeout=10_000)
        assert bad.text not in page.url
        assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
        page.click("footer a")
        page.wait_for_url("**/openapi.json")
        page.go_back()
        page.wait_for_selector("#draft")
        assert page.input_value("#draft") == ""
    finally:
        page.close()


# Each underline's contrast with the preview's background (WCAG 2.1's relative luminance), by
# severity: the underline is the only mark of the flagged text in the preview.
UNDERLINE_CONTRAST_JS = """() => {
  const rgb = css => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(c => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  let back = lum([255, 255, 255]);  // the canvas, unless an element paints a background
  for (let el = document.getElementById('preview'); el; el = el.parentElement) {
    const css = getComputedStyle(el).backgroundColor;
    if (css !== 'rgba(0, 0, 0, 0)') { back = lum(rgb(css)); break; }
  }
  const out = {};
  for (const mark of document.querySelectorAll('#preview mark')) {
    const line = lum(rgb(getComputedStyle(mark).textDecorationColor));
    out[mark.className] = (Math.max(line, back) + 0.05) / (Math.min(line, back) + 0.05);
  }
  return out;
}"""


def test_every_underline_in_the_preview_stands_out_from_the_page(
    page_url, default_pack, bad_examples, browser
):
    """A warning's underline (#ef8f00 on white, 2.4:1) was below the 3:1 WCAG 2.1 asks of the
    only visual mark of the flagged text; every severity's underline now meets it."""
    severity = {rule.code: rule.severity for rule in default_pack.rules}
    one_each = {}
    for example in bad_examples:
        one_each.setdefault(severity[example.code], example.text)
    assert "warning" in one_each, "the default pack has no warning rule with a bad example"
    page = browser.new_page(locale="vi-VN")
    try:
        page.goto(page_url)
        page.fill("#draft", "\n".join(one_each.values()))
        page.wait_for_selector("#preview mark.warning", timeout=10_000)
        contrast = page.evaluate(UNDERLINE_CONTRAST_JS)
        assert contrast and all(ratio >= 3 for ratio in contrast.values()), contrast
    finally:
        page.close()


def test_the_language_names_are_read_in_their_own_language(page_url, browser):
    """ "Tiếng Việt" in the language menu took the page's language: in the English page a screen
    reader said it with an English voice. Each name now carries its own `lang`."""
    page = browser.new_page(locale="en-US")
    try:
        page.goto(page_url)
        page.wait_for_function("document.documentElement.lang === 'en'")
        spoken = page.evaluate(
            """() => [...document.querySelectorAll('#lang option')]
                 .map(o => [o.value, o.matches(`:lang(${o.value})`)])"""
        )
        assert spoken == [["vi", True], ["en", True]]
    finally:
        page.close()
