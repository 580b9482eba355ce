"""The real service process (`python -m server`, gunicorn) on an ephemeral port: start, check,
reload on edit and on SIGHUP, a broken edit that keeps the old pack, no request dropped, stop."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from unittest.mock import ANY

import pytest

from tests.server.helpers import ServerProcess

MARKER = "ZQXJ-process-draft-51e2"
CHECK = "/api/v1/check"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def _wait_for(predicate, timeout: float = 15, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def _served_version(server: ServerProcess, want: str, in_a_row: int = 8) -> bool:
    # Several workers answer in turn; each must have swapped before we call it done.
    return _served_versions(server, in_a_row) == [want] * in_a_row


def _served_versions(server: ServerProcess, in_a_row: int = 8) -> list[str]:
    return [server.get("/api/v1/health")[1]["pack"]["version"] for _ in range(in_a_row)]


def _worker_events(server: ServerProcess) -> str:
    """The server log's lines on workers and reloads, for a failure's message: a worker that was
    replaced (a timeout, a crash) starts from the master's pack. (Access-log lines are left out;
    they hold no draft anyway.)"""
    wanted = re.compile(r"worker|Worker|WORKER|reload|Booting|Traceback|Error")
    return "\n".join(line for line in server.log.splitlines() if wanted.search(line))


def _logged_by(server: ServerProcess, pattern: str) -> set[int]:
    """The processes that logged a line matching `pattern` (gunicorn prefixes its lines with
    "[pid]"). Answers in a row may all come from one worker: a worker's own line is proof."""
    return {int(pid) for pid in re.findall(r"\[(\d+)\] \[\w+\] " + pattern, server.log)}


def _reloaded_to(version: str, reason: str = r"[^)]*") -> str:
    """The line of a reload that swapped `version` in: one record, Vietnamese first, then ` / `
    and the English (docs/server.md)."""
    v = re.escape(version)
    return (
        rf"nạp lại gói \({reason}\): giờ phục vụ \S+ {v} \(mã băm [0-9a-f]{{12}}\) / "
        rf"pack reload \({reason}\): now serving \S+ {v} \(digest [0-9a-f]{{12}}\)"
    )


def _set_version(pack: Path, version: str) -> None:
    toml = pack / "pack.toml"
    toml.write_text(
        re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', toml.read_text()),
        encoding="utf-8",
    )


def _rule_file(pack: Path) -> Path:
    return sorted((pack / "rules").rglob("*.toml"))[0]


def _said(stderr: str) -> tuple[str, str]:
    """The start-up error of `stderr`: its Vietnamese line (`lỗi: …`), then, on the next line,
    its English one (`error: …`); each is a whole sentence, not a copy of the other."""
    lines = stderr.splitlines()
    at = [i for i, line in enumerate(lines) if line.startswith("lỗi: ")]
    assert len(at) == 1, stderr
    vi, en = lines[at[0]], lines[at[0] + 1] if at[0] + 1 < len(lines) else ""
    assert en.startswith("error: "), stderr
    assert vi[len("lỗi: ") :] != en[len("error: ") :], stderr
    assert "Traceback" not in stderr and "Rasoat check service" not in stderr
    return vi[len("lỗi: ") :], en[len("error: ") :]


class Load:
    """Checks in a loop from another thread, to prove no request fails during reloads."""

    def __init__(self, server: ServerProcess, text: str) -> None:
        self.server, self.text = server, text
        self.statuses: list[int] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.statuses.append(self.server.check({"text": self.text})[0])
            except Exception as error:  # a dropped connection is exactly what we look for
                self.errors.append(type(error).__name__)

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(15)


def test_serves_reloads_and_stops(pack_copy, bad):
    draft = f"{bad.text} {MARKER}"
    with ServerProcess(
        "--workers", "2", "--pack", str(pack_copy), "--access-log", "-", "--log-level", "debug"
    ) as server:
        status, body = server.check({"text": draft})
        assert status == 200
        assert any(m["code"] == bad.code for m in body["matches"])
        assert "regex prefilter hyperscan" in server.log  # the service runs accelerated
        status, headers, _ = server.request(
            "POST",
            "/api/v1/check",
            json.dumps({"text": draft}).encode(),
            {"Content-Type": "application/json"},
        )
        assert headers["Cache-Control"] == "no-store"
        # Failing requests carrying the draft, for the log check below.
        for raw, ctype in (
            (b'{"text": "' + MARKER.encode() + b'", ', "application/json"),
            (json.dumps({"text": draft}).encode(), "text/plain"),
            (json.dumps({"text": draft + "\x00"}).encode(), "application/json"),
            (json.dumps({"text": draft * 9000}).encode(), "application/json"),
        ):
            status, _, _ = server.request("POST", "/api/v1/check", raw, {"Content-Type": ctype})
            assert 400 <= status < 500

        # gunicorn forks its workers a moment apart, and the first may answer before the
        # second exists: name both before the edit, or one is never waited for.
        _wait_for(lambda: len(_worker_pids(server.process.pid)) == 2, message="both workers")
        with Load(server, draft) as load:
            # 1. An edit is picked up by every worker, with no restart.
            workers = set(_worker_pids(server.process.pid))
            _set_version(pack_copy, "9.0.1")
            _wait_for(
                lambda: workers <= _logged_by(server, _reloaded_to("9.0.1")),
                message="every worker's reload after the edit",
            )
            versions = _served_versions(server)
            assert versions == ["9.0.1"] * 8, (versions, workers, _worker_events(server))
            # 2. A broken edit is rejected with path:line, and the old pack keeps serving.
            rule_file = _rule_file(pack_copy)
            good = rule_file.read_text(encoding="utf-8")
            rule_file.write_text(good + "\nthis is = not toml\n", encoding="utf-8")
            _set_version(pack_copy, "9.0.2")
            # One line per worker, Vietnamese first, then English.
            where = re.escape(str(rule_file))
            rejected = (
                rf"nạp lại gói .*bị từ chối, vẫn phục vụ \S+ 9\.0\.1: {where}:.* / "
                rf"pack reload .*rejected, still serving \S+ 9\.0\.1: {where}:"
            )
            _wait_for(
                lambda: workers <= _logged_by(server, rejected),
                message="every worker rejecting the broken edit",
            )
            assert _served_version(server, "9.0.1")
            assert server.check({"text": draft})[0] == 200
            # 3. Fixing it brings the new version in.
            rule_file.write_text(good, encoding="utf-8")
            _wait_for(lambda: _served_version(server, "9.0.2"), message="reload after the fix")
        assert load.errors == [] and load.statuses and set(load.statuses) == {200}

        assert server.stop() == 0
    assert MARKER not in server.log
    assert re.search(r'"POST /api/v1/check HTTP/1.1" 200', server.log)  # the access log was on


