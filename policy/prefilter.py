"""What a regex needs, so the engine can skip it (or run it more cheaply) — see `Linter._check`.

`gate_literals`  literals for the phrase automaton: a cheap, loose gate (diacritics and case
    ignored, inside words) found in the same scan as the phrases. A light reading of the pattern:
    it understands only plain literals at the start and at the top level, and gives up (None) on
    anything else. (Its literals are phrases of the matcher, from which the benchmark drafts are
    drawn: changing them changes those drafts.)

The others come from a parse of the whole pattern (`_Parser`) that summarises each part as
    exact     the finite set of strings the part matches, when known and small (else None);
    required  sets of strings of which every match of the part contains at least one (each set
              holds on its own, so all of them hold at once).
A sequence multiplies runs of exact parts out ("t(?:ối|uyệt) mật" → "tối mật", "tuyệt mật"); an
alternation needs one set from each branch; a part repeated at least once keeps its sets; an
optional part requires nothing. Lookarounds match no text, but a positive one needs its content in
the draft, which is all a gate asks.

`exact_checks`  literals looked up verbatim (`in`, ~1 µs per 2,000 chars) in the text the pattern
    runs on, lower-cased for case-insensitive ones: far more selective than the folded gate when
    the literal has diacritics ("mọi" vs "mới", "môi") or capitals ("MẬT" vs "mật").
`tail_pattern`  for a pattern with a wide gap, the literal-led part after it: a cheap search that
    must match wherever the pattern does. `scan_pattern`: the tail again, for the hyperscan
    prefilter, when the part before the gap is common words.
`lowered_pattern`  a case-insensitive pattern rewritten to run on the lower-cased text, finding
    the same spans about twice as fast.

All are deliberately conservative: the parse understands a subset of the `regex` module's V0
syntax (literals, classes, groups, alternation, quantifiers, lookarounds, inline flags) and gives
up on anything else — back-references, conditionals, verbose or full-case-folding flags, fuzzy
matching, `\\X`, `\\G`. A wrong answer would hide findings; no answer costs only time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from operator import itemgetter

from .normalize import STRIP, fold, normalize

_SAFE_ESCAPES = {".": ".", "-": "-", " ": " ", "'": "'", '"': '"', "/": "/", "&": "&"}
_QUANTIFIERS = "?*+{"


# What the light readings below act on, skipping all else in C: an escape (the char after a
# backslash is never structure), a class (up to its first unescaped "]", or the end), "(", ")"
# and "|".
_STRUCTURE = re.compile(r"\\[\s\S]?|\[(?:\\[\s\S]?|[^\]\\])*\]?|[()|]")


def _skip_group(p: str, i: int) -> int:
    """Index just after the group opening at p[i] == '(' (escapes and classes respected)."""
    depth = 0
    for m in _STRUCTURE.finditer(p, i):
        c = m.group()
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return m.end()
    return -1


def _atom_end(p: str, i: int) -> int:
    """End of a class / escape / single char atom at p[i], or i when it is something else."""
    if p.startswith("[", i):
        j = i + 1
        if j < len(p) and p[j] == "^":
            j += 1
        if j < len(p) and p[j] == "]":
            j += 1
        while j < len(p) and p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        return j + 1 if j < len(p) else i
    if p.startswith("\\", i) and i + 1 < len(p) and p[i + 1] in "wWsSdD":
        return i + 2
    if i < len(p) and p[i] == ".":
        return i + 1
    return i


def _has_top_level_bar(p: str) -> bool:
    return len(_split_bars(p)) > 1


def _literal(alt: str) -> str | None:
    """The text of a plain-literal alternative, or None."""
    out = []
    i = 0
    while i < len(alt):
        c = alt[i]
        if c == "\\":
            if i + 1 < len(alt) and alt[i + 1] in _SAFE_ESCAPES:
                out.append(_SAFE_ESCAPES[alt[i + 1]])
                i += 2
                continue
            return None
        if not (c.isalnum() or c in " _'\"&/"):
            return None
        out.append(c)
        i += 1
    text = "".join(out)
    return text if any(ch.isalnum() for ch in text) and "  " not in text else None


def _split_bars(body: str) -> list[str]:
    """`body` cut at its top-level "|"s (those outside groups, classes and escapes)."""
    if "|" not in body:
        return [body]  # (most bodies: no need to read them)
    parts, depth, start = [], 0, 0
    for m in _STRUCTURE.finditer(body):
        c = m.group()
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start : m.start()])
            start = m.end()
    parts.append(body[start:])
    return parts


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Literals one of which starts every match of `pattern`, or None when unsure."""
    return None if _has_top_level_bar(pattern) else _leading_literals(pattern)


