"""The extension in Firefox ESR: `web-ext lint` clean, and the core flow on real fixture pages."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import harness
from tests.e2e import pages as P
from tests.e2e.platforms import FORUM, PLATFORMS, Platform

WEB_EXT = harness.FIXTURES / "node_modules" / ".bin" / "web-ext"


def test_web_ext_lint_has_no_errors() -> None:
    if not WEB_EXT.exists():
        pytest.fail(f"{WEB_EXT} is missing: run `make e2e-deps`", pytrace=False)
    result = subprocess.run(
        [
            str(WEB_EXT),
            "lint",
            "--source-dir",
            str(harness.EXTENSION),
            "--output",
            "json",
            "--no-config-discovery",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=harness.FIXTURES,
    )
    start = result.stdout.find("{")
    assert start >= 0, f"web-ext lint printed no report:\n{result.stdout}\n{result.stderr}"
    report = json.loads(result.stdout[start:])
    for kind in ("warnings", "notices"):
        for item in report.get(kind, []):
            print(
                f"web-ext lint {kind[:-1]}: {item.get('code')} {item.get('file', '')}: "
                f"{item.get('message')}"
            )
    errors = [
        f"{e.get('code')} {e.get('file', '')}: {e.get('message')}" for e in report.get("errors", [])
    ]
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


def _open_fixture(driver, url: str | None) -> None:
    """Open the fixture page at `url` (None: the page that is open) and wait until it is ready.
    The add-on's first-run tab opens on install and takes the focus: without focus, Firefox
    fires no focus events and the extension never sees the compose box being focused."""
    if url is not None:
        driver.get(url)
    driver.switch_to.window(driver.current_window_handle)
    _wait(
        driver,
        lambda: driver.execute_script("return document.body.dataset.ready") == "1",
        what="fixture page",
    )


def _focus_editor(
    driver, fixture_server, name: str, platform: Platform | None = None, navigate: bool = True
) -> None:
    """Open the fixture page of `name` (unless it is open: `navigate=False`) and click into its
    compose box."""
    from selenium.webdriver.common.by import By

    platform = platform or PLATFORMS[name]
    _open_fixture(driver, fixture_server.url(name) if navigate else None)
    driver.find_element(By.CSS_SELECTOR, platform.editor).click()


def _type_draft(
    driver,
    fixture_server,
    name: str,
    badge_state: str,
    platform: Platform | None = None,
    navigate: bool = True,
) -> None:
    """Open a fixture page (unless it is open: `navigate=False`), type the draft into its
    compose box as a keyboard does, and wait for the badge to reach `badge_state`."""
    from selenium.webdriver.common.action_chains import ActionChains

    _focus_editor(driver, fixture_server, name, platform, navigate)
    # Keys to the focused element, as a keyboard does (element.send_keys re-targets the element
    # on every key, and Lexical in Firefox then keeps only the first character).
    ActionChains(driver).send_keys(P.DRAFT).perform()
    _wait(
        driver,
        lambda: (
            (driver.execute_script(f"return ({P.BADGE_JS})()") or {}).get("state") == badge_state
        ),
        what=f"badge state {badge_state!r}",
    )


def _posted(driver) -> list[str]:
    """What the fixture page posted, once it has posted something."""
    _wait(
        driver,
        lambda: driver.execute_script("return document.querySelectorAll('#posted li').length") > 0,
        what="post",
    )
    return driver.execute_script(
        "return [...document.querySelectorAll('#posted li')].map(li => li.textContent)"
    )


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
    with (
        tempfile.TemporaryDirectory(prefix="rasoat-e2e-firefox-") as home,
        harness.fixture_proxy(fixture_server.port) as proxy_port,
    ):
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
    _wait_marks(driver, expected)
    if platform.kind != "textarea":  # Firefox ≥ 140 has the Custom Highlight API too
        drawn_ranges = driver.execute_script(f"return ({P.HIGHLIGHTS_JS})()")
        assert sorted(t for ranges in drawn_ranges.values() for t in ranges) == sorted(
            t[3] for t in expected
        ), drawn_ranges
    if platform.enter_sends:
        ActionChains(driver).send_keys(Keys.ENTER).perform()
    else:
        driver.find_element(By.CSS_SELECTOR, platform.post).click()
    assert _anyway_from_dialog(driver) == [P.DRAFT]


def _wait_marks(driver, expected: list[tuple[str, int, int, str]]) -> None:
    """Wait until the drawn marks are exactly `expected` (code, start, end, text)."""

    def drawn() -> bool:
        got = sorted(
            (
                (m["code"], m["start"], m["end"], m["text"])
                for m in driver.execute_script(f"return ({P.MARKS_JS})()")
            ),
            key=lambda t: (t[1], t[2], t[0]),
        )
        return got == expected

    _wait(driver, drawn, what=f"marks {expected}")


def _anyway_from_dialog(driver) -> list[str]:
    """The last-check dialog shows with nothing posted; Post anyway sends: what was posted."""
    from selenium.webdriver.common.by import By

    dialog = _wait(
        driver,
        lambda: _shadow_find(driver, '[data-testid="rasoat-dialog"]'),
        what="last-check dialog",
    )
    _wait(driver, dialog.is_displayed, what="dialog shown")
    assert driver.execute_script("return document.querySelectorAll('#posted li').length") == 0
    dialog.find_element(By.CSS_SELECTOR, '[data-action="post-anyway"]').click()
    return _posted(driver)


def test_offline_in_firefox_never_blocks_the_post(firefox, fixture_server, service) -> None:
    from selenium.webdriver.common.by import By

    platform = PLATFORMS["facebook"]
    driver = firefox
    with service.stopped():
        _type_draft(driver, fixture_server, "facebook", "offline")
        assert driver.execute_script(f"return ({P.MARKS_JS})()") == []
        driver.find_element(By.CSS_SELECTOR, platform.post).click()
        assert _posted(driver) == [P.DRAFT]


def _open_extension_page(driver, path: str, ready: str) -> str:
    """Open one of the add-on's own pages in a new tab, switch to it and return its handle once
    `ready` (a page function, as for Chromium's P.open_extension_page) is true. WebDriver may
    not load moz-extension:// itself; the browser's chrome may (the session allows system
    access). A page that never gets ready is closed, back on the tab used before, before the
    error is raised."""
    manifest = json.loads((harness.EXTENSION / "manifest.json").read_text())
    back = driver.current_window_handle
    handles = set(driver.window_handles)
    with driver.context(driver.CONTEXT_CHROME):
        driver.execute_script(
            """
          const [id, path] = arguments;
          const win = Services.wm.getMostRecentWindow("navigator:browser");
          const url = WebExtensionPolicy.getByID(id).getURL(path);
          win.gBrowser.selectedTab = win.gBrowser.addTab(url,
            { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
        """,
            manifest["browser_specific_settings"]["gecko"]["id"],
            path,
        )
    handle = _wait(
        driver, lambda: set(driver.window_handles) - handles, what=f"a tab with {path}"
    ).pop()
    driver.switch_to.window(handle)

    def drawn() -> Any:
        from selenium.common.exceptions import JavascriptException

        try:
            return driver.execute_script(f"return ({ready})()")
        except JavascriptException:  # the tab still on about:blank, or the page not yet parsed
            return False

    try:
        _wait(driver, drawn, what=f"{path} drawn")
    except BaseException:
        driver.close()
        driver.switch_to.window(back)
        raise
    return handle


def _open_options(driver, ready: str = P.OPTIONS_DRAWN) -> str:
    """The options page in a new tab (switched to), once drawn — or once `ready`."""
    return _open_extension_page(driver, "options/options.html", ready)


def _open_popup(driver, ready: str = P.POPUP_DRAWN) -> str:
    """The toolbar popup's page in a new tab (switched to; it reports on the tab used before
    it), once drawn — or once `ready`."""
    return _open_extension_page(driver, "popup/popup.html", ready)


def _set_pref(driver, name: str, value: bool | None) -> None:
    """Set a boolean pref of the running Firefox (None: back to its default)."""
    with driver.context(driver.CONTEXT_CHROME):
        driver.execute_script(
            """
          const [name, value] = arguments;
          if (value === null) Services.prefs.clearUserPref(name);
          else Services.prefs.setBoolPref(name, value);
        """,
            name,
            value,
        )


def _forget_site(driver, key: str) -> None:
    """Remove an added site again (Options → Remove), so the next test starts without it."""
    from selenium.webdriver.common.by import By

    back = driver.current_window_handle
    _open_options(driver, "() => document.querySelector('#sites [data-site]') !== null")
    listed = f"#sites [data-site='{key}']"
    try:
        remove = driver.find_elements(By.CSS_SELECTOR, f"#sites li:has({listed}) button")
        if remove:  # (absent when the test failed before adding it)
            remove[0].click()
            _wait(
                driver,
                lambda: not driver.find_elements(By.CSS_SELECTOR, listed),
                what=f"{key} removed",
            )
    finally:
        driver.close()
        driver.switch_to.window(back)


def _check_the_forum_draft(driver, fixture_server, service, navigate: bool = True) -> None:
    """Type the draft on the forum (opened now, or already open: `navigate=False`), see it
    underlined, press "Gửi bài", answer the last check with Post anyway: the exact draft posts."""
    from selenium.webdriver.common.by import By

    _type_draft(driver, fixture_server, "forum", "issues", platform=FORUM, navigate=navigate)
    _wait_marks(driver, P.expected_marks(service, P.DRAFT))
    driver.find_element(By.CSS_SELECTOR, FORUM.post).click()
    assert _anyway_from_dialog(driver) == [P.DRAFT]


def _check_the_iframe_editor(driver, service, site: str, navigate: bool = True) -> None:
    """On the forum's page whose editor (CKEditor 4 classic) is an about:blank iframe (opened
    now, or already open: `navigate=False`), type the draft into the iframe's body: underlined
    exactly, in the iframe; "Gửi bài", in the page, is held for the last check (the dialog over
    the page), and Post anyway posts the draft."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _open_fixture(driver, f"https://{site}/soan-bai" if navigate else None)
    driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "#editor iframe"))
    try:
        driver.find_element(By.TAG_NAME, "body").click()
        ActionChains(driver).send_keys(P.DRAFT).perform()
        _wait_marks(driver, P.expected_marks(service, P.DRAFT))
        assert driver.execute_script("return document.body.innerText").rstrip("\n") == P.DRAFT
    finally:
        driver.switch_to.default_content()
    driver.find_element(By.CSS_SELECTOR, FORUM.post).click()
    assert _anyway_from_dialog(driver) == [P.DRAFT]


