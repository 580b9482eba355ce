"""An optional hyperscan prefilter for the regex phase: one pass over the draft tells which pack
patterns can match at all, and the check skips the others.

Most regex patterns find nothing in a draft, yet each costs a full search (5–50 µs on 2,000
characters). Hyperscan matches every pattern of a pack at once in one pass over the text. It
is used here only to say "this pattern cannot match": the `regex` module still finds every
span, so the findings are the same with or without it (tests/policy/test_accelerate.py checks
that over the corpus).

That needs each pattern's hyperscan form to match wherever the pattern does (a superset), which
hyperscan's own syntax does not give: its Unicode tables are older than the `regex` module's
(`\\w` misses the combining marks, `\\d` newer digits) and it has no lookarounds. So
`prefilter_form` rewrites a pattern from its parse, widening where the two could differ:

- a literal char stays itself; case-insensitive, it becomes the class of every char the `regex`
  module folds to it (`_regex.get_all_cases`, the table its own matcher uses);
- any other char class (`[...]`, `\\w`, `\\p{L}`, `.`) becomes the chars the `regex` module
  itself says it matches, read off it code point by code point (those beyond the BMP taken
  whole for a class matching most of the BMP); or, when they make too many ranges (`\\w`,
  `\\p{L}`), the ASCII ones plus every non-ASCII char;
- zero-width parts (anchors, `\\b`, lookarounds) are dropped, lazy and possessive repeats read
  as greedy, and long bounded repeats as unbounded;
- anything else (backreferences, conditionals, fuzzy matching, verbose patterns…) gives up:
  the pattern then always runs, as it does without hyperscan.

Hyperscan is a dependency, but the engine does not need it: without it `Accelerator.build`
returns None and every pattern runs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import sys
import threading
from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any

import regex

from . import cache

try:  # the `regex` module's own case table (what its case-insensitive matching uses)
    from regex._regex import get_all_cases as _get_all_cases
except ImportError:  # pragma: no cover - then non-ASCII case-insensitive chars widen to any
    _get_all_cases = None

# Every non-ASCII char (UTF-8 cannot carry surrogates; hyperscan rejects them in a class).
_NON_ASCII = r"\x{80}-\x{D7FF}\x{E000}-\x{10FFFF}"
# The non-ASCII chars as code-point intervals [start, stop), without the surrogates: the two of
# the Basic Multilingual Plane, and the chars beyond it.
_BMP = ((0x80, 0xD800), (0xE000, 0x10000))
_ASTRAL = (0x10000, 0x110000)
_BMP_SIZE = sum(stop - start for start, stop in _BMP)
# A class whose non-ASCII chars make more ranges than this reads as every non-ASCII char:
# spelling out `\w` or `\p{L}` (hundreds of ranges) would slow hyperscan's compile and filter
# little better.
_MAX_RANGES = 64
# Bounded repeats longer than this read as unbounded: `[^\n]{0,45}` compiles ~50× slower in
# hyperscan than `[^\n]*`, and filters no better.
_MAX_BOUND = 8
# Flags a pattern may carry (globally or scoped); any other gives up.
_KNOWN_FLAGS = regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.UNICODE | regex.ASCII
_FLAG_LETTERS = {
    "i": regex.IGNORECASE,
    "m": regex.MULTILINE,
    "s": regex.DOTALL,
    "u": regex.UNICODE,
    "a": regex.ASCII,
}
# Escapes of one literal char.
_CHAR_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "e": "\x1b"}
# Zero-width escapes (dropped).
_ZERO_WIDTH_ESCAPES = set("bBAZzGmMK")
# Escapes of a class of single chars.
_CLASS_ESCAPES = set("dDsSwWpP")


class _GiveUp(Exception):
    """The pattern uses something the rewrite does not handle: it always runs."""


def prefilter_form(pattern: str, flags: int = 0) -> str | None:
    """A hyperscan expression matching (at least) wherever `pattern` does, or None.

    `flags` are the `regex` flags the pattern is compiled with; flags set inside the pattern are
    read from it. The result is for hyperscan's UTF-8 mode, without its case-insensitive or
    Unicode flags (the classes are spelled out).
    """
    forms = prefilter_forms(pattern, flags)
    return forms[0] if forms else None


def prefilter_forms(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """`prefilter_form`'s expression, then one for each short lookahead of the pattern, or None.

    A positive lookahead among the pattern's top-level items (none of them alternatives) whose
    text has a bounded length: its expression is the items before it, then that text as if
    matched. Every match of the pattern has a match of it too (the lookahead's text follows
    what the match holds before it), so the pattern may match only where all the expressions
    do. Dropped, as the first expression drops it, the lookahead lets through every draft with
    the rest: ACC006's `b…n(?=[a-z@4.\\-_* ]{0,3}[.\\-_*@4!1|0])…` (a spelling with marks)
    ran on any draft that sells accounts plainly ("bán nick"). Unbounded ones (`(?=\\S*\\d)`)
    keep hyperscan busy for little.
    """
    try:
        compiled = regex.compile(pattern, flags)
    except regex.error:
        return None
    flags = compiled.flags
    if flags & ~_KNOWN_FLAGS & ~regex.VERSION0 or flags & regex.VERSION1:
        return None
    rewriter = _Rewriter(pattern, flags)
    try:
        form = rewriter.rewrite()
    except _GiveUp:
        return None
    if not form:
        return None  # all zero-width: it may match anywhere
    return (form, *rewriter.lookaheads)


class StoredForms:
    """`prefilter_forms` of a pack's patterns, kept on disk between runs (policy/cache.py).

    Writing a form reads every char its classes match, code point by code point: 1–3 s for a
    pack, most of what building an accelerator took once its databases were stored. The forms
    depend only on the pattern, its flags and the code that writes them, so they are kept by
    pattern under a key made of this file, the `regex` module's version and Python's (whose
    Unicode tables the classes are read from). `save()` writes what was added.

    One file serves every pack (a service's packs share most patterns). Edited patterns leave
    their old forms behind, so once the file holds more than twice what this build asked for
    (and more than KEEP), it keeps only those.
    """

    ENTRIES = 4  # files kept (one per version of this code and its libraries)
    KEEP = 2000  # forms a file may hold before those no build asks for any more go

    def __init__(self) -> None:
        self._path = self._where()
        self._forms: dict[tuple[int, str], tuple[str, ...] | None] = {}
        self._used: set[tuple[int, str]] = set()
        self._added = False
        if self._path is not None:
            try:
                self._forms = self._read(self._path)
            except (OSError, ValueError, TypeError):
                pass  # none yet, or not as written here: written anew

    @staticmethod
    def _read(path: Path) -> dict[tuple[int, str], tuple[str, ...] | None]:
        found = {}
        for flags, pattern, forms in json.loads(path.read_text("utf-8")):
            if not (
                isinstance(flags, int)
                and isinstance(pattern, str)
                and (forms is None or forms and all(isinstance(f, str) for f in forms))
            ):
                raise ValueError("not a stored form")
            found[(flags, pattern)] = tuple(forms) if forms else None
        return found

    def forms(self, pattern: str, flags: int = 0) -> tuple[str, ...] | None:
        """`prefilter_forms(pattern, flags)`."""
        key = (int(flags), pattern)
        self._used.add(key)
        if key not in self._forms:
            self._forms[key] = prefilter_forms(pattern, flags)
            self._added = True
        return self._forms[key]

    def save(self) -> None:
        if self._path is None or not self._added:
            return
        if len(self._forms) > max(2 * len(self._used), self.KEEP):
            self._forms = {key: self._forms[key] for key in self._used}
        entries = [(flags, pattern, forms) for (flags, pattern), forms in self._forms.items()]
        try:
            cache.write_atomic(self._path, json.dumps(entries, ensure_ascii=False).encode())
            cache.prune(self._path.parent, ".json", keep=self._path, entries=self.ENTRIES)
        except OSError:
            pass  # a read-only home is fine: written again next time
        self._added = False

    @staticmethod
    def _where() -> Path | None:
        folder = cache.cache_dir()
        if folder is None:
            return None
        key = hashlib.sha256(Path(__file__).read_bytes())
        key.update(f"|{regex.__version__}|{sys.version}".encode())
        return folder / "prefilter-forms" / f"{key.hexdigest()}.json"


class _Rewriter:
    """Recursive descent over a `regex` pattern (VERSION0 syntax), writing its widened form."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.p = pattern
        self.i = 0
        self.global_flags = flags
        self.depth = 0  # groups open around self.i
        # The expressions of the top-level lookaheads (see prefilter_forms), and the text of the
        # positive lookahead just read at the top level, if any.
        self.lookaheads: list[str] = []
        self._ahead: str | None = None

    def rewrite(self) -> str:
        out = self.alternation(self.global_flags)
        if self.i != len(self.p):
            raise _GiveUp  # an unbalanced ")"
        return out

    # --- structure ------------------------------------------------------------------------------

    def alternation(self, flags: int) -> str:
        branches = [self.sequence(flags)]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self.sequence(flags))
        if len(branches) == 1:
            return branches[0]
        if self.depth == 0:
            self.lookaheads.clear()  # a match may take another branch than the one holding them
        # An empty branch matches the empty string: the whole alternation is then optional.
        return "(?:" + "|".join(branches) + ")"

    def sequence(self, flags: int) -> str:
        parts = []
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            flags, atom = self.atom(flags)
            ahead, self._ahead = self._ahead, None
            end = self.i
            parts.append(self.quantified(atom))
            if ahead and self.i == end and not ("*" in ahead or "+" in ahead or ",}" in ahead):
                # (Literal chars are written as \x{…}: a "*", "+" or ",}" is a repeat.)
                self.lookaheads.append("".join(parts) + f"(?:{ahead})")
        return "".join(parts)

    def quantified(self, atom: str) -> str:
        """`atom` with the quantifier that follows it, if any (lazy and possessive read greedy;
        long bounds read unbounded). An empty atom (zero-width) stays empty."""
        p = self.p
        if self.i >= len(p):
            return atom
        c = p[self.i]
        if c in "*+?":
            self.i += 1
            q = c
        elif c == "{":
            bounds = self._bounds()
            if bounds is None:
                if "}" in p[self.i :]:
                    raise _GiveUp  # perhaps fuzzy matching ("{e<=1}")
                return atom  # "{" read as a literal: handled as the next atom
            lo, hi = bounds
            lo = min(lo, _MAX_BOUND)
            if hi is not None and hi > _MAX_BOUND:
                hi = None
            q = f"{{{lo}}}" if hi == lo else f"{{{lo},{'' if hi is None else hi}}}"
        else:
            return atom
        if self.i < len(p) and p[self.i] in "?+":
            self.i += 1  # lazy or possessive: the same matches exist
        if self.i < len(p) and p[self.i] in "*+?{":
            if p[self.i] != "{" or self._bounds(peek=True) is not None:
                raise _GiveUp  # a quantified quantifier (an error, or regex-only syntax)
        return "" if not atom else f"(?:{atom}){q}"

    def _bounds(self, peek: bool = False) -> tuple[int, int | None] | None:
        """The `{m}`, `{m,}`, `{m,n}` or `{,n}` at self.i (consumed unless `peek`), or None when
        the "{" is a literal."""
        m = regex.match(r"\{(\d*)(?:(,)(\d*))?\}", self.p[self.i :])
        if m is None or (not m.group(1) and not m.group(2)):
            return None
        if not peek:
            self.i += m.end()
        lo = int(m.group(1) or 0)
        if m.group(2) is None:
            return lo, lo
        hi = int(m.group(3)) if m.group(3) else None
        if hi is not None and hi < lo:
            raise _GiveUp
        return lo, hi

    def atom(self, flags: int) -> tuple[int, str]:
        """The atom at self.i, rewritten, and the flags for what follows (a global flag group
        changes them)."""
        p = self.p
        c = p[self.i]
        if c == "(":
            return self.group(flags)
        if c == "[":
            start = self.i
            self.i = _class_end(p, self.i)
            return flags, _class_form(p[start : self.i], flags)
        if c == "\\":
            return flags, self.escape(flags)
        self.i += 1
        if c in "^$":
            return flags, ""
        if c == ".":
            return flags, _class_form(".", flags)
        if c in "*+?":
            raise _GiveUp  # nothing to repeat
        return flags, _char_form(c, flags)  # ("{" too, where it starts no repeat)

    def group(self, flags: int) -> tuple[int, str]:
        p = self.p
        self.i += 1  # "("
        inner_flags = flags
        if p.startswith("?", self.i):
            self.i += 1
            if self.i >= len(p):
                raise _GiveUp
            c = p[self.i]
            if c == ":":
                self.i += 1
            elif c == ">":  # atomic: its matches are among the plain group's
                self.i += 1
            elif c in "=!":  # lookahead: zero-width
                self.i += 1
                ahead = self._skip_lookaround(flags)
                if c == "=" and self.depth == 0:
                    self._ahead = ahead
                return flags, ""
            elif p.startswith("<=", self.i) or p.startswith("<!", self.i):
                self.i += 2
                self._skip_lookaround(flags)
                return flags, ""
            elif p.startswith("P<", self.i) or (c == "<" and self.i + 1 < len(p)):
                end = p.find(">", self.i)
                if end < 0:
                    raise _GiveUp
                name = p[self.i + (2 if c == "P" else 1) : end]
                if not name.isidentifier():
                    raise _GiveUp
                self.i = end + 1
            elif c.isalpha() or c == "-":
                on, off, end = _flag_group(p, self.i)
                self.i = end
                if p[self.i - 1] == ")":  # "(?i)": global (VERSION0), already in global_flags
                    return flags | on, ""
                inner_flags = (flags | on) & ~off
            else:
                raise _GiveUp  # comments, conditionals, recursion, branch reset…
        self.depth += 1
        inner = self.alternation(inner_flags)
        self.depth -= 1
        if self.i >= len(p) or p[self.i] != ")":
            raise _GiveUp
        self.i += 1
        return flags, f"(?:{inner})" if inner else ""

    def _skip_lookaround(self, flags: int) -> str:
        """Parse (to check the syntax is understood) a lookaround's body; its form, to drop."""
        self.depth += 1
        body = self.alternation(flags)
        self.depth -= 1
        if self.i >= len(self.p) or self.p[self.i] != ")":
            raise _GiveUp
        self.i += 1
        return body

    def escape(self, flags: int) -> str:
        p = self.p
        if self.i + 1 >= len(p):
            raise _GiveUp
        c = p[self.i + 1]
        start = self.i
        self.i += 2
        if c in _ZERO_WIDTH_ESCAPES:
            return ""
        if c in _CLASS_ESCAPES:
            if c in "pP":
                if self.i < len(p) and p[self.i] == "{":
                    end = p.find("}", self.i)
                    if end < 0:
                        raise _GiveUp
                    self.i = end + 1
                else:
                    self.i += 1  # \pL
            return _class_form(p[start : self.i], flags)
        if c in _CHAR_ESCAPES:
            return _char_form(_CHAR_ESCAPES[c], flags)
        if c == "x":
            if p.startswith("{", self.i):
                end = p.find("}", self.i)
                if end < 0:
                    raise _GiveUp
                digits, self.i = p[self.i + 1 : end], end + 1
            else:
                digits, self.i = p[self.i : self.i + 2], self.i + 2
            return _char_form(chr(_hex(digits)), flags)
        if c in "uU":
            n = 4 if c == "u" else 8
            digits, self.i = p[self.i : self.i + n], self.i + n
            return _char_form(chr(_hex(digits, n)), flags)
        if c == "0":
            m = regex.match(r"[0-7]{0,2}", p[self.i :])
            assert m is not None
            self.i += m.end()
            return _char_form(chr(int("0" + m.group(), 8)), flags)
        if c.isalnum() or c == "_":
            raise _GiveUp  # backreferences, \g<…>, \N{…}, \X and the rest
        return _char_form(c, flags)


