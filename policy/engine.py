"""The Linter: run a compiled pack over a draft and return findings mapped to the original text."""

from __future__ import annotations

import functools
import re
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from operator import itemgetter, sub
from typing import Any

import regex

from . import prefilter
from .accelerate import Accelerator, StoredForms
from .detectors import DETECTORS, DetectorInput
from .loader import list_phrase
from .matcher import PhraseMatcher
from .model import (
    CATEGORIES,
    LANGS,
    SEVERITY_RANK,
    CheckResult,
    Finding,
    Frame,
    Pack,
    PackError,
    Pattern,
    Rule,
    new_finding,
)
from .normalize import fold_table, lower_bytes, normalize
from .prefilter import (
    ODD_CASE,
    exact_checks,
    faster_pattern,
    gate_key,
    gate_literals,
    gate_sets,
    lowered_pattern,
    scan_pattern,
    tail_pattern,
)
from .spans import SpanMap

# Total time a single check may spend inside pack regexes before it gives up and says so.
REGEX_BUDGET_S = 0.25
# Drafts with one of these skip case-insensitive look-ups and run case-insensitive patterns as
# written (see policy/prefilter.py: ODD_CASE). Looked for one by one (`in`, a fast search each):
# a class of them costs `re` ~9 ns a char of a Vietnamese draft (~18 µs per 2,000 chars).
_ODD_CHARS = tuple(ODD_CASE)

# A span's start and end (and a kept finding's place, its first item).
_START = itemgetter(0)
_END = itemgetter(1)

_WORD = re.compile(r"\w+")
_NON_SPACE = re.compile(r"\S")
_SPACE = re.compile(r"\s")
_ASCII_SPACE = re.compile(r"[\t\r\f\v]")
_ABBREV = (" no", " nr", " tp", " mr", " ms", " dr", " st", " vs", " so", "(no")
# A sentence ends at . ! ? … ; before a space (not after "no." / "TP." style abbreviations, see
# _ABBREV) or at a line break.
# (Written to open with one char class, which the scanner jumps between: `[.!?…;]+(?=\s|$)|\n`
# matches the same spans ~4× slower. A run after an abbreviation fails the first look-behind and
# the second keeps the scan from starting again inside the run, in C: _split reads only lone
# "."s, for titles and initials.)
_SENTENCE_END = re.compile(
    r"[.!?…;\n](?:(?<=\n)|(?<!(?:{}).)(?<![.!?…;].)[.!?…;]*(?=\s|$))".format(
        "|".join(map(re.escape, _ABBREV))
    )
)
# Titles a "." follows inside a sentence ("TS.", "PGS.TS.", "ThS.", "Th.S.", "BS." folded),
# checked on the 4 chars before the ".".
_TITLES = (" ts", ".ts", " gs", ".gs", " bs", " ks", " ls", "pgs", " ths", ".ths", "th.s", " ncs")
# The word before a lone letter that makes the letter an initial: kinship and title words
# ("anh T. nói", "ông N. cho biết", "TS. H. Nam") or another initial ("N.V.A.", "N. V. A.").
_BEFORE_INITIAL = re.compile(
    r"(?i)(?<![^\W\d_])(?:anh|chi|em|ong|ba|co|chu|bac|cu|thay|cau|di|ban|chau|d/c"
    r"|(?:ts|ths|gs|pgs|bs|ks|ls|ncs|mr|mrs|ms|dr)\.?|[^\W\d_]\.) ?$"
)


def _abbreviation(text: str, dot: int) -> bool:
    """True if the "." at `dot` (>= 2) of the folded text ends a title or a name's initial, not
    a sentence (a lone letter counts only after a name word or another initial: "vitamin C."
    and "hạng A." still end theirs)."""
    if (text[dot - 4 : dot] if dot >= 4 else " " + text[:dot]).endswith(_TITLES):
        return True
    if not text[dot - 1].isalpha() or text[dot - 2].isalnum():
        return False
    return _BEFORE_INITIAL.search(text, max(0, dot - 10), dot - 1) is not None


@dataclass(frozen=True, slots=True)
class CompiledPack:
    """Everything the linter needs at check time, built once per pack."""

    rules: tuple[Rule, ...]
    matcher: PhraseMatcher
    # Regex rules, laid out for RegexRun: (rule index, on folded text, the rule's prefilter gate
    # or None, per pattern (pattern or its faster form, its own gates (a pair of phrase-scan
    # targets that must both be open, the same one twice when it has one) or None, exact
    # look-ups, tail or None, lowered pattern or None)), see compile_pack
    regex_plans: tuple[tuple[int, bool, Any, tuple[tuple[Pattern, Any, Any, Any, Any], ...]], ...]
    # Detector rules: (rule index, detector, options, the gate its `needs` open or None)
    detector_rules: tuple[tuple[int, Any, dict, tuple[str, int] | None], ...]
    proximity: dict[int, tuple[int, str]]  # rule index → (window, order)
    # rule index → (pattern, the gate that must be open for it to run or None, its exact
    # look-ups as for pack regexes, its lowered version or None)
    exception_patterns: dict[
        int, tuple[tuple[Pattern, tuple[str, int] | None, tuple, Pattern | None], ...]
    ]
    context: dict[int, Any]  # rule index → window (int or "sentence")
    frames: dict[str, Frame]


def _written_at(
    phrase: str, paths: Iterable[str], table: str | None = None
) -> tuple[str, int | None]:
    """The first of `paths` that writes `phrase` (quoted in a TOML file, inside `[table]` if
    given, or as a line of a phrase list) and its line, for a load error that names path:line;
    else the first path."""
    paths = list(paths)
    quoted = (f'"{phrase}"', f"'{phrase}'")
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]") if table else None
    for path in paths:
        try:
            with open(path, encoding="utf-8-sig") as file:
                lines = file.read().splitlines()
        except (OSError, UnicodeDecodeError):  # a folder, or gone since it loaded
            continue
        inside = header is None
        for number, line in enumerate(lines, 1):
            if header is not None and line.lstrip().startswith("["):
                inside = header.match(line) is not None
            if not inside:
                continue
            if any(q in line for q in quoted) or _list_line_phrase(line) == phrase:
                return path, number
    return paths[0], None


def _list_line_phrase(line: str) -> str | None:
    """The phrase a phrase-list line holds, read as the loader reads it (`#` comments, `\\#`,
    hashtags), or None for a line it refuses."""
    try:
        return list_phrase(line)
    except PackError:
        return None


