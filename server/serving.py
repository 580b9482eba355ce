"""Production serving with gunicorn: hooks shared by `python -m server` and `gunicorn.conf.py`."""

from __future__ import annotations

import errno
import gc
import importlib.util
import json
import logging
import os
import re
import signal
import socket
import threading
from pathlib import Path
from typing import Any

import gunicorn.util
from gunicorn.app.base import BaseApplication

from policy.os_reasons_vi import reason
from server.problems import Problem, StartUpStop, problem_of, reload_crashed, sighup_forwarded

CONFIG_FILE = Path(__file__).with_name("gunicorn.conf.py")


def _preloaded_app(server: Any) -> Any:
    """The app the master loaded (preload_app), or None when each worker loads its own."""
    if not server.cfg.preload_app:
        return None
    return server.app.wsgi()  # cached by gunicorn: the object the workers were forked with


def _use_gunicorn_log(app: Any) -> None:
    # The app's messages (pack reloads, internal errors) go where gunicorn's own go.
    error_log = logging.getLogger("gunicorn.error")
    app.logger.handlers[:] = error_log.handlers
    app.logger.setLevel(error_log.level)
    app.logger.propagate = False


# gunicorn's messages about a request it could not parse quote the bytes at fault: the request line
# (whose query holds the draft when a client puts it in an unencoded URL), a header, a chunk of the
# body. The reason before the quote is enough for an operator; the rest never reaches the log.
_INVALID_REQUEST = re.compile(r"(Invalid request from ip=\S*: [^:'\"(]*)[:'\"(].*", re.S)
_WITH_REQUEST_DATA = {
    "Ignored premature client disconnection. %s",  # the bytes read so far
    "Error handling request %s %s",  # method and URI, query string included
    "Error handling request %s",
}


class _NoRequestData(logging.Filter):
    """Strip what gunicorn quotes from a malformed request out of its error-log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not isinstance(record.msg, str):
            return True
        found = _INVALID_REQUEST.fullmatch(record.msg)
        if found is not None and not record.args:
            record.msg = f"{found.group(1).rstrip()} (request data not logged)"
        elif record.msg in _WITH_REQUEST_DATA and record.args:
            record.msg = record.msg.replace("%s", "").rstrip() + " (request data not logged)"
            record.args = ()
        return True


_NO_REQUEST_DATA = _NoRequestData()


def _keep_request_data_out_of_log() -> None:
    error_log = logging.getLogger("gunicorn.error")
    if _NO_REQUEST_DATA not in error_log.filters:
        error_log.addFilter(_NO_REQUEST_DATA)


# What gunicorn answers, itself, to a request it cannot parse or could not finish: JSON like every
# other error of the service, instead of its HTML page, which also quotes the request back.
_GUNICORN_ERRORS = {
    400: ("bad-request", "The request is not well-formed HTTP (request line, headers or chunks)."),
    414: (
        "uri-too-long",
        "The URL is too long. Send the draft in the body of a POST, never in the URL.",
    ),
    431: ("headers-too-large", "The request headers are too large."),
    500: (
        "internal-error",
        "The service failed to handle this request; the failure was logged without its content.",
    ),
}


def _write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """`gunicorn.util.write_error`, answering JSON without `mesg` (the quoted request)."""
    code, message = _GUNICORN_ERRORS.get(
        status_int, (reason.lower().replace(" ", "-"), f"{reason}.")
    )
    body = json.dumps({"error": {"code": code, "message": message}}).encode() + b"\n"
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n"
    )
    gunicorn.util.write_nonblock(sock, head.encode("latin-1") + body)


def _answer_malformed_requests_in_json() -> None:
    # gunicorn's workers call it as `util.write_error(...)`, so replacing the module's function
    # is enough (tests/server/test_process.py checks the real answers).
    gunicorn.util.write_error = _write_json_error


def when_ready(server: Any) -> None:
    """Master: make SIGHUP reload packs in place instead of restarting the workers.

    gunicorn's own SIGHUP starts new workers, and a broken pack would stop them booting; in
    place, a broken edit is rejected and the old pack keeps serving. The arbiter looks the
    handler up on the instance (`getattr(self, "handle_hup")`) each time, so this override holds.
    """
    _keep_request_data_out_of_log()
    _answer_malformed_requests_in_json()
    app = _preloaded_app(server)
    if app is not None:
        _use_gunicorn_log(app)

    def handle_hup() -> None:
        if app is not None:
            # First the master's copy, so workers forked later (after a crash or a timeout)
            # start from the new pack too.
            app.extensions["rasoat"].reload("SIGHUP")
        workers = list(server.WORKERS)
        server.log.info("%s", sighup_forwarded(len(workers)).log_line())
        for pid in workers:
            try:
                os.kill(pid, signal.SIGHUP)
            except ProcessLookupError:  # the worker exited meanwhile; its successor loads fresh
                pass

    server.handle_hup = handle_hup


def bind_address(host: str, port: int | str) -> str:
    """`host:port` as gunicorn binds it: an IPv6 address in brackets (`[::1]:8765`)."""
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def cannot_listen(host: str, port: int | str) -> Problem | None:
    """Why the service could not listen on host:port (in use, not this machine's address…), or
    None when it can. gunicorn, left to find out, printed nothing clear: five seconds of
    "Connection in use" retries, then "Can't connect" (after `python -m server`'s banner had
    announced the URLs)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM
        )[0]
        with socket.socket(family, kind, proto) as probe:
            # As gunicorn binds: SO_REUSEADDR, so a port merely in TIME_WAIT is not "in use".
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        where = bind_address(host, port)
        if error.errno == errno.EADDRINUSE:
            return Problem(
                f"{where} đang được dùng (một `make run` hay `python -m server` khác vẫn đang "
                "chạy?); hãy dừng nó, hoặc chọn cổng khác bằng --port hoặc RASOAT_PORT",
                f"{where} is already in use (is another `make run` or `python -m server` "
                "still running?); stop it, or choose another port with --port or RASOAT_PORT",
            )
        return Problem(
            f"không lắng nghe được trên {where}: {reason(error, 'vi')}",
            f"cannot listen on {where}: {reason(error, 'en')}",
        )
    return None


