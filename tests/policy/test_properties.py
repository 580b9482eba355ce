"""Property tests: any text, any Unicode — spans stay inside, map back exactly, never raise."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from policy_helpers import PACKS

import policy
from policy.spans import SpanMap, utf16_to_index

LINTER = policy.Linter(policy.load_pack(PACKS / "basic"), include_preview=True)

# Pieces that exercise the matcher: real phrases, digits, emoji, marks, zero-width, look-alikes.
PIECES = st.sampled_from(
    [
        "tài liệu mật",
        "tai lieu mat",
        "mật ong",
        "bán nick",
        "acc",
        "ó.c c.h.ó",
        "nguuu",
        "vcl",
        "0912 345 678",
        "+84912345678",
        "001203012345",
        "CCCD",
        "OTP",
        "482913",
        "mk:",
        "abc12345",
        "bit.ly/x",
        "http://1.2.3.4/a.apk",
        "TUYỆT MẬT",
        "vỡ đê",
        "tin giả",
        "không được",
        "cá độ",
        "ib",
        "NB-2024",
        "😀",
        "👩‍👩‍👧",
        "🇻🇳",
        "\u0301",
        "\u0323",
        "\u200b",
        "\u200d",
        "\ufeff",
        "\u00ad",
        "ｔ",
        "𝐦",
        "а",
        " ",
        "  ",
        "\n",
        "\t",
        ". ",
        "\ud800",
        "\x00",
        "İ",
        "ß",
        "ǅ",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=25).map("".join),
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def utf16_units(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def check_invariants(text: str) -> None:
    result = LINTER.check(text)
    keys = [(f.start, f.end, f.code) for f in result]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    for f in result:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.offset == utf16_units(text[: f.start])
        assert f.length == utf16_units(f.text)
        # Lines end at LF, CRLF or a lone CR, as in an editor (docs: policy/README.md).
        breaks = list(LINE_BREAK.finditer(text, 0, f.start))
        line_start = breaks[-1].end() if breaks else 0
        assert f.line == len(breaks) + 1
        assert f.column == f.start - line_start + 1


@FAST
@given(TEXTS)
def test_any_text_keeps_span_invariants(text):
    check_invariants(text)


@FAST
@given(TEXTS)
def test_nfd_text_keeps_span_invariants(text):
    check_invariants(unicodedata.normalize("NFD", text))


@FAST
@given(TEXTS)
@example("MK:0각")  # Korean in NFD: conjoining jamo, composed like Vietnamese marks
@example("mật khẩu: 한국어abc1 và bán nick")
@example("MK:0が")  # Japanese voicing mark
@example("MK:0क़")  # Devanagari nukta
def test_nfc_and_nfd_find_the_same_rules(text):
    nfc = unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", text)
    assert [f.code for f in LINTER.check(nfc)] == [f.code for f in LINTER.check(nfd)]


def test_every_char_nfc_composes_is_composed_in_a_draft():
    """Each char NFD splits off a letter is one normalize() composes back with the char before
    it (policy.normalize._COMPOSING_RANGES), so a draft reads the same in NFC and in NFD."""
    from policy.normalize import _MARKS, normalize

    left_apart = set()
    for cp in range(0x110000):
        decomposed = unicodedata.normalize("NFD", chr(cp))
        if len(decomposed) > 1:
            left_apart.update(ch for ch in decomposed[1:] if not _MARKS.match(ch))
    assert not left_apart, sorted(f"U+{ord(ch):04X}" for ch in left_apart)
    for letter in ("각", "が", "क़", "ộ", "שּׁ"):
        assert normalize(unicodedata.normalize("NFD", letter)).text == letter


@FAST
@given(st.text(max_size=60), st.integers(min_value=0, max_value=60))
def test_spanmap_agrees_with_utf16_encoding(text, index):
    index = min(index, len(text))
    assert SpanMap(text).utf16(index) == utf16_units(text[:index])
    assert utf16_to_index(text, utf16_units(text[:index])) == index


def _default_linter():
    try:
        return policy.Linter(policy.load_pack(), include_preview=True)
    except policy.PackError:  # reported by test_shipped_packs_load
        return None


DEFAULT = _default_linter()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_default_pack_keeps_span_invariants(text):
    if DEFAULT is None:
        return
    for variant in (text, unicodedata.normalize("NFD", text)):
        result = DEFAULT.check(variant)
        for f in result:
            assert 0 <= f.start < f.end <= len(variant)
            assert variant[f.start : f.end] == f.text
            assert f.offset == utf16_units(variant[: f.start])
            assert f.length == utf16_units(f.text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aabbzz  ..00?é😀\ud800xy")), max_size=40))
def test_repeat_runs_match_the_regex(text):
    # The XOR search for stretched letters must find exactly what the regex finds.
    from policy.normalize import _REPEAT, _repeat_runs

    assert _repeat_runs(text) == [m.span() for m in _REPEAT.finditer(text)]


# Chars that tell the byte classes apart: letters of each case (ASCII or not), each kind of
# digit, separators, "?", a lone surrogate, other scripts, spaces.
_CLASS_CHARS = list("aazB  ..-_·?0134297éÄß😀\ud800жё,#*\n")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_CLASS_CHARS), max_size=40))
def test_byte_class_patterns_cover_the_text_patterns(text):
    # deobfuscate reads unleet and the spelled-out hints off one byte per char: the leet spots
    # must be exactly the regex's, and a hint must show on the bytes whenever on the text.
    from policy.normalize import (
        _CLASSES,
        _LEET_AT,
        _LEET_RE,
        _SPACED_HINT,
        _SPELLED_HINT,
        _SPELLED_HINT_AT,
        _maybe_spaced,
    )

    classes = text.encode("ascii", "replace").translate(_CLASSES)
    assert len(classes) == len(text)
    assert [m.start() for m in _LEET_AT.finditer(classes)] == [
        m.start() for m in _LEET_RE.finditer(text)
    ]
    if _SPELLED_HINT.search(text):
        assert _SPELLED_HINT_AT.search(classes) or "·" in text
    if _SPACED_HINT.search(f" {text} "):
        assert _maybe_spaced(classes)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .-*#0134  \u00e9\u0301😀")), max_size=40))
def test_deobfuscated_view_maps_every_char_back(text):
    # Sparse maps (rewrites composed lazily) give each deobfuscated char its source span.
    from policy.normalize import collapse_spaces, compose, deobfuscate

    deob = deobfuscate(text)
    squeezed = collapse_spaces(deob.text)
    view = compose(squeezed, deob) if squeezed.starts is not None else deob
    for i, ch in enumerate(view.text):
        if view.starts is None:
            assert text[i] in (ch, "#") or ch in "oiea"
            continue
        s, e = view.starts[i], view.ends[i]
        assert 0 <= s < e <= len(text)
        if ch == " ":
            assert text[s:e].strip(" ") == ""
        elif ch.isalpha() and ch not in "oiea":  # leet digits read as o/i/e/a
            assert ch in text[s:e]


def test_fold_table_agrees_with_translate_on_every_char():
    """fold_table is str.translate(FOLD_TABLE) for each char alone, between letters, before a
    combining mark and among marked letters (NFD's reordering moves marks only)."""
    from policy.normalize import FOLD_TABLE, fold_table

    for block in range(0, 0x110000, 0x1000):
        chars = [chr(cp) for cp in range(block, block + 0x1000)]
        for text in ("".join(chars), "a".join(chars), "\u0301".join(chars), "đ".join(chars)):
            text = f"ệ\u0323{text}ệ\u0323"
            assert fold_table(text) == text.translate(FOLD_TABLE), hex(block)


@given(st.text(alphabet="aAđĐệỆờ́̉ \t\r\n\0İıſẛ🔥️\u200dk\u212a;\u037e", max_size=40))
def test_fold_table_agrees_with_translate(text):
    from policy.normalize import FOLD_TABLE, fold_table

    assert fold_table(text) == text.translate(FOLD_TABLE)


# Chars of the one-byte table (ASCII, Vietnamese letters, typography), "?" (which stands for
# any char outside it in the bytes), and chars outside it: emoji, other scripts, capitals,
# marks, a lone surrogate, NUL.
_CHARMAP_CHARS = list("aZ đệờ—’…\u00a0\u200d\ufe0f\t\n?😀🔥жẢĐ\u0301\ud800\0_.,")


def _every_char_in_chunks(size: int = 12):
    """Every code point, in runs of `size` (few enough outside the table for the C path)."""
    for start in range(0, 0x110000, size):
        yield "".join(map(chr, range(start, min(start + size, 0x110000))))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_CHARMAP_CHARS), max_size=60))
