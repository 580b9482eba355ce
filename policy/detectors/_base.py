"""The detector interface: a function from the normalised draft to spans, plus its option names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DetectorInput:
    """What a detector sees: the normalised text, its folded twin (same length), sentence numbers."""

    norm: str
    folded: str
    sentence: Callable[[int], int]

    def near(self, pattern: re.Pattern[str], start: int, end: int, *, before: int = 60,
             after: int = 40) -> bool:
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
