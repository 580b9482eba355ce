"""`rasoat eval`: recall, precision and benign false-alarm rate of a pack on labelled corpora.

A corpus line is one JSON object: ``id``, ``lang`` (vi | en | mixed), ``text``, ``expect``
(categories a good linter MUST report at warning or above), ``allow`` (categories it MAY report)
and an optional ``note``. Scoring is per draft and category:

- a category in ``expect`` is a *true positive* when some finding of that category reaches warning,
  otherwise a *miss*;
- a category reported at warning or above that is in neither ``expect`` nor ``allow`` is a
  *false positive* (precision = TP / (TP + FP); reports in ``allow`` count for neither);
- the *benign false-alarm rate* is the share of drafts with an empty ``expect`` that get any such
  false positive.

Draft text is never printed unless ``--show-text`` is given (for developers on their own corpus).
Exit codes: 0 ok, 1 thresholds given and not met, 2 bad input (``path:line: message``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import CATEGORIES, Linter, PolicyError, load_pack
from .cli import LANGS as MESSAGE_LANGS
from .cli import _err, _h, _lang_of, _UsageError, policy_error_text
from .cli import _Parser as cli_parser  # its help and usage errors speak as the other commands'
from .os_reasons_vi import reason

LANGS = ("vi", "en", "mixed")
REPORTED = frozenset({"warning", "error"})  # severities that count as "the linter reported it"
_KEYS = {"id", "lang", "text", "expect", "allow", "note"}


class CorpusError(ValueError):
    """A malformed corpus line: ``path:line: message`` (``path: message`` for a whole file), the
    message in Vietnamese and English; ``str()`` is the English one."""

    def __init__(self, path: str, line: int | None, vi: str, en: str) -> None:
        self.where = f"{path}:{line}" if line else path
        self.messages = {"vi": vi, "en": en}
        super().__init__(self.say("en"))

    def say(self, lang: str) -> str:
        """The error in `lang` (vi | en), after its ``path:line``."""
        return f"{self.where}: {self.messages.get(lang, self.messages['en'])}"


@dataclass(frozen=True)
class Draft:
    """One labelled draft and where it came from."""

    id: str
    lang: str
    text: str
    expect: frozenset[str]
    allow: frozenset[str]
    path: str
    line: int


def _categories(value: Any, key: str, path: str, line: int) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise CorpusError(
            path,
            line,
            f"{key!r} phải là một danh sách tên nhóm",
            f"{key!r} must be a list of category names",
        )
    unknown = sorted(set(value) - set(CATEGORIES))
    if unknown:
        valid = ", ".join(CATEGORIES)
        raise CorpusError(
            path,
            line,
            f"nhóm {unknown[0]!r} trong {key!r} không hợp lệ; hợp lệ: {valid}",
            f"unknown category {unknown[0]!r} in {key!r}; valid: {valid}",
        )
    if len(set(value)) != len(value):
        raise CorpusError(
            path, line, f"nhóm bị lặp trong {key!r}", f"duplicate category in {key!r}"
        )
    return frozenset(value)


def parse_line(raw: str, path: str, line: int) -> Draft:
    """Validate one JSONL line and return its draft (raises CorpusError)."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CorpusError(
            path,
            line,
            f"JSON không hợp lệ ({exc.msg}, cột {exc.colno})",
            f"invalid JSON ({exc.msg} at column {exc.colno})",
        ) from None
    if not isinstance(obj, dict):
        raise CorpusError(path, line, "cần một đối tượng JSON", "expected a JSON object")
    missing = sorted({"id", "lang", "text", "expect"} - obj.keys())
    if missing:
        raise CorpusError(path, line, f"thiếu khóa {missing[0]!r}", f"missing key {missing[0]!r}")
    extra = sorted(obj.keys() - _KEYS)
    if extra:
        valid = ", ".join(sorted(_KEYS))
        raise CorpusError(
            path,
            line,
            f"khóa {extra[0]!r} không hợp lệ; hợp lệ: {valid}",
            f"unknown key {extra[0]!r}; valid: {valid}",
        )
    if not isinstance(obj["id"], str) or not obj["id"].strip():
        raise CorpusError(
            path, line, "'id' phải là một chuỗi không rỗng", "'id' must be a non-empty string"
        )
    if obj["lang"] not in LANGS:
        langs = ", ".join(LANGS)
        raise CorpusError(
            path, line, f"'lang' phải là một trong: {langs}", f"'lang' must be one of {langs}"
        )
    if not isinstance(obj["text"], str) or not obj["text"].strip():
        raise CorpusError(
            path,
            line,
            "'text' phải là một chuỗi không rỗng",
            "'text' must be a non-empty string",
        )
    if not isinstance(obj.get("note", ""), str):
        raise CorpusError(path, line, "'note' phải là một chuỗi", "'note' must be a string")
    expect = _categories(obj["expect"], "expect", path, line)
    allow = _categories(obj.get("allow", []), "allow", path, line)
    both = sorted(expect & allow)
    if both:
        raise CorpusError(
            path,
            line,
            f"nhóm {both[0]!r} có trong cả 'expect' lẫn 'allow'",
            f"category {both[0]!r} is in both 'expect' and 'allow'",
        )
    return Draft(obj["id"], obj["lang"], obj["text"], expect, allow, path, line)