def test_sighup_reloads_in_place(pack_copy, bad):
    # Watching off: only SIGHUP may bring the edit in.
    with ServerProcess(
        "--workers", "2", "--pack", str(pack_copy), env={"RASOAT_RELOAD_INTERVAL": "0"}
    ) as server:
        _wait_for(lambda: len(_worker_pids(server.process.pid)) == 2, message="two workers")
        pids_before = set(_worker_pids(server.process.pid))
        _set_version(pack_copy, "7.7.7")
        time.sleep(1.5)
        assert not any(
            server.get("/api/v1/health")[1]["pack"]["version"] == "7.7.7" for _ in range(6)
        )
        with Load(server, bad.text) as load:
            server.process.send_signal(signal.SIGHUP)
            _wait_for(
                lambda: pids_before <= _logged_by(server, _reloaded_to("7.7.7")),
                message="every worker's reload after SIGHUP",
            )
            assert _served_version(server, "7.7.7")
            # The master said it, in both languages: its own reload, then the forwarding.
            master = server.process.pid
            assert master in _logged_by(server, _reloaded_to("7.7.7", "SIGHUP"))
            assert master in _logged_by(
                server,
                r"SIGHUP: yêu cầu 2 worker nạp lại gói / "
                r"SIGHUP: asking 2 worker\(s\) to reload their packs",
            )
            # A broken edit plus SIGHUP: rejected, the old pack keeps serving.
            rule_file = _rule_file(pack_copy)
            rule_file.write_text(
                rule_file.read_text(encoding="utf-8") + "\n[[[\n", encoding="utf-8"
            )
            _set_version(pack_copy, "7.7.8")
            server.process.send_signal(signal.SIGHUP)
            rejected = (
                rf"nạp lại gói .* / "
                rf"pack reload .*rejected, still serving \S+ 7\.7\.7: {re.escape(str(rule_file))}:"
            )
            _wait_for(
                lambda: pids_before <= _logged_by(server, rejected),
                message="every worker rejecting the broken edit",
            )
            assert _served_version(server, "7.7.7")
        assert load.errors == [] and set(load.statuses) == {200}
        # In place: the same worker processes, not gunicorn's restart.
        assert set(_worker_pids(server.process.pid)) == pids_before
        # A worker forked after the reload (here: after a crash) starts from the new pack too.
        for pid in pids_before:
            os.kill(pid, signal.SIGKILL)
        _wait_for(
            lambda: len(set(_worker_pids(server.process.pid)) - pids_before) == 2,
            message="replacement workers",
        )
        _wait_for(lambda: _served_version(server, "7.7.7"), message="new workers on 7.7.7")


def test_sighup_reloads_idle_workers_at_once(pack_copy):
    """No traffic after `kill -HUP`: the workers only noted the signal and reloaded at their next
    request, which in a quiet hour may come long after; until then the log had no worker line
    and the first answers, health included, gave the old pack. Now each reloads on the signal."""
    with ServerProcess(
        "--workers", "2", "--pack", str(pack_copy), env={"RASOAT_RELOAD_INTERVAL": "0"}
    ) as server:
        _wait_for(lambda: len(_worker_pids(server.process.pid)) == 2, message="two workers")
        pids = set(_worker_pids(server.process.pid))
        _set_version(pack_copy, "8.8.8")
        server.process.send_signal(signal.SIGHUP)
        # Not a request until every worker says it reloaded.
        _wait_for(
            lambda: pids <= _logged_by(server, _reloaded_to("8.8.8", "SIGHUP")),
            timeout=30,
            message="every idle worker's reload after SIGHUP",
        )
        assert server.get("/api/v1/health")[1]["pack"]["version"] == "8.8.8"