def _leading_literals(p: str) -> tuple[str, ...] | None:
    """`required_literals` of a pattern known to have no top-level `|`."""
    i = 0
    while True:
        if p.startswith(("(?i)", "(?u)", "(?V0)", "(?V1)"), i):
            i = p.index(")", i) + 1
        elif p.startswith("\\b", i) or p.startswith("^", i):
            i += 2 if p.startswith("\\b", i) else 1
        elif p.startswith("(?=", i):
            # A lookahead that needs a literal: the literal is in the draft whenever this matches.
            j = _skip_group(p, i)
            if j < 0:
                return None
            inner = required_literals(p[i + 3 : j - 1])
            if inner is not None:
                return inner
            i = j
        elif p.startswith(("(?<!", "(?<=", "(?!"), i):
            j = _skip_group(p, i)
            if j < 0:
                return None
            i = j
        elif p.startswith("(", i):
            # An optional group ("(?:https?://)?") may be skipped; any other group is read below.
            j = _skip_group(p, i)
            if j < 0:
                return None
            if j < len(p) and p[j] in "?*":
                i = j + 1 + (j + 1 < len(p) and p[j + 1] in "?+")
                continue
            break
        else:
            # An atom repeated zero or more times ("[a-z0-9]*", "\\w*?") may be skipped too.
            j = _atom_end(p, i)
            if j > i and j < len(p) and p[j] == "*":
                i = j + 1 + (j + 1 < len(p) and p[j + 1] in "?+")
                continue
            break
    if i >= len(p):
        return None
    if p.startswith(("(?:", "(?i:"), i):
        j = _skip_group(p, i)
        if j < 0 or (j < len(p) and p[j] in _QUANTIFIERS):
            return None
        body = p[p.index(":", i) + 1 : j - 1]
        lits = [_literal(a) for a in _split_bars(body)]
        if not lits or any(lit is None for lit in lits):
            return None
        return tuple(dict.fromkeys(lit.strip() for lit in lits if lit))  # type: ignore[union-attr]
    # A plain literal run; a quantifier after it applies to its last char, which is then dropped.
    j = i
    out = []
    while j < len(p) and (p[j].isalnum() or p[j] == " "):
        out.append(p[j])
        j += 1
    if j < len(p) and p[j] in _QUANTIFIERS and out:
        out.pop()
    text = "".join(out).strip()
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return None
    return (text,)


_FLAGS = "aiLmsuxfbrVw0123456789"  # letters and digits of inline flag groups: (?im), (?V1)


def _flag_group_end(p: str, i: int) -> int:
    """End of an inline flag group `(?im)` at p[i], or -1 when p[i] opens something else."""
    if not p.startswith("(?", i):
        return -1
    j = i + 2
    while j < len(p) and p[j] in _FLAGS + "-":
        j += 1
    return j + 1 if j > i + 2 and j < len(p) and p[j] == ")" else -1


# Groups whose content every match needs: plain, case-scoped and positive lookarounds.
_REQUIRED_GROUPS = ("(?:", "(?i:", "(?-i:", "(?=", "(?<=")


def _alnum_count(text: str) -> int:
    return sum(map(str.isalnum, text))


def clear_caches() -> None:
    """Forget the analyses kept while compiling a pack (each pattern is analysed by several of
    the functions below; `compile_pack` starts every pack afresh)."""
    gate_literals.cache_clear()
    gate_sets.cache_clear()
    _parsed.cache_clear()


@functools.lru_cache(maxsize=4096)
def gate_literals(pattern: str) -> tuple[str, ...] | None:
    """Literals one of which every match of `pattern` contains, or None when unsure.

    Looks at the pattern's top level (no top-level `|`): each run of plain characters (a
    quantified last character dropped) and each group every match goes through — plain,
    capturing, case-scoped or a positive lookaround, not followed by `?`/`*`/`{` — whose
    alternatives each have literals of their own (found the same way) is a candidate; so are
    the literals `required_literals` reads off the start. Returns the most selective candidate
    (the one whose shortest literal is longest; 3+ letters/digits), or None. Verbose patterns
    (`(?x)`) and escapes with arguments (`\x41`, back-references) are never analysed.
    """
    p = pattern
    if _has_top_level_bar(p) or re_verbose(p):
        return None
    candidates: list[tuple[str, ...]] = []
    start = _leading_literals(p)
    if start is not None:
        candidates.append(start)
    run: list[str] = []

    def close_run(quantified: bool) -> None:
        if quantified and run:
            run.pop()
        text = "".join(run).strip()
        if text and "  " not in text:
            candidates.append((text,))
        run.clear()

    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            nxt = p[i + 1] if i + 1 < len(p) else ""
            if nxt in _SAFE_ESCAPES:
                run.append(_SAFE_ESCAPES[nxt])
                i += 2
                if i < len(p) and p[i] in _QUANTIFIERS:
                    close_run(True)
                continue
            if not nxt or nxt in "xuUN0123456789gk":
                return None  # escapes with arguments (\x41, \N{…}, back-references): give up
            close_run(False)
            i += 2  # \b, \s, \d, \w …; the braces of \p{L} are skipped here too
            if nxt in "pP" and i < len(p) and p[i] == "{":
                i = _brace_end(p, i)
            continue
        if c.isalnum() or c in " _'\"&/":
            run.append(c)
            i += 1
            if i < len(p) and p[i] in _QUANTIFIERS:
                close_run(True)
            continue
        close_run(False)
        if c == "{":
            i = _brace_end(p, i)  # a counted quantifier: its digits are not literals
            continue
        if c == "[":
            j = _atom_end(p, i)
            if j <= i:
                return None
            i = j
            continue
        if c == "(":
            flags_end = _flag_group_end(p, i)
            if flags_end > 0:
                i = flags_end
                continue
            j = _skip_group(p, i)
            if j < 0:
                return None
            optional = j < len(p) and p[j] in "?*{"
            opener = next((o for o in _REQUIRED_GROUPS if p.startswith(o, i)), None)
            if opener is None and p[i + 1 : i + 2] != "?":
                opener = "("  # a capturing group
            if not optional and opener is not None:
                # A group every match goes through (a positive lookaround: the draft has it):
                # each alternative needs one of its own literals, so the union is a candidate.
                union: list[str] = []
                for alt in _split_bars(p[i + len(opener) : j - 1]):
                    lits = gate_literals(alt)
                    if lits is None:
                        break
                    union.extend(lits)
                else:
                    candidates.append(tuple(dict.fromkeys(union)))
            i = j
            continue
        i += 1
    close_run(False)
    # Each candidate ranked by its shortest literal (then by fewer literals); the first best wins.
    ranked = [(_gate_rank(c), c) for c in candidates if c]
    good = [rc for rc in ranked if rc[0][0] >= 3]
    if not good:
        return None
    return max(good, key=itemgetter(0))[1]


