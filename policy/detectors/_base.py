"""The detector interface: a function from the normalised draft to spans, plus its option names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_DIGIT_RUN = re.compile(r"\d(?:[ .\-]?\d)*")
# The same runs, only those of SHORTEST_RUN digits or more: every run is the longest chain from
# its first digit, so this finds exactly those runs (a shorter one fails at each of its
# positions) without building a window for every "12" or "3" of a draft.
SHORTEST_RUN = 4
_LONG_DIGIT_RUN = re.compile(rf"\d(?:[ .\-]?\d){{{SHORTEST_RUN - 1},}}")
_NON_DIGIT = re.compile(r"\D")
_NON_SPACES = re.compile(r"\S*")
# The long runs are found on one byte per char of the folded text first (a regex over the str
# pays ~5 ns a char for the `\d` it tries at each: ~18 µs per 2,000 chars, over bytes a few):
# "d" where the normalised text may hold a digit, "s" where it may hold a separator, "," where
# it holds neither. Folding keeps every digit and every " . -" in place and turns no other char
# into one; other digits are non-ASCII, "?" once encoded, so a run of the normalised text lies
# inside a run of these classes, and `_LONG_DIGIT_RUN` need only search those.
_RUN_CLASSES = bytes(
    ord("d" if chr(b).isdigit() or chr(b) == "?" else "s" if chr(b) in " .-" else ",")
    if b < 128
    else ord(",")
    for b in range(256)
)
# `d(?:s?d){3,}` with its first three steps written out (`(?:sd|d)` is `s?d`) and the rest
# possessive (nothing follows to give chars back to): `re` tries every "d" of a draft, and the
# many short runs ("5", "800k") then fail before any repeat is set up (~35% fewer instructions).
_LONG_RUN_AT = re.compile(rb"d" + rb"(?:sd|d)" * (SHORTEST_RUN - 1) + rb"(?:s?d)*+")


def digits_of(text: str) -> str:
    """The digits of `text` ("091.234 5678" -> "0912345678")."""
    return _NON_DIGIT.sub("", text)


class DetectorInput:
    """What a detector sees: the normalised text, its folded twin (same length), sentence numbers.

    Built once per check and used by one thread. `windows()` lets a detector run its regex only
    around the spots that can match (digit runs, '@', '.') instead of over the whole draft: a
    pattern that opens with a lookbehind is tried at every position, which costs ~100 µs per
    2,000 chars; most drafts have a handful of such spots.
    """

    __slots__ = (
        "norm",
        "folded",
        "sentence",
        "_cache",
        "_classes",
        "_runs",
        "_run_windows",
        "memo",
    )

    def __init__(self, norm: str, folded: str, sentence: Callable[[int], int]) -> None:
        self.norm = norm
        self.folded = folded
        self.sentence = sentence
        # Windows by digit count (int) or token marker (str).
        self._cache: dict[int | str, list[tuple[int, int]]] = {}
        self._classes: bytes | None = None
        self._runs: list[tuple[int, int, int]] | None = None
        # The window of each long run with its digit count (see digit_windows).
        self._run_windows: list[tuple[tuple[int, int], int]] | None = None
        # Detector results shared by rules that run one detector with different options; it
        # lives as long as this input, i.e. one check (nothing of a draft outlives its check).
        self.memo: dict[str, Any] = {}

    def digit_windows(self, min_digits: int = 1) -> list[tuple[int, int]]:
        """Spans around every run of digits (separated by single ' ', '.', '-') that holds at
        least `min_digits` digits, with room for a prefix such as '(+84) ' or 'AB ' before and
        two chars after for lookaheads.

        A detector whose matches end in a chain of k >= SHORTEST_RUN digits asks for
        `min_digits=k`, and `finditer` over these windows finds what it finds over all of them:
        a match ending in an earlier run lies wholly inside that run's window, searched to its
        end before; one ending in a later run would fit 2 of its digits. So each match comes from
        the window of the run holding its last chain, which has k digits or more. Most runs of a
        draft are short ("12/3", "2 lần").
        """
        got = self._cache.get(min_digits)
        if got is None:
            n = len(self.norm)
            if min_digits < SHORTEST_RUN:
                got = [
                    (max(0, m.start() - 6), min(n, m.end() + 3))
                    for m in _DIGIT_RUN.finditer(self.norm)
                ]
            else:
                windows = self._run_windows
                if windows is None:
                    windows = self._run_windows = [
                        ((s - 6 if s > 6 else 0, e + 3 if e + 3 < n else n), digits)
                        for s, e, digits in self._long_runs()
                    ]
                # (The same window objects for every count: most runs are in several lists.)
                got = [window for window, digits in windows if digits >= min_digits]
            self._cache[min_digits] = got
        return got

    def digit_classes(self) -> bytes | None:
        """The folded text as one byte per char (see _RUN_CLASSES: "d" where a digit may be, "s"
        where a separator may be), made once per check for every detector that looks for digits;
        None when the folded text is not the normalised one's twin (a different length)."""
        got = self._classes
        if got is None:
            folded = self.folded
            got = self._classes = (
                folded.encode("ascii", "replace").translate(_RUN_CLASSES)
                if len(folded) == len(self.norm)
                else b""
            )
        return got if len(got) else None  # (b"": not the twin, or an empty draft)

    def _long_runs(self) -> list[tuple[int, int, int]]:
        """(start, end, digit count) of every digit run of SHORTEST_RUN digits or more."""
        got = self._runs
        if got is None:
            got = self._runs = []
            norm = self.norm
            folded = self.folded
            classes = self.digit_classes()
            if classes is not None:
                spots = [m.span() for m in _LONG_RUN_AT.finditer(classes)]
            else:  # (not the folded twin, or empty: search the whole text)
                spots = [(0, len(norm))]
            for lo, hi in spots:
                # Most spots are ASCII digits and " .-" in both texts (as in "0912 345 678"):
                # then the spot is the run itself, with a "d" per digit. (Else a Unicode space
                # that folds to " ", a "?" or another script's digit may cut or end it.)
                if classes is not None:
                    chars = folded[lo:hi]
                    if chars.isascii() and "?" not in chars and norm.startswith(chars, lo):
                        got.append((lo, hi, classes.count(b"d", lo, hi)))
                        continue
                for m in _LONG_DIGIT_RUN.finditer(norm, lo, hi):
                    run = m.group()
                    seps = run.count(" ") + run.count(".") + run.count("-")
                    got.append((m.start(), m.end(), len(run) - seps))
        return got

    def token_windows(self, marker: str) -> list[tuple[int, int]]:
        """Whitespace-delimited tokens in which `marker` (e.g. '@' or '.') is followed by another
        char, each once. A marker that only ends its token (a full stop, "hỏi @") is left out:
        neither an address nor a link can hold it, and most '.' of a draft end sentences."""
        got = self._cache.get(marker)
        if got is None:
            text = self.norm
            n = len(text)
            got = []
            pos = text.find(marker)
            while pos != -1:
                # `pos` is the first marker of its token: if the token ends right after it, it is
                # the token's only one.
                if pos + 1 == n or text[pos + 1].isspace():
                    pos = text.find(marker, pos + 1)
                    continue
                # The token starts after the last " " before it, unless another space ("\n", a
                # tab) is nearer: then the chars after that " " stop short of the marker.
                s = text.rfind(" ", 0, pos) + 1
                e = _NON_SPACES.match(text, s).end()
                if e <= pos:
                    s = pos
                    while not text[s - 1].isspace():
                        s -= 1
                    e = _NON_SPACES.match(text, pos).end()
                got.append((s, e))
                pos = text.find(marker, e)
            self._cache[marker] = got
        return got

    def finditer(self, pattern: re.Pattern[str], windows: list[tuple[int, int]]):
        """`pattern.finditer` over each window of the normalised text (lookbehinds still see the
        chars before a window); a match is reported once even if windows overlap.

        For patterns that never match the empty string (all detectors' patterns), repeated
        `search` finds what `finditer` does, without building an iterator per window."""
        norm = self.norm
        search = pattern.search
        last_end = -1
        for s, e in windows:
            m = search(norm, s if s >= last_end else last_end, e)
            while m is not None:
                last_end = m.end()
                yield m
                # An empty match (no detector pattern has one) must not be found again forever.
                m = search(norm, last_end if last_end > m.start() else last_end + 1, e)

    def near(
        self, pattern: re.Pattern[str], start: int, end: int, *, before: int = 60, after: int = 40
    ) -> bool:
        """True if `pattern` matches the folded text near [start, end) in the same sentence."""
        folded = self.folded
        lo = start - before if start > before else 0
        hi = end + after
        if hi > len(folded):
            hi = len(folded)
        # Looked up at the first match outside the span: most spans have none nearby, and the
        # first look-up of a check splits the whole draft into sentences.
        sent: int | None = None
        # (`search` from each match's end finds what `finditer` does: most spans have no match,
        # and one `search` is cheaper than an iterator. An empty match moves the next search on
        # by one char, so a pattern that can match nothing cannot loop.)
        search = pattern.search
        m = search(folded, lo, hi)
        while m is not None:
            if m.end() <= start or m.start() >= end:
                if sent is None:
                    sent = self.sentence(start)
                if self.sentence(m.start()) != sent:
                    end = m.end()
                    m = search(folded, end if end > m.start() else end + 1, hi)
                    continue
            return True
        return False


