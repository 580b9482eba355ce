"""Accessibility of what the extension shows on a page — the badge, the card, the last-check
dialog — and of its own pages, in Debian's Chromium against the real service."""

from __future__ import annotations

import time

import pytest

from tests.e2e import harness
from tests.e2e import pages as P
from tests.e2e.platforms import PLATFORMS

DRAFT = P.DRAFT

# Which of Rasoat's panels match `:lang(<lang>)` — the language a screen reader speaks them in
# (the nearest `lang`, through the shadow root to its host; else the page's).
UI_LANG_JS = f"""lang => {{
  const root = {P.SHADOW};
  const out = {{}};
  for (const id of ['rasoat-badge', 'rasoat-card', 'rasoat-dialog']) {{
    const el = root.querySelector(`[data-testid="${{id}}"]`);
    if (el) out[id] = el.matches(`:lang(${{lang}})`);
  }}
  return out;
}}"""


def _open_card_and_dialog(page, platform) -> None:
    """Type the draft, open the card from the badge, then close it and press Post: the dialog."""
    P.focus_editor(page, platform)
    page.keyboard.type(DRAFT)
    P.wait_badge_state(page, "issues")
    page.locator('[data-testid="rasoat-badge"]').click()
    P.card(page).wait_for(state="visible")


def test_rasoat_speaks_its_own_language_not_the_pages(ext, fixture_server) -> None:
    """The badge, card and dialog are in the extension's UI language, but took the page's `lang`:
    on Facebook or X used in English (`<html lang="en">`) a screen reader read the Vietnamese card
    and dialog with an English voice, and the other way round. They now say their language."""
    platform = PLATFORMS["facebook"]
    for ui, page_lang in (("vi", "en"), ("en", "vi")):
        P.configure(ext, lang=ui)
        page = P.open_platform(ext, fixture_server, "facebook")
        try:
            page.evaluate("lang => { document.documentElement.lang = lang; }", page_lang)
            _open_card_and_dialog(page, platform)
            card = P.strings(ui)["cardTitle"]["message"]
            assert P.card(page).get_attribute("aria-label") == card  # the UI language is `ui`
            seen = page.evaluate(UI_LANG_JS, ui)
            page.keyboard.press("Escape")
            P.press_post(page, platform)
            P.dialog(page).wait_for(state="visible")
            seen |= page.evaluate(UI_LANG_JS, ui)
            assert seen == {"rasoat-badge": True, "rasoat-card": True, "rasoat-dialog": True}, (
                ui,
                page_lang,
                seen,
            )
            page.keyboard.press("Escape")
        finally:
            page.close()
    P.configure(ext, lang="vi")


def test_card_and_dialog_fit_a_narrow_window(ext, fixture_server) -> None:
    """At 320 CSS pixels (a phone-sized window, or 1280 at 400 % zoom: WCAG's reflow width) the
    340-pixel card was placed 24 pixels off the left edge, cutting off the start of every line of
    the explanation. The card and the dialog now stay inside the window."""
    platform = PLATFORMS["facebook"]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.set_viewport_size({"width": 320, "height": 640})
        _open_card_and_dialog(page, platform)
        inside = (
            "el => { const r = el.getBoundingClientRect(); return [r.left, r.right, innerWidth]; }"
        )
        left, right, width = P.card(page).evaluate(inside)
        assert 0 <= left and right <= width, (left, right, width)
        page.keyboard.press("Escape")
        P.press_post(page, platform)
        left, right, width = P.dialog(page).evaluate(inside)
        assert 0 <= left and right <= width, (left, right, width)
        page.keyboard.press("Escape")
    finally:
        page.close()


# The live region an element's text is announced through (its own or an ancestor's), or null.
LIVE_REGION_JS = """el => {
  const region = el.closest('[aria-live], [role=status], [role=alert], [role=log]');
  return region && (region.getAttribute('aria-live')
    || {status: 'polite', log: 'polite', alert: 'assertive'}[region.getAttribute('role')]);
}"""


