"""What a test can see of the extension on a fixture page (the DOM contract of architecture §3)."""

from __future__ import annotations

import functools
import json
import time
import urllib.request
from typing import Any

from tests.e2e import harness
from tests.e2e.platforms import PLATFORMS, Platform

# A draft with serious problems; what it must flag is asked of the real service, never assumed.
DRAFT = (
    "Gửi cả nhóm bản scan công văn MẬT của Sở. "
    "Mật khẩu email công vụ: Tuan@2024 nhé, CCCD của chị Lan là 040302009153."
)
# A new thread's title with serious findings of its own (the forum's "Tiêu đề" box, `?title=1`).
TITLE = "Công văn MẬT: mật khẩu Tuan@2024"
# Nothing here should be flagged (a trap for "mật": honey).
CLEAN = "Sáng nay đi chợ mua mật ong rừng, trời Hà Nội đẹp quá 🌤️"

# Everything the extension draws lives in <rasoat-root>'s open shadow root.
SHADOW = "document.querySelector('rasoat-root')?.shadowRoot"

MARKS_JS = f"""() => {{
  const root = {SHADOW};
  if (!root) return [];
  return [...root.querySelectorAll('[data-testid="rasoat-mark"]')].map(m => ({{
    code: m.dataset.code, codes: m.dataset.codes, severity: m.dataset.severity,
    start: Number(m.dataset.start),
    end: Number(m.dataset.end), text: m.dataset.text}}));
}}"""

BADGE_JS = f"""() => {{
  const b = {SHADOW}?.querySelector('[data-testid="rasoat-badge"]');
  return b ? {{...b.dataset, visible: b.getClientRects().length > 0}} : null;
}}"""

# The page's own view of the Custom Highlight registry (shared by all worlds of the document).
HIGHLIGHTS_JS = """() => {
  const out = {};
  if (typeof CSS === 'undefined' || !CSS.highlights) return out;
  for (const name of ['rasoat-error', 'rasoat-warning', 'rasoat-info']) {
    const h = CSS.highlights.get(name);
    if (h) out[name] = [...h].map(r => r.toString());
  }
  return out;
}"""

# The field's plain text as the page sees it (a textarea's or input's value, or the editor's
# innerText).
FIELD_TEXT_JS = """sel => {
  const el = document.querySelector(sel);
  return ['TEXTAREA', 'INPUT'].includes(el.nodeName) ? el.value : el.innerText;
}"""


# In the content scripts' world: count every walk of a contenteditable's DOM for its text
# (`fieldText` of a non-value field, and the painter's `buildTextMap`) from now on.
COUNT_READS_JS = """(() => {
  const R = globalThis.Rasoat;
  if (!R.countingReads) {
    R.countingReads = true;
    const walk = R.buildTextMap, read = R.fieldText;
    R.buildTextMap = (...args) => { R.reads++; return walk(...args); };
    R.fieldText = (field) => { if (!R.isValueField(field)) R.reads++; return read(field); };
  }
  R.reads = 0;
  return 0;
})()"""


