"""`python -m server` whose workers say, as they start, what the collector holds frozen (for
tests/server/test_process.py; the hooks are the real ones, this only adds a line after them)."""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

import server.__main__
import server.serving

_load_config_file = server.serving.load_config_file


def _with_probe(path: Any = server.serving.CONFIG_FILE) -> dict[str, Any]:
    settings = _load_config_file(path)
    started = settings["post_worker_init"]

    def post_worker_init(worker: Any) -> None:
        started(worker)
        pack = worker.wsgi.extensions["rasoat"].default.pack
        # The permanent generation has no get_objects(): tracked, yet in none of the three.
        collected = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
        frozen = gc.is_tracked(pack) and id(pack) not in collected
        print(
            f"gc-probe pid={os.getpid()} frozen-objects={gc.get_freeze_count()} "
            f"pack-frozen={frozen} version={pack.version}",
            flush=True,
        )

    settings["post_worker_init"] = post_worker_init
    return settings


if __name__ == "__main__":
    server.serving.load_config_file = _with_probe
    sys.exit(server.__main__.main())
