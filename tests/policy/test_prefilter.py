"""Regex gates: the literals read off a pattern, and that gating never changes the findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy import engine
from policy.prefilter import gate_literals, required_literals


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"(?i)\b(?:cvv|cvc)\s*\d{3}", ("cvv", "cvc")),
        (r"(?<![\p{L}])(?:TIN NÓNG|BREAKING)\s*!", ("TIN NÓNG", "BREAKING")),
        (r"\bPIN\b\s*\d{4}", ("PIN",)),
        (r"(?i)\bbackup codes?\s*:", ("backup code",)),
        (r"nha o (?:so\s*\d+)", ("nha o",)),
        (r"(?i)(?:https?://)?t\.me/\w+", None),  # after the optional group: "t" is too short
        (r"(?:https?://)?(?:t\.me|discord\.gg)/\w+", ("t.me", "discord.gg")),
        (r"(?<![a-z0-9])[a-z0-9]*(?:nhacai|fb88)[a-z0-9]*", ("nhacai", "fb88")),
        (r"(?i)(?=[a-z.]*?(?:gov|mofa))(?:[a-z]+\.)+[a-z]{2,}", ("gov", "mofa")),
        (r"(?=\d)(?:abc|def)", ("abc", "def")),
        (r"(?:a|b)x|y", None),  # top-level alternation
        (r"(?:k[e3]o|n3)", None),  # classes inside an alternative
        (r"\d{4}", None),
        (r"[a-z]+bet", None),
        (r"(?:mật khẩu)?\s*:", None),
        (r"(?:đê|đập)+", None),
    ],
)
def test_required_literals(pattern, literals):
    assert required_literals(pattern) == literals


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bma\s+pin\b[^\d\n]{0,30}\d", ("pin",)),  # a later run: "ma" is too short
        (r"(?i)\b3\s?que\b", ("que",)),
        (r"(?:đê|cầu)\b[^.]{0,40}?(?:vỡ rồi|đã vỡ)", ("vỡ rồi", "đã vỡ")),  # a later group
        (r"\b(?:TUYỆT\s+MẬT|TỐI\s+MẬT)", ("TUYỆT", "TỐI")),  # prefixes of the alternatives
        (r"(?m)^\s*(?:MẬT|TUYỆT MẬT)\s*:", ("MẬT", "TUYỆT MẬT")),  # any inline flags
        (r"\b(?:user(?:name)?|login)\s*:", ("user", "login")),
        (r"abcd?e", ("abc",)),  # the quantified "d" ends the run
        (r"abcde?", ("abcd",)),
        (r"\d{100}x", None),  # counted quantifiers are not literals
        (r"(?:secret)?\s*key", ("key",)),  # an optional group is no candidate
        (r"(?:secret){0,2}\s*k", None),
        (r"(?:abc|x\d)", None),  # every alternative needs a literal of 3+ letters
        (r"(?x) a b c d", None),  # verbose: spaces are not literal
        (r"\x41bcd", None),  # escapes with arguments: give up
        (r"foo|barbaz", None),  # top-level alternation
        (r"(?:\x27s|’s)\s+word", ("word",)),
        (r"\p{L}{3}abc", ("abc",)),
        (r"\bma\s+\d{4}(?=[^.]{0,30}(?:ngan hang|bank))", ("ngan hang", "bank")),  # lookahead
        (r"(?<=mật khẩu)\s*\d+", ("mật khẩu",)),
        (r"(?!bank)\w+", None),  # a negative lookahead requires nothing
        (r"(?:\d+ words|seed phrase)", ("words", "seed phrase")),  # per alternative
        (r"(?:\d+ tu|seed phrase)", None),
        (r"(abc|defg)\d", ("abc", "defg")),  # capturing group
    ],
)
def test_gate_literals(pattern, literals):
    assert gate_literals(pattern) == literals


def _linters():
    try:
        gated = policy.Linter(policy.load_pack())
    except policy.PackError:
        return None, None, []
    original = engine.gate_literals
    engine.gate_literals = lambda pattern: None
    try:
        ungated = policy.Linter(policy.load_pack())
    finally:
        engine.gate_literals = original
    literals = sorted(
        {
            lit
            for _, patterns, _, _ in gated.pack.compiled.regex_rules
            for pat in patterns
            for lit in (gate_literals(pat.pattern) or ())
        }
    )
    return gated, ungated, literals


GATED, UNGATED, LITERALS = _linters()
CORPUS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("**/*.jsonl"))


def test_gates_do_not_change_findings_on_the_corpus():
    if GATED is None:
        pytest.skip("default pack does not load (see test_shipped_packs_load)")
    for path in CORPUS:
        for line in path.read_text("utf-8").splitlines():
            text = json.loads(line)["text"]
            assert [f.to_dict() for f in GATED.check(text)] == [
                f.to_dict() for f in UNGATED.check(text)
            ], text


PIECES = st.sampled_from(
    LITERALS
    + [
        "BHYT",
        "ngày sinh",
        "12/03/1979",
        "0123456789",
        "biển số",
        "30K-456.78",
        "MẬT",
        "Đóng dấu",
        "NÓNG!",
        "cvv 123",
        ": ",
        " ",
        ", ",
        "\n",
        "bit . ly / x",
        "xã",
        "😀",
    ]
    or ["x"]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=20).map(" ".join))
def test_gates_do_not_change_findings_on_any_text(text):
    if GATED is None:
        return
    assert [f.to_dict() for f in GATED.check(text)] == [f.to_dict() for f in UNGATED.check(text)]
