"""Regex gates: the literals read off a pattern, and that gating never changes the findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from policy_helpers import write_pack

import policy
from policy import engine, prefilter
from policy.normalize import FOLD_TABLE, fold, normalize, normalize_pattern
from policy.prefilter import (
    _CASE_SAFE,
    ODD_CASE,
    exact_checks,
    faster_pattern,
    gate_literals,
    gate_sets,
    lowered_pattern,
    required_literals,
    required_sets,
    scan_pattern,
    tail_pattern,
)


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


@pytest.mark.parametrize(
    ("pattern", "sets"),
    [
        # Classes and alternations gate_literals gives up on; keys folded, each set on its own.
        (r"(?i)\bóc\s+c[\*\.]c(?![\p{L}])", (("c*c", "c.c"),)),
        (r"\b(?:ngay sinh|ns)\s*:?\s*\d{1,2}", (("ngay sinh", "ns"),)),
        (
            r"\b(?:tk|tai khoan)\s*[:=]\s*\S+[\s,;/|]+(?:mk|pass(?:word)?|mat khau)",
            (("tai khoan", "tk"), ("mat khau", "mk", "pass")),  # "password" holds "pass"
        ),
        (r"(?i)\bl[!1|]nk\b", (("l!nk", "l1nk", "l|nk"),)),
        (
            r"(?<![a-z])p[.\-_*]a[.\-_*]g[.\-_*]e",
            (tuple(sorted(f"p{a}a{b}g{c}e" for a in ".-_*" for b in ".-_*" for c in ".-_*")),),
        ),
        (r"\bM[.\-_*]Ậ[.\-_*]T", (tuple(sorted(f"m{a}a{b}t" for a in ".-_*" for b in ".-_*")),)),
        (r"(?i)\b(?:MẬT KHẨU|Đ\*C)\b", (("d*c", "mat khau"),)),  # folded, lower-cased
        (r"(?i)\b(?:MẬT|Đ\*C)\b", ()),  # "mat": one syllable, in most drafts
        (r"“ma[\*\.]k”", (("ma*k", "ma.k"),)),  # a char outside _CASE_SAFE cuts the literal
        (r"\bmk\b", (("mk",),)),  # too short for gate_literals, but no Vietnamese word has it
        (r"\b(?:wifi|wf)\s*:", (("wf", "wifi"),)),
        # Nothing beyond gate_literals: its gate tells as much, or a key is too common.
        (r"\bpass(?:word)?\s*:", ()),  # gate_literals has "pass" already
        (r"\bc(?:ặc|[\*\.]c)", ()),  # "ac" ("các"), ".c": in most drafts
        (r"\b(?:cua|khoa)\s+\d", ()),  # single Vietnamese syllables
        (r"\b(?:19|20)\d{2}", ()),  # numbers
        (r"\bx\s+\d", ()),
        (r"(?x) m k", ()),  # syntax the parse does not model
        (r"(a)\1mk", ()),
    ],
)
def test_gate_sets(pattern, sets):
    assert gate_sets(pattern) == sets


def _any_set(sets):
    """A pick for `required_sets` that takes any set (the first), to test the parse alone."""
    sets = list(sets)
    return sets[0] if sets else None


def _sets(pattern):
    return {tuple(sorted(s)) for s in required_sets(pattern, _any_set)}


@pytest.mark.parametrize(
    ("pattern", "sets"),
    [
        (r"abc", {(("abc", False),)}),
        (r"(?i)\bAb\b", {(("Ab", True),)}),
        (r"x(?i)y", {(("xy", True),)}),  # V0: an inline flag anywhere applies everywhere
        (r"(?i:ab)CD", {(("abCD", True),)}),  # one literal, partly case-insensitive
        (r"ab\s+cd", {(("ab", False),), (("cd", False),)}),
        (r"t(?:ối|uyệt) mật", {(("tuyệt mật", False), ("tối mật", False))}),
        (r"codes?:", {(("code:", False), ("codes:", False))}),
        (r"p[a@4]ss", {(("p4ss", False), ("p@ss", False), ("pass", False))}),
        (r"p[a-z]ss", {(("p", False),), (("ss", False),)}),  # ranges are not expanded
        (r"p[^a]ss", {(("p", False),), (("ss", False),)}),
        (r"(?:ab)?cd", {(("abcd", False), ("cd", False))}),  # optional: exact with and without
        (r"(?:ab\d)?cd", {(("cd", False),)}),  # optional: requires nothing
        (r"(?:ab){0,3}\dcd", {(("cd", False),)}),
        (r"(?:ab){2}", {(("abab", False),)}),
        (r"(?:ab\d)+", {(("ab", False),)}),  # repeated at least once: still needed
        (r"gu{3,}", {(("g", False),), (("uuu", False),)}),
        (r"\d(?=\w*bank)", {(("bank", False),)}),  # a positive lookahead: in the draft
        (r"(?<=mật khẩu)\d", {(("mật khẩu", False),)}),
        (r"\d(?!bank)", set()),  # a negative one requires nothing
        (r"(?<!bank)\d", set()),
        (r"(?:abc|de\d)", {(("abc", False), ("de", False))}),  # one set per branch
        (r"(?:abc|\d)", set()),  # a branch with no literal: nothing
        (r"ab|cd", {(("ab", False), ("cd", False))}),
        (r"(?P<x>ab)\d", {(("ab", False),)}),
        (r"(?>ab)\d", {(("ab", False),)}),
        (r"\.com\b", {((".com", False),)}),
        (r"\p{L}ab\x41", {(("ab", False),)}),
        # Syntax the parser does not model: nothing at all.
        (r"(a)\1bc", set()),  # back-reference
        (r"(?x) a b", set()),  # verbose
        (r"ab(?x)", set()),
        (r"(?f)abc", set()),  # full case folding
        (r"(?V1)abc", set()),
        (r"(?:abc){e<=1}", set()),  # fuzzy matching
        (r"\Gabc", set()),
        (r"(?(1)ab|cd)", set()),  # conditional
        (r"[[:alpha:]]abc", set()),
        (r"\N{LATIN SMALL LETTER A}bc", set()),
        (r"ab\Xcd", set()),
    ],
)
def test_required_sets(pattern, sets):
    assert _sets(pattern) == sets


def _pack_patterns() -> list[str]:
    patterns = set()
    for name in policy.shipped_packs():
        for rule in policy.load_pack(name).rules:
            for key in ("patterns", "exception_patterns"):
                patterns.update(p.pattern for p in rule.spec.get(key, ()))
    return sorted(patterns)


def test_required_sets_with_another_pick_read_as_a_parse_with_it():
    """`required_sets` reuses the default parse for another pick when no alternation asked the
    pick to choose: every pattern of the shipped packs must read as a parse with that pick."""
    for pattern in _pack_patterns() + [r"(?:abc|de\d)x", r"(?:ab|cd)(?:e\d|fg)", r"x(?:a|b)"]:
        for pick in (_any_set, prefilter._best_gate):
            try:
                fresh = prefilter._Parser(pattern, pick).parse().candidates()
            except prefilter._GiveUp:
                fresh = ()
            assert required_sets(pattern, pick) == fresh, pattern


def _split_bars_by_char(body: str) -> list[str]:
    """`_split_bars` as a walk over every char: the definition the faster one must keep."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return parts


