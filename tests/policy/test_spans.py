"""Offset conversions in policy/spans.py against hand-computed values."""

from __future__ import annotations

import pytest

from policy.spans import SpanMap, utf16_offset, utf16_to_index


@pytest.mark.parametrize(
    ("text", "index", "units"),
    [("abc", 2, 2), ("😀a", 1, 2), ("😀😀x", 2, 4), ("a\ud800b", 2, 2), ("", 0, 0), ("é😀", 2, 3)],
)
def test_utf16_offsets(text, index, units):
    assert utf16_offset(text, index) == units
    assert utf16_to_index(text, units) == index


@pytest.mark.parametrize(
    ("text", "index", "line_col"),
    [
        ("abc", 0, (1, 1)),
        ("ab\ncd", 3, (2, 1)),
        ("ab\ncd", 4, (2, 2)),
        ("a\n\nb", 3, (3, 1)),
        ("a\nb", 1, (1, 2)),
    ],
)
def test_line_col(text, index, line_col):
    assert SpanMap(text).line_col(index) == line_col


@pytest.mark.parametrize("text", ["abc", "ab\ncd", "a\n\nb😀c\n", "😀😀x\ny", "a\ud800b\n😀", "\n"])
def test_place_is_utf16_and_line_col(text):
    spans = SpanMap(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            offset = spans.utf16(start)
            assert spans.place(start, end) == (
                offset,
                spans.utf16(end) - offset,
                *spans.line_col(start),
            )