def any_word(words: str) -> re.Pattern[str]:
    r"""The pattern `\b(?:w1|w2|…)\b` for the literal words "w1|w2|…", each opening with a word
    char, in a shape `re` scans quickly: it skips straight to the words' first letters.

    A pattern opening with `\b` is tried at every position of a window (~3–9 µs per `near`).
    Here `\b` before a word's first letter c is `(?<!\w\w)` right after c (c being a word char,
    that says the char before c is not one, or there is none), so the pattern opens with the
    letters themselves. Words are grouped by first letter in their given order, so at each
    place the same word matches as in the plain pattern.
    """
    groups: dict[str, list[str]] = {}
    for word in words.split("|"):
        if not re.match(r"\w", word):
            raise ValueError(f"{word!r} does not open with a word char")
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    branches = (
        rf"{re.escape(first)}(?<!\w\w)(?:{'|'.join(rests)})" for first, rests in groups.items()
    )
    return re.compile(rf"(?:{'|'.join(branches)})\b")


Spans = Iterable[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Detector:
    """A named detector: `fn(input, options) -> spans` in normalised-text coordinates."""

    name: str
    fn: Callable[[DetectorInput, dict], Spans]
    options: frozenset[str] = frozenset()
    description: str = ""
    # Literals one of which the folded draft holds, as written, wherever `fn` finds anything
    # (or none: it may find something in any draft). The engine looks them up in its phrase
    # scan, like the regex gates, and skips the detector on drafts without one.
    needs: tuple[str, ...] = ()
