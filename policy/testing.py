"""Run a rule's own examples as tests (used by `rasoat test-pack` and the test suite)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .engine import Linter
from .loader import _Source
from .model import Example, Pack, Rule


@dataclass(frozen=True, slots=True)
class ExampleOutcome:
    """The verdict on one example: `problems` is empty when it passed."""

    rule: Rule
    index: int
    example: Example
    problems: tuple[str, ...]

    @property
    def id(self) -> str:
        """A stable id such as `ACC001-bad-0` (index counted per kind)."""
        same = [e for e in self.rule.examples[: self.index] if e.kind == self.example.kind]
        return f"{self.rule.code}-{self.example.kind}-{len(same)}"

    @property
    def location(self) -> str:
        """`path:line` of the example's `[[examples]]` table in its rule file.

        A pack author with a dozen examples in a file needs the line, as every load error gives
        it, not an id to count examples by.
        """
        return example_location(self.rule, self.index)


def example_location(rule: Rule, index: int | None = None) -> str:
    """`path:line` of the rule's `index`-th example (its `bad`/`good` line), or with no index
    of its first `[[examples]]` table (of `code` when it has none)."""
    path = Path(rule.path)
    try:
        source = _Source(path, path.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError):  # edited away since it loaded: the file alone
        return rule.path
    if index is None:
        line = source.line_of(table="examples") or source.line_of("code")
    else:
        kind = rule.examples[index].kind
        line = source.line_of(kind, table="examples", nth=index) or source.line_of(
            table="examples", nth=index
        )
    return f"{rule.path}:{line or 1}"


def check_example(linter: Linter, rule: Rule, example: Example) -> list[str]:
    """What is wrong with how `rule` handles `example` (empty list when all is well)."""
    problems: list[str] = []
    hits = [f for f in linter.check(example.text) if f.code == rule.code]
    label = f"{rule.code} {rule.name}"
    if example.kind == "good":
        for f in hits:
            problems.append(
                f"{label}: false positive on {example.text!r}: "
                f"fired at {f.start}..{f.end} ({f.text!r})"
            )
        return problems
    assert example.span is not None
    s, e = example.span
    if not hits:
        return [f"{label}: false negative on {example.marked!r}: did not fire"]
    if len(hits) > 1:
        spans = ", ".join(f"{f.start}..{f.end} {f.text!r}" for f in hits)
        problems.append(f"{label}: fired {len(hits)} times on {example.marked!r}: {spans}")
    f = hits[0]
    if (f.start, f.end) != (s, e):
        problems.append(
            f"{label}: expected span {s}..{e} {example.text[s:e]!r}, got "
            f"{f.start}..{f.end} {f.text!r} in {example.marked!r}"
        )
    want = example.severity or rule.severity
    if f.severity != want:
        problems.append(
            f"{label}: expected severity {want}, got {f.severity} on {example.marked!r}"
        )
    for sug in f.suggestions:
        fixed = example.text[: f.start] + sug + example.text[f.end :]
        again = [g for g in linter.check(fixed) if g.code == rule.code]
        if again:
            problems.append(f"{label}: still fires after applying suggestion {sug!r}: {fixed!r}")
    return problems


def run_examples(pack: Pack, *, own_only: bool = False) -> list[ExampleOutcome]:
    """Check every example of every rule (preview rules included) against `pack`."""
    linter = Linter(pack, include_preview=True)
    out = []
    for rule in pack.rules:
        if rule.status in ("deprecated", "removed") or (own_only and rule.pack != pack.id):
            continue
        for i, ex in enumerate(rule.examples):
            out.append(ExampleOutcome(rule, i, ex, tuple(check_example(linter, rule, ex))))
    return out
