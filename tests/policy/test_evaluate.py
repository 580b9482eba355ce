"""`rasoat eval` (policy.evaluate): scoring rules, exit codes, input errors, no text by default."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from policy_helpers import PACKS

import policy
from policy import evaluate
from policy.cli import main as cli_main

BASIC = str(PACKS / "basic")
REPORTED = {"warning", "error"}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture(scope="module")
def example_rows() -> list[dict]:
    """A corpus made of the fixture pack's own examples: bad ones expect their category."""
    rows = []
    for rule in policy.Linter(policy.load_pack(BASIC)).rules:  # enabled by default only
        for n, ex in enumerate(rule.examples):
            bad = ex.kind == "bad" and (ex.severity or rule.severity) in REPORTED
            if ex.kind == "bad" and not bad:
                continue  # an example expected at info level is not a "report"
            rows.append(
                {
                    "id": f"{rule.code}-{n}",
                    "lang": "vi",
                    "text": ex.text,
                    "expect": [rule.category] if bad else [],
                    "allow": [],
                    "note": "",
                }
            )
    return rows


def test_examples_corpus_scores_like_the_linter(tmp_path, capsys, example_rows):
    path = _write(tmp_path / "ex.jsonl", example_rows)
    assert evaluate.main([str(path), "--pack", BASIC, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    report = doc["combined"]
    assert report["drafts"] == len(example_rows)
    for category, stats in report["categories"].items():
        if stats["support"]:
            assert stats["recall"] == 1.0, category  # every bad example fires (test_rule_examples)
    # False alarms must be exactly the benign drafts the linter reports at warning or above.
    linter = policy.Linter(policy.load_pack(BASIC))
    alarmed = {
        r["id"]
        for r in example_rows
        if not r["expect"] and linter.check(r["text"], min_severity="warning")
    }
    assert {a["id"] for a in report["false_alarms"] if a["benign"]} == alarmed
    assert report["benign"]["false_alarms"] == len(alarmed)


def _draft(id_: str, expect=(), allow=()) -> evaluate.Draft:
    return evaluate.Draft(id_, "vi", "x", frozenset(expect), frozenset(allow), "mem", 1)


def test_score_counts_per_draft_and_category():
    outcomes = [
        evaluate.Outcome(_draft("tp", ["credentials"]), {"credentials": ("C1",)}, {}),
        evaluate.Outcome(_draft("miss", ["credentials"]), {}, {"credentials": ("C2",)}),
        evaluate.Outcome(_draft("allowed", [], ["personal-data"]), {"personal-data": ("P1",)}, {}),
        evaluate.Outcome(_draft("alarm"), {"state-secret": ("S1", "S2")}, {}),
        evaluate.Outcome(
            _draft("extra", ["unsafe-link"]), {"unsafe-link": ("L1",), "incitement": ("I1",)}, {}
        ),
    ]
    report = evaluate.score(outcomes, "t")
    cred = report.categories["credentials"]
    assert (cred.support, cred.tp, cred.misses, cred.fp) == (2, 1, 1, 0)
    assert report.recall("credentials") == 0.5 and cred.precision == 1.0
    assert report.categories["personal-data"].fp == 0  # allowed: neither TP nor FP
    assert report.categories["personal-data"].precision is None
    assert report.categories["state-secret"].precision == 0.0
    assert report.categories["incitement"].fp == 1
    assert report.recall("misinformation") is None  # no support: undefined, not 0
    assert (report.benign, report.benign_alarms) == (2, 1)
    assert report.false_alarm_rate == 0.5
    assert [(o.draft.id, c) for o, c in report.misses] == [("miss", "credentials")]
    assert [(o.draft.id, c) for o, c in report.false_alarms] == [
        ("alarm", "state-secret"),
        ("extra", "incitement"),
    ]
    listing = evaluate.format_lists(report, lang="en")
    assert "info only: C2" in listing and "S1, S2" in listing
    assert "chỉ ở mức info: C2" in evaluate.format_lists(report)  # Vietnamese by default
    assert evaluate.failures(report, 0.6, 0.4, "en") == [
        "recall credentials 0.500 < 0.6",
        "benign false-alarm rate 0.500 > 0.4",
    ]
    assert evaluate.failures(report, 0.6, 0.4) == [
        "độ phủ credentials 0.500 < 0.6",
        "tỷ lệ báo nhầm trên bản nháp vô hại 0.500 > 0.4",
    ]
    assert evaluate.failures(report, 0.5, 0.5) == []


GOOD = {"id": "g1", "lang": "vi", "text": "Hôm nay trời đẹp", "expect": [], "allow": []}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "lang": "vi"', "invalid JSON"),
        ('["a"]', "expected a JSON object"),
        ('{"lang": "vi", "text": "t", "expect": []}', "missing key 'id'"),
        ('{"id": "a", "lang": "fr", "text": "t", "expect": []}', "'lang' must be one of"),
        (
            '{"id": "a", "lang": "vi", "text": "t", "expect": ["secret"]}',
            "unknown category 'secret'",
        ),
        ('{"id": "a", "lang": "vi", "text": "t", "expect": "credentials"}', "must be a list"),
        (
            '{"id": "a", "lang": "vi", "text": "t", "expect": ["credentials"], '
            '"allow": ["credentials"]}',
            "in both 'expect' and 'allow'",
        ),
        ('{"id": "a", "lang": "vi", "text": "t", "expects": []}', "missing key 'expect'"),
        (
            '{"id": "a", "lang": "vi", "text": "t", "expect": [], "expects": []}',
            "unknown key 'expects'",
        ),
        ('{"id": "g1", "lang": "vi", "text": "t", "expect": []}', "duplicate id 'g1'"),
    ],
)
def test_malformed_line_exits_2_with_path_and_line(tmp_path, capsys, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n\n" + line + "\n", "utf-8")
    assert evaluate.main([str(path), "--pack", BASIC, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rasoat: error: ") and f"{path}:3: " in err and message in err
    assert evaluate.main([str(path), "--pack", BASIC]) == 2  # Vietnamese by default
    err = capsys.readouterr().err
    assert err.startswith("rasoat: lỗi: ") and f"{path}:3: " in err and message not in err


def test_missing_file_unknown_pack_and_bad_threshold_exit_2(tmp_path, capsys):
    good = _write(tmp_path / "ok.jsonl", [GOOD])
    assert evaluate.main([str(tmp_path / "nope.jsonl"), "--lang", "en"]) == 2
    assert "nope.jsonl: no such file" in capsys.readouterr().err
    assert evaluate.main([str(good), "--pack", str(tmp_path / "no-pack")]) == 2
    assert evaluate.main([str(good), "--min-recall", "1.5", "--lang", "en"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err
    assert evaluate.main([]) == 2


def test_a_corpus_that_cannot_be_read_says_why_in_vietnamese_under_lang_vi(tmp_path, capsys):
    """A folder given as the corpus: `--lang vi` said the OS's English ("Is a directory") inside
    the Vietnamese line; it now says it as `rasoat check` does (policy/os_reasons_vi.py)."""
    assert evaluate.main([str(tmp_path), "--pack", BASIC, "--lang", "vi"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rasoat: lỗi: ")
    assert f"{tmp_path}: không đọc được (đó là một thư mục)" in err
    assert "Is a directory" not in err
    assert evaluate.main([str(tmp_path), "--pack", BASIC, "--lang", "en"]) == 2
    assert f"{tmp_path}: cannot read (Is a directory)" in capsys.readouterr().err


def test_thresholds_decide_exit_code(tmp_path, capsys, example_rows):
    bad = next(r for r in example_rows if r["expect"])
    mislabelled = _write(tmp_path / "m.jsonl", [dict(bad, expect=[]), GOOD])
    assert evaluate.main([str(mislabelled), "--pack", BASIC]) == 0  # no thresholds: report only
    assert evaluate.main([str(mislabelled), "--pack", BASIC, "--max-false-alarm", "0.6"]) == 0
    assert evaluate.main([str(mislabelled), "--pack", BASIC, "--max-false-alarm", "0.4"]) == 1
    out = capsys.readouterr().out
    assert "KHÔNG ĐẠT: tỷ lệ báo nhầm trên bản nháp vô hại 0.500 > 0.4" in out
    missed = _write(tmp_path / "r.jsonl", [dict(GOOD, expect=["incitement"])])
    args = [str(missed), "--pack", BASIC, "--min-recall", "0.95", "--lang", "en"]
    assert evaluate.main(args) == 1
    assert "FAIL: recall incitement 0.000 < 0.95" in capsys.readouterr().out


def test_text_is_shown_only_on_request(tmp_path, capsys, example_rows):
    bad = next(r for r in example_rows if r["expect"])
    path = _write(tmp_path / "t.jsonl", [dict(bad, expect=[]), dict(GOOD, expect=["incitement"])])
    evaluate.main([str(path), "--pack", BASIC])
    out = capsys.readouterr().out
    assert bad["text"] not in out and GOOD["text"] not in out
    assert bad["id"] in out and "g1" in out
    evaluate.main([str(path), "--pack", BASIC, "--json"])
    assert bad["text"] not in capsys.readouterr().out
    evaluate.main([str(path), "--pack", BASIC, "--show-text"])
    out = capsys.readouterr().out
    assert bad["text"] in out and GOOD["text"] in out


def test_per_file_tables_and_combined(tmp_path, capsys, example_rows):
    half = len(example_rows) // 2
    a = _write(tmp_path / "a.jsonl", example_rows[:half])
    b = _write(tmp_path / "b.jsonl", example_rows[half:])
    assert evaluate.main([str(a), str(b), "--pack", BASIC, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [f["drafts"] for f in doc["files"]] == [half, len(example_rows) - half]
    assert doc["combined"]["drafts"] == len(example_rows)
    evaluate.main([str(a), str(b), "--pack", BASIC])
    out = capsys.readouterr().out
    assert str(a) in out and str(b) in out and "gộp (2 tệp)" in out
    evaluate.main([str(a), str(b), "--pack", BASIC, "--lang", "en"])
    assert "combined (2 files)" in capsys.readouterr().out


def test_cli_dispatches_eval(tmp_path, capsys):
    path = _write(tmp_path / "ok.jsonl", [GOOD])
    assert cli_main(["eval", str(path), "--pack", BASIC, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["combined"]["benign"]["drafts"] == 1


# Every heading, label and verdict of the text report, in each language.
REPORT_WORDS = {
    "en": (
        "pack ",
        " drafts (",
        " with expected findings, ",
        " benign)",
        "category",
        "support",
        "recall",
        "precision",
        "all (micro)",
        "benign false-alarm rate: ",
        "misses (2):",
        "false alarms (2):",
        "(benign)",
        "(extra)",
        "combined (2 files)",
        "FAIL: recall ",
        "FAIL: benign false-alarm rate ",
    ),
    "vi": (
        "gói ",
        " bản nháp (",
        " cần báo, ",
        " vô hại)",
        "nhóm",
        "cần báo",
        "độ phủ",
        "độ chính xác",
        "tất cả (micro)",
        "tỷ lệ báo nhầm trên bản nháp vô hại: ",
        "bỏ sót (2):",
        "báo nhầm (2):",
        "(vô hại)",
        "(thừa)",
        "gộp (2 tệp)",
        "KHÔNG ĐẠT: độ phủ ",
        "KHÔNG ĐẠT: tỷ lệ báo nhầm trên bản nháp vô hại ",
    ),
}


def test_report_speaks_lang_vietnamese_by_default(tmp_path, capsys, example_rows):
    """The tables, lists and verdicts spoke English whatever --lang said, while every other
    command's output speaks it (Vietnamese by default)."""
    bad = next(r for r in example_rows if r["expect"])
    other = next(c for c in policy.CATEGORIES if c not in bad["expect"])
    a = _write(tmp_path / "a.jsonl", [dict(bad, expect=[]), dict(GOOD, expect=["incitement"])])
    b = _write(tmp_path / "b.jsonl", [dict(bad, id="x", expect=[other])])
    args = [str(a), str(b), "--pack", BASIC, "--min-recall", "0.9", "--max-false-alarm", "0.1"]
    outputs = {}
    for name, extra in (("default", []), ("vi", ["--lang", "vi"]), ("en", ["--lang", "en"])):
        assert evaluate.main(args + extra) == 1
        outputs[name] = capsys.readouterr().out
    assert outputs["default"] == outputs["vi"]
    for lang, words in REPORT_WORDS.items():
        out = outputs[lang]
        missing = [w for w in words if w not in out]
        assert not missing, (lang, missing, out)
        foreign = [w for w in REPORT_WORDS["en" if lang == "vi" else "vi"] if w in out]
        assert not foreign, (lang, foreign, out)
    # The figures and ids are the same in both: only the words differ.
    assert re.findall(r"\d+", outputs["vi"]) == re.findall(r"\d+", outputs["en"])


def test_report_columns_line_up_under_their_headings(tmp_path, capsys, example_rows):
    path = _write(tmp_path / "ex.jsonl", example_rows)
    for lang in ("vi", "en"):
        evaluate.main([str(path), "--pack", BASIC, "--lang", lang])
        lines = capsys.readouterr().out.splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("  ") and i > 1)
        rows = lines[header + 1 : header + 3]
        assert all(len(row) == len(lines[header]) for row in rows), (lang, lines[header], rows)


def test_threshold_failures_in_json_speak_lang(tmp_path, capsys):
    path = _write(tmp_path / "r.jsonl", [dict(GOOD, expect=["incitement"])])
    for lang, line in (
        ("vi", "độ phủ incitement 0.000 < 0.95"),
        ("en", "recall incitement 0.000 < 0.95"),
    ):
        args = [str(path), "--pack", BASIC, "--min-recall", "0.95", "--json", "--lang", lang]
        assert evaluate.main(args) == 1
        assert json.loads(capsys.readouterr().out)["thresholds"]["failures"] == [line]
