"""Helpers shared by the service tests."""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path

from server import create_app

# The pack these tests serve: the shipped default, or RASOAT_TEST_PACK (an id or a folder) to run
# the service tests against another pack.
SPEC = os.environ.get("RASOAT_TEST_PACK") or None


def make_app(**config):
    """The app as tests use it: testing mode, pack watching off unless asked, the test pack."""
    return create_app({"TESTING": True, "RELOAD_INTERVAL": 0, "PACK": SPEC, **config})


def utf16_len(text: str) -> int:
    """Reference UTF-16 length, independent of the engine's conversions."""
    return len(text.encode("utf-16-le")) // 2


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error.get("field") == field
    assert "Traceback" not in response.get_data(as_text=True)
    return error


class ServerProcess:
    """`python -m server` as a real process on an ephemeral loopback port, its output captured.

    Use as a context manager; `url` is set once gunicorn reports where it listens. `main`: the
    module to run instead (a test's wrapper around `server.__main__`); `command`: another command
    line altogether (`gunicorn -c`), which must listen on loopback too.
    """

    def __init__(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        main: str = "server",
        command: list[str] | None = None,
    ) -> None:
        import subprocess
        import sys

        self.output: list[str] = []
        self.url = ""
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", main, "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=full_env,
            text=True,
            cwd=Path(__file__).parents[2],
        )

    def __enter__(self) -> ServerProcess:
        import re
        import threading
        import time

        listening = threading.Event()

        def pump() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.output.append(line)
                found = re.search(r"Listening at: (http://(?:127\.0\.0\.1|\[::1\]):\d+)", line)
                if found:
                    self.url = found.group(1)
                    listening.set()

        self._pump = threading.Thread(target=pump, daemon=True)
        self._pump.start()
        deadline = time.monotonic() + 30
        while not listening.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("server did not start:\n" + "".join(self.output))
        while time.monotonic() < deadline:  # workers boot after the master listens
            try:
                if self.get("/api/v1/health")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server never became healthy:\n" + "".join(self.output))

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, timeout: float = 20) -> int:
        import signal
        import subprocess

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        pump = getattr(self, "_pump", None)
        if pump is not None:
            pump.join(5)  # it ends at EOF, once every process holding the pipe has exited
        if self.process.stdout is not None and (pump is None or not pump.is_alive()):
            self.process.stdout.close()
        return self.process.returncode

    @property
    def log(self) -> str:
        return "".join(self.output)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict, bytes]:
        """One HTTP request; returns (status, headers, body) for any status."""
        import urllib.error
        import urllib.request

        req = urllib.request.Request(
            self.url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers), error.read()

    def get(self, path: str) -> tuple[int, dict]:
        import json

        status, _, body = self.request("GET", path)
        return status, json.loads(body)

    def check(self, payload: dict) -> tuple[int, dict]:
        import json

        status, _, body = self.request(
            "POST",
            "/api/v1/check",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        return status, json.loads(body)


class CaptureEverything(logging.Handler):
    """Collect every record of every logger, formatted with its traceback if any."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def every_log_record():
    """Every record of every logger while inside, at DEBUG: the root gets a `CaptureEverything`,
    and every logger that exists (the Flask app's, werkzeug, flask_cors, …) emits DEBUG and
    propagates to it; all as it was again after."""
    handler = CaptureEverything()
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    states = [(lg, lg.level, lg.propagate, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.propagate = True
        lg.disabled = False
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(saved)
        for lg, level, propagate, disabled in states:
            lg.setLevel(level)
            lg.propagate = propagate
            lg.disabled = disabled
