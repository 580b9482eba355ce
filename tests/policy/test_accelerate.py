"""The hyperscan prefilter: each pattern's widened form matches wherever the pattern does, and
the accelerated linter finds exactly what the plain one finds.

The pack-wide checks (every shipped pattern over the corpus and generated drafts) live with the
other gates in test_prefilter.py: its linter under test runs with the prefilter.
"""

from __future__ import annotations

import functools
import json
import threading
from pathlib import Path

import hyperscan
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy import accelerate, engine
from policy.accelerate import Accelerator, prefilter_form, prefilter_forms
from policy.normalize import normalize


def _hs_matches(form: str, text: str) -> bool:
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[form.encode()], ids=[0], flags=accelerate.flags())
    found = []
    db.scan(text.encode(), match_event_handler=lambda *args: found.append(args))
    return bool(found)


def _superset(pattern: str, text: str, flags: int = 0) -> None:
    form = prefilter_form(pattern, flags)
    assert form is not None, pattern
    if regex.search(pattern, text, flags):
        assert _hs_matches(form, text), (pattern, text, form)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?i)\bkey\b", "\u212aEY"),  # the Kelvin sign folds to k in the `regex` module
        (r"(?i)mật", "MẬT"),
        (r"(?i)s\d", "\u017f1"),  # long s
        (r"\w+ơi", "a\u0301ơi"),  # a combining mark is a word char to `regex`, not hyperscan
        (r"\d{2}", "\U00010d31\U00010d32"),  # digits newer than hyperscan's Unicode tables
        (r"\p{L}{3}", "\U0001e4d0\U0001e4d1\U0001e4d2"),  # letters newer still
        (r"a\sb", "a\xa0b"),
        (r"[^\s:=]+x", "\u180ex"),
        (r"(?<![\p{L}])ban(?=\s)", "ban nick"),
        (r"(?<=\d)k\b", "5k"),
        (r"^mk$", "mk"),
        (r"(?m)^mk:", "abc\nmk:"),
        (r"x[^\n]{0,45}\d{10}", "x" + "a" * 40 + "0123456789"),
        (r"(?:ab){2,3}?c", "ababc"),
        (r"(?>a+)b", "aab"),
        (r"a++b", "aab"),
        (r"(?P<n>x)y", "xy"),
        (r"(?i:ĐÉO)x", "đéox"),
        (r"(?i)a(?-i:B)", "Ab"),
        (r"\x41\u00e0\U0001F600\t", "Aà😀\t"),
        (r"\.\*\$", ".*$"),
        (r"a{,2}b", "b"),
        (r"a{x", "a{x"),  # "{" that starts no repeat is a literal
        (r"[]a]", "]"),
        (r"[^]]", "x"),
        (r"\0101", "A"),
    ],
)
def test_prefilter_form_matches_wherever_the_pattern_does(pattern, text):
    _superset(pattern, text)


def test_prefilter_form_is_selective():
    """Literals stay literals: a form that matched everything would be of no use."""
    form = prefilter_form(r"(?i)\bmã\s+pin\b[^\d\n]{0,30}\d")
    assert form is not None
    assert _hs_matches(form, "MÃ PIN là 1")
    assert not _hs_matches(form, "mật khẩu 1234")
    assert not _hs_matches(prefilter_form(r"tuyệt mật"), "tuyet mat")  # marks are kept


def test_prefilter_form_spells_out_small_classes():
    """A class is its own chars, not every non-ASCII one: no Vietnamese letter lets a form
    through where its pattern needs a space or a "c"."""
    form = prefilter_form(r"(?i)\bc[cl]\s+(?:gì|gi|j)(?![\p{L}\p{M}])")
    assert form is not None
    assert _hs_matches(form, "CL gì") and _hs_matches(form, "cc\u3000j")
    assert not _hs_matches(form, "có gì")
    assert not _hs_matches(prefilter_form(r"a\sb"), "aéb")
    assert not _hs_matches(prefilter_form(r"x[^\s:=]"), "x\xa0")
    assert _hs_matches(prefilter_form(r"x[^\s:=]"), "xé")
    assert _hs_matches(prefilter_form(r"x[^\s:=]"), "x\U0001f600")


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        # The obfuscated spelling ACC006 looks for: a mark within four chars of "ban".
        (
            r"(?<![a-z])ban(?=[a-z ]{0,3}[.*@4])[.* ]+(?:nick|acc)(?![a-z])",
            "ban.nick",
            "ban nick",
        ),
        (r"(?i)\bbit(?=[ .]{2,4}\S)\s*\.\s*ly/\w+", "BIT . ly/x", "bit.ly/x"),
        (r"a(?=b)(?=bc)\w+", "abc", "abd"),  # each lookahead has its own form
    ],
)
def test_short_lookaheads_get_forms_of_their_own(pattern, matching, not_matching):
    """A pattern's first form drops its lookaheads; the further forms read each short one as
    matched text after what precedes it, so a draft with the rest alone is let through by the
    first form but not by all of them."""
    forms = prefilter_forms(pattern)
    assert forms is not None and len(forms) > 1
    assert regex.search(pattern, matching) and all(_hs_matches(f, matching) for f in forms)
    assert not regex.search(pattern, not_matching)
    assert _hs_matches(forms[0], not_matching)
    assert not all(_hs_matches(f, not_matching) for f in forms)


