"""gunicorn settings for the check service; `python -m server` uses them, and so can
`gunicorn -c server/gunicorn.conf.py` (all overridable with RASOAT_* environment variables).
"""

import os

from server.problems import SettingProblem as _SettingProblem
from server.serving import bind_address as _bind_address
from server.serving import post_worker_init, pre_fork, when_ready  # noqa: F401  (gunicorn hooks)
from server.serving import usable_cpus as _usable_cpus

wsgi_app = "server:create_app()"
bind = [
    _bind_address(os.environ.get("RASOAT_HOST", "127.0.0.1"), os.environ.get("RASOAT_PORT", "8765"))
]


# The check is CPU-bound and takes about a millisecond: one sync worker per CPU this process may
# use (a container's cpuset, not the host's count) keeps every core busy with no thread switching
# (measured: see docs/server.md). Sync workers close the
# connection after each response; put a reverse proxy in front when exposing the service widely,
# it buffers slow clients that would otherwise hold a worker.
def _at_least_one(name: str, default: int) -> int:
    # Say which setting is wrong; and 0 workers would listen but never answer.
    value = os.environ.get(name) or str(default)
    if not value.strip().isdigit() or int(value) < 1:
        raise _SettingProblem(
            f"{name} phải là một số nguyên từ 1 trở lên, không phải {value!r}",
            f"{name} must be a whole number of at least 1, not {value!r}",
        )
    return int(value)


workers = _at_least_one("RASOAT_WORKERS", len(_usable_cpus()) or os.cpu_count() or 1)
worker_class = os.environ.get("RASOAT_WORKER_CLASS", "sync")
threads = _at_least_one("RASOAT_THREADS", 1)

# Load the packs once in the master: a broken pack stops start-up with `path:line: message`
# before any worker forks, and workers share the compiled pack's memory (`pre_fork` freezes it
# for the collector first, so a worker's full collections do not copy it: docs/server.md).
preload_app = True

timeout = 30
graceful_timeout = 30  # SIGTERM lets requests in flight finish
keepalive = 5

# Small request lines and headers: the draft travels in the body, never in the URL.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Access log off by default; when on, it records the path without the query string and never a
# body, so no draft text can reach it.
accesslog = os.environ.get("RASOAT_ACCESS_LOG") or None
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("RASOAT_LOG_LEVEL", "info")
proc_name = "rasoat"

# gunicorn ≥ 24's control socket sits at one default path per user, so two instances would
# collide; signals (HUP, TERM) already do what this service needs.
control_socket_disable = True