def _brace_end(p: str, i: int) -> int:
    """Index just after the `}` closing the brace at p[i] (end of pattern when unclosed)."""
    j = p.find("}", i)
    return len(p) if j < 0 else j + 1


def re_verbose(p: str) -> bool:
    """True when an inline flag group turns on verbose mode (spaces are then not literal)."""
    i = p.find("(?")
    while i >= 0:
        end = _flag_group_end(p, i)
        if end > 0 and "x" in p[i:end]:
            return True
        i = p.find("(?", i + 1)
    return False


# --- the whole-pattern parse ---------------------------------------------------------------------

Literal = tuple[str, bool]  # (text, matched case-insensitively)
LiteralSet = frozenset[Literal]

_LIMIT = 64  # most strings an exact set may hold (cross products grow fast)
_EMPTY: LiteralSet = frozenset({("", False)})
_ALLOWED_FLAGS = frozenset("imsuaw")  # inline flags that never change which text a literal matches
_GLOBAL_I = re.compile(r"\(\?[A-Za-z0-9\-]*i[A-Za-z0-9\-]*\)")  # V0: applies to the whole pattern
_COUNTED = re.compile(r"\{(\d*)(,?)(\d*)\}")
_NAMED = re.compile(r"\(\?P?<\w+>")
# A run of chars that each match only themselves: all but those `_Parser.atom` reads otherwise.
_PLAIN_RUN = re.compile(r"[^()\[\\.^$?*+{}|]+")
_FLAG_GROUP = re.compile(r"\(\?([A-Za-z0-9]*)(?:-([A-Za-z]+))?([:)])")


class _GiveUp(Exception):
    """The pattern uses syntax this parser does not model."""


class _Info:
    """What one part of a pattern matches (see the module docstring)."""

    __slots__ = ("exact", "required")

    def __init__(self, exact: LiteralSet | None, required: tuple[LiteralSet, ...] = ()) -> None:
        self.exact = exact
        self.required = required

    def candidates(self) -> tuple[LiteralSet, ...]:
        """Every set of which each match contains one literal."""
        if self.exact is not None and _nonempty(self.exact):
            return self.required + (self.exact,)
        return self.required


_UNKNOWN_CHAR = _Info(None)  # one char of a class, `.`, `\w` …: no literal
_ZERO_WIDTH = _Info(_EMPTY)  # `\b`, `^`, a negative lookaround …


def _nonempty(s: LiteralSet) -> bool:
    return all(text for text, _ in s)


def _product(a: LiteralSet, b: LiteralSet) -> LiteralSet | None:
    if len(a) * len(b) > _LIMIT:
        return None
    return frozenset((x + y, xi or yi) for x, xi in a for y, yi in b)


def _concat(items: list[_Info]) -> _Info:
    required: list[LiteralSet] = []
    run: LiteralSet | None = _EMPTY  # exact parts multiplied out so far
    whole = True  # every part went into `run`
    for item in items:
        required.extend(item.required)
        if item.exact is None:
            if run is not None:
                required.append(run)
            run, whole = None, False
        elif run is None:
            run = item.exact
        else:
            joined = _product(run, item.exact)
            if joined is None:
                required.append(run)
                run, whole = item.exact, False
            else:
                run = joined
    if whole:
        return _Info(run, tuple(dict.fromkeys(s for s in required if _nonempty(s))))
    if run is not None:
        required.append(run)
    kept = tuple(dict.fromkeys(s for s in required if _nonempty(s)))  # "" in a set: needs nothing
    return _Info(None, kept)


def _alternation(branches: list[_Info], pick: Callable) -> _Info:
    if len(branches) == 1:
        return branches[0]
    if all(b.exact is not None for b in branches):
        union = frozenset().union(*(b.exact for b in branches))  # type: ignore[misc]
        if len(union) <= _LIMIT:
            return _Info(union)  # (every set below is implied by it)
    # Every match goes through one branch, which needs one of its sets: their union is required.
    chosen = []
    for b in branches:
        best = pick(b.candidates())
        if best is None:
            return _Info(None)
        chosen.append(best)
    return _Info(None, (frozenset().union(*chosen),))


def _repeat(item: _Info, lo: int, hi: int | None) -> _Info:
    if lo == 0:  # optional: requires nothing, but "codes?" is still exact
        return _Info(item.exact | _EMPTY if hi == 1 and item.exact is not None else None)
    if item.exact is None:
        return _Info(None, item.required)
    power: LiteralSet | None = item.exact
    for _ in range(lo - 1):
        power = _product(power, item.exact) if power is not None else None
    if power is None:  # too many: each repetition still needs one of the part's strings
        return _Info(None, item.required + (item.exact,))
    if hi == lo:
        return _Info(power, item.required)
    return _Info(None, item.required + (power,))


