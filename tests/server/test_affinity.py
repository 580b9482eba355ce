"""Workers keep to CPUs of their own (RASOAT_PIN_WORKERS), checked on the real service process:
each worker's affinity as the kernel reports it, a replacement worker taking the CPU its dead
predecessor freed, and the cases where the scheduler keeps the say."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.server.helpers import ServerProcess

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity"), reason="CPU affinity is a Linux interface"
)


def _pinned(server: ServerProcess) -> dict[int, int]:
    """Worker pid → CPU, from the workers' own log lines ("worker <pid> pinned to CPU <n>")."""
    return {
        int(pid): int(cpu)
        for pid, cpu in re.findall(r"worker (\d+) pinned to CPU (\d+)", server.log)
    }


def _worker_pids(master: int) -> set[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    ).stdout
    return {int(pid) for pid in out.split()}


def _wait_for(predicate, timeout: float = 20, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def test_each_worker_keeps_to_a_cpu_of_its_own_and_a_replacement_takes_the_freed_one(pack_copy):
    usable = sorted(os.sched_getaffinity(0))
    workers = min(2, len(usable))
    with ServerProcess("--pack", str(pack_copy), "--workers", str(workers)) as server:
        _wait_for(lambda: len(_pinned(server)) == workers, message="every worker pinned")
        pinned = _pinned(server)
        assert set(pinned) == _worker_pids(server.process.pid)
        assert len(set(pinned.values())) == workers  # no two share a CPU
        for pid, cpu in pinned.items():
            assert cpu in usable
            assert os.sched_getaffinity(pid) == {cpu}  # what the kernel enforces, not the log
        assert os.sched_getaffinity(server.process.pid) == set(usable)  # the master runs anywhere
        assert server.check({"text": "xin chào"})[0] == 200

        victim, freed = next(iter(pinned.items()))
        os.kill(victim, signal.SIGKILL)
        _wait_for(lambda: set(_pinned(server)) - set(pinned), message="a replacement pinned")
        (newcomer,) = set(_pinned(server)) - set(pinned)
        assert _pinned(server)[newcomer] == freed
        assert os.sched_getaffinity(newcomer) == {freed}
        assert server.check({"text": "xin chào"})[0] == 200


@pytest.mark.parametrize(
    ("env", "extra_workers"),
    [({"RASOAT_PIN_WORKERS": "off"}, 0), ({}, 1)],
    ids=["switched-off", "more-workers-than-cpus"],
)
def test_the_scheduler_places_workers_when_pinning_is_off_or_cannot_help(
    pack_copy, env, extra_workers
):
    usable = os.sched_getaffinity(0)
    workers = min(2, len(usable)) + extra_workers
    with ServerProcess("--pack", str(pack_copy), "--workers", str(workers), env=env) as server:
        _wait_for(lambda: len(_worker_pids(server.process.pid)) == workers, message="every worker")
        _wait_for(
            lambda: len(re.findall(r"Booting worker", server.log)) >= workers,
            message="every worker booted",
        )
        assert server.check({"text": "xin chào"})[0] == 200
        assert _pinned(server) == {}
        for pid in _worker_pids(server.process.pid):
            assert os.sched_getaffinity(pid) == usable


def test_a_bad_pin_setting_stops_start_up_with_a_clear_error():
    result = subprocess.run(
        [sys.executable, "-m", "server", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "RASOAT_PIN_WORKERS": "sometimes"},
    )
    assert result.returncode == 2
    assert "RASOAT_PIN_WORKERS" in result.stderr
    assert "'auto' or 'off'" in result.stderr
    assert "Traceback" not in result.stderr
