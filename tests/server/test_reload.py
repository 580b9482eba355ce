"""Pack reload inside one app: atomic swap, a broken edit rejected with path:line, old pack kept."""

from __future__ import annotations

import gc
import logging
import re
import threading
import time
import weakref

from tests.server.helpers import make_app


def _set_version(pack, version: str) -> None:
    toml = pack / "pack.toml"
    toml.write_text(
        re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', toml.read_text()),
        encoding="utf-8",
    )


def _version(client) -> str:
    return client.get("/api/v1/health").get_json()["pack"]["version"]


def _until(predicate, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_edit_is_picked_up_by_the_watcher(pack_copy):
    client = make_app(PACK=str(pack_copy), RELOAD_INTERVAL=0.05).test_client()
    _set_version(pack_copy, "2.0.0")
    assert _until(lambda: _version(client) == "2.0.0")


def test_a_new_rule_file_is_noticed(pack_copy, bad):
    client = make_app(PACK=str(pack_copy), RELOAD_INTERVAL=0.05).test_client()
    before = client.get("/api/v1/health").get_json()["pack"]["digest"]
    source = next((pack_copy / "rules").rglob("*.toml"))
    copy = source.with_name("zz-copy.toml")
    # A copy under a new name and code: the loader must accept it as a new rule.
    text = source.read_text(encoding="utf-8")
    code = re.search(r'(?m)^code = "([A-Z]+)(\d+)"', text)
    text = text.replace(f'code = "{code.group(1)}{code.group(2)}"', f'code = "{code.group(1)}999"')
    text = re.sub(r'(?m)^name = ".*"$', 'name = "zz-copy"', text)
    copy.write_text(text, encoding="utf-8")
    assert _until(lambda: client.get("/api/v1/health").get_json()["pack"]["digest"] != before)
    assert client.get(f"/api/v1/rules/{code.group(1)}999").status_code == 200


def test_broken_edit_keeps_the_old_pack_and_logs_path_and_line(pack_copy, bad, caplog):
    app = make_app(PACK=str(pack_copy))
    registry = app.extensions["rasoat"]
    client = app.test_client()
    serving = registry.get()
    rule_file = next((pack_copy / "rules").rglob("*.toml"))
    rule_file.write_text(
        rule_file.read_text(encoding="utf-8") + "\nbroken = = \n", encoding="utf-8"
    )
    with caplog.at_level(logging.ERROR):
        assert registry.reload("test") is False
    where = re.escape(str(rule_file))
    # One record, one line (the line docs/server.md quotes): Vietnamese, then English.
    (said,) = (r.getMessage() for r in caplog.records)
    assert "\n" not in said
    assert re.fullmatch(
        rf"nạp lại gói \(test\) bị từ chối, vẫn phục vụ \S+ \S+: {where}:\d+: "
        rf"TOML không hợp lệ: .* / "
        rf"pack reload \(test\) rejected, still serving \S+ \S+: {where}:\d+: invalid TOML: .*",
        said,
    )
    assert registry.get().linter is serving.linter  # the same compiled pack, still serving
    assert any(
        m["code"] == bad.code
        for m in client.post("/api/v1/check", json={"text": bad.text}).get_json()["matches"]
    )


def test_a_detector_option_of_the_wrong_type_is_rejected_not_served(pack_copy, bad, caplog):
    """`allow = [912345678]` (a number where the detector reads a string) passed the loader: the
    reload swapped the pack in and every check then failed with a TypeError (a 500)."""
    app = make_app(PACK=str(pack_copy))
    registry = app.extensions["rasoat"]
    client = app.test_client()
    serving = registry.get()
    rule_file = pack_copy / "rules" / "personal-data" / "phone-number.toml"
    text = rule_file.read_text(encoding="utf-8")
    assert "options = { landline = false }" in text
    rule_file.write_text(
        text.replace("options = { landline = false }", "options = { allow = [912345678] }"),
        encoding="utf-8",
    )
    with caplog.at_level(logging.ERROR):
        assert registry.reload("test") is False
    line = text.splitlines().index("options = { landline = false }") + 1
    assert f"{rule_file}:{line}: `allow` must be a list of non-empty strings" in caplog.text
    assert registry.get().linter is serving.linter
    for draft in (bad.text, "Gọi mình số 0912 345 678 nhé"):
        response = client.post("/api/v1/check", json={"text": draft})
        assert response.status_code == 200, response.get_data(as_text=True)


def test_swap_leaves_requests_in_flight_on_their_pack(pack_copy, bad):
    app = make_app(PACK=str(pack_copy))
    registry = app.extensions["rasoat"]
    in_flight = registry.get()
    _set_version(pack_copy, "3.0.0")
    assert registry.reload("test") is True
    assert registry.get().pack.version == "3.0.0"
    # The request that took the old pack finishes on it, whole and unchanged.
    assert in_flight.pack.version != "3.0.0"
    assert any(f.code == bad.code for f in in_flight.linter.check(bad.text))


def test_a_replaced_pack_is_freed_by_reference_counts_alone(pack_copy):
    """The master freezes the preloaded pack before forking (server/serving.py `pre_fork`), and
    the collector never frees a frozen object: a pack that a reload replaces must go by reference
    counts alone, in no cycle, or each reload would keep the old one for good."""
    app = make_app(PACK=str(pack_copy))
    registry = app.extensions["rasoat"]
    old = registry.get()
    refs = [weakref.ref(old), weakref.ref(old.linter)]
    del old
    _set_version(pack_copy, "5.0.0")
    gc.collect()
    gc.disable()  # as if frozen: nothing but reference counts may free the old pack
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector would have had to free, kept to show
    try:
        assert registry.reload("test") is True
        alive = [ref() for ref in refs if ref() is not None]
        gc.collect()
        cyclic = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert alive == []
    assert cyclic == []


def test_reload_without_changes_does_not_swap(pack_copy):
    app = make_app(PACK=str(pack_copy))
    registry = app.extensions["rasoat"]
    before = registry.get()
    assert registry.reload("test") is False
    assert registry.get().pack.digest == before.pack.digest


def test_a_reload_that_swaps_logs_one_line_vietnamese_first(pack_copy, caplog):
    """The line an operator sees when an edit is served reads as a refused reload does (one
    record, `<Vietnamese> / <English>`), the English unchanged for log parsers."""
    registry = make_app(PACK=str(pack_copy)).extensions["rasoat"]
    pack_id = registry.get().id
    _set_version(pack_copy, "3.1.4")
    with caplog.at_level(logging.INFO):
        assert registry.reload("files changed") is True
    digest = registry.get().pack.digest[:12]
    (said,) = (r.getMessage() for r in caplog.records if r.name == registry._logger.name)
    assert said == (
        f"nạp lại gói (tệp đã đổi): giờ phục vụ {pack_id} 3.1.4 (mã băm {digest}) / "
        f"pack reload (files changed): now serving {pack_id} 3.1.4 (digest {digest})"
    )


def test_sighup_request_reloads_on_next_request(pack_copy):
    app = make_app(PACK=str(pack_copy))
    client = app.test_client()
    _set_version(pack_copy, "4.0.0")
    assert _version(client) != "4.0.0"  # watching is off in this app
    app.extensions["rasoat"].request_reload("SIGHUP")
    assert _until(lambda: _version(client) == "4.0.0")


def test_a_fix_saved_while_a_broken_edit_loads_is_still_picked_up(pack_copy, monkeypatch):
    """An edit in several writes (an editor's truncate-then-write, a `git pull` or `cp` of many
    files) can be caught half-done: that load is rejected, and the rest of the edit lands while
    it runs. The watcher must still notice the finished edit."""
    from server import packs

    app = make_app(PACK=str(pack_copy), RELOAD_INTERVAL=0.05)
    client = app.test_client()
    rule_file = next((pack_copy / "rules").rglob("*.toml"))
    good = rule_file.read_text(encoding="utf-8")
    rule_file.write_text(good + "\nbroken = = \n", encoding="utf-8")
    real_load = packs.load

    def load_while_the_edit_finishes(spec, previous=None):
        try:
            return real_load(spec, previous)
        except Exception:
            # The edit's last write lands while the half-done state is being rejected.
            rule_file.write_text(good, encoding="utf-8")
            _set_version(pack_copy, "5.0.0")
            raise

    monkeypatch.setattr(packs, "load", load_while_the_edit_finishes)
    assert app.extensions["rasoat"].reload("files changed") is False
    monkeypatch.setattr(packs, "load", real_load)
    assert _until(lambda: _version(client) == "5.0.0")


def _child_of(pack_copy):
    child = pack_copy.parent / "child"
    child.mkdir()
    (child / "pack.toml").write_text(
        'id = "child"\nname = { vi = "Con", en = "Child" }\nversion = "1.0.0"\n'
        f'extends = "../{pack_copy.name}"\n',
        encoding="utf-8",
    )
    return child


def _poll_and_wait(registry) -> None:
    time.sleep(1e-5)  # past the (tiny) interval, so every poll compares the files
    registry.poll()
    for thread in threading.enumerate():
        if thread.name == "rasoat-pack-reload":
            thread.join()


def test_a_broken_file_two_packs_share_is_rejected_once_not_every_poll(pack_copy, caplog):
    """Two served packs, one extending the other, both read the broken file. The watcher must
    wait for the next edit rather than reload (and log the same rejection) at every poll."""
    child = _child_of(pack_copy)
    app = make_app(PACK=str(child), PACKS=[str(pack_copy)], RELOAD_INTERVAL=1e-6)
    registry = app.extensions["rasoat"]
    rule_file = next((pack_copy / "rules").rglob("*.toml"))
    good = rule_file.read_text(encoding="utf-8")
    rule_file.write_text(good + "\nbroken = = \n", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        for _ in range(5):
            _poll_and_wait(registry)
    assert caplog.text.count("rejected") == 1
    rule_file.write_text(good, encoding="utf-8")
    _set_version(pack_copy, "6.0.0")
    _poll_and_wait(registry)
    assert registry.get(registry.ids[1]).pack.version == "6.0.0"


def test_an_edit_giving_two_packs_one_id_is_rejected_once(pack_copy, caplog):
    child = _child_of(pack_copy)
    app = make_app(PACK=str(child), PACKS=[str(pack_copy)], RELOAD_INTERVAL=1e-6)
    registry = app.extensions["rasoat"]
    ids = registry.ids
    toml = child / "pack.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"child"', f'"{ids[1]}"'), "utf-8")
    with caplog.at_level(logging.ERROR):
        for _ in range(5):
            _poll_and_wait(registry)
    assert caplog.text.count("configured twice") == 1
    assert caplog.text.count(f"gói {ids[1]!r} được cấu hình hai lần") == 1  # and in Vietnamese
    assert registry.ids == ids  # still serving both, under their old ids


def test_a_reload_asked_for_while_one_runs_is_not_dropped(pack_copy, monkeypatch):
    """Edit, SIGHUP, edit again, SIGHUP again while the first reload still compiles (watching
    off): the second edit must be served, not just the first."""
    from server import packs

    app = make_app(PACK=str(pack_copy))  # RELOAD_INTERVAL 0: only explicit reloads
    registry = app.extensions["rasoat"]
    real_load = packs.load

    def load_then_a_second_edit_and_sighup(spec, previous=None):
        loaded = real_load(spec, previous)  # has read the first edit
        monkeypatch.setattr(packs, "load", real_load)
        _set_version(pack_copy, "7.0.1")
        assert registry.reload("SIGHUP") is False  # one is running: it will go round again
        return loaded

    _set_version(pack_copy, "7.0.0")
    monkeypatch.setattr(packs, "load", load_then_a_second_edit_and_sighup)
    assert registry.reload("SIGHUP") is True
    assert registry.get().pack.version == "7.0.1"


def test_an_internal_error_in_a_reload_keeps_the_old_pack_and_is_not_retried_every_poll(
    pack_copy, bad, caplog, monkeypatch
):
    """A reload that fails with something other than a pack error (a defect of ours; none is
    known) must not kill the reload thread or the old pack, and must not be retried on every
    poll: only when the files change again."""
    from server import packs

    app = make_app(PACK=str(pack_copy), RELOAD_INTERVAL=1e-6)
    registry = app.extensions["rasoat"]
    serving = registry.get()
    calls = []
    real_load = packs.load

    def failing_load(spec, previous=None):
        calls.append(spec)
        raise RuntimeError("boom")

    monkeypatch.setattr(packs, "load", failing_load)
    _set_version(pack_copy, "6.0.0")
    with caplog.at_level(logging.ERROR):
        _poll_and_wait(registry)
    assert calls and "internal error RuntimeError: boom" in caplog.text
    (said,) = (r.getMessage() for r in caplog.records)  # one record: Vietnamese / English
    vi, en = said.split(" / pack reload ")
    assert vi.startswith("nạp lại gói (tệp đã đổi) thất bại, vẫn phục vụ ") and (
        "lỗi nội bộ RuntimeError: boom" in vi
    )
    assert en.startswith("(files changed) failed, still serving ")
    assert registry.get().linter is serving.linter
    tried = len(calls)
    _poll_and_wait(registry)
    _poll_and_wait(registry)
    assert len(calls) == tried  # the same files: not tried again
    # The thread lives on: the next edit is loaded.
    monkeypatch.setattr(packs, "load", real_load)
    _set_version(pack_copy, "7.0.0")
    _poll_and_wait(registry)
    assert registry.get().pack.version == "7.0.0"


def test_a_sighup_reload_that_crashes_logs_one_line_vietnamese_first(pack_copy, caplog):
    """A defect that escapes `reload` in a worker's SIGHUP thread is logged, in both languages on
    one line, with its traceback after it, and the thread lives on for the next SIGHUP."""
    import os
    import signal

    from server import serving

    registry = make_app(PACK=str(pack_copy)).extensions["rasoat"]
    calls = []

    def crashing_reload(reason: str = "requested") -> bool:
        calls.append(reason)
        raise RuntimeError("boom")

    registry.reload = crashing_reload  # a defect of ours; none is known
    previous = signal.getsignal(signal.SIGHUP)
    try:
        with caplog.at_level(logging.ERROR, logger="gunicorn.error"):
            serving._reload_on_sighup(registry)
            for expected in (1, 2):
                os.kill(os.getpid(), signal.SIGHUP)
                assert _until(lambda n=expected: len(caplog.records) == n)
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert calls == ["SIGHUP", "SIGHUP"]
    record = caplog.records[0]
    assert record.getMessage() == (
        "nạp lại gói (SIGHUP) thất bại: lỗi nội bộ (một lỗi của Rasoat; chi tiết bằng tiếng Anh "
        "ở các dòng dưới) / pack reload (SIGHUP) failed"
    )
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