def test_options_test_connection_result_is_announced(ext, service) -> None:
    """ "Test connection" wrote its answer (connected, cannot reach, not a Rasoat service) into a
    plain paragraph: a screen reader user pressed the button and heard nothing. The answer is now
    a polite status message, announced without moving focus from the button."""
    strings = P.strings()
    closed = f"http://127.0.0.1:{harness.free_port()}"  # nothing listens there
    page = P.open_options(ext, "() => document.getElementById('health').dataset.state")
    try:
        page.fill("#serviceUrl", closed)
        page.click("#test")
        offline = strings["popupOffline"]["message"].replace("$1", closed)
        page.wait_for_function(
            "t => document.getElementById('health').textContent === t", arg=offline
        )
        assert page.locator("#health").evaluate(LIVE_REGION_JS) == "polite"
        assert page.evaluate("() => document.activeElement.id") == "test"
    finally:
        page.close()


# Every piece of text Rasoat draws whose contrast with its background is below WCAG 2.1 AA's
# 4.5:1 (all of it is small text), measured with axe-core's colour math. axe's own color-contrast
# rule cannot place elements of a zero-sized shadow host (it reports them "incomplete"), so the
# background is the nearest opaque one up the tree — each panel and the badge are opaque.
LOW_CONTRAST_JS = f"""() => {{
  const C = axe.commons.color;
  const parse = css => {{ const c = new C.Color(); c.parseString(css); return c; }};
  const low = [];
  for (const el of {P.SHADOW}.querySelectorAll('*')) {{
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.data.trim())) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;  // not seen: text for screen readers only
    let bg = null;
    for (let a = el; a && !bg; a = a.parentElement) {{
      const c = parse(getComputedStyle(a).backgroundColor);
      if (c.alpha === 1) bg = c;
    }}
    const ratio = C.getContrast(bg, parse(getComputedStyle(el).color));
    const name = `${{el.className || el.nodeName}} “${{el.textContent}}”`;
    if (ratio < 4.5) low.push(`${{name}}: ${{ratio.toFixed(2)}}`);
  }}
  return low;
}}"""


def test_text_rasoat_draws_has_enough_contrast(ext, fixture_server, service) -> None:
    """The warning pills and "Cảnh báo" labels (white on orange #e37400, 3.1:1) and the
    "ngoại tuyến" badge (grey #80868b on white, 3.7:1) were below WCAG AA's 4.5:1 for their 11-pixel
    text: hard to read for many officials. Every text in the badge, card and dialog now meets it."""
    platform = PLATFORMS["facebook"]
    warning = "Tài liệu lưu hành nội bộ, không phổ biến ra ngoài nhé. "
    severities = {m["severity"] for m in P.service_check(service, warning + DRAFT)}
    assert {"error", "warning"} <= severities, severities  # both kinds of label are drawn
    P.configure(ext, blockSeverity="warning")  # the dialog lists the warnings too
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.evaluate(harness.axe_source())
        P.focus_editor(page, platform)
        page.keyboard.type(warning + DRAFT)
        P.wait_badge_state(page, "issues")
        low = page.evaluate(LOW_CONTRAST_JS)
        page.locator('[data-testid="rasoat-badge"]').click()
        P.card(page).wait_for(state="visible")
        low += page.evaluate(LOW_CONTRAST_JS)
        page.keyboard.press("Escape")
        P.press_post(page, platform)
        P.dialog(page).wait_for(state="visible")
        low += page.evaluate(LOW_CONTRAST_JS)
        page.keyboard.press("Escape")
        with service.stopped():
            page.keyboard.type(" nhé")
            P.wait_badge_state(page, "offline")
            low += page.evaluate(LOW_CONTRAST_JS)
        assert low == []
    finally:
        page.close()
        P.configure(ext, blockSeverity="error")


def _label_in_name_violations(page) -> list:
    """axe-core's label-content-name-mismatch (WCAG 2.5.3) on the badge: what is seen on it must
    be in its accessible name, or speech input ("click ngoại tuyến") cannot reach it."""
    return page.evaluate("""async () => {
      const badge = {fromShadowDom: ['rasoat-root', '[data-testid=rasoat-badge]']};
      const r = await axe.run({include: [badge]}, {runOnly: ['label-content-name-mismatch']});
      return r.violations.map(v => v.nodes.map(n => n.failureSummary));
    }""")