def _hex(digits: str, n: int | None = None) -> int:
    if not digits or (n is not None and len(digits) != n):
        raise _GiveUp
    try:
        value = int(digits, 16)
    except ValueError:
        raise _GiveUp from None
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise _GiveUp
    return value


def _flag_group(p: str, i: int) -> tuple[int, int, int]:
    """The flags turned on and off by the group at `i` ("i-m:" or "i)"), and where it ends."""
    on = off = 0
    neg = False
    while i < len(p) and p[i] not in ":)":
        c = p[i]
        if c == "-":
            neg = True
        elif c in _FLAG_LETTERS:
            if neg:
                off |= _FLAG_LETTERS[c]
            else:
                on |= _FLAG_LETTERS[c]
        else:
            raise _GiveUp  # x, f, V1, w, b, e, r…
        i += 1
    if i >= len(p):
        raise _GiveUp
    return on, off, i + 1


def _class_end(p: str, i: int) -> int:
    """The index after the "]" closing the class that opens at `i` (VERSION0: no nested sets)."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1  # a leading "]" is a literal
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[" and j + 1 < len(p) and p[j + 1] in ":=.":
            raise _GiveUp  # POSIX classes
        if c == "]":
            return j + 1
        j += 1
    raise _GiveUp


def _ranges(codes: Iterable[int]) -> str:
    """Code points as hyperscan class ranges."""
    out = []
    run: list[int] = []
    for c in sorted(set(codes)):
        if run and c == run[1] + 1:
            run[1] = c
            continue
        if run:
            out.append(_range(*run))
        run = [c, c]
    if run:
        out.append(_range(*run))
    return "".join(out)


def _range(a: int, b: int) -> str:
    return f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}"


_CASE_FLAGS = regex.IGNORECASE | regex.ASCII | regex.UNICODE


@functools.lru_cache(maxsize=4096)
def _char_form(c: str, flags: int) -> str:
    """One literal char: itself, or every char the `regex` module folds to it."""
    if not flags & regex.IGNORECASE:
        return _range(ord(c), ord(c))
    if _get_all_cases is not None:
        return "[" + _ranges([ord(c), *_get_all_cases(flags & _CASE_FLAGS, ord(c))]) + "]"
    return _class_form(regex.escape(c), flags)  # pragma: no cover


@functools.lru_cache(maxsize=4096)
def _class_form(source: str, flags: int) -> str:
    """A class of single chars (`[...]`, `\\w`, `\\p{L}`, `.`): the chars the `regex` module
    matches with it; or, when they make more than _MAX_RANGES ranges, the ASCII ones and every
    non-ASCII char.

    Spelt out, `\\s`, `[cl]` or `[^\\s:=]` take no Vietnamese letter they do not match: as every
    non-ASCII char, they let patterns through on drafts they cannot match (`(?i)c[cl]\\s+gì` on
    "có gì") and keep hyperscan's automata busy (a quarter of its scans' time).

    Reading the chars beyond the BMP costs ~10 ms a class, so a class matching most of the BMP
    (negated ones, `.`) takes them all unread: they would add little.
    """
    compiled_flags = flags & (_KNOWN_FLAGS | regex.VERSION0)
    try:
        compiled = regex.compile(source, compiled_flags)
        runs = regex.compile(f"(?:{source})+", compiled_flags)
    except regex.error:
        raise _GiveUp from None
    ascii_codes = [a for a in range(128) if compiled.fullmatch(chr(a))]
    wide = "[" + _ranges(ascii_codes) + _NON_ASCII + "]"
    spans = []
    for start, stop in _BMP:
        if not _read_runs(runs, start, stop, spans):
            return wide
    if sum(b - a + 1 for a, b in spans) > _BMP_SIZE // 2:
        spans.append((_ASTRAL[0], _ASTRAL[1] - 1))
    elif len(spans) > _MAX_RANGES // 2 or not _read_runs(runs, *_ASTRAL, spans):
        return wide  # (a class of many ranges in the BMP has many beyond it: `\d`)
    body = _ranges(ascii_codes) + "".join(_range(a, b) for a, b in spans)
    if not body:
        raise _GiveUp  # it matches no char at all (an error, most likely): the pattern runs
    return "[" + body + "]"


def _read_runs(runs: Any, start: int, stop: int, spans: list[tuple[int, int]]) -> bool:
    """Append to `spans` the ranges of the chars from `start` to `stop` (excluded) that `runs`
    (a class, repeated) matches; False once `spans` holds more than _MAX_RANGES.

    A class matches one char whatever surrounds it, so each match of `runs` over the chars in
    code-point order is a range of chars it matches, and the matches are all of them.
    """
    chars = _code_points(start, stop)
    for m in runs.finditer(chars):
        spans.append((start + m.start(), start + m.end() - 1))
        if len(spans) > _MAX_RANGES:
            return False
    return True


@functools.lru_cache(maxsize=3)
def _code_points(start: int, stop: int) -> str:
    """Every char from `start` to `stop` (excluded), in order (~4 MB beyond the BMP: dropped once
    an accelerator is built, see Accelerator.build)."""
    return "".join(map(chr, range(start, stop)))


# --- the accelerator ----------------------------------------------------------------------------


class _Further:
    """Stands for one of a pattern's further forms (prefilter_forms) among the hyperscan ids:
    equal to itself alone, so never to any key."""

    __slots__ = ("key",)

    def __init__(self, key: Hashable) -> None:
        self.key = key  # the pattern's


class Accelerator:
    """Hyperscan databases of a pack's patterns (one per text they run on: the normalised draft
    and the folded one). `possible(norm, folded)` gives the keys of the patterns that may match.

    A database is shared by threads; each thread scans with its own scratch space.
    """

    def __init__(
        self,
        databases: tuple[Any, Any],
        keys: list[Hashable],
        always: frozenset[Hashable],
        requires: tuple[tuple[Hashable, tuple[Hashable, ...]], ...] = (),
    ) -> None:
        self._databases = databases  # (on the normalised text, on the folded text), or None
        # hyperscan id → pattern key, or the marker of one of its further forms
        self._keys = keys
        self._always = always  # keys of the patterns without a prefilter form: they always run
        # Per pattern with further forms (prefilter_forms): its key and their markers, all of
        # which its draft must match too; and every marker, dropped from the answer.
        self._requires = requires
        self._markers = frozenset(key for key in keys if isinstance(key, _Further))
        self._local = threading.local()

    @property
    def size(self) -> int:
        """Number of patterns the databases cover."""
        return sum(not isinstance(key, _Further) for key in self._keys)

    @classmethod
    def build(
        cls, patterns: Iterable[tuple[Hashable, bool, tuple[str, ...] | None]]
    ) -> Accelerator | None:
        """Compile `patterns` — (key, runs on the folded text, prefilter_forms or None) — or
        return None when hyperscan is not installed or no pattern has a prefilter form.

        A pattern may match only where each of its forms matches (the first one of a form that
        hyperscan rejects always runs; a further one is dropped)."""
        if _hyperscan() is None:
            return None
        keys: list[Hashable] = []
        always: set[Hashable] = set()
        further: dict[Hashable, list[Hashable]] = {}
        sides: tuple[list, list] = ([], [])
        for key, on_folded, forms in patterns:
            if not forms:
                always.add(key)
                continue
            for n, form in enumerate(forms):
                sides[on_folded].append((len(keys), form.encode()))
                if n == 0:
                    keys.append(key)
                else:
                    marker = _Further(key)
                    further.setdefault(key, []).append(marker)
                    keys.append(marker)
        _code_points.cache_clear()  # the forms are written
        if not keys:
            return None
        databases = []
        for chosen in sides:
            db = _stored_database(tuple(chosen)) if chosen else None
            if chosen and db is None:  # a form hyperscan rejects: find it, the rest compile
                kept = tuple(entry for entry in chosen if _database((entry,)) is not None)
                for i in {i for i, _ in chosen} - {i for i, _ in kept}:
                    rejected = keys[i]
                    if isinstance(rejected, _Further):
                        further[rejected.key].remove(rejected)
                    else:
                        always.add(rejected)
                db = _stored_database(kept) if kept else None
            databases.append(db)
        requires = tuple(
            (key, tuple(markers))
            for key, markers in further.items()
            if markers and key not in always
        )
        return cls((databases[0], databases[1]), keys, frozenset(always), requires)

    def possible(self, norm: str, folded: str) -> set[Hashable] | None:
        """Keys of the patterns that may match (those on the folded text matched in `folded`),
        or None when the draft cannot be scanned (lone surrogates) and every pattern must run."""
        found = set(self._always)
        add = found.add
        keys = self._keys

        def on_match(pid: int, start: int, end: int, flags: int, context: Any) -> None:
            add(keys[pid])

        try:
            for db, text in zip(self._databases, (norm, folded), strict=True):
                if db is not None:
                    db.scan(text.encode(), match_event_handler=on_match, scratch=self._scratch(db))
        except (UnicodeEncodeError, _hyperscan().error):
            return None
        if self._markers:
            for key, markers in self._requires:
                if key in found and not found.issuperset(markers):
                    found.discard(key)
            found.difference_update(self._markers)
        return found

    def _scratch(self, db: Any) -> Any:
        """This thread's scratch space for `db` (hyperscan forbids sharing one between scans)."""
        scratches = getattr(self._local, "scratches", None)
        if scratches is None:
            scratches = self._local.scratches = {}
        scratch = scratches.get(id(db))
        if scratch is None:
            scratch = scratches[id(db)] = _hyperscan().Scratch(db)
        return scratch