def read_corpus(path: str | Path) -> list[Draft]:
    """Read and validate a JSONL corpus file; blank lines are skipped."""
    name = str(path)
    try:
        content = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError(name, None, "không có tệp này", "no such file") from None
    except OSError as exc:
        # The OS's reason in Vietnamese on the Vietnamese line, as `rasoat check` says it.
        vi, en = (
            reason(exc, lang) if exc.strerror else type(exc).__name__ for lang in ("vi", "en")
        )
        raise CorpusError(name, None, f"không đọc được ({vi})", f"cannot read ({en})") from None
    except UnicodeDecodeError:
        raise CorpusError(name, None, "không phải UTF-8 hợp lệ", "not valid UTF-8") from None
    drafts = [
        parse_line(raw, name, n) for n, raw in enumerate(content.splitlines(), 1) if raw.strip()
    ]
    if not drafts:
        raise CorpusError(name, None, "không có bản nháp nào", "no drafts")
    return drafts


def check_unique_ids(drafts: Iterable[Draft]) -> None:
    """Raise CorpusError on the second occurrence of an id (across every file given)."""
    seen: dict[str, Draft] = {}
    for d in drafts:
        first = seen.setdefault(d.id, d)
        if first is not d:
            at = f"{first.path}:{first.line}"
            raise CorpusError(
                d.path,
                d.line,
                f"id {d.id!r} bị lặp (lần đầu ở {at})",
                f"duplicate id {d.id!r} (first at {at})",
            )


@dataclass(frozen=True)
class Outcome:
    """What the linter reported on one draft: category -> rule codes, split by severity."""

    draft: Draft
    reported: dict[str, tuple[str, ...]]  # at warning or above
    quiet: dict[str, tuple[str, ...]]  # info only (e.g. lowered by a frame)
    incomplete: bool = False

    @property
    def false_positives(self) -> list[str]:
        return sorted(set(self.reported) - self.draft.expect - self.draft.allow)


def run(linter: Linter, drafts: Iterable[Draft]) -> list[Outcome]:
    """Check every draft once and group the findings by category."""
    outcomes = []
    for d in drafts:
        result = linter.check(d.text, lang="en" if d.lang == "en" else "vi")
        reported: dict[str, set[str]] = {}
        quiet: dict[str, set[str]] = {}
        for f in result:
            bucket = reported if f.severity in REPORTED else quiet
            bucket.setdefault(f.category, set()).add(f.code)
        outcomes.append(
            Outcome(
                d,
                {c: tuple(sorted(v)) for c, v in reported.items()},
                {c: tuple(sorted(v)) for c, v in quiet.items()},
                result.incomplete,
            )
        )
    return outcomes


@dataclass
class CategoryStats:
    support: int = 0
    tp: int = 0
    fp: int = 0

    @property
    def misses(self) -> int:
        return self.support - self.tp

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.support else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None