def _raw(server: ServerProcess, data: bytes, *, close_write: bool = False) -> bytes:
    """Send bytes as they are (malformed framing included) and read the answer to the end."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def _chunked(path: str, content_type: str, chunks: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode() + chunks


def _framed(body: bytes) -> bytes:
    return b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)


def _answer(raw: bytes) -> tuple[int, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_malformed_http_gets_a_clear_4xx_and_logs_no_draft(bad):
    """Drafts in broken request lines and broken chunked bodies: gunicorn's own error lines
    quote the bytes at fault, and its chunk errors used to reach the app as a 500."""
    draft = f"{bad.text} {MARKER}"
    json_body = json.dumps({"text": draft}).encode()
    form_body = urllib.parse.urlencode({"text": draft, "language": "vi"}).encode()
    with ServerProcess(
        "--workers", "1", "--access-log", "-", "--log-level", "debug",
        env={"RASOAT_MAX_CONTENT_LENGTH": "4096"},
    ) as server:  # fmt: skip
        # A client that puts the draft in the URL without encoding it: spaces split the line.
        # gunicorn answers these itself; in JSON like every other error, without quoting them.
        for line in (
            f"GET /v2/check?language=vi&text={draft} HTTP/1.1",
            f"POST /v2/check?text={draft} HTTP/1.1",
            f"G\x00T /v2/check?text={MARKER} HTTP/1.1",
        ):
            answer = _raw(server, f"{line}\r\nHost: x\r\n\r\n".encode())
            assert _answer(answer) == (400, {"error": {"code": "bad-request", "message": ANY}})
            assert MARKER.encode() not in answer
        # LanguageTool's GET with a real draft, encoded: a 500-character Vietnamese post is
        # already longer than the request line may be.
        query = urllib.parse.urlencode({"language": "vi", "text": f"{draft} " + "ầ" * 500})
        status, body = _answer(_raw(server, f"GET /v2/check?{query} HTTP/1.1\r\n\r\n".encode()))
        assert (status, body["error"]["code"]) == (414, "uri-too-long")
        # The client gives up half-way through the request line.
        _raw(server, f"GET /v2/check?text={MARKER}".encode(), close_write=True)

        # Chunked bodies: framed right, read whole; framed wrong, a 400 naming the problem.
        status, body = _answer(_raw(server, _chunked(CHECK, JSON, _framed(json_body))))
        assert status == 200 and bad.code in {m["code"] for m in body["matches"]}
        status, body = _answer(_raw(server, _chunked("/v2/check", FORM, _framed(form_body))))
        assert status == 200 and bad.code in {m["rule"]["id"] for m in body["matches"]}
        for path, ctype, payload in ((CHECK, JSON, json_body), ("/v2/check", FORM, form_body)):
            unframed = payload + b"\r\n0\r\n\r\n"  # chunked said, but no chunk sizes
            status, body = _answer(_raw(server, _chunked(path, ctype, unframed)))
            assert (status, body["error"]["code"]) == (400, "invalid-body")
        # Over the body limit without a Content-Length: 413, not a draft cut short.
        over = json.dumps({"text": draft + " a" * 4096}).encode()
        status, body = _answer(_raw(server, _chunked(CHECK, JSON, _framed(over))))
        assert (status, body["error"]["code"]) == (413, "too-large")
        assert server.stop() == 0
    assert re.search(r"\[WARNING\] Invalid request from ip=127\.0\.0\.1: Invalid HTTP", server.log)
    assert "internal error" not in server.log
    assert MARKER not in server.log


def test_a_query_that_is_not_utf8_is_a_clear_400_over_http(bad):
    """Through gunicorn, as a client sends it: `/v2/check?language=%E1` was read as the unknown
    language "%E1" (and `/api/v1/rules?pack=%E1` as the unknown pack "%E1"); it is now the
    `invalid-form` 400 a form body that is not UTF-8 gets. (Raw bytes that are not UTF-8, a 500
    through the test client before, gunicorn refuses itself in the request line.)"""
    form = urllib.parse.urlencode({"text": bad.text}).encode()
    with ServerProcess("--workers", "1") as server:
        for target in (b"/v2/check?language=%E1", b"/v2/check?language=vi&disabledRules=%ED%A0%BD"):
            request = (
                b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                b"Connection: close\r\n\r\n%s" % (target, FORM.encode(), len(form), form)
            )
            status, body = _answer(_raw(server, request))
            assert (status, body["error"]["code"]) == (400, "invalid-form"), (target, body)
            assert "query string" in body["error"]["message"]
        request = b"GET /api/v1/rules?pack=%E1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        status, body = _answer(_raw(server, request))
        assert (status, body["error"]["code"]) == (400, "invalid-form"), body
        request = b"GET /api/v1/rules?pack=\xe1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        assert _answer(_raw(server, request))[1]["error"]["code"] == "bad-request"
        # A UTF-8 query still reads as before.
        status, body = _answer(
            _raw(
                server,
                b"POST /v2/check?language=vi HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                % (FORM.encode(), len(form), form),
            )
        )
        assert status == 200 and bad.code in {m["rule"]["id"] for m in body["matches"]}
        assert server.stop() == 0
    assert "internal error" not in server.log


def test_gunicorns_own_answers_are_in_the_openapi_document():
    """gunicorn answers a request line over 4 KiB (414), too many headers (431) or broken HTTP
    (400) before the app sees it, on any route; docs/server.md listed them, the OpenAPI document
    did not, so a client generated from it had no shape for them."""
    from tests.server.test_openapi import DOC, validator_for

    with ServerProcess("--workers", "1") as server:
        for template, operations in DOC["paths"].items():
            path = template.replace("{code}", "ACC001").replace("{filename}", "playground.js")
            for method in operations:
                verb = method.upper()
                headers = "".join(f"X-Extra-{i}: 1\r\n" for i in range(60))
                for status, request in (
                    (414, f"{verb} {path}?q={'a' * 5000} HTTP/1.1\r\nHost: x\r\n\r\n"),
                    (431, f"{verb} {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n"),
                    (400, f"{verb} {path} HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"),
                ):
                    got, body = _answer(_raw(server, request.encode()))
                    assert got == status, (verb, path, got, body)
                    validator_for(template, method, status).validate(body)


def _worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    ).stdout
    return [int(pid) for pid in out.split()]


def test_a_worker_started_after_an_edit_serves_the_edited_pack(pack_copy):
    """A worker that gunicorn starts after the pack was edited (one replaced after a timeout or
    a crash) is forked from the master, which loaded the pack before the edit: it answered with
    that older pack until its first poll's reload finished. It now loads the files as they are
    before it takes a request."""
    with ServerProcess("--workers", "1", "--pack", str(pack_copy)) as server:
        before = server.get("/api/v1/health")[1]["pack"]["version"]
        (worker,) = _worker_pids(server.process.pid)
        _set_version(pack_copy, "9.1.0")  # no request after it: the worker never polls
        os.kill(worker, signal.SIGKILL)
        _wait_for(
            lambda: _worker_pids(server.process.pid) not in ([], [worker]),
            message="the worker's replacement",
        )
        assert before != "9.1.0"
        assert server.get("/api/v1/health")[1]["pack"]["version"] == "9.1.0"


def _gc_probes(server: ServerProcess) -> dict[int, tuple[int, bool, str]]:
    """Each worker's line from tests/server/gc_probe.py: (objects frozen, whether its pack is
    among them, the pack's version), by pid."""
    found = re.finditer(
        r"gc-probe pid=(\d+) frozen-objects=(\d+) pack-frozen=(True|False) version=(\S+)",
        server.log,
    )
    return {int(m[1]): (int(m[2]), m[3] == "True", m[4]) for m in found}