class _Parser:
    """Recursive descent over a pattern; raises _GiveUp on anything it does not model."""

    def __init__(self, pattern: str, pick: Callable) -> None:
        self.p = pattern
        self.i = 0
        self.pick = pick
        # The pattern's top-level items when it has no top-level `|`: (start, info, wide gap).
        self.top: list[tuple[int, _Info, bool]] = []
        self.global_flags: list[str] = []  # "(?i)", "(?m)" … as written
        self._quantifier: tuple[int, int | None] | None = None  # of the last item read
        # For `lowered_pattern`: replacements (start, end, text) that lower-case the pattern, and
        # whether every construct read is one lower-casing provably keeps the same (see there).
        self.edits: list[tuple[int, int, str]] = []
        self.lowerable = True
        # Whether an alternation asked `pick` to choose: if not, any other pick parses the
        # pattern to the same result (see `required_sets`).
        self.picked = False

    def _pick(self, candidates: tuple[LiteralSet, ...]) -> LiteralSet | None:
        self.picked = True
        return self.pick(candidates)

    def parse(self) -> _Info:
        ci = bool(_GLOBAL_I.search(self.p))
        branches = [self.sequence(ci, self.top)]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.top.clear()
            self.i += 1
            branches.append(self.sequence(ci))
        if self.i != len(self.p):
            raise _GiveUp
        return _alternation(branches, self._pick)

    def alternation(self, ci: bool) -> _Info:
        branches = [self.sequence(ci)]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self.sequence(ci))
        return _alternation(branches, self._pick)

    def sequence(self, ci: bool, record: list | None = None) -> _Info:
        items = []
        p = self.p
        while self.i < len(p) and p[self.i] not in "|)":
            start = self.i
            run = _PLAIN_RUN.match(p, start)
            if run is not None:
                end = run.end()
                if end < len(p) and p[end] in _QUANTIFIERS:
                    end -= 1  # a quantifier applies to the last char alone: an atom below
                if end > start:
                    # The chars one by one would multiply out to this one string (`_concat`):
                    # read at once, as most of a pack's patterns are words.
                    item = self.literal(start, end, ci)
                    items.append(item)
                    if record is not None:
                        record.append((start, item, False))
                    continue
            atom = self.atom(ci)
            atom_end = self.i
            self._quantifier = None
            item = self.quantified(atom)
            items.append(item)
            if record is not None:
                q = self._quantifier
                wide = q is not None and (q[1] is None or q[1] >= 5)
                record.append((start, item, wide and _broad(self.p[start:atom_end])))
        return _concat(items)

    def quantified(self, atom: _Info) -> _Info:
        p = self.p
        if self.i >= len(p) or p[self.i] not in "?*+{":
            return atom
        if p[self.i] == "{":
            m = _COUNTED.match(p, self.i)
            if m is None or not (m.group(1) or m.group(3)):
                raise _GiveUp  # fuzzy constraints ("{e<=1}") or a literal brace
            lo = int(m.group(1) or 0)
            hi = lo if not m.group(2) else (int(m.group(3)) if m.group(3) else None)
            self.i = m.end()
        else:
            lo, hi = {"?": (0, 1), "*": (0, None), "+": (1, None)}[p[self.i]]
            self.i += 1
        self._quantifier = (lo, hi)
        if self.i < len(p) and p[self.i] in "?+":
            self.i += 1  # lazy or possessive: the same strings can match
        if self.i < len(p) and p[self.i] in "?*+{":
            raise _GiveUp
        return _repeat(atom, lo, hi)

    def literal(self, start: int, end: int, ci: bool) -> _Info:
        """The run of plain chars p[start:end] (see `_PLAIN_RUN`)."""
        text = self.p[start:end]
        if text != text.lower() or not _CASE_SAFE.issuperset(text):  # (else nothing to note)
            for at in range(start, end):
                self._lower(at, self.p[at])
        self.i = end
        return _Info(frozenset({(text, ci)}))

    def atom(self, ci: bool) -> _Info:
        c = self.p[self.i]
        if c == "(":
            return self.group(ci)
        if c == "[":
            return self.char_class(ci)
        if c == "\\":
            return self.escape(ci)
        self.i += 1
        if c == ".":
            return _UNKNOWN_CHAR
        if c in "^$":
            return _ZERO_WIDTH
        if c in "?*+{}":
            raise _GiveUp
        self._lower(self.i - 1, c)
        return _Info(frozenset({(c, ci)}))

    def group(self, ci: bool) -> _Info:
        p, i = self.p, self.i
        if not p.startswith("(?", i):
            self.i += 1
            return self.close(self.alternation(ci))
        for opener, positive in (("(?=", True), ("(?<=", True), ("(?!", False), ("(?<!", False)):
            if p.startswith(opener, i):
                self.i += len(opener)
                inner = self.close(self.alternation(ci))
                # A negative lookaround requires nothing; a positive one its content (anywhere).
                return _Info(_EMPTY, inner.candidates()) if positive else _ZERO_WIDTH
        if p.startswith("(?>", i):  # atomic: the same strings can match
            self.i += 3
            return self.close(self.alternation(ci))
        named = _NAMED.match(p, i)
        if named is not None:
            self.i = named.end()
            return self.close(self.alternation(ci))
        flags = _FLAG_GROUP.match(p, i)
        if flags is None:
            raise _GiveUp  # back-references, conditionals, comments, branch resets …
        on, off, end = flags.group(1), flags.group(2) or "", flags.group(3)
        if on != "V0" and not set(on + off) <= _ALLOWED_FLAGS:
            raise _GiveUp  # verbose, full case folding, V1 …
        self.i = flags.end()
        if on != "V0" and not set(on + off) <= _LOWERABLE_FLAGS or "i" in off:
            self.lowerable = False
        if on != "V0" and "i" in on:  # lowered: "(?im)" → "(?m)", "(?i:" → "(?:"
            kept = on.replace("i", "") + (f"-{off}" if off else "")
            self.edits.append((i, self.i, f"(?{kept}{end}" if kept or end == ":" else ""))
        if end == ")":
            if i != sum(map(len, self.global_flags)):
                self.lowerable = False  # only leading flag groups are sure to apply everywhere
            self.global_flags.append(flags.group())
            return _ZERO_WIDTH  # a global flag group (its `i` was seen by `parse`)
        # "(?-i:…)" stays case-insensitive here: a case-insensitive lookup is a superset.
        return self.close(self.alternation(ci or "i" in on))

    def close(self, info: _Info) -> _Info:
        if self.i >= len(self.p) or self.p[self.i] != ")":
            raise _GiveUp
        self.i += 1
        return info

    def char_class(self, ci: bool) -> _Info:
        """One unknown char, or a small set of plain chars ("[a@4]")."""
        p = self.p
        j = self.i + 1
        negated = p.startswith("^", j)
        j += negated
        members: list[str] | None = []
        first = True  # a "]" right after "[" or "[^" is a member
        while j < len(p) and (p[j] != "]" or first):
            c = p[j]
            if p.startswith(("[:", "[=", "[."), j):
                raise _GiveUp  # POSIX classes have brackets of their own
            if c == "\\":
                if members is not None and j + 1 < len(p) and not p[j + 1].isalnum():
                    members.append(p[j + 1])
                else:
                    members = None  # \d, \p{L}, \x27 …
                j = self._class_escape(j)
            else:
                if members is not None and c not in "-[":
                    members.append(c)
                else:
                    members = None  # ranges (and V1 set syntax) are not expanded
                if c == "-" and not first and not p.startswith("]", j + 1):
                    self.lowerable = False  # a range: its case variants are another range
                self._lower(j, c)
                j += 1
            first = False
        if j >= len(p):
            raise _GiveUp
        self.i = j + 1
        if negated or not members or len(set(members)) > 4:
            return _UNKNOWN_CHAR
        return _Info(frozenset((m, ci) for m in members))

    def _lower(self, at: int, c: str) -> None:
        """Note that the literal char `c` at `at` is lower-cased in `lowered_pattern`."""
        if c not in _CASE_SAFE:
            self.lowerable = False
        elif c.lower() != c:
            self.edits.append((at, at + 1, c.lower()))

    def _class_escape(self, j: int) -> int:
        """Index after the escape at p[j] inside a class (noting what lowering needs)."""
        p = self.p
        c = p[j + 1] if j + 1 < len(p) else ""
        if not c.isalnum():
            self._lower(j + 1, c)
            return j + 2
        if c in "pP":
            end = p.find("}", j) + 1 if p.startswith("{", j + 2) else j + 3
            if end <= 0 or p[j + 2 : end].strip("{}") not in _LOWERABLE_PROPERTIES:
                self.lowerable = False
            return max(end, j + 2)
        if c not in _LOWERABLE_ESCAPES:
            self.lowerable = False
        return j + 2

    def escape(self, ci: bool) -> _Info:
        p = self.p
        if self.i + 1 >= len(p):
            raise _GiveUp
        c = p[self.i + 1]
        self.i += 2
        if not c.isalnum():
            self._lower(self.i - 1, c)
            return _Info(frozenset({(c, ci)}))
        if c not in _LOWERABLE_ESCAPES:
            self.lowerable = False
        if c in "bBAZmM":  # (not \\G: where the search started, see `tail_pattern`)
            return _ZERO_WIDTH
        if c in "dDwWsStnrfva":
            return _UNKNOWN_CHAR
        if c in "pP":  # \p{L} or \pL: one char
            start = self.i
            if p.startswith("{", self.i):
                end = p.find("}", self.i)
                if end < 0:
                    raise _GiveUp
                self.i = end + 1
            else:
                self.i += 1
            if p[start : self.i].strip("{}") not in _LOWERABLE_PROPERTIES:
                self.lowerable = False
            return _UNKNOWN_CHAR
        if c in "xuU" and not p.startswith("{", self.i):
            self.i += {"x": 2, "u": 4, "U": 8}[c]
            return _UNKNOWN_CHAR
        raise _GiveUp  # back-references, \N{…}, \X, \g<…>, octal …


