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