@dataclass
class Report:
    """Figures for one set of drafts."""

    name: str
    drafts: int = 0
    benign: int = 0
    benign_alarms: int = 0
    incomplete: int = 0
    categories: dict[str, CategoryStats] = field(
        default_factory=lambda: {c: CategoryStats() for c in CATEGORIES}
    )
    misses: list[tuple[Outcome, str]] = field(default_factory=list)
    false_alarms: list[tuple[Outcome, str]] = field(default_factory=list)

    @property
    def false_alarm_rate(self) -> float | None:
        return self.benign_alarms / self.benign if self.benign else None

    def recall(self, category: str) -> float | None:
        return self.categories[category].recall

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: figures plus ids and codes, never draft text."""
        return {
            "name": self.name,
            "drafts": self.drafts,
            "incomplete": self.incomplete,
            "benign": {
                "drafts": self.benign,
                "false_alarms": self.benign_alarms,
                "rate": self.false_alarm_rate,
            },
            "categories": {
                c: {
                    "support": s.support,
                    "tp": s.tp,
                    "misses": s.misses,
                    "fp": s.fp,
                    "recall": s.recall,
                    "precision": s.precision,
                }
                for c, s in self.categories.items()
            },
            "misses": [
                {"id": o.draft.id, "category": c, "info_codes": list(o.quiet.get(c, ()))}
                for o, c in self.misses
            ],
            "false_alarms": [
                {
                    "id": o.draft.id,
                    "category": c,
                    "codes": list(o.reported[c]),
                    "benign": not o.draft.expect,
                }
                for o, c in self.false_alarms
            ],
        }


def score(outcomes: Iterable[Outcome], name: str) -> Report:
    """Turn per-draft outcomes into per-category figures and the lists of errors."""
    report = Report(name)
    for o in outcomes:
        report.drafts += 1
        report.incomplete += o.incomplete
        for c in sorted(o.draft.expect):
            stats = report.categories[c]
            stats.support += 1
            if c in o.reported:
                stats.tp += 1
            else:
                report.misses.append((o, c))
        fps = o.false_positives
        for c in fps:
            report.categories[c].fp += 1
            report.false_alarms.append((o, c))
        if not o.draft.expect:
            report.benign += 1
            report.benign_alarms += bool(fps)
    return report


def evaluate(linter: Linter, drafts: Iterable[Draft], name: str = "corpus") -> Report:
    """Check the drafts with the linter and score them."""
    return score(run(linter, drafts), name)


# ---------------------------------------------------------------------------------- output


# The report's own words, by key: (Vietnamese, English), in `--lang` (Vietnamese by default), as
# every other command's output (policy/cli.py `_MESSAGES`). Category ids and rule codes are names,
# the same in both.
_WORDS: dict[str, tuple[str, str]] = {
    "pack": ("gói {id} {version}", "pack {id} {version}"),
    "combined": ("gộp ({n} tệp)", "combined ({n} files)"),
    "drafts": (
        "{name} — {drafts} bản nháp ({positive} cần báo, {benign} vô hại)",
        "{name} — {drafts} drafts ({positive} with expected findings, {benign} benign)",
    ),
    "category": ("nhóm", "category"),
    "support": ("cần báo", "support"),
    "tp": ("đúng", "TP"),
    "miss": ("sót", "miss"),
    "fp": ("nhầm", "FP"),
    "recall": ("độ phủ", "recall"),
    "precision": ("độ chính xác", "precision"),
    "all": ("tất cả (micro)", "all (micro)"),
    "benign-rate": (
        "tỷ lệ báo nhầm trên bản nháp vô hại: {alarms}/{benign} = {pct}",
        "benign false-alarm rate: {alarms}/{benign} = {pct}",
    ),
    "incomplete": (
        "lần kiểm tra chưa trọn (một mẫu quá thời gian cho phép): {n}",
        "incomplete checks (regex time budget hit): {n}",
    ),
    "misses": ("bỏ sót ({n}):", "misses ({n}):"),
    "info-only": ("chỉ ở mức info: {codes}", "info only: {codes}"),
    "false-alarms": ("báo nhầm ({n}):", "false alarms ({n}):"),
    "benign": ("vô hại", "benign"),
    "extra": ("thừa", "extra"),
    "fail": ("KHÔNG ĐẠT: {line}", "FAIL: {line}"),
    "fail-recall": (
        "độ phủ {category} {recall:.3f} < {floor}",
        "recall {category} {recall:.3f} < {floor}",
    ),
    "fail-rate": (
        "tỷ lệ báo nhầm trên bản nháp vô hại {rate:.3f} > {ceiling}",
        "benign false-alarm rate {rate:.3f} > {ceiling}",
    ),
}


def _word(key: str, lang: str, **params: object) -> str:
    """The report's word or line `key` in `lang` (vi | en), its {placeholders} filled in."""
    vi, en = _WORDS[key]
    return (vi if lang == "vi" else en).format(**params)


def _fmt(x: float | None) -> str:
    return "    —" if x is None else f"{x:5.3f}"


