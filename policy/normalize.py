"""Normalised views of a draft (NFC, look-alikes, folding), mapped back to the original."""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import telex

# Characters people (or editors) slip into words to dodge filters; they never carry meaning here.
ZERO_WIDTH = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u200b\u200c\u200d\u200e"
    "\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07"
    "\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f\ufeff\uffa0"
)

# Cyrillic and Greek letters that look like Latin ones ("bаn" with a Cyrillic а).
CONFUSABLES = {
    "а": "a",
    "е": "e",
    "о": "o",
    "р": "p",
    "с": "c",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "һ": "h",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "А": "A",
    "В": "B",
    "Е": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "Х": "X",
    "І": "I",
    "Ј": "J",
    "Ѕ": "S",
    "ο": "o",
    "α": "a",
    "ν": "v",
    "ρ": "p",
    "τ": "t",
    "ι": "i",
    "κ": "k",
    "Α": "A",
    "Β": "B",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "H",
    "Ι": "I",
    "Κ": "K",
    "Μ": "M",
    "Ν": "N",
    "Ο": "O",
    "Ρ": "P",
    "Τ": "T",
    "Υ": "Y",
    "Χ": "X",
}

# Compatibility decompositions that are only a different *look* of the same letter or digit.
_LOOKALIKE_TAGS = ("<wide>", "<narrow>", "<font>", "<circle>")

_JOINERS = frozenset("\u200c\u200d" + "".join(chr(c) for c in range(0xFE00, 0xFE10)))

_MARK_RANGES = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Every char that NFC composes with the one before it: the combining-mark blocks above, the
# conjoining Hangul jamo (NFD Korean: "각" as ᄀ ᅡ ᆨ), and the marks of other scripts that NFD
# splits off (Hebrew points, Indic nuktas and vowel signs, Japanese voicing: "が" as か + ゙).
# A draft in NFD is read as the same letters as in NFC; left apart, "MK:0각" in NFD held a
# four-letter "password" where NFC had two. (test_properties checks the list against Unicode.)
_COMPOSING_RANGES = (
    _MARK_RANGES
    + "\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff"
    + "\u05b4\u05b7\u05b8\u05b9\u05bc\u05bf\u05c1\u05c2\u0653\u0654\u0655\u093c\u09bc\u09be"
    + "\u09d7\u0a3c\u0b3c\u0b3e\u0b56\u0b57\u0bbe\u0bd7\u0c56\u0cc2\u0cd5\u0cd6\u0d3e\u0d57"
    + "\u0dca\u0dcf\u0ddf\u0f72\u0f74\u0f80\u0fb5\u0fb7\u102e\u1b35\u3099\u309a"
    + "\U000110ba\U00011127\U0001133e\U00011357\U000114b0\U000114ba\U000114bd\U000115af"
    + "\U00011930\U0001d165\U0001d16e-\U0001d172"
)
_MARKS = re.compile(f"[{_COMPOSING_RANGES}]")
# Spaces other than " " that sit between words on one line: a tab, the no-break space that
# editors insert (Facebook's composer for a second space, Word, macOS's Option-Space), the
# typographic spaces. A draft's normalised view has a plain space in their place, one for one,
# so that phrases, patterns and exceptions read "bán\u00a0tài khoản" as "bán tài khoản" (and
# offsets stay those of the draft). Line breaks (\n \r \f \v) are left as they are.
LINE_SPACES = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
_WHITESPACE = " " + LINE_SPACES + "\r\f\v"
_LONE_CR = re.compile(r"\r(?!\n)")
# The common two are replaced in C before anything else (a draft full of no-break spaces would
# otherwise cost ~2 µs each as special runs); the rare ones are special chars.
_COMMON_SPACES = "\t\u00a0"
_RARE_SPACES = LINE_SPACES.translate({ord(c): None for c in _COMMON_SPACES})

# One character class finds every spot that may need work (a plain class is ~50× faster to scan
# than an alternation with lookarounds): combining marks (NFD input), zero-width chars, joiners,
# look-alikes, spaces other than " ". Runs of such chars are then handled one by one in
# `normalize`.
_SPECIAL_RE = re.compile(
    f"[{_COMPOSING_RANGES}"
    f"{''.join(sorted(ZERO_WIDTH | _JOINERS))}"
    f"{''.join(sorted(CONFUSABLES))}"
    f"{_RARE_SPACES}"
    "\uff01-\uff5e\u24b6-\u24e9\U0001d400-\U0001d7ff\U0001f130-\U0001f189]+"
)