def test_badge_is_named_by_what_it_shows(ext, fixture_server, service) -> None:
    """The badge's accessible name was its tooltip alone: a screen reader heard "Có nội dung cần
    xem lại — bấm để xem" with no count (the pills "4" "2" were not in it) and "Không kết nối
    được…" for a badge showing "ngoại tuyến", which speech input could then not click by its
    label. It is now named by what it shows, spelled out ("4 Nghiêm trọng, 2 Cảnh báo"), the
    tooltip its description — each said once."""
    from playwright.sync_api import expect

    platform = PLATFORMS["facebook"]
    strings = P.strings()
    text = "Tài liệu lưu hành nội bộ, không phổ biến ra ngoài nhé. " + DRAFT
    counts = {"error": 0, "warning": 0, "info": 0}
    for m in P.merge_same_spans(P.service_check(service, text)):
        counts[m["severity"]] += 1
    spoken = ", ".join(
        f"{n} {strings['severity_' + sev]['message']}" for sev, n in counts.items() if n
    )
    page = P.open_platform(ext, fixture_server, "facebook")
    badge = page.locator('[data-testid="rasoat-badge"]')
    try:
        page.evaluate(harness.axe_source())
        P.focus_editor(page, platform)
        page.keyboard.type(text)
        P.wait_badge_state(page, "issues")
        expect(badge).to_have_accessible_name(spoken)
        expect(badge).to_have_accessible_description(strings["badgeTitle_issues"]["message"])
        assert _label_in_name_violations(page) == []
        with service.stopped():
            page.keyboard.type(" nhé")
            P.wait_badge_state(page, "offline")
            expect(badge).to_have_accessible_name(strings["badgeOffline"]["message"])
            expect(badge).to_have_accessible_description(strings["badgeTitle_offline"]["message"])
            assert _label_in_name_violations(page) == []
    finally:
        page.close()


# Where the list of the last-check dialog is scrolled to, and whether it has the focus.
DIALOG_LIST_JS = f"""() => {{
  const root = {P.SHADOW};
  const list = root.querySelector('[data-testid="rasoat-dialog"] > ul');
  return {{focused: root.activeElement === list, top: list.scrollTop,
          end: list.scrollHeight - list.clientHeight, action: root.activeElement?.dataset.action}};
}}"""


def test_a_long_dialog_list_can_be_read_from_the_keyboard(ext, fixture_server, service) -> None:
    """With many findings only the dialog's list scrolls — but Tab went only between "Edit" and
    "Post anyway", so from the keyboard the findings below the first few could never be seen
    (axe-core: scrollable-region-focusable). The list now takes focus in the dialog's Tab cycle
    when it scrolls, and scrolls with the keys; the dialog still opens on "Edit"."""
    platform = PLATFORMS["facebook"]
    text = " ".join(f"{DRAFT} CCCD số {i}: 04030200{9100 + i}." for i in range(6))
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.evaluate(harness.axe_source())
        P.focus_editor(page, platform)
        page.keyboard.insert_text(text)
        P.wait_badge_state(page, "issues")
        P.press_post(page, platform)
        P.dialog(page).wait_for(state="visible")
        at = page.evaluate(DIALOG_LIST_JS)
        assert at["action"] == "edit" and at["end"] > 0, at  # the list scrolls
        violations = page.evaluate("""async () => {
          const dialog = {fromShadowDom: ['rasoat-root', '[data-testid=rasoat-dialog]']};
          const r = await axe.run({include: [dialog]}, {runOnly: ['scrollable-region-focusable']});
          return r.violations.map(v => v.id);
        }""")
        assert violations == []
        page.keyboard.press("Shift+Tab")  # from "Edit" back to the list
        assert page.evaluate(DIALOG_LIST_JS)["focused"]
        page.keyboard.press("End")
        page.wait_for_function(f"() => ({DIALOG_LIST_JS})().top >= ({DIALOG_LIST_JS})().end - 1")
        page.keyboard.press("Tab")
        assert page.evaluate(DIALOG_LIST_JS)["action"] == "edit"
        page.keyboard.press("Tab")
        assert page.evaluate(DIALOG_LIST_JS)["action"] == "post-anyway"
        page.keyboard.press("Tab")
        assert page.evaluate(DIALOG_LIST_JS)["focused"]
        page.keyboard.press("Escape")
        P.dialog(page).wait_for(state="hidden")
        assert P.field_text(page, platform) == text and P.posted(page) == []
    finally:
        page.close()