def _skip_group_by_char(p: str, i: int) -> int:
    depth, in_class = 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab|()[]\\^-?", max_size=16))
def test_bars_and_groups_are_found_outside_classes_and_escapes(body):
    assert prefilter._split_bars(body) == _split_bars_by_char(body)
    for i, c in enumerate(body):
        if c == "(":
            assert prefilter._skip_group(body, i) == _skip_group_by_char(body, i)


@pytest.mark.parametrize(
    ("pattern", "checks"),
    [
        (r"(?i)\b(?:con|thằng|bọn|lũ|đồ)\s+mọi(?![\p{L}])", ((("mọi",), True),)),
        (r"\bPIN\b\s*\d{4}", ((("PIN",), False),)),  # case-sensitive: as written
        (r"(?i)\bbuồi\b", ((("buồi",), True),)),
        (r"(?i)\bBUỒI\b", ((("buồi",), True),)),  # looked up lower-cased
        (r"\b(?i:marked)\s+(?:SECRET|RESTRICTED)", ((("RESTRICTED", "SECRET"), False),)),
        (r"(?i)\bl[!*|]nk\b", ((("l!nk", "l*nk", "l|nk"), True),)),
        (r"(?i)\bl[!1|]nk\b", ()),  # "l1nk": not rare enough to be worth a scan
        (r"(?<![a-z0-9])d[.*]a(?![a-z0-9])", ((("d*a", "d.a"), False),)),  # glued to a mark
        (r"\b[a-z]+://", ((("://",), False),)),
        (r"(?i)\b(?:khẩn|breaking)\s*:", ((("breaking", "khẩn"), True),)),
        (r"(?i)\bđộ mật\s*:\s*(?:tuyệt mật|mật)", ((("độ mật",), True),)),  # implies "mật"
        (r"(?i)\bđ(?:éo|ụ)\b", ((("đéo", "đụ"), True),)),
        (r"\bnha\s+\d+", ()),  # nothing the folded gate does not tell already
        (r"\bma\s+pin\b", ()),  # "ma": too common to be worth a scan
        (r"(?i)\bđ(?:éo|\s*ụ)", ()),  # "đ": too short (and "ụ" too)
        (r"(?:ẹpa|ẹpb|ẹpc|ẹpd|ẹpe)", ()),  # five texts: more look-ups than a scan is worth
        (r"(?:ạb|ạc)(?:ạb|ạc)(?:ạb|ạc)", ()),  # eight after multiplying out
        (r"(a)\1ặc", ()),
    ],
)
def test_exact_checks(pattern, checks):
    assert exact_checks(pattern) == checks


