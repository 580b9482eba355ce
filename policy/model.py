"""Value objects shared by every part of the engine: errors, rules, packs, findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "state-secret",
    "internal-work",
    "personal-data",
    "credentials",
    "account-trading",
    "misinformation",
    "offensive-language",
    "incitement",
    "illegal-services",
    "unsafe-link",
)
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
STATUSES: tuple[str, ...] = ("stable", "preview", "deprecated", "removed")
RULE_TYPES: tuple[str, ...] = ("phrases", "regex", "proximity", "detector")
LANGS: tuple[str, ...] = ("vi", "en")
PREFIXES = {
    "state-secret": "SEC",
    "internal-work": "INT",
    "personal-data": "PDP",
    "credentials": "CRD",
    "account-trading": "ACC",
    "misinformation": "MIS",
    "offensive-language": "OFF",
    "incitement": "INC",
    "illegal-services": "ILL",
    "unsafe-link": "LNK",
}
DEFAULT_PACK = "vn-mofa"


def canonical_code(typed: str) -> str:
    """A rule code as packs write it (capitals: ACC001) from one typed in any case ("acc001"),
    the one reading of the CLI and the service. Only ASCII is upper-cased: codes are ASCII, and
    `str.upper` would make "ſec001" (a long s) the code SEC001."""
    return typed.upper() if typed.isascii() else typed


class PolicyError(Exception):
    """Base class of every error the policy package raises on purpose."""


class PackError(PolicyError):
    """A pack failed to load; prints as `path:line: message`."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}: {self.message}"


@dataclass(frozen=True, slots=True)
class Example:
    """One example of a rule: a bad draft with its expected span, or a good draft."""

    kind: str  # "bad" | "good"
    text: str  # the draft with the [[…]] marker removed
    span: tuple[int, int] | None  # expected code-point span for bad examples
    severity: str | None = None  # expected severity for bad examples

    @property
    def marked(self) -> str:
        """The draft as written in the pack, with the [[…]] marker."""
        if self.span is None:
            return self.text
        s, e = self.span
        return f"{self.text[:s]}[[{self.text[s:e]}]]{self.text[e:]}"


@dataclass(frozen=True, slots=True)
class Instrument:
    """A legal instrument cited by rules."""

    key: str
    number: str
    title: dict[str, str]
    in_force: str | None = None


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """A citation: an instrument key plus free-text article."""

    instrument: Instrument
    article: str

    def text(self, lang: str) -> str:
        """Render the citation in `lang`, e.g. `Luật … (117/2025/QH15), Điều 5`."""
        title = self.instrument.title.get(lang) or self.instrument.title.get("vi", "")
        return f"{title} ({self.instrument.number}), {self.article}"


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as declared in a pack (its compiled matcher lives in the engine)."""

    code: str
    name: str
    category: str
    severity: str
    status: str
    type: str
    message: dict[str, str]
    doc: dict[str, dict[str, str]]
    legal_basis: tuple[LegalBasis, ...]
    examples: tuple[Example, ...]
    suggestions: tuple[str, ...] = ()
    frames: tuple[str, ...] = ()
    frame_action: str = "suppress"
    pack: str = ""
    path: str = ""
    spec: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def legal_basis_text(self, lang: str) -> tuple[str, ...]:
        """Rendered citations in `lang`."""
        return tuple(lb.text(lang) for lb in self.legal_basis)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Serialisable description; both languages when `lang` is None."""

        def pick(d: dict[str, str]) -> Any:
            return dict(d) if lang is None else d.get(lang, d.get("vi", ""))

        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity,
            "status": self.status,
            "type": self.type,
            "pack": self.pack,
            "message": pick(self.message),
            "doc": {k: pick(v) for k, v in self.doc.items()},
            "legal_basis": (
                {lg: list(self.legal_basis_text(lg)) for lg in LANGS}
                if lang is None
                else list(self.legal_basis_text(lang))
            ),
            "examples": [
                {
                    "kind": ex.kind,
                    "text": ex.marked,
                    **({"severity": ex.severity} if ex.severity else {}),
                }
                for ex in self.examples
            ],
            "suggestions": list(self.suggestions),
        }


