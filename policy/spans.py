"""Conversions between code-point offsets, UTF-16 code units and line/column (the only place)."""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# A lone CR ends a line too (classic Mac OS, some Windows clipboard paths), as it does in every
# editor and in SARIF viewers; a CRLF's CR is part of its line break. Not `str.splitlines()`,
# which also breaks at \v, \f, \x1c-\x1e, \x85, U+2028 and U+2029: characters editors show
# inside a line (VS Code flags U+2028 as an "unusual line terminator" and does not break there).
_LONE_CR = re.compile(r"\r(?!\n)")


class SpanMap:
    """Precomputed positions of astral chars and line breaks in one text.

    Code-point offsets are Python string indices. A lone surrogate counts as one UTF-16 unit,
    like JavaScript sees it. Lines end at "\n", "\r\n" or a lone "\r" (the break belongs to the
    line it ends).
    """

    __slots__ = ("_astral", "_newlines")

    def __init__(self, text: str) -> None:
        # (Most drafts have no astral char: a search says so ~6× faster than finditer.)
        first = _ASTRAL.search(text)
        self._astral = (
            [] if first is None else [m.start() for m in _ASTRAL.finditer(text, first.start())]
        )
        # (Found by str.find: ~3× faster than a regex scan, and most drafts have few lines.)
        newlines = []
        pos = text.find("\n")
        while pos != -1:
            newlines.append(pos)
            pos = text.find("\n", pos + 1)
        if "\r" in text:  # (rare: most drafts have LF or CRLF breaks, which the loop found)
            lone = [m.start() for m in _LONE_CR.finditer(text)]
            if lone:
                newlines = sorted(newlines + lone)
        self._newlines = newlines  # the last char of each line break

    def utf16(self, index: int) -> int:
        """UTF-16 offset of the code point at `index`."""
        return index + bisect_left(self._astral, index) if self._astral else index

    def place(self, start: int, end: int) -> tuple[int, int, int, int]:
        """(UTF-16 offset, UTF-16 length, line, column) of the span [start, end): `utf16` and
        `line_col` in one call, for every finding."""
        astral = self._astral
        if astral:
            offset = start + bisect_left(astral, start)
            length = end + bisect_left(astral, end) - offset
        else:
            offset, length = start, end - start
        newlines = self._newlines
        if newlines:
            line0 = bisect_left(newlines, start)
            return offset, length, line0 + 1, start - (newlines[line0 - 1] + 1 if line0 else 0) + 1
        return offset, length, 1, start + 1

    def line_col(self, index: int) -> tuple[int, int]:
        """1-based line and 1-based column (in code points) of `index`."""
        line0 = bisect_left(self._newlines, index) if self._newlines else 0
        line_start = self._newlines[line0 - 1] + 1 if line0 else 0
        return line0 + 1, index - line_start + 1


def end_line_col(text: str, line: int, column: int) -> tuple[int, int]:
    """Line and column just past `text`, a span of a draft that starts at (`line`, `column`):
    where a SARIF region's endLine/endColumn point.

    A span ending in "\r" ends on that "\r"'s line whatever follows it in the draft: the draft's
    next char may be the "\n" of a CRLF, and a column past a line's break is still on that line.
    """
    body = text[:-1] if text.endswith("\r") else text
    lines, last = SpanMap(body).line_col(len(body))
    end_column = (column if lines == 1 else 1) + last - 1 + (len(text) - len(body))
    return line + lines - 1, end_column


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 offset of code point `index` in `text`."""
    return SpanMap(text).utf16(index)


def utf16_to_index(text: str, offset: int) -> int:
    """Code-point index of UTF-16 offset `offset` (inverse of utf16_offset)."""
    units = 0
    for i, ch in enumerate(text):
        if units >= offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)