@pytest.mark.parametrize(
    ("pattern", "tail"),
    [
        (
            r"\b(?:thang|con)\b[^\n]{0,30}?\b(?:o|tai)\s+so\s*\d+\s+(?:ngo|hem)\b",
            r"so\s*\d+\s+(?:ngo|hem)\b",
        ),
        (r"(?i)\bsinh\b[^.\n]{0,12}\bnha\s+\d+", r"(?i)nha\s+\d+"),  # global flags go in front
        (r"\bsn\b[^.\n]{0,12}\b(?m)nha\s+\d+", r"(?m)nha\s+\d+"),
        (r"\bab\S+cd\s*\d+[^\n]{0,12}\d+", r"cd\s*\d+[^\n]{0,12}\d+"),  # last gap with text after
        (r"\bab[^\n]{0,30}(?:cd|ef)\d", None),  # an alternation: scanned no faster
        (r"\bab[^\n]{0,30}c\d", None),  # one char: no faster either
        (r"\bab[^\n]{0,3}cd\d", None),  # no wide gap
        (r"\bab\d+cd", None),  # digits: no wide gap
        (r"ab[^\n]{0,30}cd|ef", None),  # top-level alternation
        (r"(a)[^\n]{0,30}\1cd", None),
    ],
)
def test_tail_pattern(pattern, tail):
    assert tail_pattern(pattern) == tail


@pytest.mark.parametrize(
    ("pattern", "scanned"),
    [
        # Common words before the gap: hyperscan scans for the tail alone.
        (
            r"\b(?:thang|con|ba|co)\b[^\n]{0,30}?\b(?:o|tai)\s+so\s*\d+\s+(?:ngo|hem)\b",
            r"so\s*\d+\s+(?:ngo|hem)\b",
        ),
        (r"(?i)\bnha\b[^.\n]{0,12}\bcua\s+\d+", r"(?i)cua\s+\d+"),
        # A lead that filters keeps the whole pattern (None): a rare word, one of several, or no
        # exact strings at all.
        (r"\bshare\b[^\n]{0,60}\bho ten\b", None),
        (r"\b(?:login|dang nhap)\b[^\n]{0,30}\bma\s+\d", None),
        (r"\banh\s+cccd\b[^\n]{0,30}\bcua\s+\w", None),
        (r"\bab[^\n]{0,3}cd\d", None),  # no tail
    ],
)
def test_scan_pattern(pattern, scanned):
    assert scan_pattern(pattern) == (scanned or pattern)