# The keyboard shortcut as Chromium runs it (CDP's key events never reach the browser's own
# shortcuts): the background's command handler, for the page's tab.
SHORTCUT_JS = """async url => {
  const [tab] = await chrome.tabs.query({url});
  await RasoatBackground.onCommand('show-findings', tab);
  return (await chrome.commands.getAll()).find(c => c.name === 'show-findings').shortcut;
}"""

# What has the focus: inside Rasoat's UI (the card itself, or a button's data-action), else
# whether it is in the editor.
FOCUS_JS = f"""sel => {{
  const root = {P.SHADOW};
  const inside = root && root.activeElement;
  if (inside) return inside.dataset.testid || inside.dataset.action || inside.nodeName;
  return document.querySelector(sel).contains(document.activeElement) ? 'editor' : 'page';
}}"""


@pytest.mark.parametrize("name", ["facebook", "x", "reddit"])  # Lexical, Draft.js, a textarea
def test_the_findings_can_be_read_and_acted_on_from_the_keyboard(
    ext, fixture_server, service, name: str
) -> None:
    """The card opened only on a click (an underline, or the badge — last in the page's Tab
    order, after everything Facebook has): without a mouse no finding could be read, ignored or
    turned off. The keyboard shortcut (Alt+Shift+K) now opens the card of the box in use with the
    focus on it; Tab reaches its buttons, "Ignore here" and Escape give the focus back to the
    box with the caret where it was, and the draft is never changed."""
    platform = PLATFORMS[name]
    sw = harness.service_worker(ext)
    expected = P.expected_marks(service, DRAFT)
    page = P.open_platform(ext, fixture_server, name)
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_marks(page, expected)
        page.keyboard.press("Control+Home")  # the caret at the start of the draft
        assert sw.evaluate(SHORTCUT_JS, page.url) == "Alt+Shift+K"
        P.card(page).wait_for(state="visible")
        assert page.evaluate(FOCUS_JS, platform.editor) == "rasoat-card"
        assert P.card(page).locator("section").count() == len(expected)
        # Tab to the first finding's "Ignore here" and press it: that underline goes.
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate(FOCUS_JS, platform.editor) == "ignore":
                break
        assert page.evaluate(FOCUS_JS, platform.editor) == "ignore"
        page.keyboard.press("Enter")
        P.card(page).wait_for(state="detached")
        P.wait_marks(page, expected[1:])
        assert page.evaluate(FOCUS_JS, platform.editor) == "editor"
        page.keyboard.type("A ")  # the caret is back where it was: at the start
        assert P.field_text(page, platform) == "A " + DRAFT
        # Escape closes the card opened from the keyboard the same way.
        page.keyboard.press("Control+End")
        sw.evaluate(SHORTCUT_JS, page.url)
        P.card(page).wait_for(state="visible")
        page.keyboard.press("Escape")
        P.card(page).wait_for(state="detached")
        assert page.evaluate(FOCUS_JS, platform.editor) == "editor"
        page.keyboard.type(" B")
        assert P.field_text(page, platform) == "A " + DRAFT + " B"
        assert P.posted(page) == []
    finally:
        page.close()


def test_the_first_run_page_names_the_keyboard_shortcut(ext) -> None:
    """The shortcut is told where the user starts, as the browser has it (it can be changed)."""
    want = P.strings()["welcomeKeyboard"]["message"].replace("$1", "Alt+Shift+K")
    page = ext.new_page()
    try:
        page.goto(f"{harness.extension_origin(ext)}/welcome/welcome.html")
        page.wait_for_function(
            "t => document.getElementById('keyboard').textContent === t", arg=want
        )
        assert page.locator("#keyboard kbd").text_content() == "Alt+Shift+K"
    finally:
        page.close()