def on_starting(server: Any) -> None:
    """Master, before it binds: stop, in both languages, when an address it is about to bind
    cannot be listened on, as `python -m server` checks before it starts gunicorn.

    Here, not in gunicorn.conf.py, because only here are the addresses final (`gunicorn -c … -b`
    replaces the config's `bind`). Sockets gunicorn does not bind itself are not checked: those
    systemd or a re-executed master hands over, and SO_REUSEPORT ones, which may share a port.
    """
    if server.LISTENERS or os.environ.get("LISTEN_FDS") or os.environ.get("GUNICORN_FD"):
        return
    if server.cfg.reuse_port:
        return
    for address in server.cfg.address:
        if isinstance(address, tuple):  # (host, port); a str is a Unix socket, an int an fd
            problem = cannot_listen(address[0], address[1])
            if problem is not None:
                raise StartUpStop(problem)


def usable_cpus() -> list[int]:
    """The CPUs this process may run on (a container's cpuset, `taskset`), or [] where the
    platform cannot say (macOS, Windows): the default worker count."""
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:
        return []


def create_app_or_stop() -> Any:
    """`create_app()` for `gunicorn -c` (`wsgi_app` in gunicorn.conf.py): a pack that does not
    load or a malformed RASOAT_* setting stops start-up in both languages, as `python -m server`
    says it, where gunicorn printed a traceback. (`python -m server` builds its app itself.)"""
    import policy
    from server import create_app

    try:
        return create_app()
    except (policy.PolicyError, ValueError) as error:
        raise StartUpStop(problem_of(error)) from None


LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def settings_problem(settings: dict[str, object]) -> Problem | None:
    """What is wrong with the gunicorn settings that `gunicorn.conf.py` read from the RASOAT_*
    variables (which `python -m server`'s flags set), or None.

    gunicorn, left to find out, served an unknown log level as `info` without a word, printed a
    traceback for an unknown worker class and "Error: Error: … isn't writable" for an access log
    it cannot write, each after the banner had announced the service.
    """
    level = str(settings.get("loglevel") or "info")
    if level.lower() not in LOG_LEVELS:
        return Problem(
            f"mức log (--log-level hoặc RASOAT_LOG_LEVEL) phải là một trong "
            f"{', '.join(LOG_LEVELS)}, không phải {level!r}",
            f"the log level (--log-level or RASOAT_LOG_LEVEL) must be one of "
            f"{', '.join(LOG_LEVELS)}, not {level!r}",
        )
    worker_class = str(settings.get("worker_class") or "sync")
    try:
        gunicorn.util.load_class(
            worker_class, default="gunicorn.workers.sync.SyncWorker", section="gunicorn.workers"
        )
    except (RuntimeError, ImportError):  # gunicorn wraps a failed import in RuntimeError
        return Problem(
            f"RASOAT_WORKER_CLASS {worker_class!r} không phải một lớp worker của gunicorn mà "
            "Python này nạp được (sync, mặc định; gthread; hoặc module.Class của một lớp đã "
            "cài)",
            f"RASOAT_WORKER_CLASS {worker_class!r} is not a gunicorn worker class this Python "
            "can load (sync, the default; gthread; or module.Class of an installed one)",
        )
    access_log = settings.get("accesslog")
    if isinstance(access_log, str) and access_log != "-":
        try:
            with open(access_log, "a", encoding="utf-8"):  # gunicorn would create it too
                pass
        except OSError as error:
            return Problem(
                f"không ghi được access log (--access-log hoặc RASOAT_ACCESS_LOG) "
                f"{access_log!r}: {reason(error, 'vi')}",
                f"cannot write the access log (--access-log or RASOAT_ACCESS_LOG) "
                f"{access_log!r}: {reason(error, 'en')}",
            )
    return None


def pre_fork(server: Any, worker: Any) -> None:
    """Master, right before each fork: move every object it holds (the preloaded app, its compiled
    packs) to the collector's permanent generation, as Python's docs advise for a pre-fork server.

    A worker's full collections then never walk them: each walk writes into every object's header,
    and so copied, page by page, the memory the worker shares with the master. Objects the master
    allocates later (a pack a SIGHUP loaded) are frozen at the next fork. A worker's own reload
    frees the old pack by reference counts (it holds no cycles), frozen or not.
    """
    gc.freeze()


def post_worker_init(worker: Any) -> None:
    """Worker: route the app's log to gunicorn's error log (with no request data in gunicorn's own
    lines), answer malformed requests in JSON, reload packs on SIGHUP, and load the pack files
    as they are now if they changed since the master loaded them."""
    app = worker.wsgi
    registry = getattr(app, "extensions", {}).get("rasoat")
    _keep_request_data_out_of_log()
    _answer_malformed_requests_in_json()
    _use_gunicorn_log(app)
    if registry is not None:
        _reload_on_sighup(registry)
        registry.catch_up()  # forked after an edit: the files, not the master's older pack


def _reload_on_sighup(registry: Any) -> None:
    """SIGHUP → reload now, in a thread of the worker's own.

    Asking for it at the next request (as the handler did) left a quiet worker on the old pack
    until traffic came: no log line for minutes, and the first answers, health included, still
    gave the old digest. A signal handler must not start a thread (it could deadlock on a lock
    the interrupted code holds), so it only writes a byte to a pipe, which is safe there; the
    thread blocks on the pipe's other end. Signals that arrive during a reload wait in the pipe,
    and `reload` is single-flight, so the watcher and this thread never load at once.
    """
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)

    def wait_for_sighup() -> None:
        while os.read(wake_read, 64):  # several signals at once: one reload
            try:
                registry.reload("SIGHUP")
            except Exception:  # a bug must not end SIGHUP reloads for the worker's lifetime
                said = reload_crashed("SIGHUP").log_line()
                logging.getLogger("gunicorn.error").exception("%s", said)

    threading.Thread(target=wait_for_sighup, name="rasoat-sighup", daemon=True).start()

    def on_sighup(_signum: int, _frame: Any) -> None:
        try:
            os.write(wake_write, b"\0")
        except BlockingIOError:  # the pipe is full: a reload is due already
            pass

    signal.signal(signal.SIGHUP, on_sighup)
    signal.siginterrupt(signal.SIGHUP, False)


def load_config_file(path: Path = CONFIG_FILE) -> dict[str, Any]:
    """The settings that `gunicorn.conf.py` defines, as a dict (hooks included)."""
    spec = importlib.util.spec_from_file_location("rasoat_gunicorn_conf", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: value for name, value in vars(module).items() if not name.startswith("_")}


class Server(BaseApplication):
    """gunicorn running an already-built app (so a broken pack fails before any worker forks)."""

    def __init__(self, app: Any, settings: dict[str, Any]) -> None:
        self.application = app
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.settings.items():
            if name in self.cfg.settings and value is not None:
                self.cfg.set(name, value)

    def load(self) -> Any:
        return self.application
