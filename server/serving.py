"""Production serving with gunicorn: hooks shared by `python -m server` and `gunicorn.conf.py`."""

from __future__ import annotations

import importlib.util
import logging
import os
import signal
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

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


def when_ready(server: Any) -> None:
    """Master: make SIGHUP reload packs in place instead of restarting the workers.

    gunicorn's own SIGHUP starts new workers, and a broken pack would stop them booting; in
    place, a broken edit is rejected and the old pack keeps serving. The arbiter looks the
    handler up on the instance (`getattr(self, "handle_hup")`) each time, so this override holds.
    """
    app = _preloaded_app(server)
    if app is not None:
        _use_gunicorn_log(app)

    def handle_hup() -> None:
        if app is not None:
            # First the master's copy, so workers forked later (after a crash or a timeout)
            # start from the new pack too.
            app.extensions["rasoat"].reload("SIGHUP")
        workers = list(server.WORKERS)
        server.log.info("SIGHUP: asking %d worker(s) to reload their packs", len(workers))
        for pid in workers:
            try:
                os.kill(pid, signal.SIGHUP)
            except ProcessLookupError:  # the worker exited meanwhile; its successor loads fresh
                pass

    server.handle_hup = handle_hup


def usable_cpus() -> list[int]:
    """The CPUs this process may run on (a container's cpuset, `taskset`), or [] where the
    platform cannot say (macOS, Windows): the default worker count and the pinning use these."""
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:
        return []


def pin_mode() -> str:
    """`RASOAT_PIN_WORKERS`: "auto" (the default) pins each worker to a CPU of its own when
    there are no more workers than usable CPUs; "off" leaves placement to the scheduler."""
    mode = os.environ.get("RASOAT_PIN_WORKERS", "auto").strip().lower() or "auto"
    if mode not in ("auto", "off"):
        raise ValueError(f"RASOAT_PIN_WORKERS must be 'auto' or 'off', not {mode!r}")
    return mode


def pre_fork(server: Any, worker: Any) -> None:
    """Master, before each fork: choose the CPU the new worker will keep to (see post_fork).

    A check is CPU-bound and touches a few MB of compiled pack; a worker that stays on one core
    finds more of it still in that core's caches at its next request. Measured on the 2-core
    reference machine, 16 connections, dense 2,000-character drafts: ~600 → ~710 checks/s, and
    1-client p50 3.3 → 2.5–2.9 ms (docs/server.md). With more workers than CPUs the scheduler
    shares them out instead. A worker that replaces a dead one takes the CPU it freed.
    """
    worker.rasoat_cpu = None
    cpus = usable_cpus()
    if pin_mode() == "off" or not cpus or server.num_workers > len(cpus):
        return
    taken = {getattr(other, "rasoat_cpu", None) for other in server.WORKERS.values()}
    worker.rasoat_cpu = next((cpu for cpu in cpus if cpu not in taken), None)


def post_fork(server: Any, worker: Any) -> None:
    """Worker, right after the fork: keep to the CPU the master chose for it, if any."""
    cpu = getattr(worker, "rasoat_cpu", None)
    if cpu is None:
        return
    try:
        os.sched_setaffinity(0, {cpu})
    except OSError as error:  # the CPU went away (hot-unplug, a changed cpuset): run anywhere
        server.log.warning("worker %s not pinned to CPU %d: %s", worker.pid, cpu, error)
        worker.rasoat_cpu = None
        return
    server.log.info("worker %s pinned to CPU %d", worker.pid, cpu)


def post_worker_init(worker: Any) -> None:
    """Worker: route the app's log to gunicorn's error log and reload packs on SIGHUP."""
    app = worker.wsgi
    registry = getattr(app, "extensions", {}).get("rasoat")
    _use_gunicorn_log(app)
    if registry is not None:
        signal.signal(signal.SIGHUP, lambda _signum, _frame: registry.request_reload("SIGHUP"))
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
