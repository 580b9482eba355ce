"""The on-disk cache's helpers (policy/cache.py)."""

from __future__ import annotations

import os

import pytest

from policy import cache, env


def test_the_folder_follows_xdg_and_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.delenv("RASOAT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "rasoat"
    monkeypatch.setenv("RASOAT_NO_CACHE", "1")
    assert cache.cache_dir() is None


@pytest.mark.parametrize(
    ("value", "off"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("off", False),
        ("", False),
    ],
)
def test_no_cache_reads_as_the_other_on_off_settings(monkeypatch, tmp_path, value, off):
    """RASOAT_NO_CACHE=0 (or false, no, empty) turned the cache off too: any value did. It now
    reads as the server's RASOAT_BENCH_ECHO does, through the one reading both use."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("RASOAT_NO_CACHE", value)
    assert cache.cache_dir() == (None if off else tmp_path / "rasoat")
    assert env.is_on(value, "RASOAT_NO_CACHE") is off


def test_write_atomic_makes_the_folder_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a" / "b" / "entry.bin"
    cache.write_atomic(path, b"one")
    cache.write_atomic(path, b"two")
    assert path.read_bytes() == b"two"
    assert os.listdir(path.parent) == ["entry.bin"]
    if os.name == "posix":  # the user's own: an organisation's pack may be confidential
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700


def test_prune_keeps_the_newest_and_the_one_just_written(tmp_path):
    for i in range(6):
        entry = tmp_path / f"{i}.db"
        entry.write_bytes(b"x")
        os.utime(entry, ns=(i * 10**9, i * 10**9))
    (tmp_path / "other.json").write_text("{}")
    keep = tmp_path / "0.db"  # the oldest by time, but just written
    cache.prune(tmp_path, ".db", keep=keep, entries=3)
    assert sorted(os.listdir(tmp_path)) == ["0.db", "4.db", "5.db", "other.json"]


@pytest.mark.parametrize("value", ["y", "maybe", "enabled", "2", "tru"])
def test_a_value_neither_on_nor_off_is_an_error_naming_the_setting(monkeypatch, tmp_path, value):
    """`RASOAT_NO_CACHE=y` read as off, in silence: the opposite of what the operator meant. Such
    a value is an error naming the variable, the value and what it takes, as the service treats
    its other malformed RASOAT_* values."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("RASOAT_NO_CACHE", value)
    with pytest.raises(env.SettingError) as raised:
        cache.cache_dir()
    message = str(raised.value)
    assert message.startswith(f"RASOAT_NO_CACHE={value!r}")
    assert "1, true, yes, on" in message and "0, false, no, off" in message
    assert (raised.value.name, raised.value.value) == ("RASOAT_NO_CACHE", value)
    assert env.is_on(True, "X") is True and env.is_on(None, "X") is False  # by their truth