@pytest.mark.parametrize(
    "pattern",
    [
        r"ab(?=\S*\d)\w+",  # unbounded: little to gain, hyperscan kept busy
        r"ab(?=c)?\w+",  # quantified: it may not hold
        r"ab(?=c)\w+|de",  # another branch may match without it
        r"a(?:b(?=c))\w+",  # inside a group
        r"ab(?!c)\w+",  # negative
        r"(?<=c)ab",  # lookbehind
    ],
)
def test_other_lookarounds_get_no_form(pattern):
    assert prefilter_forms(pattern) == (prefilter_form(pattern),)


def test_a_pattern_may_match_only_where_all_its_forms_do():
    acc = Accelerator.build(
        [
            ("ahead", False, ("ab", "abc")),
            ("plain", False, ("ab",)),
            ("f", True, ("x", "bad(")),
            ("g", True, ("bad(", "y")),
        ]
    )
    assert acc is not None and acc.size == 4
    assert acc.possible("ab", "") == {"plain", "g"}
    assert acc.possible("ab abc", "") == {"ahead", "plain", "g"}
    assert acc.possible("", "x") == {"f", "g"}  # a further form hyperscan rejects is dropped
    assert acc.possible("", "y") == {"g"}  # its first one rejected, a pattern always runs


# Every char a UTF-8 text can hold.
_ALL_CHARS = "".join(map(chr, [*range(0xD800), *range(0xE000, 0x110000)]))


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        (r"\s", 0),
        (r"[cl]", regex.IGNORECASE),
        (r"[x×]", regex.IGNORECASE),
        (r"[\s.\-_*]", regex.IGNORECASE),
        ("[\U00010400k]", regex.IGNORECASE),  # Deseret folds beyond the BMP; k to the Kelvin sign
        (r"\p{Deseret}", 0),
        (r"\p{Greek}", 0),
        (r"\d", 0),
        (r"[^\s:=]", 0),
        (r".", 0),
    ],
)
def test_class_forms_take_every_char_their_class_matches(source, flags):
    """Over every code point: each char the `regex` module matches with the class, its form
    matches (a few thousand of them where there are more, spread over the range)."""
    form = prefilter_form(source, flags)
    assert form is not None
    matched = "".join(regex.findall(source, _ALL_CHARS, flags))
    if len(matched) > 5000:
        matched = matched[:: len(matched) // 5000] + matched[-1]
    assert matched and _hs_chars(form, matched) == set(matched), source


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a)\1",  # backreference
        r"(?P<x>a)(?P=x)",
        r"(?(1)a|b)",  # conditional
        r"(?x) a b",  # verbose
        r"(?V1)[[a-z]--[aeiou]]",
        r"(?:cat){e<=1}",  # fuzzy
        r"\X",
        r"(?#comment)a",
        r"[[:alpha:]]",
        r"\b",  # nothing but zero-width: it may match anywhere
        r"(?=a)",
    ],
)
def test_prefilter_form_gives_up_on_what_it_cannot_widen(pattern):
    assert prefilter_form(pattern) is None


def test_prefilter_form_gives_up_on_flags_it_does_not_know():
    assert prefilter_form("ab", regex.VERBOSE) is None
    assert prefilter_form("ab", regex.VERSION1) is None
    assert prefilter_form("ab", regex.IGNORECASE) is not None