@pytest.mark.parametrize(
    ("pattern", "faster"),
    [
        (
            r"(?<![\p{L}\d])(?:VN|VJ|QH)\s?\d{2,4}(?![\p{L}\d])",
            r"(?<![\p{L}\d])[Q-V][H-N](?<=VN|VJ|QH)\s?\d{2,4}(?![\p{L}\d])",
        ),
        (r"\b(?:cvv|cvc)\s*\d{3}", r"\bcv[c-v](?<=cvv|cvc)\s*\d{3}"),  # one char: itself
        (r"(?m)^(?:AB|A9)\d", r"(?m)^A[9-B](?<=AB|A9)\d"),
        (r"(?:ab|c)x", None),  # two lengths
        (r"x(?:ab|cd)", None),  # not first: the module scans for "x" already
        (r"(?:ab|cd)+x", None),  # repeated
        (r"(ab|cd)x", None),  # capturing
        (r"(?i)(?:ab|cd)x", None),  # case-insensitive: lowered_pattern does better
        (r"(?:a\.|cd)x", None),  # not plain letters and digits
        (r"(?:ab|cd)x|y", None),  # top-level alternation
        (r"(?:ab|cd)\1", None),  # syntax the parse does not model
    ],
)
def test_faster_pattern(pattern, faster):
    assert faster_pattern(pattern) == faster


_LED = [
    r"(?<![\p{L}\d])(?:VN|VJ|QH|BL|AA)\s?\d{2,4}(?![\p{L}\d])",
    r"\b(?:ab|ba|aa)\b",
    r"(?m)^(?:AB|BA)(?=\d)",
    r"\B(?:ab|ba)",
    r"(?:aab|aba|baa)b",  # alternatives overlapping in the text
]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ABVNJQHL ab\n12x.", max_size=40))
def test_faster_pattern_finds_the_same_spans(text):
    for pattern in _LED:
        faster = faster_pattern(pattern)
        assert faster is not None, pattern
        assert [m.span() for m in regex.finditer(faster, text)] == [
            m.span() for m in regex.finditer(pattern, text)
        ], (pattern, text)


_ALL_CHARS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def _lower(c: str) -> str:  # as Linter._check lower-cases a draft, char by char
    low = c.lower()
    return low if len(low) == 1 else c


@pytest.mark.parametrize(
    ("pattern", "lowered"),
    [
        (r"(?i)\bBUỒI(?![\p{L}\p{M}])", r"\bbuồi(?![\p{L}\p{M}])"),
        (r"(?im)^T[ÔO]P\s*:", r"(?m)^t[ôo]p\s*:"),
        (r"(?i)\bX(?i:Bộ trưởng)\.", r"\bx(?:bộ trưởng)\."),
        (r"(?i)[^\nA]{0,3}\d+\$", r"[^\na]{0,3}\d+\$"),
        (r"(?i)[-A_]b[A-]", r"[-a_]b[a-]"),  # a "-" first or last is itself
        (r"\bBUỒI", None),  # not case-insensitive
        (r"(?i:BUỒI)X", None),  # only in part
        (r"X(?i)BUỒI", None),  # a flag further in: not sure to apply everywhere (V1)
        (r"(?i)(?-i:A)b", None),
        (r"(?i)[A-Z]b", None),  # a range
        (r"(?i)\p{Lu}b", None),  # a case-sensitive property
        (r"(?i)\x41b", None),  # an escaped letter
        (r"(?ia)\bAb", None),  # ASCII: K (Kelvin) lower-cases to an ASCII word char
        (r"(?i)Σb", None),  # a char outside _CASE_SAFE
        (r"(?i)ab\1", None),  # nothing the parser does not model
    ],
)
def test_lowered_pattern(pattern, lowered):
    assert lowered_pattern(pattern) == lowered


def _lower_variants(x: str) -> set[str]:
    """What Linter._check's lower-cased text may hold where the text has `x` (str.lower turns a
    final Σ into ς)."""
    return {_lower(x)} | ({"ς"} if x == "Σ" else set())


