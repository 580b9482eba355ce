"""The on-disk cache of compiled pack data (~/.cache/rasoat): what is slow to build and the same
from one run to the next.

It holds what is derived from packs (compiled packs, hyperscan databases), never draft text.
Every entry is an optimisation only: one that is missing, stale, corrupt or unwritable means the
work is done again, with the same result. RASOAT_NO_CACHE=1 (or true, yes, on) turns the cache
off; 0, false, no, off or empty leave it on; anything else raises `policy.env.SettingError`
(policy/env.py reads every on/off setting).
"""

from __future__ import annotations

import os
from pathlib import Path

from .env import is_on


def cache_dir() -> Path | None:
    """The cache folder ($XDG_CACHE_HOME/rasoat, else ~/.cache/rasoat), or None when it is off."""
    if is_on(os.environ.get("RASOAT_NO_CACHE"), "RASOAT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rasoat"


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file, so a reader sees all or nothing (two
    processes writing the same entry at once each write whole files). Raises OSError.

    The file is the user's own (mode 0600): an organisation's pack may hold phrases it would
    not show the other accounts of a shared machine, and the cache holds what is compiled
    from them."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def prune(folder: Path, suffix: str, keep: Path, entries: int) -> None:
    """Remove all but the newest `entries` files ending in `suffix` from `folder` (`keep`, just
    written, stays): each pack or engine edit writes a new entry under a new key, and the stale
    ones would otherwise pile up."""
    with os.scandir(folder) as it:
        found = [e for e in it if e.name.endswith(suffix) and e.path != str(keep)]
    found.sort(key=lambda e: e.stat().st_mtime_ns, reverse=True)
    for entry in found[entries - 1 :]:
        try:
            os.remove(entry.path)
        except OSError:
            pass  # another process got there first
