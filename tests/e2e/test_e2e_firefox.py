"""The extension in Firefox ESR: `web-ext lint` clean, and the core flow on real fixture pages."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import harness
from tests.e2e import pages as P
from tests.e2e.platforms import PLATFORMS

WEB_EXT = harness.FIXTURES / "node_modules" / ".bin" / "web-ext"


def test_web_ext_lint_has_no_errors() -> None:
    if not WEB_EXT.exists():
        pytest.fail(f"{WEB_EXT} is missing: run `make e2e-deps`", pytrace=False)
    result = subprocess.run(
        [str(WEB_EXT), "lint", "--source-dir", str(harness.EXTENSION), "--output", "json",
         "--no-config-discovery"],
        capture_output=True, text=True, timeout=180, cwd=harness.FIXTURES,
    )
    start = result.stdout.find("{")
    assert start >= 0, f"web-ext lint printed no report:\n{result.stdout}\n{result.stderr}"
    report = json.loads(result.stdout[start:])
    for kind in ("warnings", "notices"):
        for item in report.get(kind, []):
            print(f"web-ext lint {kind[:-1]}: {item.get('code')} {item.get('file', '')}: "
                  f"{item.get('message')}")
    errors = [f"{e.get('code')} {e.get('file', '')}: {e.get('message')}"
              for e in report.get("errors", [])]
    assert errors == [], "\n".join(errors)


def _wait(driver, condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _type_draft(driver, fixture_server, name: str, badge_state: str) -> None:
    """Open a fixture page, type the draft into its compose box as a keyboard does, and wait
    for the badge to reach `badge_state`."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    platform = PLATFORMS[name]
    driver.get(fixture_server.url(name))
    # The add-on's first-run tab opens on install and takes the focus: without focus, Firefox
    # fires no focus events and the extension never sees the compose box being focused.
    driver.switch_to.window(driver.current_window_handle)
    _wait(driver, lambda: driver.execute_script("return document.body.dataset.ready") == "1",
          what="fixture page")
    driver.find_element(By.CSS_SELECTOR, platform.editor).click()
    # Keys to the focused element, as a keyboard does (element.send_keys re-targets the element
    # on every key, and Lexical in Firefox then keeps only the first character).
    ActionChains(driver).send_keys(P.DRAFT).perform()
    _wait(driver, lambda: (driver.execute_script(f"return ({P.BADGE_JS})()") or {}).get("state")
          == badge_state, what=f"badge state {badge_state!r}")


def _posted(driver) -> list[str]:
    """What the fixture page posted, once it has posted something."""
    _wait(driver, lambda: driver.execute_script(
        "return document.querySelectorAll('#posted li').length") > 0, what="post")
    return driver.execute_script(
        "return [...document.querySelectorAll('#posted li')].map(li => li.textContent)")


def _shadow_find(driver, selector: str):
    from selenium.webdriver.common.by import By

    host = driver.find_element(By.CSS_SELECTOR, "rasoat-root")
    return host.shadow_root.find_element(By.CSS_SELECTOR, selector)


@pytest.fixture(scope="module")
def firefox(fixture_server, service):
    """Headless firefox-esr with the extension as a temporary add-on, pointed at the service
    through enterprise-managed storage (so that path is exercised too)."""
    manifest = json.loads((harness.EXTENSION / "manifest.json").read_text())
    addon_id = manifest["browser_specific_settings"]["gecko"]["id"]
    settings = {"serviceUrl": service.url, "debounceMs": 100}
    with tempfile.TemporaryDirectory(prefix="rasoat-e2e-firefox-") as home, \
            harness.fixture_proxy(fixture_server.port) as proxy_port:
        driver = harness.launch_firefox(proxy_port, Path(home), managed={addon_id: settings})
        try:
            yield driver
        finally:
            driver.quit()


@pytest.mark.parametrize("name", ["facebook", "x", "linkedin", "zalo", "reddit"])
def test_core_flow_in_firefox(firefox, fixture_server, service, name: str) -> None:
    """Type → underline → last check before Post → Post anyway posts exactly the typed text."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    platform = PLATFORMS[name]
    driver = firefox
    _type_draft(driver, fixture_server, name, "issues")
    expected = P.expected_marks(service, P.DRAFT)

    def drawn() -> bool:
        got = sorted(((m["code"], m["start"], m["end"], m["text"])
                      for m in driver.execute_script(f"return ({P.MARKS_JS})()")),
                     key=lambda t: (t[1], t[2], t[0]))
        return got == expected

    _wait(driver, drawn, what=f"marks {expected}")
    if platform.kind != "textarea":  # Firefox ≥ 140 has the Custom Highlight API too
        drawn_ranges = driver.execute_script(f"return ({P.HIGHLIGHTS_JS})()")
        assert sorted(t for ranges in drawn_ranges.values() for t in ranges) == sorted(
            t[3] for t in expected), drawn_ranges
    if platform.enter_sends:
        ActionChains(driver).send_keys(Keys.ENTER).perform()
    else:
        driver.find_element(By.CSS_SELECTOR, platform.post).click()
    dialog = _wait(driver, lambda: _shadow_find(driver, '[data-testid="rasoat-dialog"]'),
                   what="last-check dialog")
    _wait(driver, dialog.is_displayed, what="dialog shown")
    assert driver.execute_script("return document.querySelectorAll('#posted li').length") == 0
    dialog.find_element(By.CSS_SELECTOR, '[data-action="post-anyway"]').click()
    assert _posted(driver) == [P.DRAFT]


def test_offline_in_firefox_never_blocks_the_post(firefox, fixture_server, service) -> None:
    from selenium.webdriver.common.by import By

    platform = PLATFORMS["facebook"]
    driver = firefox
    with service.stopped():
        _type_draft(driver, fixture_server, "facebook", "offline")
        assert driver.execute_script(f"return ({P.MARKS_JS})()") == []
        driver.find_element(By.CSS_SELECTOR, platform.post).click()
        assert _posted(driver) == [P.DRAFT]