def _build_strip_table() -> dict[int, str]:
    """Map every Latin letter with diacritics to its base letter, keeping case (đ → d)."""
    table: dict[int, str] = {}
    ranges = [(0x00C0, 0x024F), (0x1E00, 0x1EFF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            base = unicodedata.normalize("NFD", ch)[0]
            if base != ch and base.isascii() and base.isalpha():
                table[cp] = base
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    return table


STRIP = _build_strip_table()
# Folding: lower-case first (separately), then strip; whitespace variants become a plain space so
# phrases match across non-breaking spaces. Every mapping is one char → one char.
FOLD = dict(STRIP)
for _ch in _WHITESPACE:
    FOLD[ord(_ch)] = " "
# Letters a case-insensitive pattern reads as i or s but lower-casing leaves apart ("İ" grows
# when lower-cased, so drafts keep it as it is): fold them to the letter they stand for, so the
# phrase scan (and the regex gates it opens) sees what the patterns see.
FOLD.update({ord("İ"): "i", ord("ı"): "i", ord("ſ"): "s", ord("ẛ"): "s"})


def _as_table(mapping: dict[int, str]) -> str:
    """`mapping` as a string indexed by code point, for `str.translate`: ~2× faster than a dict
    (chars past its end are left as they are, as with a dict)."""
    chars = list(map(chr, range(max(mapping) + 1)))
    for cp, to in mapping.items():
        chars[cp] = to
    return "".join(chars)


FOLD_TABLE = _as_table(FOLD)
STRIP_TABLE = _as_table(STRIP)


# Char-for-char mappings in C. `str.translate` and a regex char class cost ~10–20 ns a char on a
# non-ASCII text (a Python object or a Unicode look-up per char); `codecs.charmap_encode` with
# a map from `codecs.charmap_build` (a small C trie over at most 256 chars) turns a text into
# one byte per char for ~2.5 ns a char, and `codecs.charmap_decode` turns the bytes into chars
# through any 256-char table for ~0.7. Chars outside the map become "?" (byte 63, as "?"
# itself), seen to one by one: drafts are Vietnamese, where ASCII, the Vietnamese letters and a
# little typography cover nearly every char (emoji are the usual exception).
_VIETNAMESE_LOWER = "".join(
    sorted(
        {
            unicodedata.normalize("NFC", base + tone)
            for base in "aăâeêioôơuưy"
            for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
        }
        - set("aeiouy")
        | {"đ"}
    )
)
# Common in drafts besides letters: typography, emoji glue and a few symbols of the BMP (emoji
# proper lie past it, where a charmap cannot go).
_DRAFT_PUNCTUATION = "\u00a0«»°·–—‘’“”…•€™❤✈✔✅⚽☕⭐✨❌⚠☎➡▶►●★☆♥"
_EMOJI_GLUE = "\u200d\ufe0f"
# ASCII control chars other than the whitespace ones: rare enough to give their bytes away.
_RARE_ASCII = "".join(map(chr, [*range(1, 9), *range(14, 32), 127]))


def _byte_table(chars: str, spare: str = "") -> str:
    """The 256-char table of a one-byte encoding: ASCII as itself (so "?" is byte 63), but for
    the chars of `spare`, whose bytes go with 128–255 to `chars`, in order, while any are left
    (unused bytes: U+FFFE, which `codecs.charmap_build` skips)."""
    slots = [chr(b) if b < 128 and chr(b) not in spare else "\ufffe" for b in range(256)]
    free = [b for b, ch in enumerate(slots) if ch == "\ufffe"]
    extra = [ch for ch in dict.fromkeys(chars) if ch not in slots]
    for b, ch in zip(free, extra, strict=False):  # (chars past the free bytes are left out)
        slots[b] = ch
    return "".join(slots)


class CharMap:
    """`fn`, a char → char function, applied to every char of a text (`text` → `str`), in C for
    the chars of _LOWER_TABLE and by `fn` itself for the rest."""

    __slots__ = ("_fn", "_decoding")

    def __init__(self, fn: Callable[[str], str]) -> None:
        self._fn = fn
        self._decoding = "".join(ch if ch == "\ufffe" else fn(ch) for ch in _LOWER_TABLE)

    def __call__(self, text: str, data: bytes | None = None) -> str | None:
        """The mapped text; None when too many of its chars are outside the table for the C
        path to pay (the caller then takes its own). `data`: `lower_bytes(text)`, when the
        caller has it."""
        if data is None:
            data = lower_bytes(text)
        i = data.find(63)  # "?": a "?" or a char outside the table
        if i == -1:
            return codecs.charmap_decode(data, "strict", self._decoding)[0]
        if _too_many_outside(data, i):
            return None
        out = codecs.charmap_decode(data, "strict", self._decoding)[0]
        fn = self._fn
        pieces: list[str] = []
        pos = 0
        while i != -1:
            ch = text[i]
            if ch != "?":
                pieces.append(out[pos:i])
                pieces.append(fn(ch))
                pos = i + 1
            i = data.find(63, i + 1)
        if not pieces:
            return out
        pieces.append(out[pos:])
        return "".join(pieces)


def _too_many_outside(data: bytes, i: int) -> bool:
    """Whether `data` (a text through a byte table) has, from its first "?" at `i` on, too many
    "?" — chars outside the table, seen to one by one at ~0.2 µs each — for the byte path to
    beat the caller's plain one (a regex scan or `str.translate`)."""
    return data.count(63, i) > 16 + len(data) // 32


def lower_bytes(text: str) -> bytes:
    """`text` through _LOWER_TABLE, one byte per char ("?" for chars outside it).

    Not remembered between calls: nothing of a draft may outlive its check, not even in a
    module-level cache. A check encodes its lower-case draft once (~50 instructions a char) and
    hands the bytes to each function that reads it so (`fold_table`, `typed_with_marks`, the
    phrase scan's word view), as their `data`.
    """
    return codecs.charmap_encode(text, "replace", _LOWER_ENCODING)[0]


# For lower-case drafts (and their folds): ASCII, the Vietnamese letters, then typography and
# the other lower-case letters of Latin-1 as far as bytes are left.
_LOWER_TABLE = _byte_table(
    _VIETNAMESE_LOWER
    + _DRAFT_PUNCTUATION
    + _EMOJI_GLUE
    + "".join(ch for ch in map(chr, range(0xDF, 0x100)) if ch.islower())
)
_LOWER_ENCODING = codecs.charmap_build(_LOWER_TABLE)
_FOLD_CHARS = CharMap(lambda ch: ch.translate(FOLD_TABLE))
# For drafts as typed, to find where normalisation may have work (see _special_runs): chars that
# _SPECIAL_RE never matches, of either case.
_PLAIN_TABLE = _byte_table(
    "".join(
        ch
        for ch in _VIETNAMESE_LOWER + _VIETNAMESE_LOWER.upper() + _DRAFT_PUNCTUATION
        if not _SPECIAL_RE.match(ch)
    ),
    spare=_RARE_ASCII,
)
_PLAIN_ENCODING = codecs.charmap_build(_PLAIN_TABLE)


# Every lower-case letter that carries a Vietnamese mark (and đ).
_MARKED_LETTERS = "".join(sorted({chr(cp) for cp in STRIP if chr(cp).islower()}))
_MARKED_RE = re.compile(f"[{_MARKED_LETTERS}]")
# Whitespace (str.split's) that folding leaves as it is, besides the line break.
_RARE_SPACE_CHARS = "\x1c\x1d\x1e\x1f\x85\u2028\u2029"
# Both sets by byte of _LOWER_TABLE too, for counting in C (see _marks_and_rare).
_MARKED_SET = frozenset(_MARKED_LETTERS)
_RARE_SET = frozenset(_RARE_SPACE_CHARS)
_MARKED_BYTES = bytes(b for b, ch in enumerate(_LOWER_TABLE) if ch in _MARKED_SET)
_RARE_BYTES = [bytes([b]) for b, ch in enumerate(_LOWER_TABLE) if ch in _RARE_SET]
# Share of words carrying a mark above which a draft counts as typed with diacritics.
DIACRITIC_TEXT_RATIO = 0.3


# Non-ASCII chars that decompose (NFD) into the ASCII letter FOLD maps them to plus combining
# marks: every marked Latin letter but "đ".
_DECOMPOSING = "".join(
    sorted(
        chr(cp)
        for cp, to in FOLD.items()
        if cp > 127
        and unicodedata.normalize("NFD", chr(cp)).encode("ascii", "ignore") == to.encode()
    )
)
# What `fold_table` sets aside: chars neither left as they are by FOLD among ASCII, nor
# decomposing, nor "đ" — emoji, other scripts, stray marks, \t\r\f\v; and NUL, its placeholder.
_ASIDE = re.compile(f"[^\x01-\x08\n\x0e-\x7f{_DECOMPOSING}đ]")
# Split at them, keeping them: the text between and the chars themselves in one scan.
_ASIDE_SPLIT = re.compile(f"({_ASIDE.pattern})")


def fold_table(text: str, data: bytes | None = None) -> str:
    """`text.translate(FOLD_TABLE)`, ~6× faster on Vietnamese text.

    `str.translate` looks up every char of a non-ASCII text in Python objects (~20 ns each);
    here C does the work, through a one-byte encoding (CharMap). Texts with many chars outside
    it take a second C path: NFD splits each marked letter into its base letter and marks, and
    encoding to ASCII drops the marks, leaving exactly what FOLD maps the letter to; "đ" is
    replaced first. Canonical reordering moves only marks, never a base letter, so each char of
    `text` gives one char, in place. The few other non-ASCII chars (emoji…) are swapped for NUL
    placeholders on the way and translated one by one. `data`: `lower_bytes(text)`, when the
    caller has it.
    """
    folded = _FOLD_CHARS(text, data)
    if folded is not None:
        return folded
    if "\0" in text:
        return text.translate(FOLD_TABLE)
    parts = _ASIDE_SPLIT.split(text)  # text, char set aside, text, …
    aside = parts[1::2]
    if aside:
        text = "\0".join(parts[0::2])
    folded = unicodedata.normalize("NFD", text.replace("đ", "d")).encode("ascii", "ignore")
    if not aside:
        return folded.decode("ascii")
    pieces = folded.decode("ascii").split("\0")
    out = [pieces[0]]
    for ch, piece in zip(aside, pieces[1:], strict=True):
        out.append(ch.translate(FOLD_TABLE))
        out.append(piece)
    return "".join(out)


def typed_with_marks(low: str, folded: str | None = None, data: bytes | None = None) -> bool:
    """True when the (lower-case) draft is written with diacritics on the whole.

    Counts marked letters against words (a cheap stand-in for "marked words / words": a
    Vietnamese syllable carries one or two): diacritised prose gives ~1, unmarked typing ~0.
    `data`: `lower_bytes(low)`, when the caller has it.
    """
    if low.isascii():
        return False
    counted = _marks_and_rare(low, data) if folded is not None else None
    if counted is None:
        marked = len(_MARKED_RE.findall(low))
        rare = True  # (may be)
    else:
        marked, rare = counted
    if marked == 0:  # (as when there are no words)
        return False
    if folded is not None and not rare:
        # Words are runs between whitespace chars, so there are at most one more than those:
        # in `folded` every whitespace char but the line break is a space. Enough marks for
        # that many words settle it without splitting the draft into words (~10 µs / 2,000
        # chars).
        most = folded.count(" ") + folded.count("\n") + 1
        if marked >= DIACRITIC_TEXT_RATIO * most:
            return True
    return marked >= DIACRITIC_TEXT_RATIO * len(low.split())


def _marks_and_rare(low: str, data: bytes | None = None) -> tuple[int, bool] | None:
    """The number of marked letters in `low` and whether it holds a _RARE_SPACE_CHARS char, from
    its bytes through _LOWER_TABLE (`data`, or computed: those of the marked letters deleted in
    C; chars outside the table looked at one by one); None when too many are outside it."""
    if data is None:
        data = lower_bytes(low)
    marked = len(data) - len(data.translate(None, _MARKED_BYTES))
    rare = any(b in data for b in _RARE_BYTES)
    i = data.find(63)  # "?": a "?" or a char outside the table
    if i != -1:
        if _too_many_outside(data, i):
            return None
        while i != -1:
            ch = low[i]
            if ch in _MARKED_SET:
                marked += 1
            elif ch in _RARE_SET:
                rare = True
            i = data.find(63, i + 1)
    return marked, rare


def strip_marks(s: str) -> str:
    """Remove Vietnamese/Latin diacritics, keeping case and length."""
    return s.translate(STRIP_TABLE)


def fold(s: str) -> str:
    """Lower-case and strip diacritics; one char in, one char out (assuming NFC input)."""
    low = s.lower()
    if len(low) != len(s):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in s)
    return low.translate(FOLD_TABLE)


# Two conventions place the tone mark of an open syllable ending in oa / oe / uy: on the first
# vowel ("hòa", "khỏe", "thủy", "tọa") or on the second ("hoà", "khoẻ", "thuỷ", "toạ"); UniKey and
# EVKey offer both (as "old" and "new" style), so drafts and phrases come in either. Both are
# rewritten to the first form (the one most pack phrases use). Only where nothing follows the
# pair in the word: with a final consonant or a third vowel the mark sits on the second vowel
# in both conventions ("hoàn", "khoảng", "ngoài", "khuỷu", "thuyền"). In "qu" the u is part of
# the consonant, so "quý", "quỳ", "quỹ" keep their mark where it is. ("gi" + vowel never meets
# these pairs.)
_TONED_SECOND = {"o": "aeAE", "O": "aeAE", "u": "yY", "U": "yY"}
_TONE_MOVES: dict[str, str] = {}
for _first, _bases in _TONED_SECOND.items():
    for _base in _bases:
        for _mark in "\u0300\u0301\u0309\u0303\u0323":  # huyền, sắc, hỏi, ngã, nặng
            _TONE_MOVES[_first + unicodedata.normalize("NFC", _base + _mark)] = (
                unicodedata.normalize("NFC", _first + _mark) + _base
            )
# A class first (~4 µs per 2,000 chars when nothing matches); the pair is checked in the dict.
_OLD_TONE_RE = re.compile(f"[oOuU][{''.join(sorted({k[1] for k in _TONE_MOVES}))}](?![^\\W\\d_])")


def _move_tone(m: re.Match[str]) -> str:
    pair = m.group()
    s = m.start()
    if pair[0] in "uU" and s > 0 and m.string[s - 1] in "qQ":
        return pair
    return _TONE_MOVES.get(pair, pair)


def canonical_tones(text: str) -> str:
    """`text` with the tone mark of open oa / oe / uy syllables moved to the first vowel ("hoà" →
    "hòa", "thuỷ" → "thủy"); same length, so offsets are unchanged."""
    if text.isascii():  # typed without diacritics: nothing to move (a check in C)
        return text
    return _OLD_TONE_RE.sub(_move_tone, text)  # (no match: `text` itself, no copy)


def normalize_pattern(s: str) -> str:
    """Normalise a rule's phrase the way drafts are: NFC, look-alikes mapped, single spaces."""
    return " ".join(normalize(s).text.split())


@dataclass(frozen=True, slots=True)
class View:
    """A transformed copy of a text: char i came from source[starts[i]:ends[i]] (None: same).

    `gaps`: where a draft's run of spaces became one (`normalize`), its width, by index in
    `text` (None: no run), for the few readers to whom a wider gap means something."""

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None
    gaps: dict[int, int] | None = None

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        """Map the view span [a, b) to the source span it came from."""
        if self.starts is None or self.ends is None:
            return a, b
        if b <= a:
            p = self.starts[a] if a < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return p, p
        return self.starts[a], self.ends[b - 1]


def _map_char(ch: str) -> str:
    """Map one look-alike char to what it stands for; zero-width chars vanish."""
    if ch in ZERO_WIDTH:
        return ""
    if ch in LINE_SPACES:
        return " "
    if ch in CONFUSABLES:
        return CONFUSABLES[ch]
    dec = unicodedata.decomposition(ch)
    if dec.startswith(_LOOKALIKE_TAGS):
        return unicodedata.normalize("NFKC", ch)
    return ch


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _special_runs(text: str) -> Iterator[re.Match[str]]:
    """`_SPECIAL_RE.finditer(text)`, without running the regex over the whole draft (~10 ns a
    char: most drafts have no special char, or a few).

    No special char is in _PLAIN_TABLE, so in the draft's bytes through it each one is a "?":
    a run can only start there, and is matched in place.
    """
    data = codecs.charmap_encode(text, "replace", _PLAIN_ENCODING)[0]
    i = data.find(63)
    if i == -1:
        return iter(())
    if _too_many_outside(data, i):
        return _SPECIAL_RE.finditer(text, i)
    return _runs_from(text, data, i)


def _runs_from(text: str, data: bytes, i: int) -> Iterator[re.Match[str]]:
    """The runs of _SPECIAL_RE starting at the "?" bytes of `data` from `i` on (see above)."""
    match = _SPECIAL_RE.match
    while i != -1:
        m = match(text, i)
        if m is None:
            i = data.find(63, i + 1)
        else:
            yield m
            i = data.find(63, m.end())


def _edits(text: str, runs: Iterator[re.Match[str]]) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, replacement) for every run of special chars (`runs`, in order) that
    normalisation changes; spaces (LINE_SPACES) apart from the chars around them, so that each
    keeps its own offset (a space never joins a mark's composition)."""
    prev_end = 0
    for m in runs:
        run = m.group()
        if run.isspace() or not _RARE_SPACE_RUN.search(run):
            pieces: Iterator[tuple[int, int]] | tuple[tuple[int, int], ...] = (m.span(),)
        else:
            pieces = _split_at_spaces(m)
        for s, e in pieces:
            edit = _run_edit(text, s, e, prev_end)
            if edit is not None:
                yield edit
                prev_end = e


_RARE_SPACE_RUN = re.compile(f"[{_RARE_SPACES}]+")


def _split_at_spaces(m: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The spans of a run's spaces and of the stretches between them."""
    s, e = m.span()
    for sp in _RARE_SPACE_RUN.finditer(m.string, s, e):
        if sp.start() > s:
            yield s, sp.start()
        yield sp.span()
        s = sp.end()
    if s < e:
        yield s, e


def _run_edit(text: str, s: int, e: int, prev_end: int) -> tuple[int, int, str] | None:
    """The edit normalisation makes to the run text[s:e], if any (`prev_end`: where the last
    edit ended)."""
    run = text[s:e]
    if all(c in _JOINERS for c in run):
        # Joiners and variation selectors hold emoji together (👩‍👩‍👧, ❤️); they only
        # matter next to letters, where they split a word.
        if (s > 0 and _is_word(text[s - 1])) or (e < len(text) and _is_word(text[e])):
            return s, e, ""
        return None
    if _MARKS.match(run) and s > prev_end:
        s -= 1  # a combining mark composes with the char before it
    mapped = "".join(_map_char(c) for c in text[s:e])
    composed = unicodedata.normalize("NFC", mapped)
    return (s, e, composed) if composed != text[s:e] else None


def normalize(text: str, *, telex_keys: bool = False) -> View:
    """Return the NFC, look-alike-free, zero-width-free view of `text`, with one plain space for
    every run of spaces within a line (tabs, no-break and typographic spaces too: LINE_SPACES)
    and tone marks in one placement (`canonical_tones`), mapped to `text`.

    `telex_keys` (drafts, not rule phrases): in a draft typed with the Vietnamese keyboard off,
    the words that carry Telex keys read as the bare syllables they spell ("maajt khaaur" as "mat
    khau"); in one typed with marks, a run of such words reads as the marked syllables ("cần
    baans tafi khoanr" as "cần bấn tài khoản", "duwj thaor" as "dự thảo"; `policy.telex`); in an
    unmarked draft typed with VNI digits left in, those words read as bare syllables too ("ba1n tk
    fb co63" as "ban tk fb co", `telex.vni_leftovers`; both read by `telex.keyed_words`).

    Every reader (phrases, patterns, detectors, exceptions) then sees "bán  tài\u00a0khoản" as
    "bán tài khoản"; the width of each collapsed run is kept in `View.gaps`.
    """
    view = _char_view(text)
    telex_words = None
    if telex_keys:
        telex_words = telex.keyed_words(view.text)
    if telex_words:
        pieces = ((s, e, [(ch, s, e) for ch in plain]) for s, e, plain in telex_words)
        bare = _rebuild(view.text, pieces)
        assert bare is not None  # (there are words)
        view = compose(bare, view)
    if "  " not in view.text:  # (most drafts: a search in C)
        return view
    return _collapsed(view)


def _collapsed(view: View) -> View:
    """`view` with each run of spaces made one, mapped to what `view` maps to."""
    gaps: dict[int, int] = {}
    removed = 0

    def edits():
        nonlocal removed
        for m in _SPACE_RUN.finditer(view.text):
            s, e = m.span()
            gaps[s - removed] = e - s
            removed += e - s - 1
            yield s, e, [(" ", s, e)]

    squeezed = _rebuild(view.text, edits())
    assert squeezed is not None  # (there is a run)
    both = compose(squeezed, view)
    return View(both.text, both.starts, both.ends, gaps)


def _join_continued_lines(text: str) -> str:
    """`text` with each line break inside a sentence read as spaces, one for one (with the
    spaces and the CR around it), so that phrases, patterns and sentences run on across it as
    across a space.

    Inside a sentence: the line before ends with a letter or digit (no full stop, colon, comma,
    bullet…) and the next starts with a lower-case letter. People posting from a phone press
    Enter mid-sentence ("Cần bán\ntài khoản TikTok", "mật\nkhẩu là …"); a heading, a list item
    or a new sentence starts with a capital, a digit or a bullet and keeps its break.

    (Found with `str.find`: a regex opening with the spaces before the break is tried at every
    char of the draft, ~45 µs per 2,000 chars.)"""
    pieces: list[str] = []
    done = 0
    n = len(text)
    pos = text.find("\n")
    while pos != -1:
        a = pos - 1 if pos and text[pos - 1] == "\r" else pos
        while a and text[a - 1] == " ":
            a -= 1
        b = pos + 1
        while b < n and text[b] == " ":
            b += 1
        if a and b < n and text[b].islower() and _ends_word(text[a - 1]):
            pieces.append(text[done:a])
            pieces.append(" " * (b - a))
            done = b
        pos = text.find("\n", pos + 1)
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _ends_word(ch: str) -> bool:
    """A letter, a digit or a combining mark (NFD input) ends the line before a run-on break."""
    return ch.isalnum() or "\u0300" <= ch <= "\u036f"


def _char_view(text: str) -> View:
    """`normalize` but for the runs of spaces: a view of `text` that keeps its spaces, one for
    one.

    Composition is done per run of marks with the char before it, which covers Vietnamese NFD
    input; scripts whose NFC spans more than that keep their original form (still mapped).
    A view whose every edit kept its length (spaces, most look-alikes) is char for char the
    draft's: it needs no map.
    """
    for space in _COMMON_SPACES:
        if space in text:
            text = text.replace(space, " ")  # (one for one: offsets are unchanged)
    if "\r" in text:
        # A lone CR (classic Mac OS, some clipboards) ends a line as LF does, so it is read as
        # one: phrases, patterns and sentences stop there as at a LF. (The CR of a CR LF stays:
        # a space to the readers, beside the LF.)
        text = _LONE_CR.sub("\n", text)
    if "\n" in text:
        text = _join_continued_lines(text)
    out: list[str] = []
    edits: list[tuple[int, int, str]] = []
    pos = 0
    for s, e, rep in _edits(text, _special_runs(text)):
        edits.append((s, e, rep))
        out.append(text[pos:s])
        out.append(rep)
        pos = e
    if not edits:
        return View(canonical_tones(text))
    out.append(text[pos:])
    # (canonical_tones keeps the length: a char map built here still holds after it)
    view_text = canonical_tones("".join(out))
    if len(view_text) == len(text) and all(len(rep) == e - s for s, e, rep in edits):
        return View(view_text)
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for s, e, rep in edits:
        starts.extend(range(pos, s))
        ends.extend(range(pos + 1, s + 1))
        if len(rep) == e - s:  # char for char
            starts.extend(range(s, e))
            ends.extend(range(s + 1, e + 1))
        else:
            starts.extend([s] * len(rep))
            ends.extend([e] * len(rep))
        pos = e
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return View(view_text, starts, ends)


class _Sparse:
    """The char map of a rewritten text, kept sparse: stretches left as they were are one offset
    each, rewritten chars are listed. Building it costs per edit, not per char (drafts have a few
    edits; a list per char cost ~100 µs per 2,000 chars); a look-up is one dict probe or bisect.
    """

    __slots__ = ("bounds", "deltas", "xs", "xe")

    def __init__(self) -> None:
        self.bounds: list[int] = []  # view index where an unchanged stretch begins
        self.deltas: list[int] = []  # source index − view index in that stretch
        self.xs: dict[int, int] = {}  # rewritten chars: view index → source start
        self.xe: dict[int, int] = {}  # … → source end

    def start(self, i: int) -> int:
        x = self.xs.get(i)
        if x is not None:
            return x
        return i + self.deltas[bisect_right(self.bounds, i) - 1]

    def end(self, i: int) -> int:
        x = self.xe.get(i)
        if x is not None:
            return x
        return i + self.deltas[bisect_right(self.bounds, i) - 1] + 1


class _Lookup:
    """A read-only `starts`/`ends` sequence computed on access (see `View`)."""

    __slots__ = ("_get",)

    def __init__(self, get) -> None:
        self._get = get

    def __getitem__(self, i: int) -> int:
        return self._get(i)


def _rebuild(view_text: str, edits) -> View | None:
    """The view of `view_text` with each `(s, e, pieces)` edit applied (pieces: (char, ps, pe)
    in `view_text` coordinates; edits in order, not overlapping); None when there are none."""
    out: list[str] = []
    sparse = _Sparse()
    pos = 0
    size = 0  # length of the output so far
    for s, e, pieces in edits:
        if s > pos:
            sparse.bounds.append(size)
            sparse.deltas.append(pos - size)
            out.append(view_text[pos:s])
            size += s - pos
        for ch, ps, pe in pieces:
            sparse.xs[size] = ps
            sparse.xe[size] = pe
            out.append(ch)
            size += 1
        pos = e
    if not out and pos == 0:
        return None
    if pos < len(view_text):
        sparse.bounds.append(size)
        sparse.deltas.append(pos - size)
        out.append(view_text[pos:])
    if not sparse.bounds:
        sparse.bounds.append(0)
        sparse.deltas.append(0)
    return View("".join(out), _Lookup(sparse.start), _Lookup(sparse.end))  # type: ignore[arg-type]


def rewrite(view_text: str, pattern: re.Pattern[str], repl) -> View | None:
    """Apply `repl(match) -> list[(char, s, e)]` at each match; None when nothing changed.

    The returned view maps into `view_text` coordinates (looked up on access).
    """

    def edits():
        for m in pattern.finditer(view_text):
            pieces = repl(m)
            if pieces is not None:
                yield m.start(), m.end(), pieces

    return _rebuild(view_text, edits())


def compose(outer: View, inner: View) -> View:
    """Chain `outer` (mapping into inner.text) with `inner` (mapping further back)."""
    if inner.starts is None or inner.ends is None:
        return outer
    if outer.starts is None or outer.ends is None:
        return View(outer.text, inner.starts, inner.ends)
    ost, oen, ist, ien = outer.starts, outer.ends, inner.starts, inner.ends
    return View(
        outer.text,
        _Lookup(lambda i: ist[ost[i]]),  # type: ignore[arg-type]
        _Lookup(lambda i: ien[oen[i] - 1]),  # type: ignore[arg-type]
    )


_SPACE_RUN = re.compile(r" {2,}")
_SPACES = re.compile(r" +")


def collapse_spaces(fold_text: str) -> View:
    """Collapse runs of spaces (already folded from any whitespace but newlines) to one."""
    if "  " not in fold_text:
        return View(fold_text)
    v = rewrite(fold_text, _SPACE_RUN, lambda m: [(" ", m.start(), m.end())])
    return v if v is not None else View(fold_text)


# A word spelled out with separators: b.a.n, n-i-c-k, đ_m, or "n i c k" (3+ letters with spaces;
# runs of spaces allowed, since deobfuscation runs before spaces are collapsed).
_LETTER = r"[^\W\d_]"
_SPELLED = re.compile(
    rf"(?<![^\W_]){_LETTER}(?:[.\-_·]{_LETTER}(?![^\W_]))+"
    rf"|(?<![^\W_]){_LETTER}(?: +{_LETTER}(?![^\W_])){{2,}}"
)
# Folded text is lower-case ASCII for every Latin letter, so an ASCII class is enough (and 4×
# faster than [^\W\d_]).
_REPEAT = re.compile(r"([a-z])\1+")
# Cheap test for _SPELLED: a separator followed by a lone letter (most drafts have none).
# A superset of _SPELLED's starts, opening with a char class or a space so it scans fast; run
# on the text padded with spaces.
_SPELLED_HINT = re.compile(rf"[.\-_·]{_LETTER}(?![^\W_])")
_SPACED_HINT = re.compile(rf" {_LETTER} +{_LETTER} ")  # apart: one alternation scans ~3× slower


# Digits standing in for letters inside a word ("l0n", "ch3t", "đ1t"): only next to a letter, so
# "3 que" and "fb88" stay as they are.
LEET = {"0": "o", "1": "i", "3": "e", "4": "a"}
_LEET_RE = re.compile(r"[0134](?:(?<=[a-z].)|(?=[a-z]))")  # class first: fast to scan

# A regex over a str costs ~5 ns a char even when it only skips (~10 µs per 2,000 chars for
# each hint above and for unleet's); over one byte per char, by class, much less. `_CLASSES` maps a
# char's byte (`encode("ascii", "replace")`: "?" for every non-ASCII char) to its class:
#   a: a–z   A: A–Z   d: a look-alike digit (LEET)   9: another digit   s: . - _   " ": space
#   ?: "?" or any non-ASCII char (a letter or not)   ,: anything else
# Patterns over the classes are supersets of the ones over the text they stand for, so a miss
# there settles it (deobfuscate).


def _byte_class(b: int) -> str:
    ch = chr(b)
    if b >= 128:  # (never met: the encoding is ASCII)
        return ","
    if "a" <= ch <= "z":
        return "a"
    if "A" <= ch <= "Z":
        return "A"
    if ch in LEET:
        return "d"
    if ch.isdigit():
        return "9"
    if ch in ".-_":
        return "s"
    return ch if ch in " ?" else ","


_CLASSES = "".join(map(_byte_class, range(256))).encode("ascii")
_LEET_AT = re.compile(rb"d(?:(?<=ad)|(?=a))")  # _LEET_RE's matches
# (Opening with one literal byte, which is searched for fastest; "·", non-ASCII, is looked
# for apart.)
_SPELLED_HINT_AT = re.compile(rb"s[aA?](?![aAd9])")
# On the classes with every letter as "a", padded with spaces.
_SPACED_HINT_AT = re.compile(rb" a +a ")
_ANY_LETTER = bytes.maketrans(b"A?", b"aa")


def unleet(text: str) -> str:
    """Replace look-alike digits inside words with their letters (same length)."""
    if not any(d in text for d in LEET):
        return text
    return _LEET_RE.sub(lambda m: LEET[m.group()], text)


def _repeat_runs(text: str, data: bytes | None = None) -> list[tuple[int, int]]:
    """Spans of runs of one repeated letter a–z (what `_REPEAT` finds), in order.

    The regex must try every position of the draft (~50 µs per 2,000 chars). Instead: one byte
    per char (non-ASCII chars become "?"), XOR-ed with itself shifted by one char as a big
    integer, so a zero byte marks a char equal to the one before; `bytes.find` then jumps
    between the few zeros in C.
    """
    if data is None:  # (else: the caller's encoding of `text`)
        data = text.encode("ascii", "replace")  # one byte per char: offsets stay char offsets
    n = len(data)
    if n < 2:
        return []
    value = int.from_bytes(data, "big")
    same = (value ^ (value >> 8)).to_bytes(n, "big")  # same[i] == 0 ⇔ data[i] == data[i-1]
    runs: list[tuple[int, int]] = []
    i = same.find(0, 1)
    while i != -1:
        c = data[i]
        if 97 <= c <= 122:  # a–z
            j = i + 1
            while j < n and data[j] == c:
                j += 1
            runs.append((i - 1, j))
            i = same.find(0, j + 1)
        else:
            i = same.find(0, i + 1)
    return runs


def _maybe_spaced(classes: bytes) -> bool:
    """False when the text of these classes has no match of _SPACED_HINT (padded)."""
    # (One search: faster than finding each lone letter, " a ", and matching there — most
    # drafts have a few, "à", "ở", "a", and spaces everywhere slow `find` down.)
    return _SPACED_HINT_AT.search(b" " + classes.translate(_ANY_LETTER) + b" ") is not None


def deobfuscate(view_text: str, gaps: dict[int, int] | None = None) -> View:
    """Undo leetspeak digits, join spelled-out letters and collapse repeated letters; `#` becomes
    the wildcard `*`. `gaps`: the width of the spaces that stand for a run (`View.gaps`), so
    that "b á n  n i c k" keeps its word break once its spaces are collapsed."""
    # One byte per char (see _CLASSES): unleet and the hints below, on bytes.
    data = view_text.encode("ascii", "replace")
    classes = data.translate(_CLASSES)
    leet = [m.start() for m in _LEET_AT.finditer(classes)]
    if leet:
        # What unleet does (same length: positions are unchanged), and the bytes to match.
        pieces: list[str] = []
        pos = 0
        patched = bytearray(data)
        marks = bytearray(classes)
        for i in leet:
            letter = LEET[view_text[i]]
            pieces.append(view_text[pos:i])
            pieces.append(letter)
            pos = i + 1
            patched[i] = ord(letter)
            marks[i] = ord("a")
        pieces.append(view_text[pos:])
        current = View("".join(pieces))
        data, classes = bytes(patched), bytes(marks)
    else:
        current = View(view_text)

    def width(s: int, a: int, b: int) -> int:
        if not gaps:
            return b - a
        return sum(gaps.get(i, 1) for i in range(s + a, s + b))

    def join(m: re.Match[str]):
        s = m.start()
        run = m.group()
        spaces = [g.span() for g in _SPACES.finditer(run)]
        widths = [width(s, a, b) for a, b in spaces]
        if not widths or max(widths) == 1:
            return [(c, s + i, s + i + 1) for i, c in enumerate(run) if c.isalpha()]
        # Letters spaced out with gaps of different widths ("b á n  n i c k"): the narrowest gap
        # joins letters, the wider ones separate words and stay one space.
        narrow = min(widths)
        out = []
        pos = 0
        for (a, b), w in zip(spaces, widths, strict=True):
            out.extend((c, s + i, s + i + 1) for i, c in enumerate(run[pos:a], pos) if c.isalpha())
            if w > narrow:
                out.append((" ", s + a, s + b))
            pos = b
        out.extend((c, s + i, s + i + 1) for i, c in enumerate(run[pos:], pos) if c.isalpha())
        return out

    if (
        (_SPELLED_HINT_AT.search(classes) is not None or "·" in current.text)
        and _SPELLED_HINT.search(current.text) is not None
    ) or (_maybe_spaced(classes) and _SPACED_HINT.search(f" {current.text} ") is not None):
        v = rewrite(current.text, _SPELLED, join)
        if v is not None:
            current = compose(v, current)
            data = current.text.encode("ascii", "replace")
    runs = _repeat_runs(current.text, data)
    if runs:
        v = _rebuild(current.text, ((rs, re_, [(current.text[rs], rs, re_)]) for rs, re_ in runs))
        if v is not None:
            current = compose(v, current)
    if "#" in current.text:
        current = View(current.text.replace("#", "*"), current.starts, current.ends)
    return current
