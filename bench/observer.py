"""The page-wide MutationObserver's cost on a busy page, in real Chromium.

The content script watches the whole document (main.js) so underlines follow a compose box the
page moves. On a feed that mutates all the time the browser makes a MutationRecord for every
change, and each batch lets the active box's position be read once a frame. This bench runs the
Facebook fixture with the box focused and a draft's underlines shown, then adds a live feed
(~2,700 nodes; every frame 100 text-node edits, 50 `textContent` swaps, 50 class and 50 style
changes, 3 posts added and 3 removed; a 7 ms timer changing 20 more between frames) and reads
CDP `Performance.getMetrics` (thread time) over a fixed window. Three builds of the extension,
alternating: as shipped, the observer's statement removed, and its callback emptied (the cost
of the records alone). It prints main-thread time per build, layouts per frame (extra layouts
would mean our read forced one the page's frame did not need) and keydown → next frame when
typing into the box.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

WINDOW_S = 5.0
RUNS = 4
TYPED = " chữ thêm vào đây nhé bạn ơi abc xyz"
OBSERVER = re.compile(r"new MutationObserver\(onPageChange\)\.observe\([^;]*;", re.S)
BUILDS = {
    "as shipped": lambda src: src,
    "observer removed": lambda src: OBSERVER.sub("/* observer removed (bench) */", src),
    "callback emptied": lambda src: src.replace(
        "new MutationObserver(onPageChange)", "new MutationObserver(() => {})"
    ),
}

BUSY_JS = r"""() => {
  const feed = document.createElement('section');
  document.querySelector('main').append(feed);
  const post = (i) => {
    const a = document.createElement('article');
    a.className = 'post p' + (i % 7);
    a.innerHTML = '<header><b>Người dùng ' + i + '</b> · <time>' + i + ' phút</time></header>' +
      '<p>Nội dung bài viết số ' + i + '.</p><footer><span class="likes">' + i +
      '</span> thích · <span class="cmts">' + (i % 13) + '</span> bình luận' +
      '<div class="bar" style="width:' + (i % 100) + 'px;height:3px;background:#ccc"></div>' +
      '</footer>';
    return a;
  };
  let n = 0;
  for (; n < 300; n++) feed.append(post(n));
  const W = (window.__busy = {frames: 0, lat: []});
  const some = (list, k, f) => {
    for (let i = 0; i < k; i++) f(list[(W.frames * k + i) % list.length], i);
  };
  (function tick() {
    W.frames++;
    const f = W.frames;
    some(feed.querySelectorAll('time'), 100, (t, i) => { t.firstChild.data = f + i + ' phút'; });
    some(feed.querySelectorAll('.likes'), 50, (l, i) => { l.textContent = String(f + i); });
    some(feed.children, 50, (p) => p.classList.toggle('seen'));
    some(feed.querySelectorAll('.bar'), 50, (b, i) => { b.style.width = ((f + i) % 100) + 'px'; });
    for (let i = 0; i < 3; i++) { feed.append(post(n++)); feed.firstElementChild.remove(); }
    requestAnimationFrame(tick);
  })();
  setInterval(() => {
    const c = feed.querySelectorAll('.cmts');
    for (let i = 0; i < 20; i++) c[(n + i) % c.length].textContent = String(n + i);
    n++;
  }, 7);
  let t0 = 0;
  addEventListener('keydown', () => { t0 = performance.now(); }, true);
  addEventListener('input', () => {
    const s = t0;
    requestAnimationFrame(() => setTimeout(() => W.lat.push(performance.now() - s), 0));
  }, true);
  return feed.getElementsByTagName('*').length;
}"""

METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "LayoutCount")


def build(root: Path, name: str, change) -> Path:
    """A copy of the extension whose main.js is `change`d (asserting the change applied)."""
    from tests.e2e import harness

    out = root / re.sub(r"\W+", "-", name)
    shutil.copytree(harness.EXTENSION, out)
    main = out / "content" / "main.js"
    source = main.read_text()
    changed = change(source)
    if name != "as shipped" and changed == source:
        raise SystemExit(f"bench/observer.py: could not make the '{name}' build of main.js")
    main.write_text(changed)
    return out


def measure(p, server, service, extension: Path) -> dict[str, float]:
    from bench.browser import facebook_with_draft
    from tests.e2e import harness
    from tests.e2e import pages as P

    ctx, page = facebook_with_draft(p, server, service, extension)
    try:
        page.evaluate(BUSY_JS)
        cdp = ctx.new_cdp_session(page)
        cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        time.sleep(1.0)

        def sample():
            got = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            return page.evaluate("window.__busy.frames"), got

        f0, m0 = sample()
        time.sleep(WINDOW_S)
        f1, m1 = sample()
        out = {k: m1[k] - m0[k] for k in METRICS}
        out["frames"] = f1 - f0
        page.keyboard.press("End")
        page.evaluate("window.__busy.lat = []")
        page.keyboard.type(TYPED, delay=60)
        time.sleep(0.3)
        out["key_p50"] = statistics.median(page.evaluate("window.__busy.lat"))
        if not P.marks(page):
            raise SystemExit("bench/observer.py: the draft's underlines were not shown")
        return out
    finally:
        harness.close_chromium(ctx)


def main() -> int:
    from playwright.sync_api import sync_playwright

    from tests.e2e import harness

    workdir = Path(tempfile.mkdtemp(prefix="rasoat-bench-observer-"))
    builds = {name: build(workdir, name, change) for name, change in BUILDS.items()}
    (workdir / "server").mkdir()
    service = harness.Service()
    service.start()
    server = harness.start_fixture_server(workdir / "server")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in builds}
    try:
        with sync_playwright() as p:
            for _ in range(RUNS):
                for name, extension in builds.items():
                    runs[name].append(measure(p, server, service, extension))
    finally:
        server.close()
        service.close()
        shutil.rmtree(workdir, ignore_errors=True)

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name])

    def per_frame(name: str) -> float:
        return statistics.median(r["LayoutCount"] / r["frames"] for r in runs[name])

    print(
        f"page-wide MutationObserver on a busy feed ({RUNS} alternating runs of {WINDOW_S:.0f} s "
        "per build, medians, main-thread time in ms)"
    )
    for name in builds:
        print(
            f"  {name:16}: task {med(name, 'TaskDuration') * 1000:5.0f}, "
            f"script {med(name, 'ScriptDuration') * 1000:4.0f}, "
            f"layout {med(name, 'LayoutDuration') * 1000:4.0f}, "
            f"style {med(name, 'RecalcStyleDuration') * 1000:4.0f}; "
            f"layouts/frame {per_frame(name):.2f}; "
            f"keydown → next frame p50 {med(name, 'key_p50'):.1f} ms"
        )
    # Paired differences (each run of a build against the run without the observer next to it).
    base = runs["observer removed"]
    for name in ("as shipped", "callback emptied"):
        extra = [
            a["ScriptDuration"] - b["ScriptDuration"] for a, b in zip(runs[name], base, strict=True)
        ]
        share = statistics.median(
            (a["ScriptDuration"] - b["ScriptDuration"]) / b["TaskDuration"]
            for a, b in zip(runs[name], base, strict=True)
        )
        print(
            f"  {name}: extra script time {statistics.median(extra) * 1000:.0f} ms per "
            f"{WINDOW_S:.0f} s (pairs: {', '.join(f'{x * 1000:.0f}' for x in extra)}), "
            f"{share * 100:.1f} % of the main thread's task time"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