def test_every_frame_of_the_shipped_packs_has_a_label_in_both_languages() -> None:
    """The card's "Hạ mức vì ngữ cảnh: …" named the pack's frame by its English id ("advice",
    "scam-warning"); each frame any shipped pack defines has a label in Vietnamese and English."""
    import policy

    frames = {f for pack in policy.shipped_packs() for f in policy.load_pack(pack).frames}
    for lang in ("vi", "en"):
        missing = sorted(f for f in frames if "frame_" + f.replace("-", "_") not in P.strings(lang))
        assert missing == [], (lang, missing)


def test_the_card_names_the_context_that_lowered_a_finding_in_the_ui_language(
    ext, fixture_server, service
) -> None:
    """A one-time code quoted in a scam warning is lowered to a note by its context: the card
    said so with the frame's English id ("Hạ mức vì ngữ cảnh: advice"); now in Vietnamese."""
    platform = PLATFORMS["facebook"]
    text = "Cảnh báo lừa đảo: kẻ gian nhắn 'mã OTP của bạn là 583920', đừng đưa cho ai"
    framed = [m for m in P.service_check(service, text) if m["frame"]]
    assert framed, "the draft no longer has a finding lowered by a frame"
    strings = P.strings()
    notes = [
        strings["cardFrame"]["message"].replace(
            "$1", strings["frame_" + m["frame"].replace("-", "_")]["message"]
        )
        for m in framed
    ]
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        page.keyboard.type(text)
        P.wait_badge_state(page, "issues")
        page.locator('[data-testid="rasoat-badge"]').click()
        P.card(page).wait_for(state="visible")
        shown = P.card(page).locator("section > p.muted").all_text_contents()
        assert shown == notes
    finally:
        page.close()


# Every text the live region of Rasoat's UI takes, in order (a MutationObserver on it).
WATCH_LIVE_JS = f"""() => {{
  const live = {P.SHADOW}.querySelector('[data-testid="rasoat-live"]');
  window.__said = [];
  new MutationObserver(() => window.__said.push(live.textContent))
    .observe(live, {{childList: true, characterData: true, subtree: true}});
  return live.getAttribute('role');
}}"""


def test_findings_are_announced_politely_once_without_taking_the_focus(
    ext, fixture_server, service
) -> None:
    """Underlines are only seen: a screen reader user typing a draft with a state secret and an
    ID number in it heard nothing until the dialog on Post. The counts are now said through a
    polite live region when they change ("Rà soát: 4 Nghiêm trọng") — once, not again while
    typing on without new findings — and "no problems" once they are gone; the focus and the
    caret stay in the editor."""
    platform = PLATFORMS["facebook"]
    strings = {k: v["message"] for k, v in P.strings().items()}
    counts = {"error": 0, "warning": 0, "info": 0}
    for m in P.merge_same_spans(P.service_check(service, DRAFT)):
        counts[m["severity"]] += 1
    spoken = ", ".join(f"{n} {strings['severity_' + sev]}" for sev, n in counts.items() if n)
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        P.focus_editor(page, platform)
        assert page.evaluate(WATCH_LIVE_JS) == "status"  # polite
        page.keyboard.type(DRAFT)
        P.wait_marks(page, P.expected_marks(service, DRAFT))
        P.wait_badge_state(page, "issues")
        checks = service.check_requests()
        page.keyboard.type(" Cảm ơn.")  # nothing new found: nothing new said
        deadline = time.monotonic() + 10
        while service.check_requests() == checks:  # the check of the longer draft has gone out
            assert time.monotonic() < deadline, "no check after typing on"
            page.wait_for_timeout(20)
        P.wait_badge_state(page, "issues")  # … and is answered
        assert page.evaluate("window.__said") == [strings["liveCounts"].replace("$1", spoken)]
        assert page.evaluate(
            "sel => document.querySelector(sel).contains(document.activeElement)", platform.editor
        )
        page.keyboard.press("Control+a")
        page.keyboard.press("Delete")
        page.keyboard.type(P.CLEAN)
        P.wait_badge_state(page, "ok")
        assert page.evaluate("window.__said")[-1] == strings["liveCounts"].replace(
            "$1", strings["badgeTitle_ok"]
        )
        assert P.field_text(page, platform) == P.CLEAN
    finally:
        page.close()


