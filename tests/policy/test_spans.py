"""Offset conversions in policy/spans.py against hand-computed values."""

from __future__ import annotations

import pytest

from policy.spans import SpanMap, end_line_col, utf16_offset, utf16_to_index


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
        # A lone CR breaks a line; a CRLF's CR is the end of its line, not a break of its own.
        ("ab\rcd", 3, (2, 1)),
        ("ab\rcd", 2, (1, 3)),
        ("ab\r\ncd", 4, (2, 1)),
        ("ab\r\ncd", 3, (1, 4)),
        ("a\r\rb\n\r\nc", 3, (3, 1)),
        ("a\r\rb\n\r\nc", 7, (5, 1)),
        ("a\r", 2, (2, 1)),
        # Not line breaks in an editor, though str.splitlines() splits there.
        ("a\x0b\x0c\x1c\x85\u2028\u2029b", 7, (1, 8)),
    ],
)
def test_line_col(text, index, line_col):
    assert SpanMap(text).line_col(index) == line_col


@pytest.mark.parametrize(
    ("span", "start", "end"),
    [
        ("bán", (2, 3), (2, 6)),
        ("ngu\nnhư", (3, 14), (4, 4)),
        ("ngu\r\nnhư", (3, 14), (4, 4)),
        ("ngu\rnhư", (3, 14), (4, 4)),
        ("a\r\n", (1, 1), (2, 1)),
        ("a\n\r\rb", (1, 2), (4, 2)),
        # A span ending on a CR: the draft's next char may be a CRLF's LF; a column past the
        # CR is on its line either way.
        ("a\r", (1, 1), (1, 3)),
        ("\n😀", (1, 5), (2, 2)),
    ],
)
def test_end_line_col(span, start, end):
    assert end_line_col(span, *start) == end


@pytest.mark.parametrize(
    "text", ["a\rb\r\nc\n\rd\r", "ab\ncd", "a\n\nb😀c\n", "😀😀x\ny", "a\ud800b\n😀", "\n"]
)
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
