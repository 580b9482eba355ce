"""The served packs: loaded once, watched, and swapped atomically on change or on SIGHUP."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

import policy
from server.problems import PacksProblem, Problem, reload_done, reload_failed, reload_rejected


@dataclass(frozen=True)
class LoadedPack:
    """One pack and its shared linter, plus what the watcher compares to notice an edit."""

    spec: str | None  # what the operator asked for: a shipped pack id, a path, or None (default)
    pack: Any  # policy.Pack
    linter: Any  # policy.Linter
    stamps: tuple[tuple[str, int, int], ...] = field(repr=False)  # (path, mtime_ns, size)

    @property
    def id(self) -> str:
        return self.pack.id

    def summary(self) -> dict[str, str]:
        """`{id, version, digest}` as every check response names the pack it used."""
        return {"id": self.pack.id, "version": self.pack.version, "digest": self.pack.digest}


def _watched_paths(files: tuple[str, ...]) -> list[str]:
    # The files themselves, plus their folders and the folders above them: a rule file added to
    # rules/<category>/ or a new category folder changes a folder's mtime, not any known file's.
    paths: dict[str, None] = {}
    for name in files:
        paths[name] = None
        parent = os.path.dirname(name)
        paths[parent] = None
        paths[os.path.dirname(parent)] = None
    return list(paths)


def _stamp(paths: list[str]) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for path in paths:
        try:
            st = os.stat(path)
            stamps.append((path, st.st_mtime_ns, st.st_size))
        except OSError:
            stamps.append((path, -1, -1))  # a deleted file is a change too
    return tuple(stamps)


def load(spec: str | None, previous: LoadedPack | None = None) -> LoadedPack:
    """Load, validate and compile one pack; raises `policy.PolicyError` on a broken pack.

    On a reload, the files are stamped *before* reading them: an edit that lands while the pack
    loads then still differs from the stamps, and the next poll loads again.
    """
    before = _stamp([path for path, _, _ in previous.stamps]) if previous else None
    pack = policy.load_pack(spec)
    # A service checks for hours: worth the second the hyperscan prefilter takes to compile
    # (policy/accelerate.py; the same findings, ~20 % less CPU per check).
    linter = policy.Linter(pack, accelerate=True)
    paths = _watched_paths(tuple(pack.files))
    if before is None or [path for path, _, _ in before] != paths:
        before = _stamp(paths)  # first load, or the pack's file set changed
    return LoadedPack(spec, pack, linter, before)


@dataclass(frozen=True)
class _State:
    packs: tuple[LoadedPack, ...]  # in configuration order; the first is the default
    by_id: dict[str, LoadedPack]


class PackRegistry:
    """Holds the served packs behind one reference that a reload replaces in a single assignment.

    A request takes `get()` once and uses that `LoadedPack` to the end, so a swap never changes a
    request in flight. Reloads are single-flight and run off the request path.
    """

    def __init__(
        self, specs: list[str | None], logger: logging.Logger, interval: float = 1.0
    ) -> None:
        self._logger = logger
        self._interval = interval
        self._guard = threading.Lock()  # over the two fields below
        self._running = False  # a reload is running (single-flight)
        self._again: str | None = None  # a reload asked for while one ran: run once more
        self._next_poll = time.monotonic() + interval
        self._pending: str | None = None
        packs = tuple(load(spec) for spec in specs)
        self._state = self._index(packs)

    @staticmethod
    def _index(packs: tuple[LoadedPack, ...]) -> _State:
        by_id: dict[str, LoadedPack] = {}
        for loaded in packs:
            if loaded.id in by_id:
                raise PacksProblem(
                    f"gói {loaded.id!r} được cấu hình hai lần",
                    f"pack {loaded.id!r} is configured twice",
                )
            by_id[loaded.id] = loaded
        return _State(packs, by_id)

    @property
    def default(self) -> LoadedPack:
        return self._state.packs[0]

    @property
    def ids(self) -> list[str]:
        return [loaded.id for loaded in self._state.packs]

    def all(self) -> tuple[LoadedPack, ...]:
        return self._state.packs

    def get(self, pack_id: str | None = None) -> LoadedPack:
        """The pack named `pack_id`, or the default; KeyError if this service does not serve it."""
        state = self._state
        return state.packs[0] if pack_id is None else state.by_id[pack_id]

    def poll(self) -> None:
        """Called on every request: at most once per interval, notice edited packs and reload them.

        Costs one clock read per request; the stat calls run at most once per interval, and the
        reload itself in a background thread so no request waits for a pack to compile.
        """
        pending, self._pending = self._pending, None
        if pending is not None:
            self.reload_in_background(pending)
            return
        if self._interval <= 0:
            return
        now = time.monotonic()
        if now < self._next_poll:
            return
        self._next_poll = now + self._interval
        if self._running:
            return  # it stamped the files before reading them; the next poll compares again
        if any(
            _stamp([path for path, _, _ in loaded.stamps]) != loaded.stamps
            for loaded in self._state.packs
        ):
            self.reload_in_background("files changed")

    def catch_up(self) -> bool:
        """Reload now, in this thread, if the pack files changed since they were loaded; True if
        a new pack was swapped in.

        For a worker forked from the master after an edit (a late start, or a replacement after a
        timeout or a crash): its packs are the master's, loaded before the edit, and it would
        answer with them until its first poll's reload finished. Called before it takes a
        request."""
        if self._interval <= 0:
            return False
        if all(
            _stamp([path for path, _, _ in loaded.stamps]) == loaded.stamps
            for loaded in self._state.packs
        ):
            return False
        return self.reload("files changed before this worker started")

    def request_reload(self, reason: str) -> None:
        """Ask for a reload at the next request; safe to call from a signal handler.

        (Starting a thread inside a handler could deadlock on a lock the interrupted code holds.)
        """
        self._pending = reason

    def reload_in_background(self, reason: str) -> None:
        """Reload every pack in a daemon thread (for SIGHUP handlers and the watcher)."""
        threading.Thread(
            target=self.reload, args=(reason,), name="rasoat-pack-reload", daemon=True
        ).start()

    def reload(self, reason: str = "requested") -> bool:
        """Reload every pack; swap in the new set only if all load. Returns True if swapped.

        A broken edit is logged as `path:line: message` and the packs already serving stay.
        Single-flight: asked while a reload runs, this returns False at once and the running
        reload goes round once more when it ends, since it may have read the files before the
        edit this request is for (a second SIGHUP right after a second edit).
        """
        with self._guard:
            if self._running:
                self._again = reason
                return False
            self._running = True
        swapped = False
        try:
            while True:
                swapped = self._reload_once(reason) or swapped
                with self._guard:
                    if self._again is None:
                        self._running = False
                        return swapped
                    reason, self._again = self._again, None
        except BaseException:
            with self._guard:
                self._running = False
            raise

    def _reload_once(self, reason: str) -> bool:
        old = self._state
        # Every pack's files as they are before reading, like `load` stamps them.
        attempted = [_stamp([path for path, _, _ in p.stamps]) for p in old.packs]
        try:
            fresh: list[LoadedPack] = []
            for loaded in old.packs:
                try:
                    fresh.append(load(loaded.spec, loaded))
                except policy.PolicyError as error:
                    self._log_both(
                        reload_rejected(reason, error, f"{loaded.id} {loaded.pack.version}")
                    )
                    self._state = _seen(old, attempted)
                    return False
                except Exception as error:  # noqa: BLE001 - a bug of ours, not the pack's
                    # The loader says what is wrong with a pack as a PolicyError; anything else
                    # is a defect in Rasoat that this edit ran into. The old pack keeps serving
                    # and the thread lives on; the same files are not tried again every poll.
                    self._log_both(
                        reload_failed(reason, error, f"{loaded.id} {loaded.pack.version}")
                    )
                    self._state = _seen(old, attempted)
                    return False
            if [p.pack.digest for p in fresh] == [p.pack.digest for p in old.packs]:
                self._state = self._index(tuple(fresh))  # same content; refresh the stamps
                return False
            self._state = self._index(tuple(fresh))
            for before, after in zip(old.packs, fresh, strict=True):
                if before.pack.digest != after.pack.digest:
                    serving = f"{after.id} {after.pack.version}"
                    done = reload_done(reason, serving, after.pack.digest[:12])
                    self._logger.info("%s", done.log_line())
            return True
        except policy.PolicyError as error:  # e.g. an edit that makes two packs share an id
            self._log_both(reload_rejected(reason, error))
            self._state = _seen(old, attempted)
            return False

    def _log_both(self, problem: Problem) -> None:
        # One record, one line, Vietnamese first: `<vi> / <en>`. Two records (as a terminal shows
        # a start-up error) let a line another thread or worker logs fall between them and
        # counted one refusal as two errors; a record of two lines would leave the English without
        # gunicorn's `[pid] [ERROR]`, and line-based log shippers would cut it off as an event of
        # its own.
        self._logger.error("%s", problem.log_line())


def _seen(state: _State, stamps: list[tuple[tuple[str, int, int], ...]]) -> _State:
    """The same packs, their files remembered as a rejected reload found them.

    The watcher then waits for the next edit instead of retrying (and logging) every second,
    also when the broken file belongs to several packs; and an edit that lands while the
    rejected load runs (the rest of a `git pull`) still counts as new.
    """
    return PackRegistry._index(
        tuple(replace(p, stamps=s) for p, s in zip(state.packs, stamps, strict=True))
    )