PATTERN_PIECES = st.sampled_from(
    [
        "a",
        "b",
        "đ",
        "ậ",
        "K",
        "\\d",
        "\\D",
        "\\s",
        "\\S",
        "\\w",
        "\\W",
        "\\b",
        "\\B",
        "\\p{L}",
        "\\P{L}",
        "\\p{M}",
        ".",
        "[a-c]",
        "[^a-c]",
        "[^\\s:]",
        "(?<!x)",
        "(?=a)",
        "^",
        "$",
        "(?:a|bc)",
        "(?i:ậ)",
        "x*",
        "\\d{2,12}",
        "[\\p{L}\\d]+?",
        "a?",
    ]
)
TEXT_CHARS = st.sampled_from(
    list("abcxAÂĐđậẬK: \n\t0129") + ["\u212a", "\u0301", "\U00010d31", "\u180e", "\xa0", "ſ"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(PATTERN_PIECES, min_size=1, max_size=6).map("".join),
    st.booleans(),
    st.lists(TEXT_CHARS, max_size=12).map("".join),
)
def test_prefilter_form_is_a_superset_on_any_text(pattern, ignore_case, text):
    flags = regex.IGNORECASE if ignore_case else 0
    forms = prefilter_forms(pattern, flags)
    if forms is None:
        assert regex.sub(r"\\[bB]|\(\?[=!<][^)]*\)|[$^]", "", pattern) == ""  # zero-width only
        return
    if regex.search(pattern, text, flags):
        for form in forms:  # (the further ones read a lookahead as matched)
            assert _hs_matches(form, text), (pattern, text, form)


def _hs_chars(form: str, chars: str) -> set[str]:
    """The chars of `chars` a one-char `form` matches (one scan, every match reported)."""
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[form.encode()], ids=[0], flags=hyperscan.HS_FLAG_UTF8)
    ends = {}
    offset = 0
    for c in chars:
        offset += len(c.encode())
        ends[offset] = c
    found: set[str] = set()
    db.scan(chars.encode(), match_event_handler=lambda i, s, e, f, c: found.add(ends[e]))
    return found


def test_case_insensitive_chars_match_every_case_the_regex_module_folds():
    """For each cased char, the `regex` module's own case-insensitive matches over every cased
    char are among the class the prefilter writes for it."""
    cased = "".join(chr(c) for c in range(0x20000) if chr(c).lower() != chr(c).upper())
    cased += "\u212a\u212b\u2126\u1e9e\u0345"
    for c in "akisđậơưyKİıſ" + cased[::5]:
        form = accelerate._char_form(c, regex.IGNORECASE | regex.UNICODE)
        wanted = {m.group() for m in regex.finditer(regex.escape(c), cased + c, regex.I)}
        assert wanted <= _hs_chars(form, cased + c), c


# --- the accelerated linter -----------------------------------------------------------------


@pytest.fixture(scope="module")
def linters():
    pack = policy.load_pack()
    fast = policy.Linter(pack, accelerate=True)
    assert fast.accelerated, "hyperscan is a dependency: the accelerator must build"
    return policy.Linter(pack), fast


CORPUS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("**/*.jsonl"))


def test_accelerated_linter_finds_the_same_on_the_corpus(linters):
    plain, fast = linters
    for path in CORPUS:
        for line in path.read_text("utf-8").splitlines():
            text = json.loads(line)["text"]
            for lang in ("vi", "en"):
                assert fast.check(text, lang=lang) == plain.check(text, lang=lang), text


def test_exception_patterns_are_ruled_out_only_where_they_match_nowhere(linters):
    """The scan of the exception patterns (RegexRun.may_except) says "may match" for every
    pattern that matches somewhere in a corpus draft, and rules out most of the others."""
    _, fast = linters
    exceptions = fast._compiled.exception_patterns.values()
    patterns = [pat for entries in exceptions for pat, *_ in entries]
    ruled_out = asked = 0
    for path in CORPUS:
        for line in path.read_text("utf-8").splitlines():
            text = normalize(json.loads(line)["text"]).text  # as the engine sees it
            run = engine.RegexRun({}, text, text.lower(), text, None, fast._x_accelerator)
            for pat in patterns:
                may = run.may_except(pat)
                if pat.compiled.search(text):
                    assert may, (pat.pattern, text)
                asked += 1
                ruled_out += not may
    assert ruled_out > asked / 2


def test_a_draft_hyperscan_cannot_read_runs_every_pattern(linters):
    """A lone surrogate is no UTF-8: the scan is skipped and every pattern runs."""
    plain, fast = linters
    text = "mật khẩu: abc123 \ud800 tài khoản: xyz"
    assert fast._accelerator.possible(text, text) is None
    run = engine.RegexRun({}, text, text, text, None, fast._x_accelerator)
    exceptions = fast._compiled.exception_patterns.values()
    assert all(run.may_except(pat) for entries in exceptions for pat, *_ in entries)
    assert fast.check(text) == plain.check(text)
    assert fast.check(text)  # the findings are there


def test_threads_share_an_accelerated_linter(linters):
    """Each thread scans with its own scratch space (hyperscan refuses a shared one in use)."""
    plain, fast = linters
    texts = [json.loads(line)["text"] for line in CORPUS[0].read_text("utf-8").splitlines()][:60]
    expected = [plain.check(t) for t in texts]
    failures: list[object] = []

    def work() -> None:
        try:
            for _ in range(3):
                if [fast.check(t) for t in texts] != expected:
                    failures.append("different findings")
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_without_hyperscan_every_pattern_runs(monkeypatch, linters):
    plain, _ = linters
    monkeypatch.setattr(accelerate, "_hyperscan", lambda: None)
    linter = policy.Linter(plain.pack, accelerate=True)
    assert not linter.accelerated
    text = "mk: abc12345, tài khoản: xyz"
    assert linter.check(text) == plain.check(text)