def format_table(
    report: Report, compact: bool = False, lang: str = "vi", title: str | None = None
) -> str:
    """The per-category table and the benign false-alarm line, in `lang` (vi | en).

    ``compact`` leaves out categories with no support and no reports (per-file tables of a corpus
    split by theme would otherwise be mostly zeros). ``title`` replaces the report's name in the
    first line (the combined report's, said in `lang`).
    """
    w = {k: _word(k, lang) for k in ("category", "support", "tp", "miss", "fp", "recall")}
    precision = _word("precision", lang)
    # Columns wider than their heading (the Vietnamese ones are longer), so figures sit under it
    # and two headings never run together.
    widths = [max(n, len(w[k]) + 1) for n, k in ((8, "support"), (6, "tp"), (6, "miss"), (6, "fp"))]
    wr, wp = max(9, len(w["recall"]) + 2), max(11, len(precision) + 2)

    def row(label: str, s: CategoryStats) -> str:
        counts = "".join(
            f"{v:>{n}}" for v, n in zip((s.support, s.tp, s.misses, s.fp), widths, strict=True)
        )
        return f"  {label:<20}{counts}{_fmt(s.recall):>{wr}}{_fmt(s.precision):>{wp}}"

    positive = report.drafts - report.benign
    heads = (w["support"], w["tp"], w["miss"], w["fp"])
    lines = [
        _word(
            "drafts",
            lang,
            name=title or report.name,
            drafts=report.drafts,
            positive=positive,
            benign=report.benign,
        ),
        f"  {w['category']:<20}{''.join(f'{h:>{n}}' for h, n in zip(heads, widths, strict=True))}"
        f"{w['recall']:>{wr}}{precision:>{wp}}",
    ]
    total = CategoryStats()
    for c, s in report.categories.items():
        total.support += s.support
        total.tp += s.tp
        total.fp += s.fp
        if compact and not (s.support or s.fp):
            continue
        lines.append(row(c, s))
    lines.append(row(_word("all", lang), total))
    rate = report.false_alarm_rate
    pct = "—" if rate is None else f"{100 * rate:.1f}%"
    lines.append(
        "  "
        + _word("benign-rate", lang, alarms=report.benign_alarms, benign=report.benign, pct=pct)
    )
    if report.incomplete:
        lines.append("  " + _word("incomplete", lang, n=report.incomplete))
    return "\n".join(lines)


def _text(d: Draft) -> str:
    flat = " ⏎ ".join(d.text.splitlines())
    return flat if len(flat) <= 160 else flat[:157] + "…"


def format_lists(report: Report, show_text: bool = False, lang: str = "vi") -> str:
    """Misses and false alarms: id, category and rule codes (text only with show_text), in
    `lang` (vi | en)."""
    lines = ["  " + _word("misses", lang, n=len(report.misses))]
    for o, c in report.misses:
        info = o.quiet.get(c)
        detail = _word("info-only", lang, codes=", ".join(info)) if info else "—"
        lines.append(f"    {o.draft.id:<10} {c:<20} {detail}")
        if show_text:
            lines.append(f"               {_text(o.draft)}")
    lines.append("  " + _word("false-alarms", lang, n=len(report.false_alarms)))
    for o, c in report.false_alarms:
        kind = _word("benign" if not o.draft.expect else "extra", lang)
        lines.append(f"    {o.draft.id:<10} {c:<20} {', '.join(o.reported[c])}  ({kind})")
        if show_text:
            lines.append(f"               {_text(o.draft)}")
    return "\n".join(lines)


def failures(
    report: Report, min_recall: float | None, max_false_alarm: float | None, lang: str = "vi"
) -> list[str]:
    """Threshold violations, one readable line each in `lang` (vi | en); categories without
    support are skipped."""
    out = []
    if min_recall is not None:
        for c, s in report.categories.items():
            if s.recall is not None and s.recall < min_recall:
                out.append(
                    _word("fail-recall", lang, category=c, recall=s.recall, floor=min_recall)
                )
    rate = report.false_alarm_rate
    if max_false_alarm is not None and rate is not None and rate > max_false_alarm:
        out.append(_word("fail-rate", lang, rate=rate, ceiling=max_false_alarm))
    return out


# ------------------------------------------------------------------------------------- CLI