def test_options_cleartext_warning_reaches_a_screen_reader(ext) -> None:
    """The warning that drafts would cross the network unencrypted (an http:// service on another
    computer) was only seen: a screen reader user typed such an address and heard nothing, nor
    when coming back to the field. It is now an alert when it appears, and the field's
    description while it stands."""
    from playwright.sync_api import expect

    warning = P.strings()["optionsCleartext"]["message"]
    page = P.open_options(ext)
    try:
        field = page.locator("#serviceUrl")
        page.fill("#serviceUrl", "http://10.0.0.5:8765")
        expect(page.get_by_role("alert")).to_have_text(warning)
        expect(field).to_have_accessible_description(warning)
        page.fill("#serviceUrl", "https://rasoat.agency.gov.vn")
        expect(page.get_by_role("alert")).to_have_count(0)
        expect(field).to_have_accessible_description("")
    finally:
        page.close()


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# axe-core's WCAG 2.2 A/AA rules over `include` (a selector, or a path into a shadow root).
AXE_RUN_JS = """async ([include, tags]) => {
  const context = include ? {include: [include]} : document;
  const r = await axe.run(context, {runOnly: tags});
  return r.violations.map(v => `${v.id}: ${v.nodes.map(n => JSON.stringify(n.target)).join(' ')}`);
}"""


def test_axe_finds_nothing_in_what_rasoat_shows(ext, fixture_server, service) -> None:
    """axe-core's WCAG 2.2 A/AA rules over the badge, the card and the last-check dialog in the
    page, and over the options, popup and first-run pages (colour contrast of the in-page UI is
    measured by test_text_rasoat_draws_has_enough_contrast, which axe cannot place)."""
    platform = PLATFORMS["facebook"]
    source = harness.axe_source()
    page = P.open_platform(ext, fixture_server, "facebook")
    found = []
    try:
        page.evaluate(source)
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        badge = {"fromShadowDom": ["rasoat-root", '[data-testid="rasoat-badge"]']}
        found += page.evaluate(AXE_RUN_JS, [badge, WCAG_AA])
        page.locator('[data-testid="rasoat-badge"]').click()
        P.card(page).wait_for(state="visible")
        card = {"fromShadowDom": ["rasoat-root", '[data-testid="rasoat-card"]']}
        found += page.evaluate(AXE_RUN_JS, [card, WCAG_AA])
        page.keyboard.press("Escape")
        P.press_post(page, platform)
        P.dialog(page).wait_for(state="visible")
        dialog = {"fromShadowDom": ["rasoat-root", ".backdrop"]}
        found += page.evaluate(AXE_RUN_JS, [dialog, WCAG_AA])
        page.keyboard.press("Escape")
    finally:
        page.close()
    headed = "() => document.querySelector('h1').textContent !== ''"
    # The popup's lines — its site checkbox's label among them — are filled in only after its
    # status round trip, well after its heading: axe ran in between once (an unlabelled #site).
    for path, drawn in (
        ("options/options.html", headed),
        ("popup/popup.html", P.POPUP_DRAWN),
        ("welcome/welcome.html", headed),
    ):
        page = P.open_extension_page(ext, path, drawn)
        try:
            page.evaluate(source)
            found += [f"{path} {v}" for v in page.evaluate(AXE_RUN_JS, [None, WCAG_AA])]
        finally:
            page.close()
    assert found == []


def test_options_language_names_are_read_in_their_own_language(ext) -> None:
    """In the options page used in English, "Tiếng Việt" took the page's language: a screen
    reader said it with an English voice (and "English" with a Vietnamese one in Vietnamese).
    Each language's name now carries its own `lang`."""
    sw = harness.service_worker(ext)
    sw.evaluate("() => chrome.storage.sync.set({lang: 'en'})")
    page = ext.new_page()
    try:
        P.open_options(ext, "() => document.documentElement.lang === 'en'", page)
        spoken = page.evaluate("""() => [...document.querySelectorAll('#lang option')]
          .map(o => [o.value, o.matches(`:lang(${o.value})`)])""")
        assert spoken == [["vi", True], ["en", True]]
    finally:
        page.close()
        sw.evaluate("() => chrome.storage.sync.remove('lang')")


