"""The generated rule docs in docs/rules/ must match the packs (`make docs` rewrites them)."""

from __future__ import annotations

from pathlib import Path

from policy_helpers import PACKS

import policy
from policy.cli import render_docs
from policy.docs import pack_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_docs_rules_up_to_date():
    stale = []
    for name, text in render_docs().items():
        path = DOCS / name
        if not path.is_file() or path.read_text("utf-8") != text:
            stale.append(str(path))
    assert not stale, f"out of date: {', '.join(stale)} — run `make docs` and commit the result"


def test_pack_markdown_has_both_languages_and_docs():
    md = pack_markdown(policy.load_pack(PACKS / "basic"))
    assert "## ACC001 `account-for-sale`" in md
    for text in (
        "Tiếng Việt",
        "English",
        "Why is this bad?",
        "Vì sao",
        "Legal basis",
        "Căn cứ pháp lý",
        "Law A (1/2025/QH15), Điều 1",
        "`Tôi [[bán nick]] fb giá rẻ`",
    ):
        assert text in md