@functools.cache
def _hyperscan() -> Any:
    """The hyperscan module, or None when it is not installed (imported on first use: a one-shot
    `rasoat check` never builds an accelerator, and the import costs ~7 ms)."""
    try:
        import hyperscan
    except ImportError:
        return None
    return hyperscan


def flags() -> int:
    """Hyperscan flags of every prefilter form."""
    hs = _hyperscan()
    return (
        hs.HS_FLAG_UTF8
        | hs.HS_FLAG_SINGLEMATCH  # whether a pattern matches is all we ask
        | hs.HS_FLAG_ALLOWEMPTY
        | hs.HS_FLAG_PREFILTER  # hyperscan may widen what it finds hard to compile
    )


@functools.lru_cache(maxsize=8)
def _database(entries: tuple[tuple[int, bytes], ...]) -> Any:
    """A block-mode database of (id, expression) entries, or None when one does not compile.

    Kept for reuse: a reloaded pack whose patterns did not change (or another linter of the same
    pack) shares the compiled database instead of compiling it again (~1 s). A database is
    read-only once compiled, so sharing is safe.
    """
    hs = _hyperscan()
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    try:
        db.compile(
            expressions=[form for _, form in entries], ids=[i for i, _ in entries], flags=flags()
        )
    except hs.error:
        return None
    return db


