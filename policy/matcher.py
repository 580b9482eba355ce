"""Phrase matching: one Aho–Corasick automaton over folded text, then diacritic-smart checks."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field

import ahocorasick

from .normalize import (
    STRIP_TABLE,
    CharMap,
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
from .normalize import _WHITESPACE  # noqa: E402


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
    # Obfuscation terms: the phrase as a draft types it plainly, with and without diacritics,
    # when it holds only letters and separators. Such a draft passes the letter-by-letter
    # check (most hits are typed so); the unmarked form only where folding merges no two
    # letters into a repeat, which the check would collapse ("cứu" → "cuu" → "cu").
    plain: str | None = None
    plain_folded: str | None = None
    collapsed: str = ""  # `letters` with runs of a repeated letter collapsed
    inside: bool = False  # may match inside a longer word; the hit then covers that word
    lenient: bool = False  # any draft that folds to it matches (regex gates: a superset)
    targets: list[Hashable] = field(default_factory=list)
    route: int = -1  # the route number of `targets`, set at build (see PhraseMatcher._route)

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
        if low_segment == self.plain or low_segment == self.plain_folded:
            return True
        return self.accepts_letters(low_segment)

    def accepts_letters(self, low_segment: str) -> bool:
        """The letter-by-letter check itself (accepts_obfuscated's slow path)."""
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
        p = self.collapsed
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
        # Whole-word phrases, keyed as they read in the word view (see _word_view): folded (for
        # drafts typed without diacritics), exact (for drafts typed with them), and folded for
        # the case-sensitive ones alone. Phrases that may match inside words and the regex
        # gates are keyed on the folded text itself.
        self._plain = ahocorasick.Automaton()
        self._exact = ahocorasick.Automaton()
        self._cased = ahocorasick.Automaton()
        self._free = ahocorasick.Automaton()
        self._obf = ahocorasick.Automaton()
        self._plain_keys: dict[str, list[Term]] = {}
        self._obf_keys: dict[str, list[Term]] = {}
        # Keys of multi-word obfuscation phrases with the spaces taken out: "b a n n i c k" is
        # joined into one word, which may only match a phrase when spelled out letter by letter.
        self._joined_keys: dict[str, list[Term]] = {}
        # Routes: sequences of targets, numbered at build. A scan groups its hits by route
        # number (phrases routed alike share one group, routed to its targets once, in
        # collect); an automaton value holds the number itself, so a hit reads no targets.
        self._route_ids: dict[tuple[Hashable, ...], int] = {}
        self._routes: list[tuple[Hashable, ...]] = []
        # One object per distinct target (callers pass a new ("p", 3) for each phrase): the
        # routes then share it, and routing a check's hits to their targets looks up and
        # touches one object per target, equal at once by identity.
        self._target_objects: dict[Hashable, Hashable] = {}
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
        if obfuscation and "#" in phrase:
            # A hashtag ("#bannick") or "C#": the obfuscated view reads a `#` typed in a draft
            # as a letter (`c#ó`), so such a phrase never matched, even typed exactly. It is
            # matched as written instead, like a phrase of a rule without obfuscation.
            obfuscation = False
        norm = normalize_pattern(phrase)
        if not any(map(str.isalnum, norm)):
            raise ValueError(f"phrase {phrase!r} has no letters or digits")
        words = tuple(norm.lower().split(" "))
        cs = tuple(norm.split(" ")) if case_sensitive else None
        ident = (words, cs, obfuscation, inside_words, lenient)
        term = self._terms.get(ident)
        if term is None:
            term = Term(words, cs, obfuscation, inside=inside_words, lenient=lenient)
            if obfuscation:  # what the letter-by-letter check and its fast paths need
                term.letters = letters = _NOT_LETTER.sub("", norm.lower())
                term.collapsed = _REPEAT.sub(r"\1", letters)
                plain = " ".join(words)
                if letters.isalpha() and "#" not in plain:
                    term.plain = plain
                    if len(_REPEAT.sub(r"\1", fold(letters))) == len(term.collapsed):
                        term.plain_folded = fold(plain)
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
        target = self._target_objects.setdefault(target, target)
        if target not in term.targets:
            term.targets.append(target)

    def build(self) -> None:
        """Compile the automata (call once, after every add)."""
        folded: dict[str, list[tuple]] = {}
        cased: dict[str, list[tuple]] = {}
        exact: dict[str, list[Term]] = {}
        for key, terms in self._plain_keys.items():
            strict = tuple(t for t in terms if not t.lenient)
            whole = tuple(t for t in strict if not t.inside)
            inside = tuple(t for t in strict if t.inside)
            gates = tuple(t for t in terms if t.lenient)
            if whole:
                with_case = tuple(t for t in whole if t.cs_words is not None)
                akey, entry = _word_entry(key)
                folded.setdefault(akey, []).append((*entry, whole, bool(with_case)))
                if with_case:
                    cased.setdefault(akey, []).append((*entry, with_case, True))
                for t in whole:
                    if t.cs_words is None:
                        exact.setdefault(" ".join(t.words), []).append(t)
            if inside or gates:
                # The gates of a key get a route of their own: the key opens them at its first
                # hit, and the route's group in the hits then says they are open.
                gate = self._new_route(_targets(gates)) if gates else None
                self._free.add_word(key, (len(key), inside, gate))
        for automaton, keys in ((self._plain, folded), (self._cased, cased)):
            for akey, entries in keys.items():
                automaton.add_word(akey, (len(akey), tuple(entries)))
        # An exact key holds what _scan_exact needs per hit, precomputed, in one flat tuple: how
        # far before the hit's last char in the padded view the phrase's first char in the
        # draft lies (the view is one char ahead of the draft; the key's left edge is skipped),
        # the phrase's length, whether a "*" may not follow it, the phrase itself when the
        # draft's own chars must be compared (else None), its route, and the next phrase with
        # the same word view in the same form (else None): "ngày" and "/ngày" share " ngày ".
        by_view: dict[str, list[tuple]] = {}
        for key, terms in exact.items():
            akey, (lead, key, verify, right) = _word_entry(key)
            entry = (len(akey) - lead, len(key), right, key if verify else None)
            by_view.setdefault(akey, []).append((*entry, self._route(_targets(terms))))
        for akey, entries in by_view.items():
            chained = None
            for entry in reversed(entries):
                chained = (*entry, chained)
            self._exact.add_word(akey, chained)
        for key in self._obf_keys.keys() | self._joined_keys.keys():
            terms = tuple(self._obf_keys.get(key, ()))
            spelled = self._joined_keys.get(key)  # (few keys: most have no spelled-out terms)
            joined = tuple(t for t in spelled if t not in terms) if spelled else ()
            self._obf.add_word(key, (len(key), terms, joined))
        for automaton in (self._plain, self._exact, self._cased, self._free, self._obf):
            if len(automaton):
                automaton.make_automaton()
        for term in self._terms.values():
            term.route = self._route(tuple(term.targets))
        # The keys (and the index of targets) were only needed to build the automata: a compiled
        # pack (pickled by the CLI's cache, shared by every worker) does not carry them.
        self._plain_keys, self._obf_keys, self._joined_keys = {}, {}, {}
        self._target_objects = {}
        self.built = True

    def _route(self, targets: tuple[Hashable, ...]) -> int:
        """The number of the route to `targets` (the same number for the same targets)."""
        route = self._route_ids.get(targets)
        if route is None:
            route = self._route_ids[targets] = self._new_route(targets)
        return route

    def _new_route(self, targets: tuple[Hashable, ...]) -> int:
        """A new route to `targets`, numbered apart from any other to the same ones."""
        self._routes.append(targets)
        return len(self._routes) - 1

    def phrases(self) -> list[str]:
        """Every distinct phrase (lower-case NFC), e.g. for a benchmark floor over the same set."""
        return [" ".join(t.words) for t in self._terms.values()]

    @property
    def size(self) -> int:
        """Number of distinct phrases."""
        return len(self._terms)

    def collect(
        self,
        norm: str,
        low: str,
        folded: str,
        low_bytes: bytes | None = None,
        gaps: dict[int, int] | None = None,
    ) -> dict[Hashable, list[tuple[int, int]]]:
        """The verified hits in the normalised text, as spans per target (`low`, `folded`:
        same-length variants of `norm`; `low_bytes`: `lower_bytes(low)`, when the caller has
        it; `gaps`: the normalised view's collapsed runs of spaces, `View.gaps`). Each target
        gets its own list, in no set order."""
        groups: _Groups = {}
        self._scan_into(norm, low, folded, groups, low_bytes, gaps)
        routes = self._routes
        out: dict[Hashable, list[tuple[int, int]]] = {}
        get = out.get
        for route, spans in groups.items():
            # The group's own list goes to the first target that has none yet (most routes
            # have one target); the others get copies.
            owned: list[tuple[int, int]] | None = spans
            for target in routes[route]:
                got = get(target)
                if got is not None:
                    got.extend(spans)
                elif owned is not None:
                    out[target] = owned
                    owned = None
                else:
                    out[target] = spans.copy()
        return out

    def _scan_into(
        self,
        norm: str,
        low: str,
        folded: str,
        hits: _Groups,
        low_bytes: bytes | None = None,
        gaps: dict[int, int] | None = None,
    ) -> None:
        """Run every automaton, adding spans to `hits` by the route of the phrases found there
        (the same phrases recur: one group per route, routed to its targets once)."""
        if len(self._plain) or len(self._free):
            compact = collapse_spaces(folded)
            marked = typed_with_marks(low, folded, low_bytes)
            if len(self._plain):
                # A draft typed with diacritics matches whole-word phrases exactly: its lower-
                # case text, with the same runs of spaces collapsed, runs through the exact
                # keys, and only the case-sensitive phrases need a word-by-word check.
                exact = (
                    (low if compact.starts is None else _WHITESPACE_RUN.sub(" ", low))
                    if marked
                    else None
                )
                if exact is not None and len(exact) == len(compact.text):
                    self._scan_exact(compact, exact, hits, low_bytes if exact is low else None)
                    if len(self._cased):
                        self._scan_words(self._cased, compact, norm, low, hits, marked)
                else:
                    self._scan_words(self._plain, compact, norm, low, hits, marked)
            if len(self._free):
                self._scan_free(compact, norm, low, hits, marked)
        if len(self._obf):
            # Deobfuscate before collapsing spaces (folded breaks, \r \f \v, are spaces here),
            # with the widths of the draft's own runs: a wider gap in spaced-out letters
            # ("b á n  n i c k") marks a word break.
            deob = deobfuscate(folded, gaps)
            squeezed = collapse_spaces(deob.text)
            if squeezed.starts is not None:
                deob = compose(squeezed, deob)
            self._scan_obfuscated(deob, low, hits)

    def _scan_obfuscated(self, view: View, low: str, hits: _Groups) -> None:
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
                    _add_one(hits, term.route, (ns, ne))
            if joined and _spelled_out(seg_low):
                for term in joined:
                    if term.accepts_obfuscated(seg_low):
                        _add_one(hits, term.route, (ns, ne))

    def _scan_exact(
        self, view: View, exact: str, hits: _Groups, exact_bytes: bytes | None = None
    ) -> None:
        """Hits of whole-word phrases written exactly as in the draft (`exact`: the lower-case
        draft aligned with `view`, the space-collapsed folded text; `exact_bytes`: its
        `lower_bytes`, when the caller has them).

        The automaton runs over the word view, where a key can only start and end at word
        edges (see _word_entry): a 2,000-char draft gives ~60 hits here, each one a match,
        against ~400 raw hits of the folded keys (most of them short keys inside longer words)
        that each needed a diacritics check.
        """
        identity = view.starts is None
        starts, ends = view.starts, view.ends
        starred = "*" in exact  # else no word is followed by a "*"
        get = hits.get
        for end_idx, entry in self._exact.iter(" " + _word_view(exact, exact_bytes) + " "):
            while entry is not None:  # (one phrase a key, but for a few: see build)
                back, size, right, key, route, entry = entry
                s = end_idx - back
                e = s + size
                if key is not None and not exact.startswith(key, s):
                    continue
                if starred and right and exact.startswith("*", e):
                    continue
                if not identity:
                    s, e = starts[s], ends[e - 1]  # type: ignore[index]
                group = get(route)
                if group is None:
                    hits[route] = [(s, e)]
                else:
                    group.append((s, e))

    def _scan_words(
        self, automaton, view: View, norm: str, low: str, hits: _Groups, marked: bool
    ) -> None:
        """Hits of whole-word phrases in the space-collapsed folded view, each checked for
        diacritics (Term.accepts) against what the draft has there."""
        text = view.text
        n = len(text)
        identity = view.starts is None
        starts, ends = view.starts, view.ends
        # Verdicts per (phrase set, draft words): the same words recur all over a draft.
        # Values: the routes of the accepted phrases.
        memo: dict[tuple[int, str, str | None], tuple[int, ...]] = {}
        get = hits.get
        for end_idx, (length, entries) in automaton.iter(" " + _word_view(text) + " "):
            for lead, key, verify, right, terms, case_sensitive in entries:
                s = end_idx - length + lead
                e = s + len(key)
                if (verify and text[s:e] != key) or (right and e < n and text[e] == "*"):
                    continue
                if identity:
                    ns, ne = s, e
                else:
                    ns, ne = starts[s], ends[e - 1]  # type: ignore[index]
                seg_low = low[ns:ne]
                seg_norm = norm[ns:ne] if case_sensitive else None
                mkey = (id(terms), seg_low, seg_norm)
                accepted = memo.get(mkey)
                if accepted is None:
                    # Term.accepts, with its two common cases inlined for the case-insensitive
                    # terms; the case-sensitive ones go through it in full.
                    low_words = seg_low.split()
                    if marked:  # every word must equal the pattern's
                        same = tuple(low_words)
                        found = [t for t in terms if t.cs_words is None and t.words == same]
                    elif seg_low.isascii():  # typed without any marks: every fold matches
                        found = [
                            t
                            for t in terms
                            if t.cs_words is None and len(t.words) == len(low_words)
                        ]
                    else:
                        found = [
                            t
                            for t in terms
                            if t.cs_words is None and t.accepts(low_words, low_words, marked)
                        ]
                    if case_sensitive:
                        norm_words = norm[ns:ne].split()
                        found += [
                            t
                            for t in terms
                            if t.cs_words is not None and t.accepts(low_words, norm_words, marked)
                        ]
                    # (one span to each target of each phrase, as term by term)
                    accepted = memo[mkey] = tuple(t.route for t in found)
                for route in accepted:
                    group = get(route)
                    if group is None:
                        hits[route] = [(ns, ne)]
                    else:
                        group.append((ns, ne))

    def _scan_free(self, view: View, norm: str, low: str, hits: _Groups, marked: bool) -> None:
        """Hits of regex gates and of phrases that may match inside longer words."""
        text = view.text
        identity = view.starts is None
        starts, ends = view.starts, view.ends
        widened = (-1, -1)  # last whole-word span: hits inside one long word share it
        for end_idx, (length, terms, gate) in self._free.iter(text):
            if gate is not None and gate not in hits:
                # Regex gates: any occurrence, inside words, diacritics folded (a superset);
                # the first one is enough (the key's own route: no other key opens it).
                s = end_idx - length + 1
                if identity:
                    hits[gate] = [(s, end_idx + 1)]
                else:
                    hits[gate] = [(starts[s], ends[end_idx])]  # type: ignore[index]
            if not terms:
                continue
            s = end_idx - length + 1
            e = end_idx + 1
            if identity:
                ns, ne = s, e
            else:
                ns, ne = starts[s], ends[e - 1]  # type: ignore[index]
            low_words = low[ns:ne].split()
            norm_words = norm[ns:ne].split()
            for term in terms:
                if term.accepts(low_words, norm_words, marked):
                    if not (widened[0] <= ns and ne <= widened[1]):
                        widened = _whole_words(norm, ns, ne)
                    _add_one(hits, term.route, widened)


# The word view of a text: every char that is neither a word char nor a space becomes a space,
# so a word edge in the draft is a space in the view, char for char.
_NON_WORD = re.compile(r"[^\w ]")
# Runs of whitespace that fold to one space in the space-collapsed view (collapse_spaces).
_WHITESPACE_RUN = re.compile(f"[{_WHITESPACE}]{{2,}}")


# (In C for the common chars of drafts: ~2× faster than the regex on Vietnamese text.)
_WORD_VIEW = CharMap(lambda ch: " " if _NON_WORD.match(ch) else ch)


def _word_view(text: str, data: bytes | None = None) -> str:
    """`text` with punctuation, emoji and line breaks read as spaces (same length; `data`:
    `lower_bytes(text)`, when the caller has it)."""
    view = _WORD_VIEW(text, data)
    return view if view is not None else _NON_WORD.sub(" ", text)


def _word_entry(key: str) -> tuple[str, tuple[int, str, bool, bool]]:
    """The automaton key of a whole-word phrase in the space-padded word view, and what a hit
    needs checking: (length of the left edge, the key, whether the draft's own chars must be
    compared, whether a "*" may not follow).

    A key that starts with a word char must follow a word edge (a space in the view), and so
    must a hashtag (a key that starts with "#"): no platform starts one glued after a letter,
    so "a#bannick" is not "#bannick". One that ends with a word char must be followed by one
    that is not "*" ("bán*" is a starred word, not "bán"). The view reads any non-word char as
    a space, so keys with spaces or punctuation are compared with the draft itself ("ban.acc"
    is not "ban acc").
    """
    view = _word_view(key)
    left = key[0].isalnum() or key[0] == "_" or key[0] == "#"
    right = key[-1].isalnum() or key[-1] == "_"
    akey = (" " if left else "") + view + (" " if right else "")
    return akey, (int(left), key, " " in key or view != key, right)


# Spans grouped by the route of the phrases found there (a route number: see PhraseMatcher).
_Groups = dict[int, list[tuple[int, int]]]


def _targets(terms) -> tuple[Hashable, ...]:
    """The targets of `terms`, in order (one span goes to each, as it would term by term)."""
    return tuple(target for term in terms for target in term.targets)


def _add_one(groups: _Groups, route: int, span: tuple[int, int]) -> None:
    """Add a hit of one phrase (obfuscated and inside-word phrases: few per draft)."""
    group = groups.get(route)
    if group is None:
        groups[route] = [span]
    else:
        group.append(span)


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