def compile_pack(pack: Pack) -> CompiledPack:
    """Compile every rule of `pack` into one phrase matcher plus regex and detector lists."""
    prefilter.clear_caches()
    matcher = PhraseMatcher()
    regex_plans = []
    detector_rules = []
    proximity = {}
    exc_patterns = {}
    context = {}

    def add(rule: Rule, phrase: str, target, **kw) -> None:
        try:
            matcher.add(phrase, target, **kw)
        except ValueError as exc:
            raise PackError(*_written_at(phrase, [rule.path, *pack.files]), str(exc)) from None

    for ri, rule in enumerate(pack.rules):
        spec = rule.spec
        cs = spec.get("case_sensitive", False)
        obf = spec.get("obfuscation", False)
        if rule.type == "phrases":
            inside = spec.get("inside_words", False)
            for p in spec["phrases"]:
                add(rule, p, ("p", ri), case_sensitive=cs, obfuscation=obf, inside_words=inside)
        elif rule.type == "regex":
            # A pattern runs only when every gate is open, cheapest first:
            # - the rule's `prefilter` phrases and literals read off the pattern (gate_literals,
            #   gate_sets), matched loosely by the phrase scan (inside words, diacritics folded):
            #   a superset;
            # - literals every match contains, looked up verbatim in the text (case and
            #   diacritics kept: far more selective than the folded gate, exact_checks);
            # - for a pattern with a wide gap, a search for the part after it (tail_pattern).
            # A case-insensitive pattern then runs lower-cased on the lower-cased text when that
            # provably finds the same spans (lowered_pattern): case-insensitive matching costs
            # the `regex` module about twice as much. A case-sensitive one led by literals of one
            # length runs in a form that finds the same spans ~6× faster (faster_pattern).
            rule_gate = ("g", ri) if spec.get("prefilter") else None
            plans = tuple(
                (
                    _compiled(faster_pattern(pat.pattern), pat.flags) or pat,
                    _pattern_gates(matcher, pat, pi, ri),
                    exact_checks(pat.pattern),
                    _compiled(tail_pattern(pat.pattern), pat.flags),
                    _compiled(lowered_pattern(pat.pattern), pat.flags),
                )
                for pi, pat in enumerate(spec["patterns"])
            )
            regex_plans.append((ri, spec.get("folded", False), rule_gate, plans))
            for p in spec.get("prefilter", ()):
                add(rule, p, ("g", ri), inside_words=True, lenient=True)
        elif rule.type == "proximity":
            for side in ("a", "b"):
                for p in spec[side]:
                    add(rule, p, (side, ri), obfuscation=obf)
            proximity[ri] = (spec["window"], spec["order"])
        else:
            det = DETECTORS[spec["detector"]]
            gate = _needs_gate(matcher, det.needs, ("d", ri))
            detector_rules.append((ri, det, dict(spec["options"]), gate))
        for p in spec.get("exceptions", ()):
            add(rule, p, ("x", ri))
        if spec.get("exception_patterns"):
            # Gated like pack regexes: a pattern runs around a finding only when a literal
            # every match needs is in the draft; lowered like them too.
            exc_patterns[ri] = tuple(
                (
                    pat,
                    _gate(matcher, pat, (f"xg{xi}", ri)),
                    exact_checks(pat.pattern),
                    _compiled(lowered_pattern(pat.pattern), pat.flags),
                )
                for xi, pat in enumerate(spec["exception_patterns"])
            )
        if "context" in spec:
            for p in spec["context"]["phrases"]:
                add(rule, p, ("c", ri))
            context[ri] = spec["context"]["window"]
    used_frames = {f for r in pack.rules for f in r.frames}
    for name in sorted(used_frames):
        frame = pack.frames[name]
        for key, phrases in ((("f", name), frame.phrases), (("fx", name), frame.exceptions)):
            for p in phrases:
                try:
                    matcher.add(p, key)
                except ValueError as exc:
                    # The pack.toml that writes it: the pack's own, or a parent's.
                    tomls = [f for f in reversed(pack.files) if f.endswith("pack.toml")]
                    where = _written_at(p, tomls or [pack.path], table=f"frames.{name}")
                    raise PackError(*where, f"frame {name}: {exc}") from None
    matcher.build()
    return CompiledPack(
        rules=pack.rules,
        matcher=matcher,
        regex_plans=tuple(regex_plans),
        detector_rules=tuple(detector_rules),
        proximity=proximity,
        exception_patterns=exc_patterns,
        context=context,
        frames=dict(pack.frames),
    )


def _gate(matcher: PhraseMatcher, pattern: Pattern, key: tuple[str, int]) -> tuple | None:
    """Register the literals one of which every match of `pattern` contains as loose phrases
    (inside words, diacritics folded: a superset) under `key`, and return `key` — the gate the
    phrase scan opens when one is in the draft; None when the pattern has no such literals.

    Short literals ("t", "mã") turn up inside half the words of any draft: such a gate would
    stay open and only add automaton hits (gate_literals skips them).
    """
    lits = gate_literals(pattern.pattern)
    return key if lits is not None and _register(matcher, lits, key) else None


def _register(matcher: PhraseMatcher, literals: Iterable[str], key: tuple[str, int]) -> bool:
    """Add `literals` to the phrase scan as loose phrases opening gate `key`; False when one
    cannot be a phrase (then the gate must not be used: it would stay shut)."""
    try:
        for lit in literals:
            matcher.add(lit, key, inside_words=True, lenient=True)
    except ValueError:
        return False
    return True


def _needs_gate(
    matcher: PhraseMatcher, needs: tuple[str, ...], key: tuple[str, int]
) -> tuple[str, int] | None:
    """Register a detector's `needs` as loose phrases opening gate `key`, as the regex gates
    are, and return `key`; None when it has none, or when one is not its own phrase-scan key
    (then the scan might not find it where the draft holds it)."""
    if not needs or any(gate_key(text) != text for text in needs):
        return None
    return key if _register(matcher, needs, key) else None