@functools.lru_cache(maxsize=4096)
def _parsed(pattern: str) -> tuple[_Parser, _Info] | None:
    """`pattern` parsed with the default pick (read-only for callers), or None when the parser
    gives up on it."""
    parser = _Parser(pattern, _best_check)
    try:
        return parser, parser.parse()
    except (_GiveUp, IndexError, ValueError):
        return None


def required_sets(pattern: str, pick: Callable | None = None) -> tuple[LiteralSet, ...]:
    """Sets of literals of which every match of `pattern` contains one (each set on its own), or
    () when unsure. `pick` chooses, for an alternation, one set of each branch's candidates (or
    None: the branch requires nothing usable); by default the best exact check."""
    parsed = _parsed(pattern)
    if parsed is not None and (pick is None or not parsed[0].picked):
        # (The pick is asked only where alternatives leave a choice: a pattern with none, most
        # of a pack's, reads the same whatever the pick, and is parsed once for all.)
        return parsed[1].candidates()
    if pick is None:
        return ()
    try:
        return _Parser(pattern, pick).parse().candidates()
    except (_GiveUp, IndexError, ValueError):
        return ()


def _broad(atom: str) -> bool:
    """True for an atom that matches most chars or runs of them ("[^\\n]", ".", "\\S", a group):
    repeated widely, it makes the regex try many lengths from each start."""
    return atom in (".", "\\S", "\\W") or atom.startswith(("[^", "("))