def test_workers_start_with_the_preloaded_pack_frozen_and_still_reload(pack_copy):
    """The master freezes what it preloaded right before each fork (`pre_fork` in
    server/serving.py), so a worker's full collections never walk, and so never copy, the pages
    it shares with the master. Packs still reload: after SIGHUP the workers serve the new one,
    and a worker forked after that starts from the master's new pack, frozen in its turn."""
    with ServerProcess(
        "--workers", "2", "--pack", str(pack_copy), main="tests.server.gc_probe"
    ) as server:
        _wait_for(lambda: len(_gc_probes(server)) == 2, message="both workers' probe lines")
        for frozen_objects, pack_frozen, version in _gc_probes(server).values():
            assert pack_frozen, _worker_events(server)
            assert frozen_objects > 10_000  # the app, Flask and the pack: ~100,000 here
            assert version != "9.2.0"
        _set_version(pack_copy, "9.2.0")
        os.kill(server.process.pid, signal.SIGHUP)
        first = set(_gc_probes(server))
        # Each worker's own line (answers in a row may all come from one of them).
        _wait_for(
            lambda: first <= _logged_by(server, _reloaded_to("9.2.0")),
            message="both workers serving the new pack",
        )
        os.kill(_worker_pids(server.process.pid)[0], signal.SIGKILL)
        _wait_for(lambda: set(_gc_probes(server)) - first, message="the replacement's probe")
        (replacement,) = set(_gc_probes(server)) - first
        frozen_objects, pack_frozen, version = _gc_probes(server)[replacement]
        assert (pack_frozen, version) == (True, "9.2.0"), _worker_events(server)
        assert _served_versions(server) == ["9.2.0"] * 8, _worker_events(server)


def test_token_from_the_environment(pack_copy):
    with ServerProcess(
        "--pack", str(pack_copy), "--workers", "1", env={"RASOAT_TOKEN": "t0k3n"}
    ) as server:
        assert server.check({"text": "xin chào"})[0] == 401
        status, _, _ = server.request(
            "POST",
            "/api/v1/check",
            b'{"text": "xin ch\\u00e0o"}',
            {"Content-Type": "application/json", "Authorization": "Bearer t0k3n"},
        )
        assert status == 200
        assert server.get("/api/v1/health")[0] == 200


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def test_port_0_banner_names_the_port_it_listens_on():
    # It printed ":0" and sent the reader to gunicorn's "Listening at" line for the real one.
    with ServerProcess("--workers", "1") as server:
        assert f"Rasoat check service: {server.url}/  (pack" in server.log
        assert f"set the service address to {server.url} " in server.log
        assert ":0/" not in server.log