def _pattern_gates(
    matcher: PhraseMatcher, pattern: Pattern, pi: int, ri: int
) -> tuple[tuple[str, int], tuple[str, int]] | None:
    """The gates of pack pattern `pi` of rule `ri`, registered as loose phrases like `_gate`'s:
    its literal gate (`_gate`) and the best set of `prefilter.gate_sets`, or those two sets
    when it has no literal gate. The pattern runs only when both are open; returned as a pair
    (the same target twice for one gate; two `in` tests cost half a set comparison), or None.
    """
    gates = []
    first = _gate(matcher, pattern, (f"g{pi}", ri))
    if first is not None:
        gates.append(first)
    for k, keys in enumerate(gate_sets(pattern.pattern)[: 2 - len(gates)]):
        key = (f"g{pi}.{k}", ri)
        if _register(matcher, keys, key):
            gates.append(key)
    return (gates[0], gates[-1]) if gates else None


def _accelerators(cp: CompiledPack) -> tuple[Accelerator | None, Accelerator | None]:
    """The hyperscan prefilters of `cp`: of its regex rules, and of its exception patterns.

    The first is keyed by each pattern as run: its forms are read off the pack's own pattern (a
    faster form reads worse: its lookbehind is dropped), or off its tail when what leads that is
    common words (scan_pattern). The second, keyed by each exception pattern, is for
    `RegexRun.may_except`: a pattern's match in the window searched around a finding is also a
    match in the whole draft (its consuming part is the same text), so one that the scan rules
    out matches in no window."""
    stored = StoredForms()
    rules = Accelerator.build(
        (run, on_folded, stored.forms(scan_pattern(original.pattern), original.flags))
        for ri, on_folded, _, plans in cp.regex_plans
        for original, (run, *_) in zip(cp.rules[ri].spec["patterns"], plans, strict=True)
    )
    exceptions = Accelerator.build(
        (pat, False, stored.forms(pat.pattern, pat.flags))
        for entries in cp.exception_patterns.values()
        for pat, *_ in entries
    )
    stored.save()
    return rules, exceptions


def _compiled(pattern: str | None, flags: int) -> Pattern | None:
    """A pattern derived from a pack's (tail_pattern, lowered_pattern, faster_pattern), compiled,
    or None."""
    if pattern is None:
        return None
    try:
        return Pattern(pattern, flags, regex.compile(pattern, flags))
    except regex.error:  # derived from a valid pattern; should one ever not compile, none
        return None


class RegexRun:
    """The regex rules of one check: gates, look-ups, tails and the shared time budget.

    `rule(plan)` runs one entry of `CompiledPack.regex_plans` and returns its spans; `incomplete`
    turns true when a pattern ran out of time, `spent` when the whole budget is used up (the
    check then skips the remaining rules). The benchmark times rules one by one through it.
    """

    __slots__ = (
        "side_hits",
        "norm",
        "low",
        "folded",
        "deadline",
        "_cpu_start",
        "odd_case",
        "incomplete",
        "_held",
        "possible",
        "_exceptions",
        "_may_except",
    )

    def __init__(
        self,
        side_hits,
        norm: str,
        low: str,
        folded: str,
        possible: set | None = None,
        exceptions: Accelerator | None = None,
    ) -> None:
        self.side_hits = side_hits  # the phrase scan's hits by target (the gates among them)
        # The patterns (as run) that may match, by the accelerator's scan; None: all may.
        self.possible = possible
        # The exception patterns' accelerator, scanned on demand (may_except).
        self._exceptions = exceptions
        self._may_except: set | None = None
        self.norm, self.low, self.folded = norm, low, folded
        self.deadline = time.perf_counter() + REGEX_BUDGET_S
        self._cpu_start = time.thread_time()
        self.odd_case: bool | None = None  # has a char lower-casing misreads (ODD_CASE)
        self.incomplete = False
        self._held: dict[tuple[int, bool], bool] = {}

    @property
    def spent(self) -> bool:
        return self.incomplete and self._remaining() <= 0

    def _remaining(self) -> float:
        """Seconds of budget left: on the wall clock (cheap to read) until that runs out, then
        in this thread's CPU time. A busy machine that keeps a check waiting must not cut its
        regexes short: the findings would depend on the load."""
        left = self.deadline - time.perf_counter()
        if left <= 0:
            left = REGEX_BUDGET_S - (time.thread_time() - self._cpu_start)
            if left > 0:
                self.deadline = time.perf_counter() + left
        return left

    def holds(self, lookups, on_folded: bool = False) -> bool:
        """True unless one of a pattern's exact look-ups (prefilter.exact_checks) fails on the
        text it runs on: the normalised text, or the folded one. Answered once per check per
        pattern (exception patterns ask for every finding)."""
        key = (id(lookups), on_folded)
        answer = self._held.get(key)
        if answer is None:
            subject, lower = (self.folded, self.folded) if on_folded else (self.norm, self.low)
            answer = True
            for texts, ignore_case in lookups:
                haystack = lower if ignore_case else subject
                if not any(t in haystack for t in texts) and not (ignore_case and self.odd()):
                    answer = False
                    break
            self._held[key] = answer
        return answer

    def may_except(self, pattern: Pattern) -> bool:
        """Whether exception pattern `pattern` may match somewhere in the draft, by one scan of
        every exception pattern (made on the first question; True without an accelerator)."""
        if self._exceptions is None:
            return True
        if self._may_except is None:
            possible = self._exceptions.possible(self.norm, self.norm)
            if possible is None:  # (lone surrogates: the scan cannot say)
                self._exceptions = None
                return True
            self._may_except = possible
        return pattern in self._may_except

    def odd(self) -> bool:
        """Whether the draft has a char lower-casing misreads (then no lowered pattern runs)."""
        if self.odd_case is None:
            self.odd_case = any(map(self.norm.__contains__, _ODD_CHARS))
        return self.odd_case

    def rule(self, plan) -> list[tuple[int, int]]:
        """Spans of one regex rule (empty when its gates are shut or the budget is spent).

        The `regex` module's calls take their arguments by position here: it parses keyword
        arguments slowly (~0.4 µs a call, dozens of calls a draft). The order: `search(string,
        pos, endpos, concurrent, partial, timeout)`, `finditer(string, pos, endpos, overlapped,
        concurrent, partial, timeout)`: the defaults but for the timeout (the runaway tests check
        that it still applies, test_regex_calls_by_position_keep_the_defaults the rest).
        """
        ri, on_folded, rule_gate, patterns = plan
        side_hits = self.side_hits
        found: list[tuple[int, int]] = []
        if rule_gate is not None and rule_gate not in side_hits:
            return found  # none of the rule's prefilter phrases is in the draft
        subject, lower_text = (self.folded, self.folded) if on_folded else (self.norm, self.low)
        possible = self.possible
        for pat, gates, lookups, tail, lowered in patterns:
            if possible is not None and pat not in possible:
                continue  # the accelerator's scan found no match of its widened form
            if gates is not None and (gates[0] not in side_hits or gates[1] not in side_hits):
                continue  # none of the literals of a set every match needs is in the draft
            if lookups and not self.holds(lookups, on_folded):
                continue  # a literal every match needs is not in the draft as written
            remaining = self._remaining()
            if remaining <= 0:
                self.incomplete = True
                break
            if tail is not None:
                try:
                    if tail.compiled.search(subject, None, None, None, False, remaining) is None:
                        continue  # every match would contain a match of the tail
                except TimeoutError:
                    self.incomplete = True  # the budget is spent (the tail had all of it)
                    break
                remaining = self._remaining()
                if remaining <= 0:  # (the `regex` module reads a negative timeout as none)
                    self.incomplete = True
                    break
            run, text_run = pat, subject
            if lowered is not None and not self.odd():
                run, text_run = lowered, lower_text  # same spans, found faster
            try:
                for m in run.compiled.finditer(text_run, None, None, False, None, False, remaining):
                    span = m.span()
                    if span[1] > span[0]:
                        found.append(span)
            except TimeoutError:
                self.incomplete = True
        return found