def _check_a_title_and_the_iframe_body(driver, service, site: str) -> None:
    """A new thread on the forum: its title in a box of the page, its body in the editor's
    about:blank iframe (CKEditor 4), one "Gửi bài" for both. One dialog (over the page) lists
    the serious findings of both boxes — each watched by its own frame's copy of the scripts,
    which share nothing in Firefox — and one Post anyway posts both, once."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver.get(f"https://{site}/soan-bai?title=1")
    _wait(
        driver,
        lambda: driver.execute_script("return document.body.dataset.title") == "1",
        what="fixture page with a title box",
    )
    driver.find_element(By.ID, "tieu-de").click()
    ActionChains(driver).send_keys(P.TITLE).perform()
    _wait_marks(driver, P.expected_marks(service, P.TITLE))
    driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "#editor iframe"))
    try:
        driver.find_element(By.TAG_NAME, "body").click()
        ActionChains(driver).send_keys(P.DRAFT).perform()
        _wait_marks(driver, P.expected_marks(service, P.DRAFT))
    finally:
        driver.switch_to.default_content()
    driver.find_element(By.CSS_SELECTOR, FORUM.post).click()

    def dialogs() -> list:
        """Every last-check dialog drawn in the page (each frame's scripts draw in a root of
        their own)."""
        return [
            d
            for host in driver.find_elements(By.CSS_SELECTOR, "rasoat-root")
            for d in host.shadow_root.find_elements(
                By.CSS_SELECTOR, '[data-testid="rasoat-dialog"]'
            )
        ]

    (dialog,) = _wait(driver, dialogs, what="last-check dialog")
    blocking = sum(
        m["severity"] == "error"
        for text in (P.TITLE, P.DRAFT)
        for m in P.merge_same_spans(P.service_check(service, text))
    )
    items = dialog.find_elements(By.CSS_SELECTOR, '[data-testid="rasoat-dialog-item"]')
    assert len(items) == blocking, [i.text for i in items]
    assert driver.execute_script("return document.querySelectorAll('#posted li').length") == 0
    dialog.find_element(By.CSS_SELECTOR, '[data-action="post-anyway"]').click()
    assert _posted(driver) == [f"{P.TITLE}\n{P.DRAFT}"]
    assert dialogs() == []


def test_a_site_added_in_options_is_checked_in_firefox(firefox, fixture_server, service) -> None:
    """A site no adapter knows (the agency's intranet forum), added in Options: Firefox grants an
    optional host permission only to a request made while the click is handled; once granted,
    the extension runs there (a content script registered for the site), underlines the draft
    and checks it once more at "Gửi bài". Until now only Chromium ran the options page, where
    headless Chromium can never grant the permission, so nothing showed an added site working.
    A page of the site open before it was added, whose editor is an about:blank iframe
    (CKEditor 4), is checked at once, in that iframe; and again once loaded anew; with a title
    box beside it, one dialog covers both boxes.

    Firefox's permission prompt (browser chrome, out of WebDriver's reach) is switched off with
    the pref its own tests use: the request then grants at once, through the same API."""
    from selenium.webdriver.common.by import By

    driver = firefox
    site = harness.PLATFORM_HOST["forum"]
    _set_pref(driver, "extensions.webextOptionalPermissionPrompts", False)
    site_tab = driver.current_window_handle
    driver.get(f"https://{site}/soan-bai")  # open before the site is added
    options_tab = _open_options(driver)
    try:
        driver.find_element(By.ID, "newSite").send_keys(f"https://{site}/viewtopic.php?t=12")
        driver.find_element(By.ID, "addSite").click()
        box = _wait(
            driver,
            lambda: driver.find_elements(By.CSS_SELECTOR, f"#sites [data-site='{site}']"),
            what="the added site",
        )[0]
        assert box.is_selected()
        assert driver.find_element(By.ID, "status").text == ""  # not "Permission … not granted"
        assert (
            driver.execute_async_script(
                "chrome.permissions.contains({origins: arguments[0]}).then(arguments[1])",
                [f"*://{site}/*"],
            )
            is True
        )
        driver.close()
        driver.switch_to.window(site_tab)
        _check_the_iframe_editor(driver, service, site, navigate=False)
        _check_the_forum_draft(driver, fixture_server, service)
        _check_the_iframe_editor(driver, service, site)
        _check_a_title_and_the_iframe_body(driver, service, site)
    finally:
        _set_pref(driver, "extensions.webextOptionalPermissionPrompts", None)
        if options_tab in driver.window_handles:  # an assertion left it open
            driver.switch_to.window(options_tab)
            driver.close()
        driver.switch_to.window(site_tab)
        _forget_site(driver, site)


def test_the_popup_reports_on_its_tab_and_turns_the_site_off_in_firefox(
    firefox, fixture_server, service
) -> None:
    """The toolbar popup in Firefox (here opened as a tab: it reports on the tab used before
    it): connected to the service, its pack, this tab's counts, the site on. Unticking the site
    turns the extension off in the open tab at once: the underlines go and Post is no longer
    held.

    (A site the extension does not know cannot be tried this way: a popup opened as a tab has
    no activeTab grant, so Firefox hides that tab's address from it; the toolbar's popup has it.)
    """
    from selenium.webdriver.common.by import By

    driver = firefox
    platform = PLATFORMS["reddit"]
    _type_draft(driver, fixture_server, "reddit", "issues")
    site_tab = driver.current_window_handle
    popup_tab = _open_popup(driver)
    strings = P.strings()
    try:
        connection = driver.find_element(By.ID, "connection")
        assert (connection.get_attribute("data-state"), connection.text) == (
            "online",
            strings["popupOnline"]["message"].replace("$1", service.url),
        )
        assert "vn-" in driver.find_element(By.ID, "pack").text
        counts = driver.find_element(By.ID, "counts").text
        assert counts.startswith(strings["severity_error"]["message"] + ": "), counts
        assert counts != strings["popupNoCounts"]["message"]
        assert driver.find_element(By.ID, "site-label").text == strings["popupSite"][
            "message"
        ].replace("$1", "reddit.com")
        box = driver.find_element(By.ID, "site")
        assert box.is_selected()
        box.click()
        driver.close()
        driver.switch_to.window(site_tab)
        _wait(
            driver,
            lambda: driver.execute_script(f"return ({P.MARKS_JS})()") == [],
            what="underlines gone",
        )
        driver.find_element(By.CSS_SELECTOR, platform.post).click()
        assert _posted(driver) == [P.DRAFT]
    finally:
        if popup_tab in driver.window_handles:
            driver.switch_to.window(popup_tab)
            driver.close()
        driver.switch_to.window(site_tab)
        reddit = "#sites [data-site='reddit.com']"
        _open_options(driver, f'() => document.querySelector("{reddit}") !== null')
        box = driver.find_element(By.CSS_SELECTOR, reddit)  # the site back on for later tests
        if not box.is_selected():
            box.click()  # (the list is drawn anew after the change)
            _wait(
                driver,
                lambda: driver.find_element(By.CSS_SELECTOR, reddit).is_selected(),
                what="reddit back on",
            )
        driver.close()
        driver.switch_to.window(site_tab)


def _paste(driver, text: str) -> None:
    """Paste `text` as a user does: it goes on Firefox's clipboard (from its chrome context), and
    Ctrl+V into the focused editor — Firefox's own paste into the editor, not text set by script."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    with driver.context(driver.CONTEXT_CHROME):
        driver.execute_script(
            """Cc["@mozilla.org/widget/clipboardhelper;1"]
                 .getService(Ci.nsIClipboardHelper).copyString(arguments[0]);""",
            text,
        )
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("v").key_up(Keys.CONTROL).perform()


