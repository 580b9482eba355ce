"""The generated rule docs in docs/rules/ must match the packs (`make docs` rewrites them)."""

from __future__ import annotations

import re
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


def test_the_rule_in_pack_format_md_loads_as_written(tmp_path):
    """docs/pack-format.md showed a rule's optional keys (exceptions, frames, suggestions, …)
    after its [[legal_basis]] table, where TOML makes them part of that table: copied, it failed
    with "unknown key `exceptions` in [[legal_basis]]". Written as shown, with the documented
    proximity matcher, it must load."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "pack-format.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", guide, re.S)
    rule = next(b for b in blocks if b.startswith('code = "ACC001"'))
    matcher = next(b for b in blocks if b.startswith('type = "proximity"'))
    rule = re.sub(r'(?m)^type = "proximity".*$', lambda _: matcher.strip(), rule)
    # A code and name of its own beside vn-base's, and something to yield to that exists there.
    rule = rule.replace('"ACC001"', '"ACC901"').replace('"account-for-sale"', '"doc-example"')
    rule = rule.replace('yields_to = ["CRD001"]', 'yields_to = ["ACC001"]')
    pack = tmp_path / "doc-pack"
    (pack / "rules" / "account-trading").mkdir(parents=True)
    (pack / "pack.toml").write_text(
        'id = "doc-pack"\nname = { vi = "x", en = "x" }\nversion = "0.1.0"\nextends = "vn-mofa"\n',
        "utf-8",
    )
    (pack / "rules" / "account-trading" / "doc-example.toml").write_text(rule, "utf-8")
    loaded = policy.load_pack(pack).rule("ACC901")
    assert loaded.frames == ("negation", "advice")
    assert loaded.suggestions == ("{masked}",)
    assert loaded.spec["yields_to"] == ["ACC001"]


def test_markup_characters_in_rule_docs_stay_literal():
    """OFF002's docs quote the starred spellings "(đ*o, l*n)": in the generated page (and in
    the SARIF help that code scanning renders) the two stars paired up as emphasis, and readers
    saw "(đo, ln)" with "o, l" in italics. Prose is escaped; code spans are left alone."""
    from policy.docs import md_text

    page = (DOCS / "vn-base.md").read_text("utf-8")
    assert r"(đ\*o, l\*n)" in page and "(đ*o, l*n)" not in page
    raw = "a*b_c `d` [e](f) <g> \\ h"
    escaped = md_text(raw)
    assert re.sub(r"\\(.)", r"\1", escaped) == raw  # what a Markdown reader shows
    assert not re.search(r"(?<!\\)[*_`\[\]<>]", escaped.replace("\\\\", ""))


def test_the_pack_toml_in_pack_format_md_loads_as_written(tmp_path):
    """docs/pack-format.md's pack.toml, copied to start an organisation's pack, did not load:
    its frame's `exceptions = ["…"]` failed with "phrase '…' has no letters or digits", and
    it named itself vn-base while extending vn-base. Written as shown, it must load."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "pack-format.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", guide, re.S)
    manifest = next(b for b in blocks if b.startswith("id = "))
    pack = tmp_path / "doc-pack"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.toml").write_text(manifest, "utf-8")
    loaded = policy.load_pack(pack)
    assert loaded.extends and loaded.id != loaded.extends
    assert {"negation", "advice", "refutation"} <= set(loaded.frames)
