"""The detector interface: a function from the normalised draft to spans, plus its option names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_DIGIT_RUN = re.compile(r"\d(?:[ .\-]?\d)*")


class DetectorInput:
    """What a detector sees: the normalised text, its folded twin (same length), sentence numbers.

    Built once per check and used by one thread. `windows()` lets a detector run its regex only
    around the spots that can match (digit runs, '@', '.') instead of over the whole draft: a
    pattern that opens with a lookbehind is tried at every position, which costs ~100 µs per
    2,000 chars; most drafts have a handful of such spots.
    """

    __slots__ = ("norm", "folded", "sentence", "_cache", "memo")

    def __init__(self, norm: str, folded: str, sentence: Callable[[int], int]) -> None:
        self.norm = norm
        self.folded = folded
        self.sentence = sentence
        self._cache: dict[str, list[tuple[int, int]]] = {}
        # Detector results shared by rules that run one detector with different options; it
        # lives as long as this input, i.e. one check (nothing of a draft outlives its check).
        self.memo: dict[str, Any] = {}

    def digit_windows(self) -> list[tuple[int, int]]:
        """Spans around every run of digits (separated by single ' ', '.', '-'), with room for
        a prefix such as '(+84) ' or 'AB ' before and two chars after for lookaheads."""
        got = self._cache.get("digits")
        if got is None:
            n = len(self.norm)
            got = [
                (max(0, m.start() - 6), min(n, m.end() + 3)) for m in _DIGIT_RUN.finditer(self.norm)
            ]
            self._cache["digits"] = got
        return got

    def token_windows(self, marker: str) -> list[tuple[int, int]]:
        """Whitespace-delimited tokens containing `marker` (e.g. '@' or '.'), each once."""
        got = self._cache.get(marker)
        if got is None:
            text = self.norm
            n = len(text)
            got = []
            pos = text.find(marker)
            while pos != -1:
                s = pos
                while s > 0 and not text[s - 1].isspace():
                    s -= 1
                e = pos + 1
                while e < n and not text[e].isspace():
                    e += 1
                got.append((s, e))
                pos = text.find(marker, e)
            self._cache[marker] = got
        return got

    def finditer(self, pattern: re.Pattern[str], windows: list[tuple[int, int]]):
        """`pattern.finditer` over each window of the normalised text (lookbehinds still see the
        chars before a window); a match is reported once even if windows overlap."""
        last_end = -1
        for s, e in windows:
            for m in pattern.finditer(self.norm, max(s, last_end if last_end > s else s), e):
                if m.start() >= last_end:
                    last_end = m.end()
                    yield m

    def near(
        self, pattern: re.Pattern[str], start: int, end: int, *, before: int = 60, after: int = 40
    ) -> bool:
        """True if `pattern` matches the folded text near [start, end) in the same sentence."""
        sent = self.sentence(start)
        lo = max(0, start - before)
        hi = min(len(self.folded), end + after)
        for m in pattern.finditer(self.folded, lo, hi):
            if m.end() <= start and self.sentence(m.start()) != sent:
                continue
            if m.start() >= end and self.sentence(m.start()) != sent:
                continue
            return True
        return False


Spans = Iterable[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Detector:
    """A named detector: `fn(input, options) -> spans` in normalised-text coordinates."""

    name: str
    fn: Callable[[DetectorInput, dict], Spans]
    options: frozenset[str] = frozenset()
    description: str = ""