def test_a_form_hyperscan_rejects_always_runs():
    """One bad form does not cost the others their prefilter: it is found and always runs."""
    acc = Accelerator.build(
        [("good", False, ("abc",)), ("bad", False, ("(unclosed",)), ("f", True, ("x",))]
    )
    assert acc is not None
    assert acc.possible("zzz", "zzz") == {"bad"}
    assert acc.possible("abc", "x") == {"bad", "good", "f"}


# --- the store on disk ------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A cache folder of its own, and fresh in-process caches (the module's would answer
    without reading the disk); counts the databases compiled."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("RASOAT_NO_CACHE", raising=False)
    compiled: list[int] = []
    compile_db = accelerate._database.__wrapped__

    def counting(entries):
        compiled.append(len(entries))
        return compile_db(entries)

    monkeypatch.setattr(accelerate, "_database", counting)
    fresh = functools.lru_cache(maxsize=8)(accelerate._stored_database.__wrapped__)
    monkeypatch.setattr(accelerate, "_stored_database", fresh)
    return tmp_path / "rasoat", compiled, fresh


def _same_as_plain(linter, plain) -> None:
    texts = [json.loads(line)["text"] for line in CORPUS[0].read_text("utf-8").splitlines()]
    assert [linter.check(t) for t in texts] == [plain.check(t) for t in texts]


def test_a_second_start_reads_the_stored_databases_and_forms(store, linters, monkeypatch):
    folder, compiled, fresh = store
    plain, _ = linters
    policy.Linter(plain.pack, accelerate=True)
    assert compiled, "the first start compiles"
    assert len(list((folder / "hyperscan").glob("*.hsdb"))) == 3  # rules ×2 texts, exceptions
    assert len(list((folder / "prefilter-forms").glob("*.json"))) == 1

    compiled.clear()
    fresh.cache_clear()  # (as a new process)

    def no_forms(*args):
        raise AssertionError("a form was written again")

    monkeypatch.setattr(accelerate, "prefilter_forms", no_forms)
    again = policy.Linter(plain.pack, accelerate=True)
    assert compiled == []
    assert again.accelerated
    _same_as_plain(again, plain)


def test_a_damaged_store_is_rebuilt(store, linters):
    folder, compiled, fresh = store
    plain, _ = linters
    policy.Linter(plain.pack, accelerate=True)
    stored = sorted((folder / "hyperscan").glob("*.hsdb"))
    stored[0].write_bytes(stored[0].read_bytes()[:-100] + b"\0" * 100)  # loads, then crashes
    stored[1].write_bytes(b"")
    (forms,) = (folder / "prefilter-forms").glob("*.json")
    forms.write_text('[[0, "x", "not a list of forms"]]', "utf-8")

    compiled.clear()
    fresh.cache_clear()
    again = policy.Linter(plain.pack, accelerate=True)
    assert len(compiled) == 2  # the two damaged databases, compiled again
    _same_as_plain(again, plain)
    # ... and stored again, whole.
    compiled.clear()
    fresh.cache_clear()
    policy.Linter(plain.pack, accelerate=True)
    assert compiled == []
    assert json.loads(forms.read_text("utf-8"))[0][2] != "not a list of forms"


def test_an_unwritable_store_or_none_changes_nothing(store, linters, monkeypatch, tmp_path):
    folder, compiled, _ = store
    plain, _ = linters
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    _same_as_plain(policy.Linter(plain.pack, accelerate=True), plain)

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("RASOAT_NO_CACHE", "1")
    accelerate._stored_database.cache_clear()
    _same_as_plain(policy.Linter(plain.pack, accelerate=True), plain)
    assert not folder.exists()


def test_stored_forms_drop_those_no_build_asks_for_once_there_are_many(store, monkeypatch):
    """Each edit of a pattern adds its new forms to the one file; the old ones go in time."""
    folder, _, _ = store
    monkeypatch.setattr(accelerate.StoredForms, "KEEP", 10)
    for edit in range(12):  # one pattern, edited twelve times, and one left as it was
        stored = accelerate.StoredForms()
        assert stored.forms(f"abc{edit}") == prefilter_forms(f"abc{edit}")
        stored.forms("kept")
        stored.save()
    (path,) = (folder / "prefilter-forms").glob("*.json")
    patterns = [pattern for _, pattern, _ in json.loads(path.read_text("utf-8"))]
    assert "kept" in patterns and "abc11" in patterns
    assert "abc0" not in patterns and len(patterns) <= 10
