"""Phrase matching: one Aho–Corasick automaton over folded text, then diacritic-smart checks."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick

from .normalize import (
    STRIP_TABLE,
    View,
    collapse_spaces,
    compose,
    deobfuscate,
    fold,
    normalize_pattern,
    typed_with_marks,
    unleet,
)

_REPEAT = re.compile(r"([^\W\d_])\1+")  # on draft letters, which keep their diacritics
_NOT_LETTER = re.compile(r"[^\w*]|_")  # what the letter-by-letter check ignores
from .normalize import _REPEAT as _KEY_REPEAT  # noqa: E402 - same collapse as the folded text


def undiacritised(word: str) -> bool:
    """True when `word` carries no diacritics (đ counts as one)."""
    return word.isascii() or word.translate(STRIP_TABLE) == word


@dataclass(slots=True)
class Term:
    """One distinct phrase, with every rule part (target) that listens for it."""

    words: tuple[str, ...]  # lower-case NFC words of the phrase
    cs_words: tuple[str, ...] | None  # the words as written, when matching is case-sensitive
    obfuscated: bool
    letters: str = ""  # lower-case letters only (obfuscation checks)
    inside: bool = False  # may match inside a longer word; the hit then covers that word
    lenient: bool = False  # any draft that folds to it matches (regex gates: a superset)
    targets: list[Hashable] = field(default_factory=list)

    def accepts(self, low_words: list[str], norm_words: list[str], marked_text: bool) -> bool:
        """Diacritic-smart check of the draft words against this term's words.

        A draft word typed with marks must equal the pattern word. One typed without marks
        matches the folded pattern word — unless the whole draft is typed with diacritics
        (`marked_text`), where an unmarked word is a different word ("nội dung" ≠ "đừng").
        """
        if len(low_words) != len(self.words):
            return False
        if self.lenient:
            return True
        for dw, pw in zip(low_words, self.words, strict=True):
            if dw != pw and (marked_text or not undiacritised(dw)):
                return False
        if self.cs_words is not None:
            for cw, pw in zip(norm_words, self.cs_words, strict=True):
                if cw != pw and (
                    marked_text or not (undiacritised(cw) and pw.translate(STRIP_TABLE) == cw)
                ):
                    return False
        return True

    def accepts_obfuscated(self, low_segment: str) -> bool:
        """Per-letter check for spelled-out / starred / stretched forms (digits count too).

        A digit in the pattern ("3que") must be typed as that digit; a letter may be typed as
        its look-alike digit ("ch0"). Apostrophes and other punctuation in either are ignored.
        """
        pattern = self.letters
        raw = [c for c in low_segment if c.isalnum() or c in "*#"]
        if len(raw) < len(pattern):
            return False
        read = [c for c in unleet(low_segment) if c.isalnum() or c in "*#"]
        # Collapse runs of a repeated letter (as read), keeping what was typed first.
        d: list[tuple[str, str]] = []
        for dc, rc in zip(read, raw, strict=True):
            if d and dc == d[-1][0] and dc.isalpha():
                continue
            d.append((dc, rc))
        p = _REPEAT.sub(r"\1", pattern)
        if len(d) != len(p):
            return False
        for (dc, rc), pc in zip(d, p, strict=True):
            if pc.isdigit():
                if rc != pc:
                    return False
                continue
            if dc == pc or dc in "*#" or pc == "*":
                continue
            if dc.translate(STRIP_TABLE) != dc or fold(pc) != dc:
                return False
        return True


class Hit(NamedTuple):
    """A verified phrase occurrence, in normalised-text coordinates (a tuple: ~3× cheaper to
    make than a frozen dataclass, and a check makes hundreds)."""

    start: int
    end: int
    term: Term


# Hit((s, e, term)) without the generated __new__'s extra Python frame (hot in the scan loop).
_new_tuple = tuple.__new__


def _obfuscation_keys(key: str, *, starred: bool = True) -> set[str]:
    """The folded key as drafts read after deobfuscation (digits next to letters read as
    letters, repeats collapsed), with and without its apostrophes, plus (when `starred`)
    variants with one inner letter starred."""
    variants = {key}
    if "'" in key or "’" in key:
        variants |= {key.replace("'", "’"), key.replace("'", "").replace("’", "")}
    keys: set[str] = set()
    for variant in variants:
        base = _KEY_REPEAT.sub(r"\1", unleet(variant))
        keys |= _starred_keys(base) if starred else {base}
    return keys


def _starred_keys(base: str) -> set[str]:
    """`base` plus its variants with one inner letter starred."""
    keys = {base}
    words = base.split(" ")
    for wi, w in enumerate(words):
        if len(w) >= 3:
            for ci in range(1, len(w) - 1):
                if w[ci].isalpha():
                    variant = words[:wi] + [w[:ci] + "*" + w[ci + 1 :]] + words[wi + 1 :]
                    keys.add(" ".join(variant))
    return keys


class PhraseMatcher:
    """Collects phrases from every rule, compiles them once, and scans a text in one pass."""

    def __init__(self) -> None:
        self._terms: dict[tuple, Term] = {}
        self._plain = ahocorasick.Automaton()
        self._obf = ahocorasick.Automaton()
        self._plain_keys: dict[str, list[Term]] = {}
        self._obf_keys: dict[str, list[Term]] = {}
        # Keys of multi-word obfuscation phrases with the spaces taken out: "b a n n i c k" is
        # joined into one word, which may only match a phrase when spelled out letter by letter.
        self._joined_keys: dict[str, list[Term]] = {}
        self.built = False

    def add(
        self,
        phrase: str,
        target: Hashable,
        *,
        case_sensitive: bool = False,
        obfuscation: bool = False,
        inside_words: bool = False,
        lenient: bool = False,
    ) -> None:
        """Register `phrase` for `target`; raises ValueError on an empty phrase."""
        norm = normalize_pattern(phrase)
        if not norm or not any(c.isalnum() for c in norm):
            raise ValueError(f"phrase {phrase!r} has no letters or digits")
        words = tuple(norm.lower().split(" "))
        cs = tuple(norm.split(" ")) if case_sensitive else None
        ident = (words, cs, obfuscation, inside_words, lenient)
        term = self._terms.get(ident)
        if term is None:
            term = Term(
                words,
                cs,
                obfuscation,
                letters=_NOT_LETTER.sub("", norm.lower()),
                inside=inside_words,
                lenient=lenient,
            )
            self._terms[ident] = term
            key = fold(" ".join(words))
            if obfuscation:
                for k in _obfuscation_keys(key):
                    self._obf_keys.setdefault(k, []).append(term)
                if len(words) > 1:
                    # Spelled out letter by letter, a phrase is rarely starred as well.
                    for k in _obfuscation_keys(key.replace(" ", ""), starred=False):
                        self._joined_keys.setdefault(k, []).append(term)
            else:
                self._plain_keys.setdefault(key, []).append(term)
        if target not in term.targets:
            term.targets.append(target)

    def build(self) -> None:
        """Compile the automata (call once, after every add)."""
        for key, terms in self._plain_keys.items():
            strict = tuple(t for t in terms if not t.lenient)
            self._plain.add_word(
                key,
                (
                    len(key),
                    key[0].isalnum() or key[0] == "_",
                    key[-1].isalnum() or key[-1] == "_",
                    strict,
                    tuple(t for t in terms if t.lenient),  # regex gates
                    any(t.inside for t in strict),
                    any(t.cs_words is not None for t in strict),
                ),
            )
        for key in self._obf_keys.keys() | self._joined_keys.keys():
            terms = tuple(self._obf_keys.get(key, ()))
            joined = tuple(t for t in self._joined_keys.get(key, ()) if t not in terms)
            self._obf.add_word(key, (len(key), terms, joined))
        if self._plain_keys:
            self._plain.make_automaton()
        if self._obf_keys:
            self._obf.make_automaton()
        self.built = True

    def phrases(self) -> list[str]:
        """Every distinct phrase (lower-case NFC), e.g. for a benchmark floor over the same set."""
        return [" ".join(t.words) for t in self._terms.values()]

    @property
    def size(self) -> int:
        """Number of distinct phrases."""
        return len(self._terms)

    def scan(self, norm: str, low: str, folded: str) -> list[Hit]:
        """All verified hits in the normalised text (`low`, `folded`: same-length variants)."""
        hits: list[Hit] = []
        if not self._plain_keys and not self._obf_keys:
            return hits
        compact = collapse_spaces(folded)
        if self._plain_keys:
            marked = typed_with_marks(low, folded)
            self._scan(self._plain, compact, norm, low, hits, marked=marked)
        if self._obf_keys:
            # Deobfuscate before collapsing spaces: a wider gap in spaced-out letters
            # ("b á n  n i c k") marks a word break.
            deob = deobfuscate(folded)
            squeezed = collapse_spaces(deob.text)
            if squeezed.starts is not None:
                deob = compose(squeezed, deob)
            self._scan_obfuscated(deob, low, hits)
        return hits

    def _scan_obfuscated(self, view: View, low: str, hits: list[Hit]) -> None:
        """Hits of obfuscation phrases in the deobfuscated view, checked letter by letter."""
        text = view.text
        n = len(text)
        starts, ends = view.starts, view.ends
        for end_idx, (length, terms, joined) in self._obf.iter(text):
            s = end_idx - length + 1
            e = end_idx + 1
            if (s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_")) or (
                e < n and (text[e].isalnum() or text[e] in "_*")
            ):
                continue
            if starts is None or ends is None:
                ns, ne = s, e
            else:
                ns, ne = starts[s], ends[e - 1]
            seg_low = low[ns:ne]
            for term in terms:
                if term.accepts_obfuscated(seg_low):
                    hits.append(Hit(ns, ne, term))
            if joined and _spelled_out(seg_low):
                for term in joined:
                    if term.accepts_obfuscated(seg_low):
                        hits.append(Hit(ns, ne, term))

    @staticmethod
    def _scan(
        automaton,
        view: View,
        norm: str,
        low: str,
        hits: list[Hit],
        *,
        marked: bool = False,
    ) -> None:
        """Hits of plain phrases and regex gates in the space-collapsed folded view."""
        text = view.text
        n = len(text)
        identity = view.starts is None
        starts, ends = view.starts, view.ends
        widened = (-1, -1)  # last whole-word span: hits inside one long word share it
        opened: set[int] = set()  # gate terms already reported: one hit each is enough
        # Verdicts per (phrase set, draft words): the same words recur all over a draft.
        memo: dict[tuple[int, str, str | None], list[Term]] = {}
        append = hits.append
        for end_idx, (
            length,
            check_left,
            check_right,
            terms,
            gates,
            inside,
            case_sensitive,
        ) in automaton.iter(text):
            s = end_idx - length + 1
            e = end_idx + 1
            if gates:
                # Regex gates: any occurrence, inside words, diacritics folded (a superset).
                for term in gates:
                    if id(term) not in opened:
                        opened.add(id(term))
                        span = (starts[s], ends[e - 1]) if not identity else (s, e)  # type: ignore[index]
                        hits.append(Hit(span[0], span[1], term))
                if not terms:
                    continue
            # Inlined word-boundary checks: this loop runs for every raw automaton hit.
            bounded = not (
                (check_left and s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_"))
                or (check_right and e < n and (text[e].isalnum() or text[e] in "_*"))
            )
            if not bounded and not inside:
                continue  # part of a longer word, and no term here may match inside words
            if identity:
                ns, ne = s, e
            else:
                ns, ne = starts[s], ends[e - 1]  # type: ignore[index]
            seg_low = low[ns:ne]
            if bounded and not inside:  # the common case: a whole-word hit
                seg_norm = norm[ns:ne] if case_sensitive else None
                mkey = (id(terms), seg_low, seg_norm)
                accepted = memo.get(mkey)
                if accepted is None:
                    # Term.accepts, with its two common cases inlined for the case-insensitive
                    # terms; the case-sensitive ones go through it in full.
                    low_words = seg_low.split()
                    if marked:  # every word must equal the pattern's
                        same = tuple(low_words)
                        accepted = [t for t in terms if t.cs_words is None and t.words == same]
                    elif seg_low.isascii():  # typed without any marks: every fold matches
                        accepted = [
                            t
                            for t in terms
                            if t.cs_words is None and len(t.words) == len(low_words)
                        ]
                    else:
                        accepted = [
                            t
                            for t in terms
                            if t.cs_words is None and t.accepts(low_words, low_words, marked)
                        ]
                    if case_sensitive:
                        norm_words = norm[ns:ne].split()
                        accepted += [
                            t
                            for t in terms
                            if t.cs_words is not None and t.accepts(low_words, norm_words, marked)
                        ]
                    memo[mkey] = accepted
                for term in accepted:
                    append(_new_tuple(Hit, (ns, ne, term)))
                continue
            low_words = norm_words = None
            for term in terms:
                if not bounded and not term.inside:
                    continue
                if low_words is None:
                    low_words = seg_low.split()
                    norm_words = norm[ns:ne].split()
                if term.accepts(low_words, norm_words, marked):  # type: ignore[arg-type]
                    if term.inside and not term.lenient:  # gates need no span
                        if not (widened[0] <= ns and ne <= widened[1]):
                            widened = _whole_words(norm, ns, ne)
                        hits.append(Hit(*widened, term))
                    else:
                        hits.append(Hit(ns, ne, term))


def _spelled_out(segment: str) -> bool:
    """True when no two letters or digits of `segment` touch: every one stands alone."""
    prev = False
    for c in segment:
        cur = c.isalnum()
        if cur and prev:
            return False
        prev = cur
    return True


def _whole_words(text: str, s: int, e: int) -> tuple[int, int]:
    """Widen [s, e) to the words it touches (for phrases that may match inside a word)."""
    while s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_"):
        s -= 1
    while e < len(text) and (text[e].isalnum() or text[e] == "_"):
        e += 1
    return s, e