def test_lowered_patterns_see_the_same_chars():
    """What the case-insensitive look-ups and lowered_pattern rely on, char by char over all of
    Unicode (bar ODD_CASE): a literal of _CASE_SAFE matches a char case-insensitively exactly
    when its lower case equals the char's; each escape lowered_pattern keeps matches a char
    case-insensitively exactly when it matches the char's lower case; and the folded text is
    lower-cased already."""
    chars = [x for x in _ALL_CHARS if x not in ODD_CASE]
    pairs = [(x, y) for x in chars for y in _lower_variants(x)]
    xs = "".join(x for x, _ in pairs)
    ys = "".join(y for _, y in pairs)
    where: dict[str, list[int]] = {}
    for k, y in enumerate(ys):
        where.setdefault(y, []).append(k)
    for c in sorted(_CASE_SAFE):
        hits = [m.start() for m in regex.finditer("(?i)" + regex.escape(c), xs)]
        assert hits == where.get(c.lower(), []), c
    for escape in (
        r"\d",
        r"\D",
        r"\w",
        r"\W",
        r"\s",
        r"\S",
        r"\p{L}",
        r"\P{L}",
        r"\pL",
        r"\p{M}",
        r"\P{M}",
        r"\p{N}",
        r"\P{N}",
        r"[^\n]",
        ".",
    ):
        hits = [m.start() for m in regex.finditer("(?i)" + escape, xs)]
        assert hits == [m.start() for m in regex.finditer(escape, ys)], escape
    # Word edges, with each char between line breaks: an edge wherever a char is a word char.
    xs_apart, ys_apart = "\n".join(xs), "\n".join(ys)
    for anchor in (r"\b", r"\B", r"\m", r"\M"):
        hits = [m.start() for m in regex.finditer("(?i)" + anchor, xs_apart)]
        assert hits == [m.start() for m in regex.finditer(anchor, ys_apart)], anchor
    for x in chars:
        y = _lower(x).translate(FOLD_TABLE)
        assert _lower(y) == y, (x, y)


@pytest.mark.parametrize(
    ("pattern", "runaway"),
    [
        (r"\bx[^\n]{0,30}ab(a|aa)+$", "x ab" + "a" * 40 + "b"),  # in the tail
        (r"(?i)(a|aa)+$", "a" * 40 + "b"),  # lowered
        (r"(?i)\bx[^\n]{0,30}ab(a|aa)+$", "x AB" + "A" * 40 + "b"),  # both
    ],
)
def test_runaway_tail_or_lowered_pattern_marks_result_incomplete(
    tmp_path, monkeypatch, pattern, runaway
):
    pack_dir = write_pack(tmp_path, type_="regex", matcher=f"patterns = ['{pattern}']")
    linter = policy.Linter(policy.load_pack(pack_dir))
    (_, _, _, plans), *_ = linter.pack.compiled.regex_plans
    assert plans[0][3] is not None or plans[0][4] is not None  # a tail or a lowered pattern
    monkeypatch.setattr(engine, "REGEX_BUDGET_S", 0.05)
    assert linter.check(runaway).incomplete is True
    assert linter.check("x ab aaa").incomplete is False