def test_options_add_a_site_box_has_a_visible_label(ext) -> None:
    """ "Add a site" was labelled by its placeholder alone: the name vanished as soon as one typed
    (WCAG 3.3.2), and speech input had no visible words to say. It has a label of its own."""
    from playwright.sync_api import expect

    label = P.strings()["optionsAddSiteLabel"]["message"]
    page = P.open_options(ext)
    try:
        page.fill("#newSite", "noibo")
        expect(page.get_by_label(label, exact=True)).to_have_value("noibo")
        expect(page.get_by_text(label, exact=True)).to_be_visible()
    finally:
        page.close()


# How the flagged text's box looks, from a screenshot (PNG, base64) of just that box decoded by
# the browser: the share of its pixels above the underline's rows that are coloured (neither the
# theme's text nor its background, nor the greys text is smoothed with), and how many coloured
# pixels the underline's rows (the box's bottom 3) hold.
COLOURED_JS = """async png => {
  const bytes = Uint8Array.from(atob(png), c => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext('2d');
  g.drawImage(bitmap, 0, 0);
  const {data, width, height} = g.getImageData(0, 0, bitmap.width, bitmap.height);
  let above = 0, coloured = 0, line = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const c = [data[i], data[i + 1], data[i + 2]];
      const hue = Math.max(...c) - Math.min(...c) > 40;
      if (y < height - 3) { above++; if (hue) coloured++; } else if (hue) line++;
    }
  }
  return {fill: coloured / above, line};
}"""


def _flagged_box_looks(page) -> dict:
    """`COLOURED_JS` for the first underlined span, as painted now."""
    import base64

    box = page.evaluate(f"""() => {{
      const r = {P.SHADOW}.querySelector('[data-testid="rasoat-mark"]').getBoundingClientRect();
      return {{x: r.left, y: r.top, width: r.width, height: r.height}};
    }}""")
    png = page.screenshot(clip=box)
    return page.evaluate(COLOURED_JS, base64.b64encode(png).decode())


def test_forced_colours_underline_findings_instead_of_painting_them_as_selected(
    ext, fixture_server, service
) -> None:
    """Windows high contrast (forced colours): Chromium paints a custom highlight in the theme's
    selection colours whatever its style, so flagged text looked selected — filled with the
    Highlight colour, no underline. Under forced colours the findings are underlined in the
    theme's Highlight colour (the overlay's boxes in Rasoat's shadow root), the text itself left
    as the theme paints it; when forced colours end, the highlights are back."""
    platform = PLATFORMS["facebook"]
    expected = P.expected_marks(service, DRAFT)
    page = P.open_platform(ext, fixture_server, "facebook")
    try:
        page.emulate_media(forced_colors="active")
        P.focus_editor(page, platform)
        page.keyboard.type(DRAFT)
        P.wait_badge_state(page, "issues")
        P.wait_marks(page, expected)
        page.mouse.move(0, 0)
        looks = _flagged_box_looks(page)
        assert looks["fill"] < 0.02, f"the flagged text is painted as selected: {looks}"
        assert looks["line"] > 0, f"the flagged text is not underlined: {looks}"
        assert all(not ranges for ranges in P.highlights(page).values()), P.highlights(page)
        seg = page.evaluate(f"""() => {{
          const s = getComputedStyle({P.SHADOW}.querySelector('[data-severity="error"] > .seg'));
          return [s.borderBottomStyle, s.borderBottomWidth, s.backgroundColor];
        }}""")
        assert seg[:2] == ["solid", "3px"] and seg[2].endswith(", 0)"), seg  # a line, no fill
        # A click on the flagged text still opens its card (the overlay's boxes are hit-tested).
        first = min(expected, key=lambda t: t[1])
        P.click_text(page, platform, first[3])
        P.card(page).wait_for(state="visible")
        page.keyboard.press("Escape")
        page.emulate_media(forced_colors="none")
        page.wait_for_function(
            "n => [...CSS.highlights.values()].reduce((k, h) => k + h.size, 0) === n",
            arg=len(expected),
        )
    finally:
        page.close()