# A stored database: this header, the SHA-256 of the serialised database, then that. Hyperscan
# checks a database's version and platform when it loads one, but not its bytes (a truncated or
# altered file may load, then crash a scan), so the digest does.
_STORED_MAGIC = b"rasoat hyperscan database 1\n"
STORED_ENTRIES = 16  # databases kept on disk (two per pack and version, a few of each)


@functools.lru_cache(maxsize=8)
def _stored_database(entries: tuple[tuple[int, bytes], ...]) -> Any:
    """`_database`, kept on disk between runs (policy/cache.py): compiling a pack's databases
    takes 1–3 s, which every start of the service, and every reload of an edited pack, paid;
    loading one takes a few ms. Keyed by the expressions, their ids and flags and the hyperscan
    version, so an edited pattern is a new entry. Any problem with the store is a miss."""
    path = _stored_path(entries)
    if path is not None:
        db = _read_stored(path)
        if db is not None:
            return db
    db = _database(entries)
    if db is not None and path is not None:
        try:
            data = _hyperscan().dumpb(db)
            cache.write_atomic(path, _STORED_MAGIC + hashlib.sha256(data).digest() + data)
            cache.prune(path.parent, ".hsdb", keep=path, entries=STORED_ENTRIES)
        except (OSError, _hyperscan().error):
            pass  # a read-only home is fine: compiled again next time
    return db


def _stored_path(entries: tuple[tuple[int, bytes], ...]) -> Path | None:
    folder = cache.cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256()
    hs = _hyperscan()
    key.update(f"{getattr(hs, '__version__', '')}|{platform.machine()}|{flags()}\n".encode())
    for i, form in entries:
        key.update(b"%d\0%d\0%s" % (i, len(form), form))
    return folder / "hyperscan" / f"{key.hexdigest()}.hsdb"


def _read_stored(path: Path) -> Any:
    """The database stored at `path`, or None when there is none or it does not check out."""
    hs = _hyperscan()
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(_STORED_MAGIC)
    digest, data = blob[head : head + 32], blob[head + 32 :]
    if not blob.startswith(_STORED_MAGIC) or hashlib.sha256(data).digest() != digest:
        return None
    try:
        return hs.loadb(data, hs.HS_MODE_BLOCK)
    except hs.error:  # another hyperscan build or platform
        return None
