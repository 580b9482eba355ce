"""Tone marks on the second vowel ("hoà", "thuỷ") and on the first ("hòa", "thủy") match alike."""

from __future__ import annotations

import re
import unicodedata

import pytest

import policy
from policy.normalize import canonical_tones, normalize, normalize_pattern

PACK = policy.load_pack(None)
LINTER = policy.Linter(PACK, include_preview=True)


@pytest.mark.parametrize(
    ("second", "first"),
    [
        ("hoà", "hòa"),
        ("khoẻ", "khỏe"),
        ("thuỷ", "thủy"),
        ("toạ độ", "tọa độ"),
        ("khoá", "khóa"),
        ("xoè", "xòe"),
        ("Thuỵ Điển", "Thụy Điển"),
        ("huỷ bỏ", "hủy bỏ"),
        ("oà khóc", "òa khóc"),
        ("Toạ", "Tọa"),
        ("UỶ BAN", "ỦY BAN"),
        ("Uỷ ban", "Ủy ban"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("hoà.", "hòa."),
        ("(khoá)", "(khóa)"),
        ("hoà2", "hòa2"),  # a digit does not extend the syllable
    ],
)
def test_second_vowel_mark_moves_to_the_first_vowel(second, first):
    assert canonical_tones(second) == first
    assert canonical_tones(first) == first


@pytest.mark.parametrize(
    "word",
    [
        # A final consonant or a third vowel: the mark is on the second vowel in both conventions.
        "hoàn",
        "toán",
        "khoảng",
        "thuyền",
        "tuyết",
        "huỳnh",
        "khoét",
        "ngoài",
        "toại",
        "xoáy",
        "khuỷu",
        "ngoẹo",
        # "qu" is a consonant: its u never takes the mark.
        "quý",
        "quỳ",
        "quỹ",
        "QUỸ",
        "Quý",
        "quả",
        "quà",
        "già",
        "ý",
        "oa",
    ],
)
def test_words_that_look_alike_in_both_styles_stay(word):
    assert canonical_tones(word) == word


def test_same_length_and_mapping_kept_for_nfd_input():
    text = "Gửi toa\u0323 độ"  # NFD ạ, mark on the second vowel
    view = normalize(text)
    assert view.text == "Gửi tọa độ"
    start = view.text.index("tọa")
    assert view.source_span(start, start + 3) == (4, 8)  # "toạ" as typed, mark included


def test_patterns_are_canonical_too():
    assert normalize_pattern("khoá  riêng") == "khóa riêng"
    assert normalize_pattern("thủy điện") == normalize_pattern("thuỷ điện")


@pytest.mark.parametrize(
    ("text", "code", "span"),
    [
        # Phrases with the mark on the first vowel, drafts typed with it on the second.
        ("Có ma tuý đá, kẹo, giá rẻ ib ship tận nơi", "ILL002", "ma tuý đá, kẹo, giá"),
        ("Tài khoản sẽ bị khoá, vui lòng đăng nhập lại", "LNK003", "bị khoá, vui lòng đăng nhập"),
        ("Hợp pháp hoá lãnh sự không cần có mặt, lấy nhanh", "ILL007", None),
        # A regex with the first-vowel literal only ("hồ thủy điện").
        ("Hồ thuỷ điện Hoà Bình sắp vỡ rồi, bà con sơ tán ngay", "MIS006", None),
        # Upper case.
        ("TÀI KHOẢN SẼ BỊ KHOÁ, VUI LÒNG ĐĂNG NHẬP LẠI", "LNK003", None),
    ],
)
def test_second_vowel_drafts_match_first_vowel_phrases(text, code, span):
    found = [f for f in LINTER.check(text) if f.code == code]
    assert found, LINTER.check(text)
    if span is not None:
        assert text[found[0].start : found[0].end] == span


def test_second_vowel_style_exception_applies():
    # SEC004's exception "sức khỏe" must also cover "sức khoẻ" (a wish, not a health report).
    assert LINTER.check("Chúc Bộ trưởng nhiều sức khoẻ và thành công!") == []


_BACK = {canonical_tones(o): o for o in ("oà oá oả oã oạ oè oé oẻ oẽ oẹ uỳ uý uỷ uỹ uỵ".split())}
_FIRST_VOWEL_MARK = re.compile(r"[òóỏõọùúủũụ][aey](?![^\W\d_])")


def _second_vowel_style(text: str) -> str:
    """Move the mark of open oa/oe/uy syllables to the second vowel (lower case; "qu" alone)."""

    def back(m: re.Match[str]) -> str:
        if m.group()[0] in "ùúủũụ" and m.start() > 0 and text[m.start() - 1] in "qQ":
            return m.group()
        return _BACK.get(m.group(), m.group())

    return _FIRST_VOWEL_MARK.sub(back, unicodedata.normalize("NFC", text))


def _examples():
    for rule in PACK.rules:
        for n, ex in enumerate(rule.examples):
            if _second_vowel_style(ex.text) != unicodedata.normalize("NFC", ex.text):
                yield pytest.param(ex.text, id=f"{rule.code}-{ex.kind}-{n}")


@pytest.mark.parametrize("text", list(_examples()))
def test_rule_examples_give_the_same_findings_in_the_second_vowel_style(text):
    def key(t: str):
        return [(f.code, f.start, f.end, f.severity) for f in LINTER.check(t)]

    assert key(_second_vowel_style(text)) == key(text)
