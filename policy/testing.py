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


# What can be wrong with an example, as `rasoat test-pack --lang` says it: (Vietnamese, English).
_PROBLEMS: dict[str, tuple[str, str]] = {
    "false-positive": (
        "{label}: báo nhầm trên {text!r}: quy tắc báo ở {start}..{end} ({match!r})",
        "{label}: false positive on {text!r}: fired at {start}..{end} ({match!r})",
    ),
    "false-negative": (
        "{label}: bỏ sót trên {marked!r}: quy tắc không báo",
        "{label}: false negative on {marked!r}: did not fire",
    ),
    "fired-times": (
        "{label}: báo {n} lần trên {marked!r}: {spans}",
        "{label}: fired {n} times on {marked!r}: {spans}",
    ),
    "wrong-span": (
        "{label}: cần báo đoạn {s}..{e} {want!r}, nhưng báo {start}..{end} {got!r} trong "
        "{marked!r}",
        "{label}: expected span {s}..{e} {want!r}, got {start}..{end} {got!r} in {marked!r}",
    ),
    "wrong-severity": (
        "{label}: cần mức {want}, nhưng là {got} trên {marked!r}",
        "{label}: expected severity {want}, got {got} on {marked!r}",
    ),
    "incomplete": (
        "{label}: bản nháp {text!r} chưa được kiểm tra hết: một mẫu quy tắc chạy quá thời gian "
        "cho phép (biểu thức chính quy chạy mãi?)",
        "{label}: the check of {text!r} was cut short: a pattern hit its time budget (a runaway "
        "regex?)",
    ),
    "still-fires": (
        "{label}: vẫn báo sau khi áp dụng gợi ý {suggestion!r}: {fixed!r}",
        "{label}: still fires after applying suggestion {suggestion!r}: {fixed!r}",
    ),
}


def check_example(linter: Linter, rule: Rule, example: Example, lang: str = "en") -> list[str]:
    """What is wrong with how `rule` handles `example` (empty list when all is well), said in
    `lang`."""

    def say(kind: str, **params: object) -> str:
        vi, en = _PROBLEMS[kind]
        return (vi if lang == "vi" else en).format(label=f"{rule.code} {rule.name}", **params)

    problems: list[str] = []
    result = linter.check(example.text)
    if result.incomplete:  # what it found, or did not, is not the rule's verdict on the draft
        problems.append(say("incomplete", text=example.text))
    hits = [f for f in result if f.code == rule.code]
    if example.kind == "good":
        for f in hits:
            problems.append(
                say("false-positive", text=example.text, start=f.start, end=f.end, match=f.text)
            )
        return problems
    assert example.span is not None
    s, e = example.span
    if not hits:
        return [say("false-negative", marked=example.marked)]
    if len(hits) > 1:
        spans = ", ".join(f"{f.start}..{f.end} {f.text!r}" for f in hits)
        problems.append(say("fired-times", n=len(hits), marked=example.marked, spans=spans))
    f = hits[0]
    if (f.start, f.end) != (s, e):
        problems.append(
            say(
                "wrong-span",
                s=s,
                e=e,
                want=example.text[s:e],
                start=f.start,
                end=f.end,
                got=f.text,
                marked=example.marked,
            )
        )
    want = example.severity or rule.severity
    if f.severity != want:
        problems.append(say("wrong-severity", want=want, got=f.severity, marked=example.marked))
    for sug in f.suggestions:
        fixed = example.text[: f.start] + sug + example.text[f.end :]
        again = [g for g in linter.check(fixed) if g.code == rule.code]
        if again:
            problems.append(say("still-fires", suggestion=sug, fixed=fixed))
    return problems


def run_examples(pack: Pack, *, own_only: bool = False, lang: str = "en") -> list[ExampleOutcome]:
    """Check every example of every rule (preview rules included) against `pack`; the problems
    are said in `lang`."""
    linter = Linter(pack, include_preview=True)
    out = []
    for rule in pack.rules:
        if rule.status in ("deprecated", "removed") or (own_only and rule.pack != pack.id):
            continue
        for i, ex in enumerate(rule.examples):
            problems = check_example(linter, rule, ex, lang)
            out.append(ExampleOutcome(rule, i, ex, tuple(problems)))
    return out