def service_check(service: harness.Service, text: str, min_severity: str = "info") -> list[dict]:
    """What the real service says about `text` — the expected marks are derived from it."""
    body = json.dumps({"text": text, "lang": "vi", "min_severity": min_severity}).encode()
    request = urllib.request.Request(
        f"{service.url}/api/v1/check", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["matches"]


SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def merge_same_spans(findings: list[dict]) -> list[dict]:
    """The extension's one-item-per-span rule: findings with the same offset and length become
    the most serious one (ties: the lower code) with every code in `codes`, most serious first."""
    groups: dict[tuple[int, int], list[dict]] = {}
    for m in findings:
        groups.setdefault((m["offset"], m["length"]), []).append(m)
    out = []
    for group in groups.values():
        group.sort(key=lambda m: (-SEVERITY_RANK[m["severity"]], m["code"]))
        codes = list(dict.fromkeys(m["code"] for m in group))
        out.append({**group[0], "codes": codes})
    return sorted(out, key=lambda m: (m["offset"], m["length"]))


def expected_marks(service: harness.Service, text: str) -> list[tuple[str, int, int, str]]:
    """(code, start, end, text) per underline, in UTF-16 offsets, from the service's answer
    (one per span: see merge_same_spans)."""
    out = []
    for m in merge_same_spans(service_check(service, text)):
        start, end = m["offset"], m["offset"] + m["length"]
        out.append((m["code"], start, end, utf16_slice(text, start, end)))
    return sorted(out, key=lambda t: (t[1], t[2], t[0]))


def utf16_slice(text: str, start: int, end: int) -> str:
    units = text.encode("utf-16-le")
    return units[2 * start : 2 * end].decode("utf-16-le")


@functools.cache
def strings(lang: str = "vi") -> dict[str, dict[str, str]]:
    """The extension's own UI strings in `lang` (its `_locales` messages.json, as read)."""
    path = harness.EXTENSION / "_locales" / lang / "messages.json"
    return json.loads(path.read_text(encoding="utf-8"))


def configure(ctx, **settings: Any) -> None:
    """Write settings the way the options page does (storage.sync), from the service worker."""
    sw = harness.service_worker(ctx)
    sw.evaluate("s => chrome.storage.sync.set(s)", settings)


# The options page is drawn once options.js has put in its labels (from _locales).
OPTIONS_DRAWN = "() => document.querySelector('#save').textContent !== ''"


def open_extension_page(ctx, path: str, ready: str, page=None):
    """One of the extension's own pages (`path` under its origin, e.g. "popup/popup.html?tab=3")
    in a new tab — or in `page`, given one with an init script — once `ready` (a page function)
    is true. A page that never gets there is closed before the error is raised."""
    page = page or ctx.new_page()
    try:
        page.goto(f"{harness.extension_origin(ctx)}/{path}")
        page.wait_for_function(ready)
    except BaseException:
        page.close()
        raise
    return page


def open_options(ctx, ready: str = OPTIONS_DRAWN, page=None):
    """The options page, once drawn — or once `ready`, e.g. its connection line has a state."""
    return open_extension_page(ctx, "options/options.html", ready, page)


# The popup is drawn once its status round trip has named the connection's state (its other
# lines, the site checkbox's label among them, are filled in by the same answer).
POPUP_DRAWN = "() => document.getElementById('connection').dataset.state"


def open_popup(ctx, tab: int | None = None, ready: str = POPUP_DRAWN, page=None):
    """The toolbar popup's page opened in a tab — about the tab with id `tab` (`?tab=<id>`), or,
    without one, about the site tab used before it — once drawn (or once `ready`)."""
    query = "" if tab is None else f"?tab={tab}"
    return open_extension_page(ctx, f"popup/popup.html{query}", ready, page)


def open_platform(ctx, server: harness.FixtureServer, name: str, query: str = ""):
    """A new tab on `name`'s page (its address + `query`: "?trusted-clicks-only"), once ready."""
    page = ctx.new_page()
    page.goto(server.url(name) + query)
    page.wait_for_selector(f"body[data-fixture='{name}'][data-ready='1']")
    return page


# YouTube's live chat: a page of its own in a same-site frame of the live video's page.
LIVE_CHAT = Platform(
    "youtube-live-chat", "#input", '#send-button button[aria-label="Gửi"]', "contenteditable"
)


def open_live_chat(ctx):
    """The live video's page and, once ready, the frame of its live chat."""
    page = ctx.new_page()
    page.goto("https://www.youtube.com/live")
    frame = page.wait_for_selector("iframe#chat").content_frame()
    frame.wait_for_selector("body[data-fixture='youtube-live-chat'][data-ready='1']")
    return page, frame


def _extension_worlds(cdp, frame_id: str | None = None) -> list[int]:
    """The ids of the extension's isolated worlds (of `frame_id` only, when given), as a list the
    CDP session keeps filling; `Runtime.enable` then replays the contexts that exist already."""
    worlds: list[int] = []

    def created(e: dict) -> None:
        context = e["context"]
        if context.get("origin", "").startswith("chrome-extension://") and (
            frame_id is None or context.get("auxData", {}).get("frameId") == frame_id
        ):
            worlds.append(context["id"])

    cdp.on("Runtime.executionContextCreated", created)
    return worlds


def _evaluate(cdp, world: int, expression: str) -> dict:
    return cdp.send(
        "Runtime.evaluate", {"expression": expression, "contextId": world, "returnByValue": True}
    )


_STARTED = "!!(globalThis.Rasoat && Rasoat.started)"


def wait_content_script(ext, page, timeout: float = 10.0) -> None:
    """Wait until the extension's content scripts run in `page` (their isolated world exists and
    `Rasoat.started` is set) — before any answer from the background, unlike the badge."""
    cdp = ext.new_cdp_session(page)
    worlds = _extension_worlds(cdp)
    try:
        cdp.send("Runtime.enable")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for world in list(worlds):
                if _evaluate(cdp, world, _STARTED).get("result", {}).get("value") is True:
                    return
            page.wait_for_timeout(10)
        raise AssertionError("the extension's content scripts never started on this page")
    finally:
        cdp.send("Runtime.disable")
        cdp.detach()


def in_content_world(ext, page, expression: str) -> Any:
    """Evaluate `expression` in the extension's content-script world of `page`'s top frame (the
    isolated world the page's own scripts cannot reach) and return its value: what a test needs
    to count or watch inside the content script without a hook in the extension itself."""
    cdp = ext.new_cdp_session(page)
    worlds = _extension_worlds(cdp, cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"])
    try:
        cdp.send("Runtime.enable")
        for world in worlds:
            if _evaluate(cdp, world, _STARTED).get("result", {}).get("value") is not True:
                continue
            out = _evaluate(cdp, world, expression)
            if "exceptionDetails" in out:
                raise AssertionError(f"content world: {out['exceptionDetails']}")
            return out.get("result", {}).get("value")
        raise AssertionError("the extension's content scripts do not run on this page")
    finally:
        cdp.send("Runtime.disable")
        cdp.detach()


def focus_editor(page, platform: Platform) -> None:
    """Click into the compose box and wait for the extension to take it (its badge appears), as
    a user sees it; the content script starts at document_idle, after the page's own scripts."""
    page.click(platform.editor)
    page.wait_for_selector('[data-testid="rasoat-badge"]', state="attached")


def marks(page) -> list[dict]:
    return page.evaluate(MARKS_JS)


def mark_tuples(page) -> list[tuple[str, int, int, str]]:
    return sorted(
        ((m["code"], m["start"], m["end"], m["text"]) for m in marks(page)),
        key=lambda t: (t[1], t[2], t[0]),
    )


def badge(page) -> dict | None:
    return page.evaluate(BADGE_JS)


def highlights(page) -> dict[str, list[str]]:
    return page.evaluate(HIGHLIGHTS_JS)


def field_text(page, platform: Platform) -> str:
    return page.evaluate(FIELD_TEXT_JS, platform.editor)


def posted(page) -> list[str]:
    return page.locator("#posted li").all_text_contents()


def wait_badge_state(page, *states: str, timeout: float = 10_000) -> dict:
    page.wait_for_function(
        f"""states => states.includes({SHADOW}?.querySelector('[data-testid="rasoat-badge"]')
            ?.dataset.state)""",
        arg=list(states),
        timeout=timeout,
    )
    return badge(page)


def wait_marks(page, expected: list[tuple[str, int, int, str]], timeout: float = 10_000) -> None:
    """Wait until the drawn marks are exactly `expected` (code, start, end, text)."""
    want = [list(t) for t in expected]
    try:
        page.wait_for_function(
            f"""want => {{
              const got = ({MARKS_JS})().map(m => [m.code, m.start, m.end, m.text])
                .sort((a, b) => a[1] - b[1] || a[2] - b[2] || (a[0] < b[0] ? -1 : 1));
              return JSON.stringify(got) === JSON.stringify(want);
            }}""",
            arg=want,
            timeout=timeout,
        )
    except Exception as error:  # show what was drawn instead of a bare timeout
        raise AssertionError(f"marks {mark_tuples(page)} != expected {expected}") from error


def dialog(page):
    return page.locator('[data-testid="rasoat-dialog"]')


def card(page):
    return page.locator('[data-testid="rasoat-card"]')


def choose(page, action: str) -> None:
    """Click a button of the last-check dialog: "edit" or "post-anyway"."""
    page.locator(f'[data-testid="rasoat-dialog"] [data-action="{action}"]').click()


def wait_posted(page, timeout: float | None = None) -> list[str]:
    """Wait until the fixture page shows a post (timeout None: the page's default); return what
    was posted."""
    page.wait_for_function(
        "() => document.querySelectorAll('#posted li').length > 0", timeout=timeout
    )
    return posted(page)


def post_anyway(page, platform: Platform) -> list[str]:
    """Press Post, answer the last-check dialog with Post anyway; return what was posted."""
    press_post(page, platform)
    dialog(page).wait_for(state="visible")
    choose(page, "post-anyway")
    return wait_posted(page)


def anyway_from_dialog(page) -> list[str]:
    """The last-check dialog shows with nothing posted; Post anyway sends: what was posted."""
    dialog(page).wait_for(state="visible")
    assert posted(page) == []
    choose(page, "post-anyway")
    return wait_posted(page)


def edit_from_dialog(page, platform: Platform, draft: str, timeout: float | None = None) -> None:
    """The last-check dialog shows with nothing posted; Edit gives the draft back, unposted."""
    dialog(page).wait_for(state="visible", timeout=timeout)
    assert posted(page) == []
    choose(page, "edit")
    assert field_text(page, platform) == draft
    assert posted(page) == []


def press_post(page, platform: Platform) -> None:
    """Send the post the way a user does: click the site's Post control, or press Enter."""
    if platform.enter_sends:
        page.keyboard.press("Enter")
    else:
        page.click(platform.post)


def click_text(page, platform: Platform, needle: str) -> None:
    """Click the middle of the first occurrence of `needle` in the field, as a user clicks an
    underlined word (for a textarea: the overlay's mark, since its text has no DOM range)."""
    point = page.evaluate(
        """([sel, needle]) => {
          const el = document.querySelector(sel);
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const i = n.data.indexOf(needle);
            if (i < 0) continue;
            const r = document.createRange();
            r.setStart(n, i); r.setEnd(n, i + needle.length);
            const rect = r.getClientRects()[0];
            return {x: rect.left + rect.width / 2, y: rect.top + rect.height / 2};
          }
          return null;
        }""",
        [platform.editor, needle],
    )
    if point is None:
        raise AssertionError(f"{needle!r} not found as DOM text in {platform.name}'s editor")
    page.mouse.click(point["x"], point["y"])


__all__ = ["PLATFORMS"]
