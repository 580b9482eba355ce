"""gunicorn settings for the check service; `python -m server` uses them, and so can
`gunicorn -c server/gunicorn.conf.py` (all overridable with RASOAT_* environment variables).
"""

import os

from server.problems import Problem as _Problem
from server.problems import StartUpStop as _StartUpStop
from server.serving import bind_address as _bind_address
from server.serving import on_starting, post_worker_init, pre_fork, when_ready  # noqa: F401 (hooks)
from server.serving import settings_problem as _settings_problem
from server.serving import usable_cpus as _usable_cpus

# A malformed RASOAT_* value stops start-up here with `lỗi: …` then `error: …` (StartUpStop),
# for `gunicorn -c` as for `python -m server`: gunicorn would print a traceback, or its own
# English error, or (a log level) serve on without a word. The app's own settings and a broken
# pack stop it the same way (`create_app_or_stop`).


def _port() -> str:
    value = os.environ.get("RASOAT_PORT") or "8765"
    if not value.strip().isdigit() or int(value) > 65535:
        raise _StartUpStop(
            _Problem(
                f"cổng (--port hoặc RASOAT_PORT) phải là một số nguyên từ 0 đến 65535, "
                f"không phải {value!r}",
                f"the port (--port or RASOAT_PORT) must be a whole number from 0 to 65535, "
                f"not {value!r}",
            )
        )
    return value


wsgi_app = "server.serving:create_app_or_stop()"
bind = [_bind_address(os.environ.get("RASOAT_HOST", "127.0.0.1"), _port())]


# The check is CPU-bound and takes about a millisecond: one sync worker per CPU this process may
# use (a container's cpuset, not the host's count) keeps every core busy with no thread switching
# (measured: see docs/server.md). Sync workers close the
# connection after each response; put a reverse proxy in front when exposing the service widely,
# it buffers slow clients that would otherwise hold a worker.
def _at_least_one(name: str, flag: str, default: int) -> int:
    # Say which setting is wrong; and 0 workers would listen but never answer.
    value = os.environ.get(name) or str(default)
    if not value.strip().isdigit() or int(value) < 1:
        raise _StartUpStop(
            _Problem(
                f"{name} ({flag}) phải là một số nguyên từ 1 trở lên, không phải {value!r}",
                f"{name} ({flag}) must be a whole number of at least 1, not {value!r}",
            )
        )
    return int(value)


workers = _at_least_one("RASOAT_WORKERS", "--workers", len(_usable_cpus()) or os.cpu_count() or 1)
worker_class = os.environ.get("RASOAT_WORKER_CLASS", "sync")  # gthread with threads > 1
threads = _at_least_one("RASOAT_THREADS", "--threads", 1)

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
_problem = _settings_problem(
    {"loglevel": loglevel, "worker_class": worker_class, "accesslog": accesslog}
)
if _problem is not None:
    raise _StartUpStop(_problem)
proc_name = "rasoat"

# gunicorn ≥ 24's control socket sits at one default path per user, so two instances would
# collide; signals (HUP, TERM) already do what this service needs.
control_socket_disable = True