def _field_text(driver, platform: Platform) -> str:
    return driver.execute_script(f"return ({P.FIELD_TEXT_JS})(arguments[0])", platform.editor)


@pytest.mark.parametrize("name", ["facebook", "zalo"])
def test_the_same_draft_pasted_over_itself_is_underlined_where_it_now_is_in_firefox(
    firefox, fixture_server, service, name: str
) -> None:
    """Firefox's own paste (Ctrl+A, Ctrl+V of the same draft) into Lexical and a plain
    contenteditable puts the text in new nodes while the extension's text is unchanged: the
    underlines and the highlight registry are on the new copy, the badge keeps its findings, and
    no check is sent for it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    platform = PLATFORMS[name]
    driver = firefox
    _type_draft(driver, fixture_server, name, "issues")
    expected = P.expected_marks(service, P.DRAFT)
    _wait_marks(driver, expected)
    checks = service.check_requests()
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
    _paste(driver, P.DRAFT)
    _wait(driver, lambda: _field_text(driver, platform) == P.DRAFT, what="the draft pasted")
    _wait_marks(driver, expected)
    want = sorted(t for _code, _s, _e, t in expected)
    _wait(
        driver,
        lambda: (
            sorted(
                t
                for ranges in driver.execute_script(f"return ({P.HIGHLIGHTS_JS})()").values()
                for t in ranges
            )
            == want
        ),
        what=f"highlights on {want}",
    )
    assert driver.execute_script(f"return ({P.BADGE_JS})()")["state"] == "issues"
    assert service.check_requests() == checks


@pytest.mark.parametrize("name", ["threads", "reddit"])
def test_the_same_draft_in_a_second_box_waits_for_its_own_answer_in_firefox(
    firefox, fixture_server, service, name: str
) -> None:
    """Firefox: two compose boxes of one page (a thread's second post; a second textarea) get
    the identical draft by Firefox's own paste. The second shows no underline until its own
    answer, then its own; cleared, none; back in the first, the first's; the first replaced by
    a clean text, none — and no underline or highlight is ever over a box not in use."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.e2e.test_e2e_typing import RECORD_BOXES_JS, SECOND_BOX

    driver = firefox
    add, boxes = SECOND_BOX[name]
    expected = P.expected_marks(service, P.DRAFT)

    def badge_state(state: str) -> None:
        _wait(
            driver,
            lambda: (driver.execute_script(f"return ({P.BADGE_JS})()") or {}).get("state") == state,
            what=f"badge {state}",
        )

    def select_all() -> None:
        ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()

    _focus_editor(driver, fixture_server, name)
    badge_state("idle")
    driver.execute_script(f"({RECORD_BOXES_JS})(arguments[0])", boxes)
    _paste(driver, P.DRAFT)
    _wait_marks(driver, expected)
    if add.startswith("()"):
        driver.execute_script(f"({add})()")
    else:
        driver.find_element(By.CSS_SELECTOR, add).click()
    _wait(driver, lambda: len(driver.find_elements(By.CSS_SELECTOR, boxes)) == 2, what="box 2")
    driver.find_elements(By.CSS_SELECTOR, boxes)[1].click()
    badge_state("idle")
    _paste(driver, P.DRAFT)
    _wait_marks(driver, expected)
    badge_state("issues")
    select_all()
    ActionChains(driver).send_keys(Keys.DELETE).perform()
    badge_state("idle")
    _wait_marks(driver, [])
    driver.find_elements(By.CSS_SELECTOR, boxes)[0].click()
    _wait_marks(driver, expected)
    badge_state("issues")
    select_all()
    _paste(driver, P.CLEAN)
    badge_state("ok")
    _wait_marks(driver, [])
    seen = driver.execute_script("return window.__seen")
    for entry in seen:
        assert all(i == entry["active"] for i in entry["marks"] + entry["lit"]), entry
    waiting = [e for e in seen if e["active"] == 1 and e["state"] in ("idle", "checking")]
    assert waiting and all(not e["marks"] and not e["lit"] for e in waiting), waiting


@pytest.mark.parametrize("name", ["threads", "reddit"])
def test_a_box_put_above_the_one_in_use_moves_its_underlines_with_it_in_firefox(
    firefox, fixture_server, service, name: str
) -> None:
    """Firefox: the page puts a box holding the identical draft above the box in use, the focus
    staying: the underlines (overlay boxes over a textarea, the marks clicks are tested against)
    follow the box in use, with no check sent — not left over the new box's text."""
    from tests.e2e.test_e2e_typing import MARKS_OVER_JS, PUT_A_COPY_ABOVE_JS

    platform = PLATFORMS[name]
    driver = firefox
    _focus_editor(driver, fixture_server, name)
    _wait(
        driver,
        lambda: (driver.execute_script(f"return ({P.BADGE_JS})()") or {}).get("state") == "idle",
        what="badge idle",
    )
    _paste(driver, P.DRAFT)
    expected = P.expected_marks(service, P.DRAFT)
    _wait_marks(driver, expected)
    checks = service.check_requests()
    boxes = f"{platform.editor}, textarea.copy, div.copy"
    driver.execute_script(
        f"({PUT_A_COPY_ABOVE_JS})(arguments[0])", [platform.editor, P.DRAFT, platform.kind]
    )
    assert driver.execute_script(
        "return document.querySelectorAll(arguments[0])[1].contains(document.activeElement)", boxes
    )
    _wait(
        driver,
        lambda: (
            (at := driver.execute_script(f"return ({MARKS_OVER_JS})(arguments[0])", boxes))
            and all(i == 1 for i in at)
        ),
        timeout=3,
        what="the marks over the box in use",
    )
    _wait_marks(driver, expected)
    assert service.check_requests() == checks


def test_a_draft_too_long_says_its_length_and_the_limit_in_firefox(
    firefox, fixture_server, service
) -> None:
    """A draft of 100,001 characters pasted (Firefox's paste) into Lexical: nothing is sent, the
    badge's tooltip and the popup say "Bản nháp quá dài: 100.001/100.000 ký tự — …", and Post
    goes through with the draft intact, no dialog. Typed on, the tooltip says the new length at
    once, before any check — and so does the popup left open."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    platform = PLATFORMS["facebook"]
    driver = firefox
    line = P.CLEAN + " Công việc tuần này: họp giao ban, rà soát hồ sơ. "
    # One line, one character over, ending in a letter (a contenteditable keeps a last space as
    # U+00A0; Lexical makes a paragraph of each pasted line).
    text = (P.DRAFT.replace("\n", " ") + " " + line * (100_001 // len(line) + 1))[:100_000] + "x"
    said = (
        P.strings()["badgeTitle_tooLongBy"]["message"]
        .replace("$1", "100.001")
        .replace("$2", "100.000")
        .replace("$3", "1")
    )
    _focus_editor(driver, fixture_server, "facebook", platform)
    checks = service.check_requests()
    _paste(driver, text)
    _wait(
        driver,
        lambda: (
            (driver.execute_script(f"return ({P.BADGE_JS})()") or {}).get("state")
            in ("tooLong", "offline", "ok", "issues")
        ),
        timeout=20,
        what="the badge's answer",
    )
    badge = _shadow_find(driver, '[data-testid="rasoat-badge"]')
    assert (badge.get_attribute("data-state"), badge.get_attribute("title")) == ("tooLong", said)
    assert service.check_requests() == checks
    site_tab = driver.current_window_handle
    popup_tab = _open_popup(driver)
    try:
        assert driver.find_element(By.ID, "counts").text == said
        driver.switch_to.window(site_tab)
        # Typed on, the draft says its new length at once: before any check (one would come 5 s
        # after the last key), from the limit of the last answer — and so does the popup, open
        # meanwhile.
        _in_content_world(driver, "Rasoat.settings.debounceMs = 5000")
        ActionChains(driver).send_keys("ab").perform()
        text += "ab"
        said = (
            P.strings()["badgeTitle_tooLongBy"]["message"]
            .replace("$1", "100.003")
            .replace("$2", "100.000")
            .replace("$3", "3")
        )
        _wait(driver, lambda: badge.get_attribute("title") == said, timeout=3, what=said)
        assert badge.get_attribute("data-state") == "tooLong"
        driver.switch_to.window(popup_tab)
        _wait(
            driver,
            lambda: driver.find_element(By.ID, "counts").text == said,
            timeout=3,
            what=f"the popup saying {said}",
        )
    finally:
        driver.switch_to.window(popup_tab)
        driver.close()
        driver.switch_to.window(site_tab)
    assert _field_text(driver, platform) == text
    post = driver.find_element(By.CSS_SELECTOR, platform.post)
    # Below 32,000 pixels of draft: in view, as a user scrolls to it, and the badge moved with the
    # scroll (WebDriver's own scroll clicks before the badge follows it, at the next frame).
    driver.execute_async_script(
        """const [post, done] = arguments; post.scrollIntoView({block: "center"});
           requestAnimationFrame(() => requestAnimationFrame(done));""",
        post,
    )
    post.click()
    assert _posted(driver) == [text]
    assert driver.execute_script(f"return ({P.MARKS_JS})()") == []
    root = driver.find_element(By.CSS_SELECTOR, "rasoat-root").shadow_root
    assert root.find_elements(By.CSS_SELECTOR, '[data-testid="rasoat-dialog"]') == []


@contextmanager
def _draft_typed_while_down(driver, fixture_server, service, name: str, query: str) -> Iterator:
    """`name`'s page opened with `query` (a page that acts only on real clicks or keys), the
    service stopped, the draft typed and its check failed (badge "ngoại tuyến"); the service
    stays down until the block ends."""
    driver.get(fixture_server.url(name) + query)
    with service.stopped():
        _type_draft(driver, fixture_server, name, "offline", navigate=False)
        yield


def _sent_once_unchecked(driver, badge: str | None = "offline") -> None:
    """The draft went out as the user sent it, once, with no dialog; the badge still says
    `badge` (None: not looked at — a chat box the page empties is "idle")."""
    from selenium.webdriver.common.by import By

    assert _posted(driver) == [P.DRAFT]
    root = driver.find_element(By.CSS_SELECTOR, "rasoat-root").shadow_root
    assert root.find_elements(By.CSS_SELECTOR, '[data-testid="rasoat-dialog"]') == []
    if badge:
        _wait(
            driver,
            lambda: driver.execute_script(f"return ({P.BADGE_JS})()")["state"] == badge,
            what=f"badge {badge}",
        )


def test_a_post_pressed_by_hand_while_the_service_is_down_goes_out_the_first_time_in_firefox(
    firefox, fixture_server, service
) -> None:
    """The service down, Post pressed as a hand does (down, a moment, up: Firefox's own trusted
    pointerdown, mousedown, click) on a page that acts only on real clicks (reddit
    `?trusted-clicks-only`): the service is asked again as the press begins, and the user's own
    click goes out, once, with no dialog — not held and made again by script, which the page
    ignores."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    platform = PLATFORMS["reddit"]
    driver = firefox
    with _draft_typed_while_down(driver, fixture_server, service, "reddit", "?trusted-clicks-only"):
        post = driver.find_element(By.CSS_SELECTOR, platform.post)
        # (A hand's press: the down, a few tenths of a second, the up.)
        ActionChains(driver).move_to_element(post).click_and_hold().pause(0.3).release().perform()
        _sent_once_unchecked(driver)


def test_a_post_clicked_with_no_gap_while_the_service_is_down_goes_out_the_first_time_in_firefox(
    firefox, fixture_server, service
) -> None:
    """WebDriver's own click (the button down and up with no time between: before the service,
    asked again as the press begins, can answer) on reddit `?trusted-clicks-only`, the service
    down: not held for that answer and made again by script, which the page ignores — it goes
    out the first time, with no dialog."""
    from selenium.webdriver.common.by import By

    platform = PLATFORMS["reddit"]
    driver = firefox
    with _draft_typed_while_down(driver, fixture_server, service, "reddit", "?trusted-clicks-only"):
        driver.find_element(By.CSS_SELECTOR, platform.post).click()
        _sent_once_unchecked(driver)


@pytest.mark.parametrize("key", ["ENTER", "SPACE"])
def test_a_post_pressed_from_the_keyboard_while_the_service_is_down_goes_out_at_once_in_firefox(
    firefox, fixture_server, service, key: str
) -> None:
    """The service down, Tab from the draft to Post (a native <button>) and Enter or Space
    (Firefox's own keys: a click with no pointerdown before it) on a page that acts only on real
    clicks (reddit `?trusted-clicks-only`): the service is asked again as the focus reaches
    Post, and the user's own key-made click goes out, once, with no dialog."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = firefox
    with _draft_typed_while_down(driver, fixture_server, service, "reddit", "?trusted-clicks-only"):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        assert driver.execute_script("return document.activeElement.matches('button.post')")
        # Asked again as the focus came (between Tab and the key, a hand's few tenths of a
        # second), still down: the Post will not ask again.
        _wait(
            driver,
            lambda: _in_content_world(driver, "Rasoat.activeController.asksAgain()") is False,
            timeout=3,
            what="the service asked again as the focus reached Post",
        )
        ActionChains(driver).send_keys(getattr(Keys, key)).perform()
        _sent_once_unchecked(driver)


@pytest.mark.parametrize("name", ["zalo", "messenger"])
def test_enter_to_send_while_the_service_is_down_goes_out_the_first_time_in_firefox(
    firefox, fixture_server, service, name: str
) -> None:
    """The service down, Enter (Firefox's own key) in a chat box that sends on Enter, on a page
    that acts only on real keys (`?trusted-keys-only`): not held to ask the service again and
    pressed again by script, which the page ignores — the message goes out the first time, with
    no dialog, and the page empties the box."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = firefox
    with _draft_typed_while_down(driver, fixture_server, service, name, "?trusted-keys-only"):
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        _sent_once_unchecked(driver, badge=None)
        assert _field_text(driver, PLATFORMS[name]).strip() == ""


def _in_content_world(driver, expression: str) -> Any:
    """Evaluate `expression` in the add-on's content-script sandbox of the current tab's top
    frame and return its value (JSON), as P.in_content_world does in Chromium: a frame script
    loaded from the chrome context (system access) into the tab's content process finds the
    sandbox through Firefox's ExtensionContent module, evaluates there and sends the answer back."""
    manifest = json.loads((harness.EXTENSION / "manifest.json").read_text())
    with driver.context(driver.CONTEXT_CHROME):
        reply = driver.execute_async_script(
            """
          const [id, expression, done] = arguments;
          const mm = Services.wm.getMostRecentWindow("navigator:browser")
            .gBrowser.selectedBrowser.messageManager;
          const name = "rasoat-e2e-" + Math.random();
          mm.addMessageListener(name, function reply(m) {
            mm.removeMessageListener(name, reply);
            done(m.data);
          });
          const script = `(() => {
            let out;
            try {
              const { ExtensionContent } = ChromeUtils.importESModule(
                "resource://gre/modules/ExtensionContent.sys.mjs");
              const context = ExtensionContent.getContextByExtensionId(
                ${JSON.stringify(id)}, content);
              out = !context ? { error: "the add-on's content scripts do not run on this page" }
                : { value: Cu.evalInSandbox(
                    "JSON.stringify(" + ${JSON.stringify(expression)} + ")", context.sandbox) };
            } catch (e) {
              out = { error: String(e) };
            }
            sendAsyncMessage(${JSON.stringify(name)}, out);
          })()`;
          mm.loadFrameScript("data:," + encodeURIComponent(script), false);
        """,
            manifest["browser_specific_settings"]["gecko"]["id"],
            expression,
        )
    if "error" in reply:
        raise AssertionError(f"content world: {reply['error']}")
    return None if reply["value"] is None else json.loads(reply["value"])


@pytest.mark.parametrize("name", ["facebook", "x", "zalo", "linkedin"])
def test_a_keystroke_reads_a_contenteditable_once_in_firefox(
    firefox, fixture_server, service, name: str
) -> None:
    """Each key typed (Firefox's own key events) into Lexical, Draft.js, a plain contenteditable
    and Quill walks the editor's DOM once: in Firefox too, the `input` event and the
    MutationObserver's record of the same change are read once between them."""
    from selenium.webdriver.common.action_chains import ActionChains

    platform = PLATFORMS[name]
    driver = firefox
    text = "Sáng nay trời Hà Nội đẹp quá"
    _focus_editor(driver, fixture_server, name, platform)

    def badge_ok() -> bool:
        return (driver.execute_script(f"return ({P.BADGE_JS})()") or {}).get("state") == "ok"

    # The first character turns the empty editor's placeholder into a paragraph (Quill follows
    # with a change of its own a moment later): counted from the second one.
    ActionChains(driver).send_keys(text[0]).perform()
    _wait(driver, badge_ok, what="badge ok")
    _in_content_world(driver, P.COUNT_READS_JS)
    for key in text[1:]:
        ActionChains(driver).send_keys(key).perform()
    _wait(driver, lambda: _field_text(driver, platform) == text, what="the text typed")
    _wait(driver, badge_ok, what="badge ok")
    reads = _in_content_world(driver, "Rasoat.reads")
    assert reads == len(text) - 1, f"{reads} walks of the DOM for {len(text) - 1} keystrokes"
