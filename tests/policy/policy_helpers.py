"""Helpers for the engine tests: fixture locations and a one-rule pack writer."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PACKS = FIXTURES / "packs"

RULE = """\
code = "SEC001"
name = "thing"
category = "state-secret"
severity = "error"
type = "{type_}"
message = {{ vi = "x {{match}}", en = "x {{match}}" }}
{matcher}

[doc]
what = {{ vi = "a", en = "a" }}
why = {{ vi = "b", en = "b" }}
instead = {{ vi = "c", en = "c" }}

[[legal_basis]]
instrument = "law-a"
article = "Điều 1"
"""

PACK = """\
id = "tmp-pack"
name = {{ vi = "Thử", en = "Test" }}
version = "0.0.1"
{extra}

[instruments.law-a]
number = "1/2025/QH15"
title = {{ vi = "Luật A", en = "Law A" }}

[frames.negation]
phrases = ["không được"]
"""


def write_pack(
    root: Path,
    *,
    type_: str = "phrases",
    matcher: str = 'phrases = ["tài liệu mật"]',
    rule: str | None = None,
    pack_extra: str = "",
    name: str = "thing",
) -> Path:
    """Write a one-rule pack under `root` and return its folder."""
    folder = root / "pack"
    (folder / "rules" / "state-secret").mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(PACK.format(extra=pack_extra), "utf-8")
    body = rule if rule is not None else RULE.format(type_=type_, matcher=matcher)
    (folder / "rules" / "state-secret" / f"{name}.toml").write_text(body, "utf-8")
    return folder