def _lower(text: str) -> str:
    """`text` lower-cased one char for one char: the few letters that grow when lower-cased
    ("İ") are kept as they are, so every offset of the lower-case text is one of `text`."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


class _Words:
    """Word counts and sentence numbers of the folded text, computed on demand."""

    __slots__ = ("_text", "_breaks", "_sorted", "_sentences")

    def __init__(self, text: str) -> None:
        self._text = text
        self._breaks: list[int] | None = None
        self._sorted: dict[Any, _Sorted] = {}
        self._sentences: dict[Any, set[int]] = {}

    def sorted(self, key: Any, hits) -> _Sorted:
        """The hits under `key`, sorted by start for range look-ups (built once per check)."""
        got = self._sorted.get(key)
        if got is None:
            got = self._sorted[key] = _Sorted(hits)
        return got

    def sentences(self, key: Any, hits) -> set[int]:
        """The sentence numbers the hits under `key` start in (built once per check, looked up
        in C): whether a frame or context phrase is in a match's sentence, without a range
        look-up."""
        got = self._sentences.get(key)
        if got is None:
            if self._breaks is None:
                self._split()
            got = set(map(bisect_right, repeat(self._breaks), map(_START, hits)))
            self._sentences[key] = got
        return got

    def ends(self) -> list[int]:
        """Where each sentence but the last ends (the next one's first char), in order: the
        sentence number of a position is `bisect_right(ends, pos)`."""
        if self._breaks is None:
            self._split()
        return self._breaks  # type: ignore[return-value]

    def sentence(self, pos: int) -> int:
        """Sentence number of `pos`."""
        if self._breaks is None:
            self._split()
        return bisect_right(self._breaks, pos)  # type: ignore[arg-type]

    def locate(self, pos: int) -> tuple[int, int, int]:
        """(sentence number, first, last) of `pos`: a position is in its sentence exactly when
        first <= it < last, so range look-ups clipped to them need no `sentence` per hit."""
        if self._breaks is None:
            self._split()
        breaks: list[int] = self._breaks  # type: ignore[assignment]
        sent = bisect_right(breaks, pos)
        return (
            sent,
            breaks[sent - 1] if sent > 0 else 0,
            breaks[sent] if sent < len(breaks) else len(self._text) + 1,
        )

    def _split(self) -> None:
        """Find where sentences end (see _SENTENCE_END), once per check."""
        text = self._text
        breaks = []
        for m in _SENTENCE_END.finditer(text):
            dot, end = m.span()
            if (
                end - dot == 1
                and dot >= 2
                and text[dot] == "."
                # (a title ends in "s", an initial is a lone letter: most "." are neither)
                and (text[dot - 1] == "s" or not text[dot - 2].isalnum())
                and _abbreviation(text, dot)
            ):
                continue
            breaks.append(end)
        self._breaks = breaks

    def gap(self, first: tuple[int, int], second: tuple[int, int], limit: int = 50) -> int:
        """Words from the end of `first` to the start of `second` (1 = adjacent).

        Only counted up to `limit`: anything further apart returns `limit + 1` without scanning
        (no word is longer than 60 chars in practice).
        """
        a, b = first[1], second[0]
        if b - a > 60 * (limit + 1):
            return limit + 1
        return len(_WORD.findall(self._text, a, b)) + 1

    def within(self, first: tuple[int, int], second: tuple[int, int], limit: int) -> bool:
        """`gap(first, second) <= limit`, without counting when the chars between are too few
        to hold more words: n chars hold at most ⌈n/2⌉ words (each needs a char after it)."""
        n = second[0] - first[1]
        if n <= 0:
            return limit >= 1  # nothing between: the gap is 1
        if (n + 1) // 2 + 1 <= limit:
            return True
        if n > 60 * (limit + 1):
            return False  # (as `gap` has it)
        # Counting stops at the `limit`-th word: the gap can be long and hold many.
        return _words_at_least(limit).match(self._text, first[1], second[0]) is None


@functools.cache
def _words_at_least(n: int) -> re.Pattern[str]:
    """Matches at a position with `n` or more of _WORD's words before the end of the search:
    possessive, so no word is split in two."""
    return re.compile(rf"(?:\W*+\w++){{{n}}}")


# Furthest two spans can be apart, in chars, and still be `n` words apart (see _Words.gap).
def _reach(n: int) -> int:
    return 60 * (n + 1)


class _Sorted:
    """Hits sorted by start: range queries keep frame, context, exception and proximity checks
    near-linear even when one sentence holds thousands of hits."""

    __slots__ = ("hits", "starts", "maxlen")

    def __init__(self, hits) -> None:
        if len(hits) == 1:  # (the most common case, built without sorting)
            hit = hits[0]
            self.hits: list[tuple[int, int]] = [hit]
            self.starts: list[int] = [hit[0]]
            self.maxlen = hit[1] - hit[0]
            return
        self.hits = hits = sorted(set(hits))
        # (Read off and subtracted in C: ~40% cheaper than Python loops over the hits, and
        # without keyword arguments, which C functions parse slowly.)
        self.starts = starts = list(map(_START, hits))
        self.maxlen = max(map(sub, map(_END, hits), starts)) if hits else 0

    def starting_in(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Hits whose start lies in [lo, hi)."""
        return self.hits[bisect_left(self.starts, lo) : bisect_left(self.starts, hi)]

    def last_ending(self, lo: int, hi: int, limit: int) -> tuple[int, int] | None:
        """Of the hits starting in [lo, hi) and ending at or before `limit`, the one ending last
        (of equal ends, the first by start), or None."""
        nearest = None
        starts = self.starts
        for hit in self.hits[bisect_left(starts, lo) : bisect_left(starts, hi)]:
            if hit[1] <= limit and (nearest is None or hit[1] > nearest[1]):
                nearest = hit
        return nearest

    def first_in(self, lo: int, hi: int) -> tuple[int, int] | None:
        """The first hit (by start, then end) whose start lies in [lo, hi), or None."""
        i = bisect_left(self.starts, lo)
        if i < len(self.starts) and self.starts[i] < hi:
            return self.hits[i]
        return None

    def overlapping(self, span: tuple[int, int]) -> bool:
        """True if any hit overlaps `span`."""
        start, end = span
        starts = self.starts
        for hit in self.hits[bisect_left(starts, start - self.maxlen) : bisect_left(starts, end)]:
            if hit[1] > start:
                return True
        return False


def _context_entry(ri: int, window: int | str) -> tuple[tuple[str, int], int | str, int]:
    """Rule `ri`'s context as `_in_context` reads it: (the hit key of its phrases, its window in
    words or "sentence", the window's reach in chars)."""
    return (("c", ri), window, 0 if window == "sentence" else _reach(window))


def _frame_entry(name: str, frame: Frame) -> tuple:
    """A frame as `_framed` reads it: (name, hit key, scope, window, its reach in chars,
    words after, their reach)."""
    window, after = frame.window, frame.after
    return (name, ("f", name), frame.scope, window, _reach(window), after, _reach(after))


def mask(value: str) -> str:
    """The value with its middle hidden: keep at most a fifth at each end."""
    n = len(value)
    if n <= 2:
        return "*" * n
    keep = max(1, min(3, n // 5)) if n >= 6 else 1
    # (Every char but whitespace starred, in C: `\S` is exactly `not str.isspace()`. Most values
    # have no whitespace: starred at once, ~10× faster than the sub's match per char.)
    middle = value[keep : n - keep]
    starred = "*" * len(middle) if _SPACE.search(middle) is None else _NON_SPACE.sub("*", middle)
    return value[:keep] + starred + value[n - keep :]


class Linter:
    """Checks drafts against one pack; immutable after construction, safe to share by threads."""

    def __init__(
        self, pack: Pack, *, include_preview: bool = False, accelerate: bool = False
    ) -> None:
        if not isinstance(pack, Pack):
            raise TypeError(
                f"Linter needs a Pack (from policy.load_pack), got {type(pack).__name__}"
            )
        self._pack = pack
        self._compiled: CompiledPack = pack.compiled or compile_pack(pack)
        # Hyperscan's one-pass prefilters for the regex phase and the exception patterns
        # (policy/accelerate.py): same findings, fewer searches. Building them takes seconds the
        # first time (then ~20 ms from ~/.cache/rasoat), so they are for long-lived linters (the
        # service); None when not asked for or hyperscan is not installed.
        self._accelerator, self._x_accelerator = (
            _accelerators(self._compiled) if accelerate else (None, None)
        )
        # The rules each pattern (as run) belongs to, for the accelerator's answers.
        self._rules_of: dict[Pattern, list[int]] = {}
        if self._accelerator is not None:
            for ri, _, _, plans in self._compiled.regex_plans:
                for run, *_ in plans:
                    self._rules_of.setdefault(run, []).append(ri)
        # The proximity rules with their sides' hit keys: (rule index, "a" key, "b" key, window,
        # order), built once rather than per check.
        self._proximity = tuple(
            (ri, ("a", ri), ("b", ri), window, order)
            for ri, (window, order) in self._compiled.proximity.items()
        )
        active = {"stable"} | ({"preview"} if include_preview else set())
        self._enabled = frozenset(i for i, r in enumerate(pack.rules) if r.status in active)
        self._by_code = {r.code: r for r in pack.rules}
        # Rules that give way to others' overlapping findings (`yields_to`), by code.
        self._yields = {
            r.code: frozenset(r.spec["yields_to"]) for r in pack.rules if r.spec.get("yields_to")
        }
        # Every frame a rule uses: (name, hit key, hit key of its exceptions or None).
        self._frame_keys = tuple(
            (name, ("f", name), ("fx", name) if pack.frames[name].exceptions else None)
            for name in sorted({name for r in pack.rules for name in r.frames})
        )
        # Per rule index, what the filter tests its matches against (_check), looked up once a
        # check: its context (_context_entry) or None, the hit key of its exception phrases, its
        # exception patterns or None, its frames in its order (_frame_entry) and their names,
        # and whether a frame drops a match (else it lowers it to info).
        contexts = self._compiled.context
        self._filters = [
            (
                _context_entry(ri, contexts[ri]) if ri in contexts else None,
                ("x", ri),
                self._compiled.exception_patterns.get(ri),
                tuple(_frame_entry(name, pack.frames[name]) for name in r.frames),
                r.frames,
                r.frame_action == "suppress",
            )
            for ri, r in enumerate(pack.rules)
        ]
        # Per language, per rule index: what the rule's findings say, rendered once — (code,
        # name, category, message template, rendered citations, suggestions, whether those are
        # templates naming the match, filled in per finding; else the final tuple, most rules').
        self._sayings: dict[str, list[tuple]] = {
            lang: [
                (
                    r.code,
                    r.name,
                    r.category,
                    r.message.get(lang) or r.message["vi"],
                    r.legal_basis_text(lang),
                    *(
                        (r.suggestions, True)
                        if any("{match}" in t or "{masked}" in t for t in r.suggestions)
                        else (tuple(dict.fromkeys(r.suggestions)), False)
                    ),
                )
                for r in pack.rules
            ]
            for lang in LANGS
        }

    @property
    def accelerated(self) -> bool:
        """Whether the regex phase runs behind the hyperscan prefilter."""
        return self._accelerator is not None

    @property
    def pack(self) -> Pack:
        """The pack this linter checks against."""
        return self._pack

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Rules enabled by default (stable, plus preview when asked for)."""
        return tuple(r for i, r in enumerate(self._pack.rules) if i in self._enabled)

    def rule(self, code: str) -> Rule:
        """The rule with `code` (any status); KeyError if unknown."""
        return self._by_code[code]

    def _active(
        self, disabled: Iterable[str], only_categories: Iterable[str] | None
    ) -> frozenset[int]:
        if only_categories is None and not disabled and not isinstance(disabled, str):
            return self._enabled  # the usual call: skip rebuilding the set (~30 µs a check)
        if isinstance(disabled, str):
            disabled = (disabled,)
        disabled = set(disabled)
        unknown = sorted(disabled - set(self._by_code))
        if unknown:
            raise ValueError(f"unknown rule code(s) in disabled: {', '.join(unknown)}")
        cats = None
        if only_categories is not None:
            if isinstance(only_categories, str):
                only_categories = (only_categories,)
            cats = set(only_categories)
            bad = sorted(cats - set(CATEGORIES))
            if bad:
                raise ValueError(
                    f"unknown categor(y/ies) {', '.join(bad)}; valid: {', '.join(CATEGORIES)}"
                )
        rules = self._pack.rules
        return frozenset(
            i
            for i in self._enabled
            if rules[i].code not in disabled and (cats is None or rules[i].category in cats)
        )

    def check(
        self,
        text: str,
        *,
        lang: str = "vi",
        min_severity: str = "info",
        disabled: Iterable[str] = (),
        only_categories: Iterable[str] | None = None,
    ) -> CheckResult:
        """Return the findings for `text`, sorted by (start, end, code).

        Offsets are code-point indices into `text` exactly as given. Never raises on a str.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}")
        if lang not in LANGS:
            raise ValueError(f"unknown lang {lang!r}; valid: {', '.join(LANGS)}")
        if min_severity not in SEVERITY_RANK:
            raise ValueError(
                f"unknown min_severity {min_severity!r}; valid: {', '.join(SEVERITY_RANK)}"
            )
        active = self._active(disabled, only_categories)
        if not text or not active:
            return CheckResult()
        return self._check(text, lang, SEVERITY_RANK[min_severity], active)

    # --- the pipeline -------------------------------------------------------------------------

    def _check(self, text: str, lang: str, min_rank: int, active: frozenset[int]) -> CheckResult:
        cp = self._compiled
        rules = cp.rules
        view = normalize(text, telex_keys=True)
        norm = view.text
        low = _lower(norm)
        low_bytes = None  # the lower-case draft's bytes, read by the fold and the phrase scan
        if low.isascii() and not _ASCII_SPACE.search(low):
            folded = low
        else:
            low_bytes = lower_bytes(low)
            folded = fold_table(low, low_bytes)

        # Spans per target: ("p", rule) phrases, ("a"/"b", rule) proximity sides, ("x", rule)
        # exceptions, ("c", rule) context, ("f", frame) frames, ("g…", rule) regex gates.
        side_hits = cp.matcher.collect(norm, low, folded, low_bytes, view.gaps)
        candidates: dict[int, list[tuple[int, int]]] = {
            ref: spans for (kind, ref), spans in side_hits.items() if kind == "p" and ref in active
        }

        acc = self._accelerator
        possible = acc.possible(norm, folded) if acc is not None else None
        regexes = RegexRun(side_hits, norm, low, folded, possible, self._x_accelerator)
        running = active
        if possible is not None:  # only the rules with a pattern that may match
            rules_of = self._rules_of
            running = active.intersection([ri for p in possible for ri in rules_of[p]])
        for plan in cp.regex_plans:
            if plan[0] in running:
                found = regexes.rule(plan)
                if found:
                    candidates.setdefault(plan[0], []).extend(found)
            if regexes.spent:
                break
        incomplete = regexes.incomplete

        words = _Words(folded)
        if cp.detector_rules:
            dinput = DetectorInput(norm, folded, words.sentence)
            for ri, det, options, gate in cp.detector_rules:
                # (A gate shut: none of what the detector needs is in the draft.)
                if ri in active and (gate is None or gate in side_hits):
                    for span in det.fn(dinput, options):
                        candidates.setdefault(ri, []).append(span)

        for ri, a_key, b_key, window, order in self._proximity:
            a_hits = side_hits.get(a_key)
            if a_hits and ri in active:
                b_hits = side_hits.get(b_key)
                if b_hits:
                    found = _pair(a_hits, b_hits, window, order, words)
                    if found:
                        candidates.setdefault(ri, []).extend(found)

        # What the filter keeps, as (place: (start, end, code) in `text`, rule index, severity,
        # frame): findings are built for those left after yielding and dropping repeats.
        kept: list[tuple[tuple[int, int, str], int, str, str | None]] = []
        filters = self._filters
        yields = self._yields
        mapped = view.starts is not None and view.ends is not None  # (else as source_span)
        frames_found: dict[str, list[tuple[int, int]]] | None = None
        x_found: dict[tuple, list[tuple[int, int]]] = {}  # for _excepted
        for ri, spans in candidates.items():
            # What the rule's spans are tested against, looked up once per rule (each rule
            # comes once). The tests are independent, so the cheapest run first: context,
            # exception phrases, frames that drop a match, then exception patterns (regexes).
            context, x_key, x_patterns, frames, frame_names, suppress = filters[ri]
            if context is not None:
                ctx_hits = side_hits.get(context[0])
                if not ctx_hits:
                    continue  # no context phrase in the draft: none of its spans is in one
                ctx_index = words.sorted(context[0], ctx_hits)
            x_hits = side_hits.get(x_key)
            x_index = words.sorted(x_key, x_hits) if x_hits else None
            # The rule's frames either drop a match (tested before the exception patterns, as
            # above) or lower it to info (looked for only on the matches the exceptions leave).
            live: tuple = ()  # the rule's frames with a phrase in the draft, in its order
            if frames:
                if frames_found is None:  # the frames with a phrase in the draft, by name
                    frames_found = _frames_found(self._frame_keys, side_hits, words)
                # (Kept in C: `compress` keeps the frames whose name is in frames_found.)
                live = tuple(compress(frames, map(frames_found.__contains__, frame_names)))
            rule = rules[ri]
            for span in _merge(spans):
                if context is not None and not _in_context(span, context, ctx_index, words):
                    continue
                if x_index is not None and x_index.overlapping(span):
                    continue  # an exception phrase overlaps it
                if live and suppress and _framed(span, live, frames_found, words) is not None:
                    continue
                if x_patterns and _excepted(span, x_patterns, side_hits, regexes, x_found):
                    continue
                frame = _framed(span, live, frames_found, words) if live and not suppress else None
                severity = rule.severity if frame is None else "info"
                if SEVERITY_RANK[severity] < min_rank and not yields:
                    continue  # (with `yields_to` rules, filtered after yielding below)
                start, end = view.source_span(*span) if mapped else span
                if end <= start:
                    continue
                kept.append(((start, end, rule.code), ri, severity, frame))
        if self._yields:
            kept = _yield(kept, self._yields, min_rank)
        # Findings only for what is left, in order (sorted, a repeated place follows its first).
        kept.sort(key=_START)  # (by place)
        findings: list[Finding] = []
        spanmap: SpanMap | None = None
        sayings = self._sayings[lang]
        last = None
        for place, ri, severity, frame in kept:
            if place == last:
                continue
            last = place
            if spanmap is None:
                spanmap = SpanMap(text)
            findings.append(
                self._finding(sayings[ri], text, place[0], place[1], severity, frame, spanmap)
            )
        return CheckResult(findings, incomplete)

    @staticmethod
    def _finding(
        saying: tuple,
        text: str,
        start: int,
        end: int,
        severity: str,
        frame: str | None,
        spanmap: SpanMap,
    ) -> Finding:
        """The finding of a rule (`saying`: its entry in `_sayings`) at [start, end) of `text`."""
        code, name, category, message, legal_basis, suggestions, templated = saying
        matched = text[start:end]
        offset, length, line, column = spanmap.place(start, end)
        if "{match}" in message:
            message = message.replace("{match}", matched)
        if templated:
            masked = mask(matched)
            suggestions = tuple(
                dict.fromkeys(
                    s.replace("{masked}", masked).replace("{match}", matched) for s in suggestions
                )
            )
        # Positional, in Finding's field order (new_finding: a Finding, built ~6× faster).
        return new_finding(
            code,
            name,
            category,
            severity,
            message,
            start,
            end,
            offset,
            length,
            line,
            column,
            matched,  # text
            suggestions,
            legal_basis,
            frame,
        )


def _in_context(
    span: tuple[int, int], context: tuple[Any, Any, int], index: _Sorted, words: _Words
) -> bool:
    """Whether one of a rule's context phrases (`index`: their hits, sorted) is near enough to
    the match at `span` (`context`: its `_context_entry`)."""
    if index.overlapping(span):  # may even start in an earlier sentence
        return True
    key, window, reach = context
    sentence, first, last = words.locate(span[0])
    if sentence not in words.sentences(key, index.hits):
        return False  # none starts in the match's sentence
    if window == "sentence":
        return True
    for ctx in index.starting_in(span[0] - reach - index.maxlen, span[1] + reach):
        if not first <= ctx[0] < last:
            continue  # in another sentence
        if (
            words.within(ctx, span, window)
            if ctx[1] <= span[0]
            else words.within(span, ctx, window)
        ):
            return True
    return False


def _excepted(
    span: tuple[int, int], patterns: tuple, side_hits: dict, regexes: RegexRun, found: dict
) -> bool:
    """Whether one of a rule's exception patterns (its entry in `CompiledPack.
    exception_patterns`) matches over the match at `span`, looked for within 80 chars of it.

    `found`: the spans each pattern matched in each window searched so far this check. Rules
    share patterns (game accounts, phone numbers) and often match at the same place, so the same
    window: it is searched once.

    Most exception patterns match nowhere in a draft (14 of the 17 the dense benchmark draft
    asks for), so from the second window search of a check on, a pattern is searched for only
    where the accelerator's scan of all of them (RegexRun.may_except) says it may match. (The
    first search goes ahead: the scan costs about as much as three, and most drafts need
    none or one.)
    """
    norm = regexes.norm
    start, end = span
    lo = max(0, start - 80)
    hi = min(len(norm), end + 80)
    for pat, gate, lookups, lowered in patterns:
        if gate is not None and gate not in side_hits:
            continue  # no literal it needs is in the draft
        if lookups and not regexes.holds(lookups):
            continue  # a literal every match needs is not in the draft as written
        run, subject = pat, norm
        if lowered is not None and not regexes.odd():
            run, subject = lowered, regexes.low  # same spans, found faster
        key = (run.pattern, run.flags, subject is norm, lo, hi)
        spans = found.get(key)
        if spans is None:
            if found and not regexes.may_except(pat):
                continue  # it matches nowhere in the draft
            spans = []
            try:
                # (pos, endpos, overlapped, concurrent, partial, timeout): positional, as in
                # RegexRun.rule, since the `regex` module parses keywords slowly
                for m in run.compiled.finditer(subject, lo, hi, False, None, False, 0.05):
                    spans.append(m.span())
                found[key] = spans
            except TimeoutError:
                pass  # the spans found in time count; the next rule searches with its own time
        for s, e in spans:
            if s < end and start < e:
                return True
    return False


def _frames_found(
    frame_keys: tuple, side_hits: dict, words: _Words
) -> dict[str, list[tuple[int, int]]]:
    """The hits of each frame (Linter._frame_keys) in the draft, by name, without those an
    exception phrase of the frame overlaps (tested as a rule's exception phrases are); frames
    left with none are absent."""
    found = {}
    for name, key, x_key in frame_keys:
        hits = side_hits.get(key)
        if hits and x_key is not None and (voided := side_hits.get(x_key)):
            index = words.sorted(x_key, voided)
            hits = [hit for hit in hits if not index.overlapping(hit)]
        if hits:
            found[name] = hits
    return found


def _framed(span: tuple[int, int], live: tuple, found: dict, words: _Words) -> str | None:
    """The first frame of `live` that holds for the match at `span`, or None (`live`: a rule's
    frames with a phrase in the draft, in the rule's order, as `_frame_entry`s; `found`: their
    hits by name)."""
    start, end = span
    where = None
    for name, key, scope, window, reach, after, after_reach in live:
        if scope == "text":
            return name
        # Both scopes left look at the frame's phrases starting in the match's sentence: most
        # frames have none there.
        if where is None:
            where = words.locate(start)
        hits = found[name]
        if where[0] not in words.sentences(key, hits):
            continue
        if scope == "sentence":
            return name
        _, first, last = where
        index = words.sorted(key, hits)
        # The further a frame phrase ends from the match, the more words lie between (never
        # fewer): of the phrases of this sentence before it, only the one ending last can be
        # near enough; after it, only the first.
        nearest = index.last_ending(max(start - reach - index.maxlen, first), start, end)
        if nearest is not None and words.within(nearest, span, window):
            return name
        if after:
            following = index.first_in(end, min(end + after_reach, last))
            if following is not None and words.within(span, following, after):
                return name
    return None


def _yield(kept: list[tuple], yields: dict[str, frozenset[str]], min_rank: int) -> list[tuple]:
    """Drop the findings-to-be (`Linter._check`'s ((start, end, code), rule index, severity,
    frame)) of rules that yield to a rule with an overlapping one, then those below `min_rank`.
    Decided against every one before any is dropped (frames included: a finding lowered to info
    still takes the place), so the order of rules never matters."""
    places = [entry[0] for entry in kept]
    # Spans of only the rules yielded to by a finding here (usually none or a few).
    targets = set().union(*filter(None, map(yields.get, [code for _, _, code in places])))
    spans: dict[str, list[tuple[int, int]]] = {}
    if targets:
        for start, end, code in places:
            if code in targets:
                spans.setdefault(code, []).append((start, end))
    if not spans:  # no rule here yields to another one here
        return [e for e in kept if SEVERITY_RANK[e[2]] >= min_rank] if min_rank else kept
    # Per code yielded to, its spans' starts in order and the furthest end so far: a span
    # overlaps [start, end) when one starting before `end` reaches past `start` (a bisection,
    # not a scan per finding: a long draft dense with both rules' findings stays linear-ish).
    reach: dict[str, tuple[list[int], list[int]]] = {}
    for code, found in spans.items():
        found.sort()
        reach[code] = ([s for s, _ in found], list(accumulate((e for _, e in found), max)))
    out = []
    for entry in kept:
        start, end, code = entry[0]
        to = yields.get(code)
        if to and not to.isdisjoint(reach) and any(_reaches(reach.get(c), start, end) for c in to):
            continue
        if SEVERITY_RANK[entry[2]] >= min_rank:
            out.append(entry)
    return out


def _reaches(reach: tuple[list[int], list[int]] | None, start: int, end: int) -> bool:
    """Whether a span of `_yield`'s `reach` entry (starts, furthest ends) overlaps [start, end)."""
    if reach is None:
        return False
    i = bisect_left(reach[0], end)  # the spans starting before `end`
    return i > 0 and reach[1][i - 1] > start


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union overlapping spans of one rule so a rule reports each stretch of text once."""
    if len(spans) == 1:
        return spans  # (most rules match once a draft)
    spans = sorted(set(spans))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _pair(a_hits, b_hits, window: int, order: str, words: _Words) -> list[tuple[int, int]]:
    """Pair each `a` term with its nearest `b` term in the same sentence within `window` words.

    The word gap grows with distance, so the nearest `b` of the sentence after `a` (by start) and
    before it (by end; of equal ends the first by start) are the only candidates; ties go to the
    one before.
    """
    ends = words.ends()
    # The sentences holding a `b` term, found in C: an `a` term with none in its own (about
    # half of them) is dropped with one look-up, and a rule whose `a` terms all are never sorts
    # its `b` terms.
    b_sentences = set(map(bisect_right, repeat(ends), map(_START, b_hits)))
    found = []
    reach = _reach(window)
    within = words.within
    hits: list[tuple[int, int]] | None = None
    for a in a_hits:  # (a span listed twice pairs twice: _merge drops the repeat)
        a0, a1 = a
        sentence = bisect_right(ends, a0)
        if sentence not in b_sentences:
            continue
        if hits is None:
            index = _Sorted(b_hits)
            # (The range look-ups of _Sorted.last_ending and first_in, inlined: this loop runs
            # for most `a` terms of a draft, and method calls are most of its cost.)
            hits, starts, back = index.hits, index.starts, reach + index.maxlen
        before = None
        if order == "any":
            lo = bisect_left(starts, max(a0 - back, ends[sentence - 1] if sentence else 0))
            for hit in hits[lo : bisect_left(starts, a0, lo)]:
                if hit[1] <= a0 and (before is None or hit[1] > before[1]):
                    before = hit
            if before is not None and not within(before, a, window):
                before = None
        after = None
        i = bisect_left(starts, a1)
        if (
            i < len(starts)
            and starts[i] < a1 + reach
            and (sentence == len(ends) or starts[i] < ends[sentence])
        ):
            after = hits[i]
            if not within(a, after, window):
                after = None
        if before is not None and after is not None:
            # Both in reach: the nearer one in words; a tie goes to the one before.
            if words.gap(a, after, window) >= words.gap(before, a, window):
                after = None
        best = after if after is not None else before
        if best is not None:
            found.append((min(a0, best[0]), max(a1, best[1])))
    return found


_default_lock = threading.Lock()
_default_linter: Linter | None = None


def default_linter() -> Linter:
    """The cached linter over the default pack (loaded on first use)."""
    global _default_linter
    if _default_linter is None:
        with _default_lock:
            if _default_linter is None:
                from .loader import load_pack

                _default_linter = Linter(load_pack(None))
    return _default_linter


def check(text: str, **kwargs: Any) -> CheckResult:
    """Check `text` with the cached default linter (same keywords as Linter.check)."""
    return default_linter().check(text, **kwargs)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` as (start, end) code point offsets, as the engine splits them.

    A sentence ends at . ! ? … ; before a space, or at a line break, but not at the "." of a
    title or a name's initial ("TS.", "anh T.") or after "no."-style abbreviations (see
    _SENTENCE_END and _abbreviation). The engine splits its normalised view of the draft; this
    splits the draft as given, folded the same way (one char for one char), so the two differ
    only where normalisation changed the text (zero-width characters, look-alike letters).
    Each span is trimmed of the whitespace around it; sentences of whitespace alone are left
    out.
    """
    low = _lower(text)
    words = _Words(low if low.isascii() and not _ASCII_SPACE.search(low) else fold_table(low))
    spans = []
    start = 0
    for end in [*words.ends(), len(text)]:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            first = start + (len(piece) - len(piece.lstrip()))
            spans.append((first, first + len(stripped)))
        start = end
    return spans


__all__ = ["Linter", "check", "compile_pack", "default_linter", "mask", "sentence_spans"]