def test_charmap_applies_its_function_to_every_char(text):
    from policy.normalize import CharMap

    mapped = CharMap(lambda ch: "x" if ch.isalpha() else ch)(text)
    expected = "".join("x" if ch.isalpha() else ch for ch in text)
    assert mapped is None or mapped == expected
    if len(text) <= 16:  # few chars outside the table: the C path answers
        assert mapped == expected


def test_fold_table_agrees_with_translate_through_the_byte_table():
    # test_fold_table_agrees_with_translate_on_every_char takes fold_table's NFD path (whole
    # blocks of chars outside the byte table); here every char goes through the table's.
    from policy.normalize import _FOLD_CHARS, FOLD_TABLE

    for chunk in _every_char_in_chunks():
        text = f"ệ?{chunk}đ — ’"
        assert _FOLD_CHARS(text) == text.translate(FOLD_TABLE), hex(ord(chunk[0]))


def test_word_view_agrees_with_the_regex_on_every_char():
    from policy.matcher import _NON_WORD, _WORD_VIEW

    for chunk in _every_char_in_chunks():
        text = f"ệ?{chunk}đ — ’"
        assert _WORD_VIEW(text) == _NON_WORD.sub(" ", text), hex(ord(chunk[0]))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_CHARMAP_CHARS), max_size=80))
def test_word_view_agrees_with_the_regex(text):
    from policy.matcher import _NON_WORD, _word_view

    assert _word_view(text) == _NON_WORD.sub(" ", text)


def _spans(matches):
    return [m.span() for m in matches]


def test_special_runs_are_the_regex_matches_on_every_char():
    # normalize finds the runs of special chars only where the byte table has a "?".
    from policy.normalize import _SPECIAL_RE, _special_runs

    for chunk in _every_char_in_chunks():
        text = f"Ệ?{chunk}đ — ’a"
        assert _spans(_special_runs(text)) == _spans(_SPECIAL_RE.finditer(text)), hex(ord(chunk[0]))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*_CHARMAP_CHARS, "\u200b", "\u0323", "а", "ｔ", "𝐦", "Ệ", "?"]),
        max_size=80,
    )
)
def test_special_runs_are_the_regex_matches(text):
    from policy.normalize import _SPECIAL_RE, _special_runs

    assert _spans(_special_runs(text)) == _spans(_SPECIAL_RE.finditer(text))
