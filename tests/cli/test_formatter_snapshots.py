"""Snapshot tests of every output format on an emoji-heavy draft (UPDATE_SNAPSHOTS=1 rewrites)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policy import cli

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "snapshots"
DRAFT = "tests/fixtures/drafts/emoji.txt"
BASIC = "tests/fixtures/packs/basic"


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("json", "json"), ("sarif", "sarif")])
def test_formatter_snapshot(fmt, suffix, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("RASOAT_NO_CACHE", "1")  # in-process: keep ~/.cache untouched
    code = cli.main(["check", "--pack", BASIC, "--format", fmt, "--color", "never", DRAFT])
    assert code == 1
    out = capsys.readouterr().out
    if fmt == "sarif":  # the installed version is not part of the snapshot
        log = json.loads(out)
        log["runs"][0]["tool"]["driver"]["version"] = "<version>"
        out = json.dumps(log, ensure_ascii=False, indent=2) + "\n"
    snap = SNAPSHOTS / f"emoji.{suffix}"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not snap.exists():
        snap.write_text(out, "utf-8")
    assert out == snap.read_text("utf-8"), (
        f"{snap} differs; review and rerun with UPDATE_SNAPSHOTS=1"
    )


def test_json_snapshot_offsets_match_the_draft():
    text = (ROOT / DRAFT).read_text("utf-8")
    for d in json.loads((SNAPSHOTS / "emoji.json").read_text("utf-8")):
        assert text[d["start"] : d["end"]] == d["text"]
        assert d["offset"] == len(text[: d["start"]].encode("utf-16-le")) // 2