def tail_pattern(pattern: str) -> str | None:
    """A cheaper regex every match of `pattern` contains a match of, or None.

    A pattern with a wide gap ("[^\\n]{0,30}?", "\\S+") after its start tries many lengths from
    each start; what follows the gap is usually the selective part. The tail of the pattern's
    top-level items from the first one after the (last such) gap that opens a literal string
    (2+ chars: the `regex` module then searches for it directly) matches inside every match
    of the pattern, over the same draft (lookarounds see the same text), with the same flags
    (global flag groups are put in front). So when it finds nothing, neither would the pattern.
    """
    found = _tail_of(pattern)
    return None if found is None else _tail_text(pattern, *found)


def _tail_of(pattern: str) -> tuple[_Parser, tuple[int, int]] | None:
    """The pattern's parse and (the wide gap, the item the tail starts at) of `tail_pattern`
    among its top-level items, or None."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    items = parsed[0].top
    for gap in range(len(items) - 1, -1, -1):
        if items[gap][2]:
            for j in range(gap + 1, len(items)):
                if _opens_literal_run(items, j):
                    return parsed[0], (gap, j)
    return None


def _tail_text(pattern: str, parser: _Parser, at: tuple[int, int]) -> str:
    return "".join(parser.global_flags) + pattern[parser.top[at[1]][0] :]


def scan_pattern(pattern: str) -> str:
    """What the hyperscan prefilter scans for in place of `pattern`: its tail (`tail_pattern`,
    which every match contains a match of) when all that comes before the gap is one of a few
    common words; else the pattern itself.

    Hyperscan follows a gap read as unbounded (`[^\\n]{0,30}?`) from every match of what leads
    it: after words most drafts hold on every line ("anh", "con", "co"…) it stays open over most
    of the draft, at a cost (`\\b(?:thang|con|…|co|chu)\\b[^\\n]{0,30}?…` took 60% of the
    folded text's scan), and such a lead filters next to nothing. Common: every string the lead
    matches has a gate key that is not rare (`_rare_key`).
    """
    found = _tail_of(pattern)
    if found is None:
        return pattern
    parser, at = found
    lead = _concat([info for _, info, _ in parser.top[: at[0]]]).exact
    if lead is None or not _nonempty(lead):
        return pattern
    for text, _ in lead:
        key = _gate_key(text)
        if key is None or _rare_key(key):
            return pattern
    return _tail_text(pattern, parser, at)


def _opens_literal_run(items: list[tuple[int, _Info, bool]], j: int) -> bool:
    """True when items[j] and the exact items after it spell out one literal string of 2+ chars
    (one string: the `regex` module scans for an alternation of them no faster than for the
    whole pattern)."""
    run = items[j][1].exact
    if run is None or run == _EMPTY or len(run) != 1:
        return False
    for _, info, _ in items[j + 1 :]:
        if len(next(iter(run))[0]) >= 2 or info.exact is None or len(info.exact) != 1:
            break
        run = _product(run, info.exact)  # type: ignore[assignment]
    return len(next(iter(run))[0]) >= 2  # type: ignore[arg-type]


# --- case-insensitive patterns run on the lower-cased text ---------------------------------------

_LOWERABLE_FLAGS = frozenset("ims")
# Escapes and properties that match a char exactly when they match its lower case, and mean the
# same with or without `(?i)` (tests/policy/test_prefilter.py checks this over all of Unicode).
_LOWERABLE_ESCAPES = frozenset("bBAZmMdDwWsStnrfvpP")
_LOWERABLE_PROPERTIES = frozenset({"L", "M", "N"})


def lowered_pattern(pattern: str) -> str | None:
    """`pattern` without its `(?i)` and with its literals lower-cased, when that version finds
    exactly the same spans in the lower-cased text as `pattern` does in the text; else None.

    Case-insensitive matching costs the `regex` module about twice as much. It holds when the
    pattern is case-insensitive throughout (a leading `(?i)`, no `(?-i:…)`) and made only of
    literal chars of _CASE_SAFE, classes of them (no ranges) and escapes that ignore case: each
    then matches a char of the text exactly when its lower-cased self matches the char's lower
    case — except in drafts with one of ODD_CASE, which run the pattern as written. Every
    assertion and repetition then takes the same path over the two texts, position by position.
    """
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    parser = parsed[0]
    if not parser.lowerable or not any("i" in g for g in parser.global_flags):
        return None
    out = []
    at = 0
    for start, end, text in sorted(parser.edits):
        out.append(pattern[at:start] + text)
        at = end
    return "".join(out) + pattern[at:]


# --- exact look-ups ----------------------------------------------------------------------------

# Chars a case-insensitive literal may hold: for each, every char the `regex` module matches
# case-insensitively lower-cases (and folds) to the char's own lower case, except in drafts with
# one of ODD_CASE (tests/policy/test_prefilter.py checks this over all of Unicode).
_CASE_SAFE = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in STRIP if chr(c).isalpha() and len(chr(c).lower()) == 1]
) - set("İıſẛṠṡ")
# Chars that match some of _CASE_SAFE case-insensitively without lower-casing to them (İ → "i̇",
# ı, ſ, ẛ): a draft with one skips the case-insensitive look-ups.
ODD_CASE = "İıſẛ"

_MAX_CHECK_LITERALS = 4
_MAX_CHECKS = 2
# Marks rare enough in drafts that a literal with one is worth looking up ("l*n", "h@ng").
_RARE_MARKS = frozenset("*@!|<>#$%&=+~^\\")


def _check_form(s: LiteralSet) -> tuple[tuple[str, ...], bool] | None:
    """(texts, lower-cased) to look up for `s`, or None when a literal is too short to tell."""
    ci = any(i for _, i in s)
    texts = []
    for text, _ in s:
        if ci:
            cleaned = "".join(c.lower() if c in _CASE_SAFE else "\0" for c in text)
            text = max(cleaned.split("\0"), key=len)
        if len(text) < 2:
            return None
        texts.append(text)
    return _minimal(texts), ci


def _minimal(texts: Iterable[str]) -> tuple[str, ...]:
    """`texts` without those containing another one (that one is then present too), sorted."""
    kept: list[str] = []
    for t in sorted(set(texts), key=len):
        if not any(k in t for k in kept):
            kept.append(t)
    return tuple(sorted(kept))


def _distinctive(text: str) -> bool:
    """True when a verbatim look-up of `text` tells more than the folded gate: it has diacritics
    or capitals (the gate folds them away) or a rare mark."""
    return fold(text) != text or any(c in _RARE_MARKS for c in text)


def _worth_checking(form: tuple[tuple[str, ...], bool]) -> bool:
    """Every literal is distinctive, glued to a mark (3+ chars: "d.a", "://") or long (5+ letters
    or digits): rare already. So "mọi", "MẬT", ("khẩn", "urgent"), ("d*a", "d.a") — but not
    ("đ", "ma", ". ") nor ("mật", "mat"), which would scan the draft for little."""
    return len(form[0]) <= _MAX_CHECK_LITERALS and all(
        _distinctive(t)
        or (len(t) >= 3 and any(not c.isalnum() and c != " " for c in t))
        or _alnum_count(t) >= 5
        for t in form[0]
    )


def _implies(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when any text of `a` being present means one of `b` is (each contains one of b)."""
    return all(any(y in x for y in b) for x in a)


def _best_check(sets: Iterable[LiteralSet]) -> LiteralSet | None:
    scored = [(s, _check_form(s)) for s in sets]
    good = [(s, f) for s, f in scored if f is not None and _worth_checking(f)]
    return max(good, key=lambda sf: _check_score(sf[1]))[0] if good else None


def _check_score(form: tuple[tuple[str, ...], bool]) -> tuple[int, int]:
    return (min(map(len, form[0])), -len(form[0]))


def exact_checks(pattern: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Look-ups that skip `pattern` when one fails: (texts, lower-cased) — one of `texts` is in
    the subject (in its lower-cased form when `lower-cased`) whenever the pattern matches.

    Only sets worth a scan of the draft (`_worth_checking`) that tell more than the gate, at most
    two, best first; a set another one implies is left out.
    """
    gate = {fold(lit) for lit in gate_literals(pattern) or ()}
    forms: list[tuple[tuple[str, ...], bool]] = []
    for s in required_sets(pattern):
        form = _check_form(s)
        if form is None or not _worth_checking(form) or form in forms:
            continue
        if all(fold(t) == t for t in form[0]) and set(form[0]) == gate:
            continue  # the gate looks for the same texts already
        forms.append(form)
    forms.sort(key=_check_score, reverse=True)
    kept: list[tuple[tuple[str, ...], bool]] = []
    for form in forms:
        if not any(_implies(k[0], form[0]) and k[1] <= form[1] for k in kept):
            kept.append(form)
    return tuple(kept[:_MAX_CHECKS])


# --- more gates: literal sets from the whole-pattern parse ---------------------------------------

# Consonant pairs of Vietnamese syllables (onsets and codas): any other pair ("mk", "tk", "ns",
# "ss"), like the letters Vietnamese has not, marks a word that is not Vietnamese.
_VIETNAMESE_PAIRS = frozenset({"ch", "gh", "kh", "ng", "nh", "ph", "th", "tr"})
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")
_FOREIGN_LETTERS = frozenset("fjwz")
_MAX_GATE_SETS = 2


def _gate_key(text: str) -> str | None:
    """The phrase-scan key that is in the draft wherever `text` is (as written, or in any case
    when matched case-insensitively), or None when no key of 2+ chars is sure to be.

    Only chars of _CASE_SAFE are kept (each then folds to one and the same char, whatever case
    the draft has it in; the longest run of them is a substring of every match, so it is in the
    draft too). The draft is folded char by char and its runs of spaces read as one, so the run
    folded, with its spaces single, is in that view; it must also be its own key as a phrase
    (`PhraseMatcher.add` keys a phrase on its normalised, folded form).
    """
    run = text
    if not _CASE_SAFE.issuperset(text):
        run = max("".join(c if c in _CASE_SAFE else "\0" for c in text).split("\0"), key=len)
    key = fold(" ".join(run.split()))
    if len(key) < 2 or not any(c.isalnum() for c in key) or normalize(key).text != key:
        return None
    return key


def gate_key(text: str) -> str | None:
    """The phrase-scan key that is in the draft wherever `text` is (see `_gate_key`)."""
    return _gate_key(text)


def _rare_key(key: str) -> bool:
    """True for a gate key that few drafts hold, so its gate mostly stays shut: a key of several
    words (5+ letters or digits: "ho ten"), one mixing letters with digits or marks ("l1nk",
    "c*c", ".pdf."), one no Vietnamese word holds (f, j, w, z or a pair of consonants no syllable
    has: "mk", "tk", "pass"), or a long one (6+). Not single Vietnamese syllables ("cua", "dang"),
    which most drafts hold, nor bare numbers ("19")."""
    alnum = _alnum_count(key)
    if " " in key:
        return alnum >= 5
    if not any(c.isalpha() for c in key):
        return False
    if not key.isalpha():
        return len(key) >= 3
    if any(c in _FOREIGN_LETTERS for c in key) or any(
        a in _CONSONANTS and b in _CONSONANTS and a + b not in _VIETNAMESE_PAIRS
        for a, b in zip(key, key[1:], strict=False)
    ):
        return True
    return alnum >= 6


def _gate_form(s: LiteralSet) -> tuple[str, ...] | None:
    """The keys of a literal set (see _gate_key), or None when a literal has none or only a
    common one (see _rare_key)."""
    keys = []
    for text, _ in s:
        key = _gate_key(text)
        if key is None or not _rare_key(key):
            return None
        keys.append(key)
    return _minimal(keys)


def _gate_rank(keys: tuple[str, ...]) -> tuple[int, int]:
    return (min(map(_alnum_count, keys)), -len(keys))


def _best_gate(sets: Iterable[LiteralSet]) -> LiteralSet | None:
    formed = [(s, _gate_form(s)) for s in sets]
    good = [(s, f) for s, f in formed if f is not None]
    return max(good, key=lambda sf: _gate_rank(sf[1]))[0] if good else None


@functools.lru_cache(maxsize=4096)
def gate_sets(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Further phrase-scan gates for `pattern`, beyond `gate_literals`: sets of keys (folded,
    matched inside words like its literals) each of which has one key in the draft whenever
    the pattern matches. At most two, best first, each telling more than the others and than
    `gate_literals`.

    They come from the whole-pattern parse (`required_sets`, each alternation picking its
    branches' best gate set), so they see through classes ("[\\*\\.]c" → "*c", ".c"), optional
    parts and alternations with literals in every branch, which `gate_literals` gives up on.
    Every key must be rare enough to keep its gate mostly shut (`_rare_key`).
    """
    given = tuple(sorted({fold(lit) for lit in gate_literals(pattern) or ()}))
    forms = []
    for s in required_sets(pattern, _best_gate):
        form = _gate_form(s)
        if form is not None and form not in forms:
            forms.append(form)
    forms.sort(key=_gate_rank, reverse=True)
    kept: list[tuple[str, ...]] = []
    for form in forms:
        if given and _implies(given, form):
            continue  # the literal gate is as shut as this one whenever this one is
        if not any(_implies(k, form) for k in kept):
            kept.append(form)
    return tuple(kept[:_MAX_GATE_SETS])


# --- a faster form of a pattern led by an alternation of literals of one length ------------------

_PLAIN = re.compile(r"[A-Za-z0-9]+")


def faster_pattern(pattern: str) -> str | None:
    """`pattern` rewritten to find exactly the same spans faster, or None.

    The `regex` module tries a leading group of literal alternatives ("(?:VN|VJ|QH|…)") at every
    position of the draft, ~6× slower than it scans for a range of chars. So when the first item
    that consumes text (after `\\b`, lookarounds and global flags) is such a group — a
    non-capturing, unquantified group of two or more ASCII letter/digit literals all of one
    length L — it becomes L ranges, each spanning the chars its position holds ("[A-V][A-Z]"),
    then a lookbehind for the same alternatives: "(?<=VN|VJ|QH|…)". At any position the ranges
    match every alternative, and the lookbehind then holds exactly when the L chars just read are
    one of them: what the group would have matched (the alternatives are distinct strings of one
    length, so at most one ever matches and no choice is lost), and the rest of the pattern goes
    on from the same place. Case-sensitive patterns only (a range under `(?i)` would keep
    lowered_pattern from applying, which saves more); syntax the parse does not model, none.
    """
    # (cheapest tests first: a pack is compiled at every start, and few patterns qualify)
    if "(?i" in pattern or _GLOBAL_I.search(pattern) or re_verbose(pattern):
        return None
    i = 0
    while i < len(pattern):  # skip what consumes nothing: flags, \b, ^, lookarounds
        if pattern.startswith(("\\b", "\\B"), i):
            i += 2
        elif pattern.startswith("^", i):
            i += 1
        elif pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = _skip_group(pattern, i)
            if i < 0 or (i < len(pattern) and pattern[i] in _QUANTIFIERS):
                return None
        elif _flag_group_end(pattern, i) > 0:
            i = _flag_group_end(pattern, i)
        else:
            break
    if not pattern.startswith("(?:", i):
        return None
    end = _skip_group(pattern, i)
    if end < 0 or (end < len(pattern) and pattern[end] in _QUANTIFIERS):
        return None
    alts = _split_bars(pattern[i + 3 : end - 1])
    width = len(alts[0])
    if len(alts) < 2 or not all(_PLAIN.fullmatch(a) and len(a) == width for a in alts):
        return None
    if _has_top_level_bar(pattern) or _parsed(pattern) is None:
        return None
    ranges = "".join(
        f"[{min(chars)}-{max(chars)}]" if min(chars) != max(chars) else chars[0]
        for chars in ("".join(a[k] for a in alts) for k in range(width))
    )
    return f"{pattern[:i]}{ranges}(?<={'|'.join(alts)}){pattern[end:]}"