def _linters():
    try:
        # The linter under test runs every speed-up: gates, look-ups, tails, faster and lowered
        # forms, and the hyperscan prefilter (policy/accelerate.py).
        gated = policy.Linter(policy.load_pack(), accelerate=True)
    except policy.PackError:
        return None, None, []
    names = (
        "gate_literals",
        "gate_sets",
        "exact_checks",
        "tail_pattern",
        "lowered_pattern",
        "faster_pattern",
    )
    saved = {name: getattr(engine, name) for name in names}
    engine.gate_literals = lambda pattern: None
    engine.gate_sets = lambda pattern: ()
    engine.exact_checks = lambda pattern: ()
    engine.tail_pattern = lambda pattern: None
    engine.lowered_pattern = lambda pattern: None
    engine.faster_pattern = lambda pattern: None
    needs_gate = engine._needs_gate
    engine._needs_gate = lambda matcher, needs, key: None  # every detector runs
    try:
        ungated = policy.Linter(policy.load_pack())
    finally:
        for name, value in saved.items():
            setattr(engine, name, value)
        engine._needs_gate = needs_gate
    literals = sorted(
        {
            lit
            for _, _, _, plans in gated.pack.compiled.regex_plans
            for pat, *_ in plans
            for lit in (gate_literals(pat.pattern) or ())
        }
        | {
            key
            for _, _, _, plans in gated.pack.compiled.regex_plans
            for pat, *_ in plans
            for keys in gate_sets(pat.pattern)
            for key in keys
        }
        | {
            text
            for _, _, _, plans in gated.pack.compiled.regex_plans
            for pat, *_ in plans
            for texts, _ in exact_checks(pat.pattern)
            for text in texts
        }
        | {
            text
            for patterns in gated.pack.compiled.exception_patterns.values()
            for pat, _, lookups, _ in patterns
            for texts, _ in lookups
            for text in texts
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


def _pattern_gates_hold(text: str) -> None:
    """Whenever a pack pattern matches `text`, its gates are open, its exact look-ups find a
    text, its tail matches and the hyperscan prefilter lets it run (stronger than comparing
    findings: another pattern of the rule may hide a miss)."""
    norm = normalize(text).text
    low = "".join(_lower(c) for c in norm)
    folded = low.translate(FOLD_TABLE)
    odd = any(c in norm for c in ODD_CASE)
    compiled = GATED.pack.compiled
    assert GATED.accelerated  # hyperscan is a dependency: the prefilter must be under test
    possible = GATED._accelerator.possible(norm, folded)

    def lookups_hold(pat, lookups, subject: str, lowered: str) -> None:
        for texts, ignore_case in lookups:
            if not (ignore_case and odd):
                haystack = lowered if ignore_case else subject
                assert any(t in haystack for t in texts), (pat.pattern, texts, text)

    side_hits = compiled.matcher.collect(norm, low, folded)
    for _, on_folded, _, plans in compiled.regex_plans:
        subject, lowered = (folded, folded) if on_folded else (norm, low)
        for pat, gates, lookups, tail, _ in plans:
            if pat.compiled.search(subject) is None:
                continue
            assert possible is None or pat in possible, (pat.pattern, text)
            for gate in gates or ():  # the phrase scan opened every gate of the pattern
                assert gate in side_hits, (pat.pattern, gate, text)
            lookups_hold(pat, lookups, subject, lowered)
            assert tail is None or tail.compiled.search(subject) is not None, (pat.pattern, text)
    for patterns in compiled.exception_patterns.values():  # they run on the normalised text
        for pat, _, lookups, lowered in patterns:
            if pat.compiled.search(norm) is not None:
                lookups_hold(pat, lookups, norm, low)
            if lowered is not None and not odd:
                assert [m.span() for m in pat.compiled.finditer(norm)] == [
                    m.span() for m in lowered.compiled.finditer(low)
                ], (pat.pattern, text)
    for ri, on_folded, _, plans in compiled.regex_plans:
        subject = folded if on_folded else norm
        for original, (pat, *_) in zip(compiled.rules[ri].spec["patterns"], plans, strict=True):
            if pat is not original:  # its faster form finds the same spans
                assert [m.span() for m in pat.compiled.finditer(subject)] == [
                    m.span() for m in original.compiled.finditer(subject)
                ], (original.pattern, text)
    for _, on_folded, _, plans in compiled.regex_plans:
        subject, lowered_text = (folded, folded) if on_folded else (norm, low)
        for pat, _, _, _, lowered in plans:
            if lowered is not None and not odd:
                assert [m.span() for m in pat.compiled.finditer(subject)] == [
                    m.span() for m in lowered.compiled.finditer(lowered_text)
                ], (pat.pattern, text)


def test_exact_checks_and_tails_hold_on_the_corpus():
    if GATED is None:
        pytest.skip("default pack does not load (see test_shipped_packs_load)")
    for path in CORPUS:
        for line in path.read_text("utf-8").splitlines():
            _pattern_gates_hold(json.loads(line)["text"])


@pytest.mark.parametrize(
    "text",
    [
        "NS: 12/03/1979",  # upper case
        "ngày sinh : 1/2/1990",  # diacritics
        "ÓC C*C thế",
        "Óc c.c",
        "L|NK: https://bit.ly/x",
        "l1nk  ở đây   bit.ly/abc",
        "TK: abc   MK: xyz12",
        "tài khoản:abc, mật khẩu:1234",
        "p.a.g.e bán gấp",
        "báo cáo M.Ậ.T",
        "WI-FI nhà: abc12345",
        "hc: b1234567",
        "İs.gd / abc",  # a letter case-insensitive patterns read as "i"
    ],
)
def test_added_gates_open_on_drafts_their_patterns_match(text):
    if GATED is None:
        pytest.skip("default pack does not load")
    _pattern_gates_hold(text)
    assert [f.to_dict() for f in GATED.check(text)] == [f.to_dict() for f in UNGATED.check(text)]


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
        "so 12 ngõ",
        "nhà 5",
        "BUỒİ",
        "ĐÉO",
        "Đồ Chó",
        "TUYỆT MẬT:",
        "ΟΣ",
        "ſ",
        "İ",
        "NS:",
        "MK",
        "C*C",
        "M-Ậ-T",
        "L|NK",
        # Chars on which hyperscan's tables and the `regex` module's differ (the prefilter
        # spells its classes out so that they cannot): a combining mark, the Kelvin sign, a
        # digit newer than hyperscan's Unicode, spaces of every kind.
        "\u0301",
        "\u212a",
        "\U00010d31",
        "\u180e",
        "\xa0",
        "\x1c",
        "\u2028",
    ]
    or ["x"]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=20).map(" ".join))
