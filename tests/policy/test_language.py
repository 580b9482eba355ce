"""`policy.detect_language` tells Vietnamese from English; `policy.sentence_spans` splits as the
engine does."""

from __future__ import annotations

import pytest

import policy
from policy.language import MAX_CHARS


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Cần bán nick fb giá rẻ, liên hệ mình", "vi"),
        ("khong duoc chia se mat khau cho nguoi khac nhe", "vi"),  # no marks at all
        ("can ban nick fb gia re lh 0912345678", "vi"),
        ("co the an com o do", "vi"),  # every word also spells an English one but "com"
        ("Please do not share your password with anyone.", "en"),
        ("The meeting is at 3pm in room 204, see you there", "en"),
    ],
)
def test_detects_vietnamese_with_or_without_marks_and_english(text, lang):
    found = policy.detect_language(text)
    assert found.lang == lang, found
    assert found.confidence >= 0.8 and found.source == "marks+commonwords"


def test_a_mixed_draft_goes_to_the_language_of_most_of_its_words_less_surely():
    found = policy.detect_language(
        "Mình cần bán tài khoản game, giá rẻ; please contact me if you are interested"
    )
    assert 0.5 <= found.confidence < 0.8


@pytest.mark.parametrize("text", ["", "😀😀", "12345 678", "ok fb", "Привет мир"])
def test_nothing_to_go_on_is_vietnamese_at_confidence_zero(text):
    assert policy.detect_language(text) == ("vi", 0.0, "fallback")


def test_reads_only_the_first_characters():
    english = "Please do not share your password with anyone. "
    vietnamese = "Không được chia sẻ mật khẩu cho người khác. "
    text = english * (MAX_CHARS // len(english) + 1) + vietnamese * 100
    assert policy.detect_language(text).lang == "en"


def test_confidence_is_in_hundredths():
    for text in ("Cần bán nick, please call me if you can", "abc xyz khong", "hello"):
        confidence = policy.detect_language(text).confidence
        assert 0 <= confidence <= 1 and round(confidence, 2) == confidence


def test_sentence_spans_split_as_the_engine_does():
    text = "  Xin chào TS. Nguyễn.  Cần bán nick! Giá rẻ\n\nLiên hệ anh T. Nam; ok 😀 "
    assert [text[a:b] for a, b in policy.sentence_spans(text)] == [
        "Xin chào TS. Nguyễn.",
        "Cần bán nick!",
        "Giá rẻ",
        "Liên hệ anh T. Nam;",
        "ok 😀",
    ]
    assert policy.sentence_spans("") == policy.sentence_spans(" \n\t ") == []


def test_sentence_spans_keep_offsets_where_lower_casing_grows_a_letter():
    text = "İstanbul đẹp. Bán nick!"  # "İ".lower() is two chars
    assert [text[a:b] for a, b in policy.sentence_spans(text)] == ["İstanbul đẹp.", "Bán nick!"]