def _fraction(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {value!r}")
    return x


_EPILOG = """\
Mã thoát: 0 đạt (hoặc không nêu ngưỡng nào); 1 chưa đạt ngưỡng --min-recall hoặc
--max-false-alarm; 2 lỗi cách dùng, lỗi gói quy tắc hoặc một dòng của kho bản nháp bị sai.
Exit codes: 0 ok (or no thresholds given); 1 a --min-recall or --max-false-alarm threshold not
met; 2 a usage or pack error, or a malformed corpus line."""


def build_parser() -> argparse.ArgumentParser:
    """The parser of `rasoat eval`; its help is in Vietnamese, then in English, as the other
    commands' is (policy/cli.py)."""
    p = cli_parser(
        prog="rasoat eval",
        description="Độ phủ, độ chính xác và tỷ lệ báo nhầm (trên bản nháp vô hại) của một gói "
        "quy tắc,\nđo trên các kho bản nháp có nhãn (JSONL).\n"
        "Recall, precision and benign false-alarm rate of a policy pack on labelled JSONL "
        "corpora.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=_h("các tệp kho bản nháp JSONL", "JSONL corpus files"),
    )
    p.add_argument(
        "--pack",
        default=None,
        help=_h(
            "mã hoặc thư mục gói quy tắc (mặc định: vn-mofa)",
            "pack id or folder (default: vn-mofa)",
        ),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help=_h(
            "in một tài liệu JSON thay cho các bảng", "print one JSON document instead of tables"
        ),
    )
    p.add_argument(
        "--min-recall",
        type=_fraction,
        metavar="X",
        help=_h(
            "thoát với mã 1 nếu độ phủ của một nhóm (gộp mọi tệp) thấp hơn X "
            "(mặc định: không có ngưỡng)",
            "exit 1 if any category's recall (all files combined) is below X (default: none)",
        ),
    )
    p.add_argument(
        "--max-false-alarm",
        type=_fraction,
        metavar="Y",
        help=_h(
            "thoát với mã 1 nếu tỷ lệ báo nhầm trên bản nháp vô hại (gộp mọi tệp) cao hơn Y "
            "(mặc định: không có ngưỡng)",
            "exit 1 if the combined benign false-alarm rate is above Y (default: none)",
        ),
    )
    p.add_argument(
        "--lang",
        choices=MESSAGE_LANGS,
        default="vi",
        help=_h(
            "ngôn ngữ của báo cáo và thông báo lỗi (mặc định: vi)",
            "language of the report and of errors (default: vi)",
        ),
    )
    p.add_argument(
        "--show-text",
        action="store_true",
        help=_h(
            "in nội dung bản nháp cạnh các chỗ bỏ sót và báo nhầm (chỉ dành cho người phát triển)",
            "print draft text next to misses and false alarms (developers only)",
        ),
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for `rasoat eval` / `python -m policy eval`; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_of(argv)  # before argparse, so that its own errors speak it too
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except _UsageError as exc:
        _err(exc.say(lang), lang)
        return 2
    try:
        corpora = [(f, read_corpus(f)) for f in args.files]
        check_unique_ids(d for _, ds in corpora for d in ds)
        pack = load_pack(args.pack)
    except CorpusError as exc:
        _err(exc.say(lang), lang)
        return 2
    except PolicyError as exc:
        _err(policy_error_text(exc, lang), lang)
        return 2
    linter = Linter(pack)
    outcomes = [(name, run(linter, ds)) for name, ds in corpora]
    reports = [score(os, name) for name, os in outcomes]
    combined = (
        reports[0]
        if len(reports) == 1
        else score([o for _, os in outcomes for o in os], f"combined ({len(reports)} files)")
    )
    problems = failures(combined, args.min_recall, args.max_false_alarm, args.lang)

    if args.json:
        doc = {
            "pack": {"id": pack.id, "version": pack.version, "digest": pack.digest},
            "files": [r.to_dict() for r in reports],
            "combined": combined.to_dict(),
            "thresholds": {
                "min_recall": args.min_recall,
                "max_false_alarm": args.max_false_alarm,
                "failures": problems,
            },
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        lang = args.lang
        print(_word("pack", lang, id=pack.id, version=pack.version) + "\n")
        for r in reports if len(reports) > 1 else []:
            print(format_table(r, compact=True, lang=lang) + "\n")
        title = _word("combined", lang, n=len(reports)) if len(reports) > 1 else None
        print(format_table(combined, lang=lang, title=title))
        print(format_lists(combined, args.show_text, lang))
        for line in problems:
            print(_word("fail", lang, line=line))
    return 1 if problems else 0