def test_gates_do_not_change_findings_on_any_text(text):
    if GATED is None:
        return
    _pattern_gates_hold(text)
    assert [f.to_dict() for f in GATED.check(text)] == [f.to_dict() for f in UNGATED.check(text)]


def test_folded_gates_see_odd_case_letters():
    """A case-insensitive pattern matches İ (and ı, ſ, ẛ) as i (s): folding must too, or the
    phrase-scan gate ("buoi") stays shut where the pattern would match."""
    if GATED is None:
        pytest.skip("default pack does not load")
    text = "thằng đó là BUỒİ"
    assert [f.code for f in GATED.check(text)] == [f.code for f in UNGATED.check(text)]


def test_gate_keys_are_their_own_phrase_keys():
    """The phrase scan keys a phrase on its normalised, folded form: each gate key must come out
    as itself (as PhraseMatcher.add computes it), or its gate would wait for another text."""
    if GATED is None:
        pytest.skip("default pack does not load")
    keys = {
        key
        for rule in GATED.pack.rules
        if rule.type == "regex"
        for pat in rule.spec["patterns"]
        for keys in gate_sets(pat.pattern)
        for key in keys
    }
    assert keys
    for key in keys:
        assert fold(" ".join(normalize_pattern(key).lower().split(" "))) == key


def _without_rule_prefilters():
    """UNGATED without the rules' `prefilter` gates either: every pattern runs on every draft."""
    if UNGATED is None:
        return None
    import dataclasses

    compiled = UNGATED.pack.compiled
    plans = tuple((ri, on_folded, None, p) for ri, on_folded, _, p in compiled.regex_plans)
    pack = dataclasses.replace(
        UNGATED.pack, compiled=dataclasses.replace(compiled, regex_plans=plans)
    )
    return policy.Linter(pack)


UNFILTERED = _without_rule_prefilters()


def _same_as_unfiltered(text: str) -> None:
    assert [f.to_dict() for f in GATED.check(text)] == [
        f.to_dict() for f in UNFILTERED.check(text)
    ], text


@pytest.mark.parametrize(
    "text",
    [
        # Credentials in a URL, whatever the scheme (CRD004's `scheme://user:pass@`).
        "Link nội bộ: https://admin:Hanoi2024@intranet.local/dashboard",
        "camera cổng: rtsp://admin:abc12345@192.168.1.10:554/stream",
        "DB mới: mariadb://root:Hanoi2024@10.0.0.5/app",
        # Markings spelled out with any of the separators SEC006's patterns allow.
        "T.O.I MA.T nhé",
        "t.ố.i mậ.t",
        "t.ố.i m*ậ*t",
        "t-u-y-e-t m-a-t",
        "t_o_i m_a_t",
        "báo cáo M-Ậ-T",
        "báo cáo MẬ.T",
    ],
)
def test_rule_prefilters_let_through_what_their_patterns_find(text):
    """A rule's `prefilter` lists what every finding of it contains; a draft it shuts out must
    be one the rule finds nothing in anyway."""
    if GATED is None:
        pytest.skip("default pack does not load")
    _same_as_unfiltered(text)


def test_rule_prefilters_let_through_every_rule_example():
    if GATED is None:
        pytest.skip("default pack does not load")
    for rule in GATED.pack.rules:
        for example in rule.examples:
            _same_as_unfiltered(example.text)