@pytest.mark.skipif(not _ipv6_loopback(), reason="this machine has no IPv6 loopback")
@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_serves_on_an_ipv6_address(host):
    # gunicorn binds IPv6 only in brackets; "::1:8765" made it exit with "'' is not a valid port".
    with ServerProcess("--host", host, "--workers", "1") as server:
        assert server.url.startswith("http://[::1]:")
        assert server.get("/api/v1/health")[0] == 200
        assert f"Rasoat check service: {server.url}/" in server.log


def test_broken_pack_stops_start_up_with_path_and_line(pack_copy):
    rule_file = _rule_file(pack_copy)
    rule_file.write_text(rule_file.read_text(encoding="utf-8") + "\n= broken\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "server", "--port", "0", "--pack", str(pack_copy)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    vi, en = _said(result.stderr)
    where = re.escape(str(rule_file))
    assert re.fullmatch(rf"gói quy tắc không nạp được: {where}:\d+: TOML không hợp lệ: .*", vi)
    assert re.fullmatch(rf"{where}:\d+: invalid TOML: .*", en)


def test_an_unknown_pack_stops_start_up_naming_the_shipped_ones():
    result = subprocess.run(
        [sys.executable, "-m", "server", "--port", "0", "--pack", "vn-mofaa"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    vi, en = _said(result.stderr)
    # A pack name is not a file with lines: no `vn-mofaa:1:` (the English said so).
    assert vi.startswith("vn-mofaa: không có gói quy tắc nào ở đây (")
    assert en.startswith("vn-mofaa: no pack here (")
    for said in (vi, en):  # the shipped pack meant, named
        assert re.search(r"\bvn-mofa(,|$)", said), said


def test_a_port_in_use_stops_start_up_with_a_clear_error():
    """A second `make run` (or anything else on the port): the banner announced the playground's
    URL, then gunicorn retried for five seconds and said "Can't connect". Now one line says the
    port is in use and how to choose another, before any URL is announced."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "server", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    vi, en = _said(result.stderr)
    assert result.stderr.splitlines()[-1] == f"error: {en}"
    assert vi.startswith(f"127.0.0.1:{port} đang được dùng") and "--port" in vi
    assert en.startswith(f"127.0.0.1:{port} is already in use") and "--port" in en
    assert "Playground" not in result.stderr
    assert "Traceback" not in result.stderr


def _start_up_error(*args: str) -> tuple[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "server", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stderr
    return _said(result.stderr)


# 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine. With --port 0, gunicorn
# was left to find out: "Cannot assign requested address", retried, in English only.
@pytest.mark.parametrize("port", ["0", "8765"])
def test_an_address_not_this_machines_says_why_in_both_languages(port):
    vi, en = _start_up_error("--host", "192.0.2.1", "--port", port)
    assert vi == f"không lắng nghe được trên 192.0.2.1:{port}: máy này không có địa chỉ đó"
    assert en == f"cannot listen on 192.0.2.1:{port}: Cannot assign requested address"


@pytest.mark.parametrize(
    ("where", "vi_reason", "en_reason"),
    [
        ("missing/access.log", "không có tệp hay thư mục đó", "No such file or directory"),
        (".", "đó là một thư mục", "Is a directory"),
        ("file/access.log", "một phần của đường dẫn không phải thư mục", "Not a directory"),
    ],
    ids=["missing-folder", "a-folder", "under-a-file"],
)
def test_an_access_log_that_cannot_be_written_says_why_in_both_languages(
    tmp_path, where, vi_reason, en_reason
):
    (tmp_path / "file").write_text("", encoding="utf-8")
    path = str(tmp_path / where)
    vi, en = _start_up_error("--port", "0", "--access-log", path)
    assert vi.endswith(f"{path!r}: {vi_reason}") and vi.startswith("không ghi được access log")
    assert en.endswith(f"{path!r}: {en_reason}") and en.startswith("cannot write the access log")


@pytest.mark.parametrize(
    ("make", "vi_reason", "en_reason"),
    [
        (lambda p: p.symlink_to(p.parent / "gone"), "không có tệp hay thư mục đó", "No such file"),
        (lambda p: p.mkdir(), "đó là một thư mục", "Is a directory"),
    ],
    ids=["dangling-symlink", "folder"],
)
def test_a_rule_file_that_cannot_be_read_says_why_in_both_languages(
    pack_copy, make, vi_reason, en_reason
):
    """A rule file that is a dangling link (a half-copied pack) or a folder: what really happens
    as root, who reads every file."""
    rule = _rule_file(pack_copy).with_name("zz-unreadable.toml")
    make(rule)
    vi, en = _start_up_error("--port", "0", "--pack", str(pack_copy))
    assert vi == f"gói quy tắc không nạp được: {rule}:1: không đọc được tệp: {vi_reason}"
    assert en.startswith(f"{rule}:1: cannot read file: {en_reason}")


def test_served_elsewhere_than_the_extensions_default_says_where_to_point_it():
    """`RASOAT_PORT=9000 make run`: the banner said how to load the extension, which then looks
    for the service on 8765 and stays "offline". It now says to set the address it printed."""
    from server.__main__ import EXTENSION_DEFAULT_URL

    settings_js = (Path(__file__).parents[2] / "extension" / "lib" / "settings.js").read_text()
    assert f'serviceUrl: "{EXTENSION_DEFAULT_URL}"' in settings_js  # the two defaults agree
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with ServerProcess("--port", str(port), "--workers", "1") as server:
        assert server.get("/api/v1/health")[0] == 200
        assert (
            f"set the service address to http://127.0.0.1:{port} (it looks for "
            f"{EXTENSION_DEFAULT_URL} until told otherwise)"
        ) in server.log


def test_the_containers_banner_gives_addresses_a_browser_can_use(tmp_path):
    """In the container (installed from a wheel, RASOAT_HOST=0.0.0.0), the banner said to load
    the extension from site-packages/extension, which is not there, and to set its service
    address to http://0.0.0.0:8765, which browsers refuse, though with the documented
    `-p 8765:8765` the extension's default already reaches it."""
    for package in ("policy", "server"):  # the sources as the image installs them: no extension/
        shutil.copytree(
            Path(__file__).parents[2] / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "RASOAT_TOKEN": "t"}
    banner = _banner(["--host", "0.0.0.0", "--port", str(port)], env=env, cwd=tmp_path)
    assert f"Playground:  http://127.0.0.1:{port}/" in banner
    assert "0.0.0.0" not in banner
    assert "mọi giao diện mạng" in banner and "every interface" in banner
    assert (
        "Nạp tiện ích / Load the extension: thư mục extension/ của mã nguồn / "
        "the extension/ folder of the sources\n"
    ) in banner
    assert str(tmp_path / "extension") not in banner


def test_no_token_beyond_loopback_is_a_warning_in_both_languages():
    """Listening on an address other than 127.0.0.1, localhost or ::1 without RASOAT_TOKEN: the
    warning, after the banner, is said as the errors are, Vietnamese first. (127.0.0.2 is such an
    address, and still this machine's loopback.)"""
    env = {k: v for k, v in os.environ.items() if k != "RASOAT_TOKEN"}
    lines = _output_until(["--host", "127.0.0.2", "--port", "0"], env, "warning:")
    assert lines[-1].startswith("warning: listening beyond this machine without a token; set "), (
        "".join(lines)
    )
    assert lines[-2].startswith("cảnh báo: đang lắng nghe ra ngoài máy này mà không có token; ")
    assert "RASOAT_TOKEN" in lines[-2]


def _output_until(
    args: list[str], env: dict[str, str], last: str, cwd: Path | None = None
) -> list[str]:
    """The lines `python -m server --workers 1 ARGS` prints up to the first that starts with
    `last` (at most 200; it is then stopped)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "--workers", "1", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=cwd,
    )
    lines = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith(last) or len(lines) > 200:
                break
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    return lines


def _banner(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """What `python -m server ARGS` prints once it listens (it is then stopped)."""
    lines = _output_until(args, env, "Reload packs:", cwd)
    assert lines and lines[-1].startswith("Reload packs:"), "".join(lines)
    # gunicorn's own lines ("Listening at: http://0.0.0.0:…") come first: the banner follows
    start = next(i for i, line in enumerate(lines) if line.startswith("Dịch vụ kiểm tra Rasoat:"))
    return "".join(lines[start:])


def test_the_banner_reads_vietnamese_first_then_english(tmp_path):
    """The first thing a newcomer reads after `make run` was English only, while the help, the
    errors and the no-token warning read Vietnamese first. Each sentence is now its Vietnamese
    line, then its English one; a line naming an address has its label in both; every fact
    (addresses, pack, token, prefilter, how to load the extension, reload, stop) is still said."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "RASOAT_TOKEN": "t"}
    lines = _banner(["--port", str(port)], env=env, cwd=tmp_path).splitlines()
    prefilter = r"(hyperscan|tắt)", r"(hyperscan|off)"
    assert re.fullmatch(
        rf"Dịch vụ kiểm tra Rasoat: {url}/  \(gói vn-mofa [\d.]+, \d+ quy tắc; token: bắt buộc; "
        rf"bộ lọc regex: {prefilter[0]}\)",
        lines[0],
    ), lines
    assert re.fullmatch(
        rf"Rasoat check service: {url}/  \(pack vn-mofa [\d.]+, \d+ rules; token required; "
        rf"regex prefilter {prefilter[1]}\)",
        lines[1],
    ), lines
    extension = Path(__file__).parents[2] / "extension"
    assert lines[2:] == [
        f"  Trang thử / Playground:  {url}/",
        f"  API:  {url}/api/v1/check   (tài liệu / docs: {url}/api/v1/openapi.json)",
        f"  Tương thích LanguageTool / LanguageTool-compatible:  {url}/v2/check",
        f"Nạp tiện ích / Load the extension: {extension}",
        "  Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked → extension/",
        "  Firefox: about:debugging → This Firefox → Load Temporary Add-on → "
        "extension/manifest.json",
        f"  rồi trong Cài đặt của tiện ích, đặt Địa chỉ dịch vụ là {url} (chưa đặt thì nó "
        "tìm http://127.0.0.1:8765)",
        f"  then in its Settings, set the service address to {url} (it looks for "
        "http://127.0.0.1:8765 until told otherwise)",
        "Nạp lại gói: sửa tệp của gói (có hiệu lực trong vòng một giây) hoặc gửi SIGHUP. "
        "Dừng: Ctrl+C.",
        "Reload packs: edit their files (picked up within a second) or send SIGHUP. Stop: Ctrl+C.",
    ]
    # The extension's own Vietnamese names of what the reader is sent to.
    messages = json.loads((extension / "_locales" / "vi" / "messages.json").read_text("utf-8"))
    assert messages["popupOptions"]["message"] == "Cài đặt"
    assert messages["optionsServiceUrl"]["message"] == "Địa chỉ dịch vụ"


def _container_health_check() -> str:
    """The HEALTHCHECK command of server/Containerfile, as the container runtime runs it."""
    text = (Path(__file__).parents[2] / "server" / "Containerfile").read_text(encoding="utf-8")
    found = re.search(r"^HEALTHCHECK\b(?:[^\n]*\\\n)*[^\n]*", text, re.M)
    assert found, "server/Containerfile has no HEALTHCHECK"
    instruction = re.sub(r"\\\n\s*", " ", found.group(0))
    command = instruction.split(" CMD ", 1)[1].strip()
    assert command.startswith("python ")  # shell form, the image's python
    return sys.executable + command[len("python") :]


def test_the_container_health_check_asks_the_port_the_service_listens_on():
    """`podman run -e RASOAT_PORT=9000 -p 9000:9000 rasoat` (RASOAT_PORT is a documented
    setting): the health check asked 127.0.0.1:8765 whatever the port, so the container was
    reported unhealthy forever and a load balancer or orchestrator took it out of service."""
    check = _container_health_check()
    with ServerProcess("--workers", "1") as server:
        port = server.url.rsplit(":", 1)[1]
        ok = subprocess.run(
            ["/bin/sh", "-c", check], env={**os.environ, "RASOAT_PORT": port}, timeout=30
        )
        assert ok.returncode == 0
    with socket.create_server(("127.0.0.1", 0)) as probe:
        closed = str(probe.getsockname()[1])
    down = subprocess.run(
        ["/bin/sh", "-c", check],
        env={**os.environ, "RASOAT_PORT": closed},
        capture_output=True,
        timeout=30,
    )
    assert down.returncode != 0  # nothing listens there: unhealthy


# --threads 0 was served as sync workers without a word, and --threads -2 ended, after the
# banner, with gunicorn's "Error: Value must be positive: -2" (exit 1).
@pytest.mark.parametrize(
    "flag",
    [
        ("--workers", "0"),
        ("--threads", "0"),
        ("--threads", "-2"),
        ("--workers", "many"),
        ("--port", "http"),
        ("--no-such-flag",),
    ],
)
def test_bad_flags_are_usage_errors(flag):
    result = subprocess.run(
        [sys.executable, "-m", "server", "--port", "0", *flag],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("cách dùng / usage: python -m server")
    vi, en = _said(result.stderr)
    assert flag[0] in vi and flag[0] in en


@pytest.mark.parametrize(
    "setting",
    [
        "RASOAT_MAX_TEXT_CHARS=lots",
        # A service that started, then refused every draft (413) / stat-ed packs per request.
        "RASOAT_MAX_TEXT_CHARS=0",
        "RASOAT_MAX_CONTENT_LENGTH=-1",
        "RASOAT_RELOAD_INTERVAL=nan",
        "RASOAT_RELOAD_INTERVAL=often",
        "RASOAT_PACKS=[vn-base",
        "RASOAT_WORKERS=many",
        "RASOAT_WORKERS=0",  # gunicorn would listen with no worker to answer
        "RASOAT_THREADS=x",
        # gunicorn served these as `info`, printed a traceback, or "Error: Error: … isn't
        # writable" (exit 1), each after the banner had announced the service.
        "RASOAT_LOG_LEVEL=loud",
        "RASOAT_WORKER_CLASS=nope",
        "RASOAT_ACCESS_LOG=/nonexistent-folder/access.log",
        "RASOAT_ALLOWED_ORIGINS=https://portal.example.gov.vn/",  # named only ALLOWED_ORIGINS
        # On/off settings read any other word as off, in silence: the opposite of what `y` or
        # `enabled` meant (policy/env.py).
        "RASOAT_NO_CACHE=y",
        "RASOAT_BENCH_ECHO=enabled",
    ],
)
def test_a_bad_setting_stops_start_up_naming_it(setting):
    name, _, _ = setting.partition("=")
    result = subprocess.run(
        [sys.executable, "-m", "server", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, name: setting.partition("=")[2]},
    )
    assert result.returncode == 2
    vi, en = _said(result.stderr)
    assert name in vi and name in en


def _gunicorn_c(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess:
    """`gunicorn -c server/gunicorn.conf.py` (the other way to run the service) until it ends."""
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "server/gunicorn.conf.py", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "RASOAT_PORT": "0", **env},
        cwd=Path(__file__).parents[2],
    )


# gunicorn printed "Failed to read config file" and a traceback (RASOAT_WORKERS, RASOAT_THREADS),
# a traceback (the worker class, the app's settings, a pack), its own English error (the port,
# the access log), or served on without a word (the log level).
@pytest.mark.parametrize(
    "setting",
    [
        "RASOAT_WORKERS=many",
        "RASOAT_THREADS=0",
        "RASOAT_PORT=http",
        "RASOAT_LOG_LEVEL=loud",
        "RASOAT_WORKER_CLASS=nope",
        "RASOAT_ACCESS_LOG=/nonexistent-folder/access.log",
        "RASOAT_MAX_TEXT_CHARS=lots",
        "RASOAT_PACK=vn-mofaa",
    ],
)
def test_gunicorn_c_says_a_bad_setting_in_both_languages(setting):
    name, _, value = setting.partition("=")
    result = _gunicorn_c({name: value})
    assert result.returncode == 1  # as gunicorn's own setting errors
    vi, en = _said(result.stderr)
    assert value in vi and value in en
    assert "Failed to read config file" not in result.stderr
    assert "Listening at" not in result.stderr


@pytest.mark.parametrize("given_by", ["RASOAT_PORT", "-b"])
def test_gunicorn_c_with_its_port_in_use_says_so_in_both_languages(given_by):
    """`gunicorn -c server/gunicorn.conf.py` on a taken port retried in English for five seconds
    ("Connection in use"), then "Can't connect"; it now checks the addresses it is about to bind
    (its `on_starting` hook, so `-b` on the command line is the one checked) and says what
    `python -m server` says, exit status 1."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        if given_by == "-b":
            result = _gunicorn_c({"RASOAT_WORKERS": "1"}, "-b", f"127.0.0.1:{port}")
        else:
            result = _gunicorn_c({"RASOAT_PORT": str(port), "RASOAT_WORKERS": "1"})
    assert result.returncode == 1, result.stderr
    vi, en = _said(result.stderr)
    assert vi.startswith(f"127.0.0.1:{port} đang được dùng") and "RASOAT_PORT" in vi
    assert en.startswith(f"127.0.0.1:{port} is already in use") and "RASOAT_PORT" in en
    assert "Connection in use" not in result.stderr and "Listening at" not in result.stderr


def test_gunicorn_c_serves():
    """The config's app (`create_app_or_stop`) is the service, as `python -m server` runs it."""
    gunicorn_c = [sys.executable, "-m", "gunicorn", "-c", "server/gunicorn.conf.py"]
    env = {"RASOAT_PORT": "0", "RASOAT_WORKERS": "1"}
    with ServerProcess(command=gunicorn_c, env=env) as server:
        status, body = server.check({"text": "xin chào"})
        assert status == 200 and body["pack"]["id"]
    assert server.process.returncode == 0


def test_a_flag_overrides_a_bad_variable_it_replaces(pack_copy):
    """The flags reach gunicorn.conf.py through the RASOAT_* variables they override, so the
    config checks the values that will be used: `--workers 1` with RASOAT_WORKERS=many stopped
    start-up, as the config read the variable before the flag was applied."""
    env = {"RASOAT_WORKERS": "many", "RASOAT_LOG_LEVEL": "loud"}
    with ServerProcess(
        "--workers", "1", "--log-level", "info", "--pack", str(pack_copy), env=env
    ) as server:
        assert server.get("/api/v1/health")[0] == 200
        assert len(_worker_pids(server.process.pid)) == 1


@pytest.mark.parametrize("port", ["abc", "99999", "-1"])
def test_a_bad_port_setting_is_named(port):
    # argparse said "argument --port: invalid int value" for RASOAT_PORT=abc, naming only a flag
    # the operator never typed.
    env = {**os.environ, "RASOAT_PORT": port}
    result = subprocess.run(
        [sys.executable, "-m", "server"], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 2
    vi, en = _said(result.stderr)
    for said in (vi, en):
        assert "RASOAT_PORT" in said and repr(port) in said


@pytest.mark.parametrize("flag", ["--help"])
def test_help_names_every_setting(flag):
    result = subprocess.run(
        [sys.executable, "-m", "server", flag], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for name in ("--host", "--port", "--workers", "--pack", "RASOAT_HOST", "RASOAT_PORT"):
        assert name in result.stdout
    # Every RASOAT_* variable of docs/server.md's settings table, those without a flag too
    # (--help never mentioned RASOAT_TOKEN).
    table = (Path(__file__).parents[2] / "docs" / "server.md").read_text(encoding="utf-8")
    settings = table.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`(RASOAT_[A-Z_]+)`", settings)) - {"RASOAT_BENCH_ECHO"}
    assert documented and {"RASOAT_TOKEN", "RASOAT_RELOAD_INTERVAL"} <= documented
    assert sorted(n for n in documented if n not in result.stdout) == []


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="CPU affinity is Linux's")
def test_one_worker_per_cpu_this_process_may_use():
    """The default worker count follows the CPU set (a container's cpuset, `taskset`), not the
    host's count of CPUs: a process kept to one CPU starts one worker."""
    probe = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "from server.serving import load_config_file; print(load_config_file()['workers'])"
    )

    def workers(**env: str) -> int:
        base = {k: v for k, v in os.environ.items() if k != "RASOAT_WORKERS"}
        result = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=60,
            env={**base, **env},
            cwd=Path(__file__).parents[2],
            check=True,
        )
        return int(result.stdout)

    assert workers() == 1
    assert workers(RASOAT_WORKERS="3") == 3