@dataclass(frozen=True, slots=True)
class Frame:
    """Words before a match that change its meaning (negation, advice, refutation…)."""

    name: str
    phrases: tuple[str, ...]
    window: int = 6
    scope: str = "window"  # window | sentence | text
    after: int = 0  # words after the match that also count (scope "window" only)
    # Phrases that void a frame phrase they overlap ("bị bắt oan": a grievance, not arrest news)
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a draft; offsets refer to the text exactly as given."""

    code: str
    name: str
    category: str
    severity: str
    message: str
    start: int
    end: int
    offset: int
    length: int
    line: int
    column: int
    text: str
    suggestions: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    frame: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The wire shape every client sees (tuples become lists)."""
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "offset": self.offset,
            "length": self.length,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "suggestions": list(self.suggestions),
            "legal_basis": list(self.legal_basis),
            "frame": self.frame,
        }


class _FindingBuilder:
    """Builds a Finding ~6× faster than its dataclass `__init__`, which stores each field
    through `object.__setattr__` (frozen): a check makes dozens. It stores the fields into the
    same slots with plain attribute stores, then turns the object into the `Finding` it equals
    (`__class__` assignment, allowed since both lay out the same slots and nothing else).
    Call `new_finding` with every field, in field order."""

    __slots__ = tuple(f.name for f in fields(Finding))

    def __init__(
        self,
        code: str,
        name: str,
        category: str,
        severity: str,
        message: str,
        start: int,
        end: int,
        offset: int,
        length: int,
        line: int,
        column: int,
        text: str,
        suggestions: tuple[str, ...],
        legal_basis: tuple[str, ...],
        frame: str | None,
    ) -> None:
        self.code = code
        self.name = name
        self.category = category
        self.severity = severity
        self.message = message
        self.start = start
        self.end = end
        self.offset = offset
        self.length = length
        self.line = line
        self.column = column
        self.text = text
        self.suggestions = suggestions
        self.legal_basis = legal_basis
        self.frame = frame
        self.__class__ = Finding  # type: ignore[assignment]


# `Finding(*fields)` exactly (test_new_finding_is_a_finding), for the engine's hot path.
new_finding: Callable[..., Finding] = _FindingBuilder  # type: ignore[assignment]


class CheckResult(list):
    """A list of findings plus `incomplete`, True when a regex hit its time budget."""

    incomplete: bool

    def __init__(self, findings=(), incomplete: bool = False) -> None:
        super().__init__(findings)
        self.incomplete = incomplete


@dataclass(frozen=True, slots=True)
class Pack:
    """A loaded, validated and compiled policy pack (including what it extends)."""

    id: str
    name: dict[str, str]
    version: str
    description: dict[str, str]
    languages: tuple[str, ...]
    extends: str | None
    path: str
    digest: str
    files: tuple[str, ...]
    rules: tuple[Rule, ...]
    instruments: dict[str, Instrument]
    frames: dict[str, Frame]
    compiled: Any = field(default=None, compare=False, repr=False)

    def rule(self, code: str) -> Rule:
        """The rule with `code`; KeyError if the pack has none."""
        for r in self.rules:
            if r.code == code:
                return r
        raise KeyError(code)


class Pattern:
    """A rule's regex: compiled once, and pickled as its source so a cached pack loads fast.

    After unpickling, the `regex` module compiles it on first use (compiling is idempotent, so
    two threads racing here only do the work twice).
    """

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int, compiled: Any = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled = compiled

    @property
    def compiled(self) -> Any:
        """The `regex` pattern object."""
        if self._compiled is None:
            import regex

            self._compiled = regex.compile(self.pattern, self.flags)
        return self._compiled

    def finditer(self, *args: Any, **kwargs: Any):
        """`regex.Pattern.finditer` (same arguments, `timeout` included)."""
        return self.compiled.finditer(*args, **kwargs)

    def __getstate__(self) -> tuple[str, int]:
        return (self.pattern, self.flags)

    def __setstate__(self, state: tuple[str, int]) -> None:
        self.pattern, self.flags = state
        self._compiled = None

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r})"
