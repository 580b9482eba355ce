"""The real `rasoat` process: exit codes, formats, stdin, broken packs, no tracebacks."""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "tests" / "fixtures" / "packs"
BASIC = str(PACKS / "basic")
EMOJI = "tests/fixtures/drafts/emoji.txt"
SCRIPT = Path(sys.executable).with_name("rasoat")
# The compiled-pack cache goes to a throwaway folder, never the user's ~/.cache.
CACHE = tempfile.mkdtemp(prefix="rasoat-test-cache-")
atexit.register(shutil.rmtree, CACHE, True)


def rasoat(
    *args: str,
    stdin: str | None = None,
    script: bool = False,
    cache: str = CACHE,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
) -> subprocess.CompletedProcess:
    cmd = [str(SCRIPT)] if script else [sys.executable, "-m", "policy"]
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env = {**base, "XDG_CACHE_HOME": cache, **(env or {})}
    return subprocess.run(
        cmd + list(args), input=stdin, capture_output=True, text=True, cwd=cwd, timeout=60, env=env
    )


def _runaway_pack(tmp_path, draft_text: str = "a" * 40 + "b"):
    """A copy of the basic pack with a runaway pattern (exponential backtracking on "aaa…ab"),
    and a draft that sends it there: the check hits its time budget. Returns (pack, draft)."""
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "basic", pack)
    rule = pack / "rules" / "internal-work" / "internal-meeting-notes.toml"
    rule.write_text(rule.read_text("utf-8").replace(r"'\bNB-\d{4}\b'", "'(a|aa)+$'"), "utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(draft_text, "utf-8")
    return pack, draft


def test_console_script_runs():
    assert SCRIPT.exists(), "run `make setup` to install the rasoat console script"
    out = rasoat("check", "--pack", BASIC, EMOJI, script=True)
    assert out.returncode == 1
    assert f"{EMOJI}:2:1: error ACC001" in out.stdout


def test_text_format_lines_and_summary():
    out = rasoat("check", "--pack", BASIC, EMOJI)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines and all(line.startswith(f"{EMOJI}:") for line in lines)
    assert "\033[" not in out.stdout  # not a terminal: no colour
    # The summary speaks the messages' language (Vietnamese by default).
    severities = [line.split(": ", 1)[1].split()[0] for line in lines]
    errors, warnings = severities.count("error"), severities.count("warning")
    assert (errors, warnings) == (3, 2), severities  # the fixture draft, as the lines say
    assert out.stderr.strip() == "5 vi phạm (3 nghiêm trọng, 2 cảnh báo)"
    english = rasoat("check", "--pack", BASIC, "--lang", "en", EMOJI)
    assert english.stderr.strip() == "5 findings (3 errors, 2 warnings)"
    clean = rasoat("check", "--pack", BASIC, "-", stdin="Chào buổi sáng")
    assert clean.stderr.strip() == "không có vi phạm nào"


def test_exit_zero_and_fail_level():
    clean = rasoat("check", "--pack", BASIC, "-", stdin="Chào buổi sáng")
    assert clean.returncode == 0 and clean.stdout == ""
    warn_only = "gọi 0912 345 678"
    assert rasoat("check", "--pack", BASIC, "-", stdin=warn_only).returncode == 0
    assert (
        rasoat("check", "--pack", BASIC, "--fail-level", "warning", "-", stdin=warn_only).returncode
        == 1
    )
    assert rasoat("check", "--pack", BASIC, "--exit-zero", EMOJI).returncode == 0


def test_json_from_stdin_has_paths_and_offsets():
    text = "😀 bán nick fb"
    out = rasoat("check", "--pack", BASIC, "--format", "json", stdin=text)
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert [d["code"] for d in data] == ["ACC001"]
    d = data[0]
    assert d["path"] == "-" and text[d["start"] : d["end"]] == d["text"] == "bán nick"
    assert (d["offset"], d["length"]) == (3, 8)


def test_sarif_embeds_rules_and_column_kind():
    out = rasoat("check", "--pack", BASIC, "--format", "sarif", "--lang", "en", EMOJI)
    log = json.loads(out.stdout)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["ACC001"]["help"]["markdown"].startswith("## ACC001")
    assert {r["ruleId"] for r in run["results"]} >= {"ACC001", "PDP001", "SEC001"}


def test_disable_min_severity_and_lang():
    out = rasoat(
        "check",
        "--pack",
        BASIC,
        "--format",
        "json",
        "--disable",
        "ACC001",
        "--min-severity",
        "error",
        "--lang",
        "en",
        EMOJI,
    )
    data = json.loads(out.stdout)
    assert data and all(d["severity"] == "error" and d["code"] != "ACC001" for d in data)
    assert all(d["message"].startswith("Breach") for d in data)


def test_disable_takes_codes_in_any_case_as_explain_does():
    """`--disable acc001` was "unknown rule code(s) for --disable: acc001" (exit 2), while
    `explain acc001` explained ACC001."""
    args = ("check", "--pack", BASIC, "--format", "json", EMOJI)
    every = {d["code"] for d in json.loads(rasoat(*args).stdout)}
    assert "ACC001" in every
    out = rasoat(*args[:-1], "--disable", "acc001, Sec001", EMOJI)
    assert {d["code"] for d in json.loads(out.stdout)} == every - {"ACC001", "SEC001"}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ("check", "--pack", str(PACKS / "broken-category"), "--lang", "en", EMOJI),
            "thing.toml:3: unknown category",
        ),
        (("check", "--pack", "no-such-pack", "--lang", "en", EMOJI), "shipped packs:"),
        (("check", "--lang", "en", "--pack", BASIC, "missing.txt"), "missing.txt: no such file"),
        (("check", "--lang=en", "--pack", BASIC, "--disable", "ZZZ999", EMOJI), "unknown rule"),
        (("check", "--format", "xml", "--lang", "en"), "invalid choice"),
        (("explain", "ZZZ999", "--pack", BASIC, "--lang", "en"), "no rule"),
        (("frobnicate", "--lang", "en"), "invalid choice"),
    ],
)
def test_errors_exit_2_with_one_line(args, fragment):
    out = rasoat(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert fragment in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (
            ("check", "--pack", BASIC, "missing.txt"),
            "missing.txt: không có tệp này",
            "no such file",
        ),
        (("check", "--pack", BASIC, "tests"), "tests: là một thư mục", "is a directory"),
        (
            ("check", "--format", "xml"),
            "--format: giá trị không hợp lệ: 'xml' (chọn một trong: 'text', 'json', 'sarif') "
            "(xem `rasoat check --help`)",
            "invalid choice",
        ),
        (("check", "--frob"), "đối số không nhận ra: --frob (xem", "unrecognized"),
        (("explain",), "thiếu đối số bắt buộc: code", "required"),
        (("check", "--pack", BASIC, "--disable", "ZZZ999", EMOJI), "mang mã ZZZ999", "unknown"),
        (("check", "--category", "tien-ao", EMOJI), "--category: không có nhóm tien-ao", "valid"),
        (
            ("explain", "ZZZ999", "--pack", BASIC),
            "gói fx-basic không có quy tắc 'ZZZ999'",
            "no rule",
        ),
        (
            ("check", "--pack", "no-such-pack", EMOJI),
            "no-such-pack: không có gói quy tắc nào ở đây (một thư mục có pack.toml); "
            "các gói đi kèm: vn-base, vn-mofa",
            "no pack here",
        ),
        (("check", "-o", "", EMOJI), "--output: tên tệp rỗng", "empty file name"),
        (
            ("check", "--pack", str(PACKS / "broken-category"), EMOJI),
            "gói quy tắc không nạp được: "
            f"{PACKS / 'broken-category' / 'rules' / 'state-secret' / 'thing.toml'}:3: "
            "category 'secrets' không hợp lệ; hợp lệ: state-secret, internal-work,",
            "unknown category",
        ),
        (
            ("test-pack", str(PACKS / "broken-regex")),
            "thing.toml:7: biểu thức chính quy không hợp lệ trong `patterns` '(unclosed': "
            "missing ) at position 9",  # (the regex module's own words stay)
            "invalid regex",
        ),
    ],
)
def test_errors_speak_lang_vietnamese_by_default(args, vi, en):
    """Under the default `--lang vi` the summary and the help were Vietnamese, but every error
    was English ("rasoat: error: missing.txt: no such file"), argparse's too. They now speak
    `--lang`, from one table; the exit code is the same."""
    out = rasoat(*args)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr.startswith("rasoat: lỗi: ") and len(out.stderr.splitlines()) == 1, out.stderr
    assert vi in out.stderr
    if en is not None:
        assert en not in out.stderr
    english = rasoat(*args, "--lang", "en")
    assert (english.returncode, english.stdout) == (2, "")
    assert english.stderr.startswith("rasoat: error: ")
    assert (en or "") in english.stderr and vi not in english.stderr


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_unknown_pack_is_named_without_a_line_number(lang):
    """`rasoat check --pack nope` said `nope:1: no pack here …` in English: a pack name is not a
    file with lines. (A broken pack file keeps its `path:line`: the cases above.)"""
    out = rasoat("check", "--pack", "nope", EMOJI, "--lang", lang)
    assert (out.returncode, out.stdout) == (2, "")
    said = "không có gói quy tắc nào ở đây" if lang == "vi" else "no pack here"
    lead = "lỗi" if lang == "vi" else "error"
    assert out.stderr.startswith(f"rasoat: {lead}: nope: {said} (")
    assert "nope:1" not in out.stderr


def test_a_check_cut_short_and_a_test_pack_summary_speak_lang(tmp_path):
    pack, draft = _runaway_pack(tmp_path)
    out = rasoat("check", "--pack", str(pack), "--format", "sarif", str(draft))
    assert out.returncode == 2
    warning = f"{draft}: một mẫu quy tắc chạy quá thời gian cho phép; kết quả chưa đầy đủ"
    assert out.stderr.splitlines() == [f"rasoat: cảnh báo: {warning}"]
    (note,) = json.loads(out.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"] == warning  # the log speaks --lang, as its rule help does
    summary = rasoat("test-pack", str(PACKS / "child")).stderr
    assert summary.startswith("fx-child 1.0.0: 17 quy tắc, 61 ví dụ, 0 ví dụ sai"), summary


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_docs_with_an_empty_output_folder_is_an_error_and_writes_nothing(tmp_path, lang):
    """`rasoat docs --output "$DIR"` with the variable unset wrote every pack's page into the
    working folder (pathlib reads "" as ".")."""
    out = rasoat("docs", "--output", "", "--lang", lang, cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert list(tmp_path.iterdir()) == []
    assert (
        out.stderr.strip()
        == {
            "vi": "rasoat: lỗi: --output: tên thư mục rỗng (một biến chưa được đặt?); "
            "hãy nêu thư mục sẽ ghi vào",
            "en": "rasoat: error: --output: an empty folder name (an unset variable?); "
            "name the folder to write to",
        }[lang]
    )


def test_invalid_utf8_is_a_clean_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"b\xe1n nick")
    out = rasoat("check", "--pack", BASIC, "--lang", "en", str(bad))
    assert out.returncode == 2 and "not valid UTF-8" in out.stderr


def test_errors_do_not_echo_draft_text(tmp_path):
    secret = "mật khẩu là Hoa@2024 bí mật riêng"
    out = rasoat("check", "--pack", str(PACKS / "broken-regex"), "-", stdin=secret)
    assert out.returncode == 2 and "Hoa@2024" not in out.stderr + out.stdout
    out = rasoat("check", "--pack", BASIC, "--format", "json", "-", stdin=secret)
    assert "bí mật riêng" not in out.stderr


def test_rules_and_explain():
    rules = rasoat("rules", "--pack", BASIC)
    assert rules.returncode == 0 and "ACC001  error" in rules.stdout
    count = rules.stdout.splitlines()[0].rsplit("(", 1)[1]  # in --lang, as the pack's name is
    assert count.endswith(" quy tắc)")
    assert (
        rasoat("rules", "--pack", BASIC, "--lang", "en").stdout.split("\n")[0].endswith(" rules)")
    )
    assert "CRD003" not in rules.stdout  # preview
    assert "CRD003" in rasoat("rules", "--pack", BASIC, "--all").stdout
    explain = rasoat("explain", "acc001", "--pack", BASIC, "--lang", "en")
    assert explain.returncode == 0
    for text in ("ACC001 account-for-sale", "Why is this bad?", "Legal basis", "[[bán nick]]"):
        assert text in explain.stdout


def test_test_pack_passes_and_fails(tmp_path):
    ok = rasoat("test-pack", "--lang", "en", str(PACKS / "child"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 failed" in ok.stderr
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "basic", pack)
    rule = pack / "rules" / "state-secret" / "secret-document.toml"
    rule.write_text(
        rule.read_text("utf-8").replace('good = "mặt trời mọc"', 'good = "tài liệu mật"'), "utf-8"
    )
    bad = rasoat("test-pack", "--lang", "en", str(pack))
    assert bad.returncode == 1
    assert "SEC001-good-1" in bad.stdout and "false positive" in bad.stdout
    broken = rasoat("test-pack", "--lang", "en", str(PACKS / "broken-toml"))
    assert broken.returncode == 2 and "invalid TOML" in broken.stderr


def test_test_pack_names_the_line_of_a_failing_example(tmp_path):
    """A pack author's failing example was named `path: SEC001-good-1` (the second good example,
    counted from 0): with a dozen examples in a file, the line is what an editor jumps to."""
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "basic", pack)
    rule = pack / "rules" / "state-secret" / "secret-document.toml"
    text = rule.read_text("utf-8").replace('good = "mặt trời mọc"', 'good = "tài liệu mật"')
    rule.write_text(text, "utf-8")
    line = text.splitlines().index('good = "tài liệu mật"') + 1
    out = rasoat("test-pack", "--lang", "en", str(pack))
    assert out.returncode == 1
    assert f"{rule}:{line}: SEC001-good-1: " in out.stdout
    assert "false positive" in out.stdout
    # Vietnamese by default, as the summary is: it said "false positive" under --lang vi.
    vietnamese = rasoat("test-pack", str(pack))
    assert f"{rule}:{line}: SEC001-good-1: SEC001 secret-document: báo nhầm trên " in (
        vietnamese.stdout
    )


def test_test_pack_names_the_rule_file_of_a_rule_without_examples(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "basic", pack)
    rule = pack / "rules" / "state-secret" / "secret-document.toml"
    text = rule.read_text("utf-8")
    rule.write_text(text.split("[[examples]]")[0], "utf-8")
    out = rasoat("test-pack", "--lang", "en", str(pack))
    assert out.returncode == 1
    code_line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("code"))
    assert f"{rule}:{code_line}: SEC001: needs at least one bad and one good example" in out.stdout
    assert "0 failed, 1 rule(s) without a bad and a good example" in out.stderr


def test_test_pack_fails_an_example_whose_check_was_cut_short(tmp_path):
    """A runaway pattern (exponential backtracking) made a good example's check stop at the time
    budget with nothing found, and test-pack passed it: the rule had not judged the draft."""
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "basic", pack)
    rule = pack / "rules" / "internal-work" / "internal-meeting-notes.toml"
    text = rule.read_text("utf-8").replace(r"'\bNB-\d{4}\b'", r"'\bNB-\d{4}\b', 'x(a|aa)+$'")
    draft = "x" + "a" * 40 + "b"
    rule.write_text(text + f'[[examples]]\ngood = "{draft}"\n', "utf-8")
    line = len(text.splitlines()) + 2
    out = rasoat("test-pack", "--lang", "en", str(pack))
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        f"{rule}:{line}: INT001-good-1: INT001 internal-meeting-notes: the check of {draft!r} "
        "was cut short: a pattern hit its time budget (a runaway regex?)"
    ]


def test_test_pack_fails_a_pack_without_rules(tmp_path):
    """A pack with no rules at all (its rules/ folder not there yet, or misnamed) passed:
    "0 rules, 0 examples, 0 failed", exit 0."""
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.toml").write_text(
        'id = "empty"\nname = { vi = "x", en = "x" }\nversion = "1"\n', "utf-8"
    )
    out = rasoat("test-pack", "--lang", "en", str(pack))
    assert out.returncode == 1
    assert out.stdout == (
        f"{pack / 'rules'}: the pack has no rules (one file per rule: "
        "rules/<category>/<name>.toml)\n"
    )
    vietnamese = rasoat("test-pack", str(pack))
    assert vietnamese.returncode == 1 and "gói không có quy tắc nào" in vietnamese.stdout


def test_docs_command_writes_and_checks(tmp_path):
    out = rasoat("docs", "--output", str(tmp_path), "--pack", BASIC)
    assert out.returncode == 0
    page = tmp_path / "fx-basic.md"
    assert "## ACC001 `account-for-sale`" in page.read_text("utf-8")
    assert rasoat("docs", "--output", str(tmp_path), "--pack", BASIC, "--check").returncode == 0
    page.write_text("stale", "utf-8")
    stale = rasoat("docs", "--output", str(tmp_path), "--pack", BASIC, "--check", "--lang", "en")
    # It said "run `make docs`", which renders the shipped packs into docs/rules, not this page.
    assert stale.returncode == 1
    assert f"run `rasoat docs --output {tmp_path} --pack {BASIC}`" in stale.stderr
    assert "make docs" not in stale.stderr


def test_eval_dispatches_to_policy_evaluate():
    import importlib.util

    out = rasoat("eval", "--help")
    if importlib.util.find_spec("policy.evaluate") is None:
        assert out.returncode == 2 and "policy/evaluate.py is missing" in out.stderr
    else:
        assert "Traceback" not in out.stderr


def test_compiled_pack_cache_follows_pack_edits(tmp_path):
    cache = str(tmp_path / "cache")
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "basic", pack)
    draft = "Gửi tài liệu mật và lịch công tác nhé, mã canary-7f3q"
    first = rasoat("check", "--pack", str(pack), "--format", "json", "-", stdin=draft, cache=cache)
    again = rasoat("check", "--pack", str(pack), "--format", "json", "-", stdin=draft, cache=cache)
    assert first.returncode == again.returncode == 1
    assert first.stdout == again.stdout
    entries = list((tmp_path / "cache" / "rasoat").glob("*.pickle"))
    assert len(entries) == 1
    assert b"canary-7f3q" not in entries[0].read_bytes()  # rules only, never the draft

    rule = pack / "rules" / "state-secret" / "secret-document.toml"
    rule.write_text(rule.read_text("utf-8").replace('"tài liệu mật"', '"lịch công tác"'), "utf-8")
    edited = rasoat("check", "--pack", str(pack), "--format", "json", "-", stdin=draft, cache=cache)
    texts = [d["text"] for d in json.loads(edited.stdout) if d["code"] == "SEC001"]
    assert texts == ["mật", "lịch công tác"]  # the edit is seen: a new key, not the stale pack

    for entry in (tmp_path / "cache" / "rasoat").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    broken = rasoat("check", "--pack", str(pack), "--format", "json", "-", stdin=draft, cache=cache)
    assert broken.returncode == 1 and broken.stdout == edited.stdout


def test_a_pack_being_edited_in_emacs_still_checks_and_caches(tmp_path):
    """emacs marks a modified buffer with a dangling link `.#name.toml` beside the file: the
    loader read it as a rule (the pack failed: "cannot read file"), and the cache key's stat of
    it turned the cache off."""
    cache = tmp_path / "cache"
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "basic", pack)
    rules = pack / "rules" / "state-secret"
    (rules / ".#secret-document.toml").symlink_to("someone@host.4242:1700000000")
    out = rasoat("check", "--pack", str(pack), "-", stdin="Gửi tài liệu mật", cache=str(cache))
    assert out.returncode == 1 and "SEC001" in out.stdout, out.stderr
    assert len(list((cache / "rasoat").glob("*.pickle"))) == 1


def test_cache_keeps_only_the_newest_entries(tmp_path):
    from policy.cli import CACHE_ENTRIES

    folder = tmp_path / "cache" / "rasoat"
    folder.mkdir(parents=True)
    for i in range(CACHE_ENTRIES + 3):  # stale entries from earlier pack or engine versions
        old = folder / f"stale{i}.pickle"
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    done = rasoat("check", "--exit-zero", "-", stdin="Xin chào", cache=str(tmp_path / "cache"))
    assert done.returncode == 0
    entries = sorted(p.name for p in folder.glob("*.pickle"))
    assert len(entries) == CACHE_ENTRIES
    stale = [n for n in entries if n.startswith("stale")]
    assert len(stale) == CACHE_ENTRIES - 1  # the oldest went; the fresh entry stays
    assert "stale0.pickle" not in stale


def test_cache_can_be_turned_off(tmp_path):
    env_cache = str(tmp_path / "cache")
    env = {**os.environ, "XDG_CACHE_HOME": env_cache, "RASOAT_NO_CACHE": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "policy", "check", "--pack", BASIC, "-"],
        input="bán nick",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert out.returncode == 1
    assert not (tmp_path / "cache").exists()


def test_text_format_keeps_one_line_per_finding_and_no_terminal_codes():
    """A finding's message quotes the match, which may hold a line break or control chars (an
    escape sequence in a pasted draft): printed raw they split the `file:line:col:` line that
    editors and grep read, or drive the terminal. They are shown escaped instead."""
    draft = "mật khẩu: \x1b[2J\x1b[31mabc12345"
    out = rasoat("check", "--pack", BASIC, "--color", "always", "-", stdin=draft)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("\033[1m-:1:11:")
    assert "(“\\x1b[2J\\x1b[31mabc12345”)" in lines[0]
    assert "\x1b[2J" not in out.stdout


def test_text_format_escapes_line_breaks_in_the_quoted_match():
    from policy import check
    from policy.formatters.text import format_text

    draft = "nói thật, nó ngu\nnhư bò"
    findings = [f for f in check(draft) if "\n" in f.message]
    assert findings  # a finding whose quoted match spans the line break
    text = format_text([("draft.txt", findings)])
    assert text.count("\n") == len(findings)
    assert all(line.startswith("draft.txt:1:") for line in text.splitlines())
    assert "ngu\\nnhư" in text


def test_sarif_uris_of_paths_with_spaces_and_vietnamese_letters_are_valid(tmp_path):
    """SARIF's `uri` is a URI reference: a space or a "ả" in a file name must be percent-encoded
    (viewers and code-scanning uploads reject or misplace the raw name), and decode back to it."""
    from urllib.parse import unquote

    draft = tmp_path / "bản nháp #1.txt"
    draft.write_text("bán nick fb giá rẻ", "utf-8")
    out = rasoat("check", "--pack", BASIC, "--format", "sarif", str(draft))
    run = json.loads(out.stdout)["runs"][0]
    uris = [run["artifacts"][0]["location"]["uri"]] + [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert len(uris) > 1
    for uri in uris:
        assert uri.isascii() and " " not in uri and "#" not in uri, uri
        assert uri.startswith("file:///") and unquote(uri.removeprefix("file://")) == str(draft)


def test_sarif_uris_are_file_uris_for_absolute_paths_and_relative_otherwise(tmp_path):
    """An absolute path went out bare ("/home/runner/work/repo/drafts/a.txt"): without a scheme
    that is a relative reference, which code scanning resolves against the repository root, so
    the alert could not be placed (GitHub's SARIF rule GH1005: relative, or file://). Absolute
    paths are file:// URIs now; relative ones stay relative, with "/" separators."""
    draft = tmp_path / "a.txt"
    draft.write_text("bán nick fb giá rẻ", "utf-8")
    out = rasoat("check", "--pack", BASIC, "--format", "sarif", str(draft), EMOJI, f"./{EMOJI}")
    run = json.loads(out.stdout)["runs"][0]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert uris == [draft.as_uri(), EMOJI, EMOJI]
    results = run["results"]
    located = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert located == {draft.as_uri(), EMOJI}


def test_compiled_pack_cache_follows_edits_of_a_list_outside_the_pack(tmp_path):
    """`phrases_file` is relative to the pack folder and may reach out of it ("../common.txt",
    a list two packs share): an edit there must not leave the CLI on the stale compiled pack."""
    cache = str(tmp_path / "cache")
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "basic", pack)
    shared = tmp_path / "common.txt"
    shared.write_text("tiền ảo\n", "utf-8")
    rule = pack / "rules" / "offensive-language" / "profanity.toml"
    rule.write_text(
        rule.read_text("utf-8").replace(
            'phrases = ["óc chó", "vcl", "ngu"]',
            'phrases = ["óc chó", "vcl", "ngu"]\nphrases_file = "../common.txt"',
        ),
        "utf-8",
    )
    draft = "đồ khùng điên"
    first = rasoat("check", "--pack", str(pack), "--format", "json", "-", stdin=draft, cache=cache)
    assert first.returncode == 0 and json.loads(first.stdout) == []
    shared.write_text("tiền ảo\nkhùng điên\n", "utf-8")
    edited = rasoat("check", "--pack", str(pack), "--format", "json", "-", stdin=draft, cache=cache)
    assert [d["text"] for d in json.loads(edited.stdout)] == ["khùng điên"]


@pytest.mark.parametrize("obfuscation", [True, False])
def test_a_hashtag_in_a_phrase_list_is_found_in_a_draft(tmp_path, obfuscation):
    """A `#` on a list line started a comment, so a list of hashtags ("#bannick") was a list of
    nothing; and in an obfuscation rule, where a `#` typed in a draft stands for a letter, a
    phrase holding one never matched even when typed exactly."""
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "basic", pack)
    (pack / "lists").mkdir()
    (pack / "lists" / "tags.txt").write_text(
        "# hashtag rao bán tài khoản\n#bannick\nC# cơ bản  # not profanity, a test\n", "utf-8"
    )
    rule = pack / "rules" / "offensive-language" / "profanity.toml"
    text = rule.read_text("utf-8").replace(
        'phrases = ["óc chó", "vcl", "ngu"]',
        'phrases = ["óc chó", "vcl", "ngu"]\nphrases_file = "lists/tags.txt"',
    )
    if not obfuscation:
        text = text.replace("obfuscation = true\n", "")
    rule.write_text(text, "utf-8")
    draft = "mua #bannick giá rẻ, học C# cơ bản, bannick thường, c#o ngu"
    out = rasoat("check", "--pack", str(pack), "--format", "json", "-", stdin=draft)
    found = [d["text"] for d in json.loads(out.stdout)]
    assert out.returncode == 0, out.stderr  # OFF001 is a warning
    assert found == ["#bannick", "C# cơ bản", "ngu"]


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--pack", BASIC, EMOJI),
        ("check", "--pack", BASIC, "--format", "json", EMOJI),
        ("check", "--pack", BASIC, "--format", "sarif", EMOJI),
        ("explain", "ACC001", "--pack", BASIC),
        ("rules", "--pack", BASIC),
    ],
)
def test_output_is_utf8_when_the_locale_encoding_has_no_vietnamese_letters(args):
    """On Windows, Python writes a redirected stdout in the ANSI code page: cp1252 on GitHub's
    Windows runners, cp1258 on a Vietnamese PC, neither of which has "ộ". So
    `rasoat check --format sarif drafts > rasoat.sarif` died with "internal error
    (UnicodeEncodeError)" (exit 2) and wrote nothing. PYTHONIOENCODING gives Linux that stream.
    Output is UTF-8, as SARIF and JSON require and as ruff and git write theirs."""
    out = rasoat(*args, env={"PYTHONIOENCODING": "cp1252"})
    assert out.returncode == (1 if args[0] == "check" else 0), out.stderr
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr
    assert out.stdout.strip()
    if "json" in args or "sarif" in args:
        json.loads(out.stdout)
    vietnamese = {"check": "Vi phạm", "explain": "Quy tắc này", "rules": "Gói thử"}[args[0]]
    assert vietnamese in out.stdout  # "ạ", "ắ", "ử": letters cp1252 lacks


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_one_unreadable_file_does_not_hide_the_findings_of_the_others(tmp_path, fmt):
    """`rasoat check drafts/*.txt` with one legacy-encoded (or missing) file among them printed
    only that file's error and exit 2: the findings of every other draft were lost. Each bad
    file is now named on stderr and skipped, the rest are checked and reported, and the exit
    code is still 2 (not every draft was checked)."""
    first, legacy, last = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    first.write_text("bán nick fb giá rẻ", "utf-8")
    legacy.write_bytes("bán nick".encode("cp1258"))
    last.write_text("Xin chào\ntài liệu mật", "utf-8")
    missing = tmp_path / "gone.txt"
    files = (first, legacy, missing, last)
    out = rasoat(
        "check", "--pack", BASIC, "--format", fmt, str(first), str(legacy), str(missing), str(last)
    )
    vietnamese = [line for line in out.stderr.splitlines() if line.startswith("rasoat: lỗi:")]
    assert vietnamese == [
        f"rasoat: lỗi: {legacy}: không phải UTF-8 hợp lệ (byte 1)",
        f"rasoat: lỗi: {missing}: không có tệp này",
    ]
    out = rasoat("check", "--pack", BASIC, "--format", fmt, "--lang", "en", *map(str, files))
    assert out.returncode == 2
    errors = [line for line in out.stderr.splitlines() if line.startswith("rasoat: error:")]
    assert errors == [
        f"rasoat: error: {legacy}: not valid UTF-8 (byte 1)",
        f"rasoat: error: {missing}: no such file",
    ]
    assert "Traceback" not in out.stderr
    if fmt == "text":
        assert out.stderr.splitlines()[-1].endswith("; 2 file(s) not checked")
        assert f"{first}:1:1: error ACC001" in out.stdout
        assert f"{last}:2:1: error SEC001" in out.stdout
    elif fmt == "json":
        found = {(d["path"], d["code"]) for d in json.loads(out.stdout)}
        assert {(str(first), "ACC001"), (str(last), "SEC001")} <= found
    else:
        run = json.loads(out.stdout)["runs"][0]
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
        }
        assert uris == {first.as_uri(), last.as_uri()}
        # Code scanning learns that the run did not check every file, and which ones.
        (invocation,) = run["invocations"]
        assert invocation["executionSuccessful"] is False
        notes = invocation["toolExecutionNotifications"]
        assert [(n["level"], n["message"]["text"]) for n in notes] == [
            ("error", f"{legacy}: not valid UTF-8 (byte 1)"),
            ("error", f"{missing}: no such file"),
        ]
        located = [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes]
        assert located == [legacy.as_uri(), missing.as_uri()]


# The official SARIF 2.1.0 schema (final, "rtm.5"), as Microsoft's @microsoft/jest-sarif npm
# package ships it (lib/schemas/sarif-2.1.0-rtm.5.json, MIT), unchanged.
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json"


def _editor_lines(text: str) -> list[str]:
    """The lines an editor shows, each with its line break: "\n", "\r\n" or a lone "\r"."""
    return re.split(r"(?<=\n)|(?<=\r)(?!\n)", text)


def _region_text(text: str, region: dict) -> str:
    """The text a SARIF viewer highlights for a region given by lines and columns (code points;
    endColumn is the column after the region, SARIF §3.30; a line includes its line break)."""
    lines = _editor_lines(text)
    start_line, start_col = region["startLine"], region.get("startColumn", 1)
    end_line = region.get("endLine", start_line)
    end_col = region.get("endColumn", len(lines[end_line - 1].rstrip("\r\n")) + 1)  # to the end
    if start_line == end_line:
        return lines[start_line - 1][start_col - 1 : end_col - 1]
    middle = lines[start_line : end_line - 1]
    first, last = lines[start_line - 1][start_col - 1 :], lines[end_line - 1][: end_col - 1]
    return "".join([first, *middle, last])


def test_sarif_regions_end_where_the_match_ends(tmp_path):
    """The regions had only startLine and startColumn, which SARIF reads as "to the end of the
    line": VS Code's SARIF viewer and code scanning highlighted the rest of the line after the
    match, and the line/column region disagreed with charOffset/charLength."""
    draft = tmp_path / "draft.txt"
    text = (
        "😀 Xin chào\nCần bán nick fb giá rẻ, gọi chị Lan 0912 345 678 nhé\n"
        "nói thật, nó ngu\nnhư bò"
    )
    draft.write_text(text, "utf-8")
    out = rasoat("check", "--format", "sarif", str(draft))
    results = json.loads(out.stdout)["runs"][0]["results"]
    assert len(results) >= 3 and any(
        "\n" in r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] for r in results
    )
    for r in results:
        region = r["locations"][0]["physicalLocation"]["region"]
        span = text[region["charOffset"] : region["charOffset"] + region["charLength"]]
        assert _region_text(text, region) == span == region["snippet"]["text"], region


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_lines_and_columns_follow_every_kind_of_line_break(tmp_path, newline):
    """A draft with lone-CR line breaks (classic Mac OS, some Windows clipboard paths) had every
    finding reported on line 1, in the text output, the JSON and the SARIF regions. Lines break
    where an editor breaks them: at LF, CRLF and a lone CR (not at the form feed, U+2028 or the
    other breaks `str.splitlines()` adds, which an editor shows inside a line)."""
    lines = [
        "😀 Xin chào\f\u2028bạn",
        "Cần bán nick fb giá rẻ, gọi chị Lan 0912 345 678 nhé",
        "nói thật, nó ngu",
    ]
    text = newline.join([*lines, "như bò"]) + newline
    draft = tmp_path / "draft.txt"
    draft.write_bytes(text.encode("utf-8"))
    shown = _editor_lines(text)
    assert len(shown) == 5  # four lines, and the empty one after the final break

    def place(start: int) -> tuple[int, int]:  # where an editor's cursor says `start` is
        before = _editor_lines(text[:start])
        return len(before), len(before[-1]) + 1

    data = json.loads(rasoat("check", "--format", "json", str(draft)).stdout)
    assert {(d["code"], d["line"], d["column"]) for d in data} >= {
        ("ACC001", 2, 1),
        ("PDP003", 2, 37),
    }
    for d in data:
        assert (d["line"], d["column"]) == place(d["start"]), d
    out = rasoat("check", str(draft))
    assert out.stdout.splitlines() and [
        line.split(": ", 1)[0] for line in out.stdout.splitlines()
    ] == [f"{draft}:{d['line']}:{d['column']}" for d in data]
    sarif = json.loads(rasoat("check", "--format", "sarif", str(draft)).stdout)
    results = sarif["runs"][0]["results"]
    assert len(results) == len(data)
    for r, d in zip(results, data, strict=True):
        region = r["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (d["line"], d["column"])
        assert _region_text(text, region) == d["text"] == region["snippet"]["text"], region


def test_sarif_is_valid_against_the_official_schema(tmp_path):
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    draft = tmp_path / "bản nháp.txt"
    draft.write_text("Cần bán nick fb, pass wifi: Abc@12345\nnói thật, nó ngu\nnhư bò", "utf-8")
    for args in (
        ("--pack", BASIC, "--preview", EMOJI, str(draft), "-"),
        ("--lang", "en", str(draft)),
        ("--pack", BASIC, str(tmp_path / "missing.txt")),
    ):
        out = rasoat("check", "--format", "sarif", *args, stdin="Xin chào")
        log = json.loads(out.stdout)
        errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_drafts_saved_with_a_byte_order_mark_are_read(tmp_path, encoding):
    """Notepad's "Unicode" (and Word's "Unicode text") saves UTF-16 with a byte-order mark:
    such a draft was refused as "not valid UTF-8 (byte 0)". The mark says the encoding; findings,
    lines, columns and offsets are those of the same draft saved as UTF-8."""
    text = "Xin chào 😀\r\nCần bán nick fb giá rẻ, pass wifi: Abc@12345\r\n"
    plain = tmp_path / "plain.txt"
    plain.write_text(text, "utf-8", newline="")
    marked = tmp_path / f"{encoding}.txt"
    bom = "\ufeff" if encoding in ("utf-16-le", "utf-16-be") else ""  # the others write one
    marked.write_bytes((bom + text).encode(encoding))
    expected = json.loads(rasoat("check", "--pack", BASIC, "--format", "json", str(plain)).stdout)
    out = rasoat("check", "--pack", BASIC, "--format", "json", str(marked))
    assert out.returncode == 1, out.stderr
    found = json.loads(out.stdout)
    assert [{**d, "path": ""} for d in found] == [{**d, "path": ""} for d in expected]
    assert {d["code"] for d in found} >= {"ACC001", "CRD001"}


def test_sarif_says_when_a_check_was_cut_short(tmp_path):
    """A pattern that hits its time budget leaves a draft's results incomplete: the CLI said so
    on stderr only, and the SARIF log read as a full, clean check of that draft."""
    pack, draft = _runaway_pack(tmp_path, "a" * 40 + "b\nbán nick fb")
    out = rasoat("check", "--pack", str(pack), "--format", "sarif", "--lang=en", str(draft), EMOJI)
    assert out.returncode == 2  # not fully checked: a gate must not pass on it
    assert f"rasoat: warning: {draft}: a pattern hit its time budget" in out.stderr
    run = json.loads(out.stdout)["runs"][0]
    assert {r["ruleId"] for r in run["results"]} >= {"ACC001"}
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True  # every file was read and checked
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning" and "results are incomplete" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == draft.as_uri()
    clean = json.loads(rasoat("check", "--pack", str(pack), "--format", "sarif", EMOJI).stdout)
    assert clean["runs"][0]["invocations"] == [{"executionSuccessful": True}]


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--pack", BASIC, "--lang", "en", EMOJI),
        ("check", "--pack", BASIC, "--format", "sarif", "--lang", "en", EMOJI),
        ("rules", "--pack", BASIC, "--lang", "en"),
        ("explain", "ACC001", "--pack", BASIC, "--lang", "en"),
        ("check", "--pack", BASIC, EMOJI),  # Vietnamese, by default
    ],
)
def test_output_to_a_full_disk_is_a_clear_error(args):
    """`rasoat check … > report.sarif` on a full disk said "internal error (OSError); rerun with
    --verbose for details", as if rasoat were broken. It now says why, in one line."""
    env = {**os.environ, "XDG_CACHE_HOME": CACHE}
    with open("/dev/full", "w") as full:  # every write fails with ENOSPC
        out = subprocess.run(
            [sys.executable, "-m", "policy", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=60,
        )
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == (
        "rasoat: error: cannot write the output (No space left on device)"
        if "en" in args
        else "rasoat: lỗi: không ghi được kết quả (thiết bị đã hết chỗ trống)"
    ), out.stderr
    assert "internal error" not in out.stderr and "Exception ignored" not in out.stderr


@pytest.mark.parametrize("files", [(), ("-",)])
def test_no_standard_input_is_a_clear_error(files):
    """Run with stdin closed (cron, a service, a CI step given no input) and no file named,
    `rasoat check` said "internal error (AttributeError); rerun with --verbose"."""
    env = {**os.environ, "XDG_CACHE_HOME": CACHE}
    out = subprocess.run(
        [sys.executable, "-m", "policy", "check", "--pack", BASIC, "--lang", "en", *files],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        preexec_fn=lambda: os.close(0),  # no fd 0 at all: Python sets sys.stdin to None
    )
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.splitlines() == [
        "rasoat: error: stdin: no standard input (it is closed); name the files to check"
    ]


def test_a_closed_stdout_is_a_clear_error():
    """With fd 1 closed (`rasoat check draft.txt >&-`), Python has no sys.stdout: the CLI said
    "internal error (AttributeError)". grep says "write error" and exits 2; so does rasoat."""
    env = {**os.environ, "XDG_CACHE_HOME": CACHE}
    out = subprocess.run(
        [sys.executable, "-m", "policy", "check", "--pack", BASIC, "--lang", "en", EMOJI],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert out.returncode == 2
    assert out.stderr.splitlines() == ["rasoat: error: cannot write the output (stdout is closed)"]


def test_help_is_in_vietnamese_first_and_explains_every_flag():
    """`rasoat --help` was English only, for a tool whose messages default to Vietnamese, and
    `check --help` left --format, --min-severity and --color unexplained and never gave the exit
    codes a CI job or a pre-commit hook relies on."""
    import argparse
    import re

    from policy import evaluate
    from policy.cli import build_parser

    vietnamese = re.compile("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]")
    top = build_parser()
    (commands,) = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    parsers = {"rasoat": top} | {
        f"rasoat {name}": sub for name, sub in commands.choices.items() if name != "eval"
    }
    # `eval` has a parser of its own (policy/evaluate.py); it was English only.
    parsers["rasoat eval"] = evaluate.build_parser()
    for name, parser in parsers.items():
        for action in parser._actions:
            if action.help == argparse.SUPPRESS or action is commands:
                continue
            flag = "/".join(action.option_strings) or action.dest
            assert action.help and " / " in action.help, f"{name} {flag}: {action.help!r}"
            vi, en = action.help.split(" / ", 1)
            assert vietnamese.search(vi) and not vietnamese.search(en), f"{name} {flag}"

    out = rasoat("--help")
    assert out.returncode == 0
    description = out.stdout.split("\n\n")[1].splitlines()
    assert vietnamese.search(description[0]) and description[1].startswith("Warns about drafts")
    for command in ("check", "eval"):
        page = rasoat(command, "--help")
        assert page.returncode == 0
        assert "Mã thoát: 0" in page.stdout and "Exit codes: 0" in page.stdout, command
        assert page.stdout.index("Mã thoát") < page.stdout.index("Exit codes")
        description = page.stdout.split("\n\n")[1]
        assert vietnamese.search(description.splitlines()[0].split(" / ")[0]), command


@pytest.mark.parametrize(
    ("env", "args", "coloured"),
    [
        ({}, (), True),
        ({"NO_COLOR": "1"}, (), False),
        ({"NO_COLOR": ""}, (), True),  # no-color.org: present *and not empty*
        ({"NO_COLOR": "1"}, ("--color", "always"), True),  # an explicit flag wins
        ({}, ("--color", "never"), False),
    ],
)
def test_colour_on_a_terminal_unless_no_color(env, args, coloured):
    """Colour only on a terminal (the other tests write to a pipe: never coloured), and never
    with NO_COLOR set to a non-empty value; an empty NO_COLOR turned colour off too."""
    import pty

    leader, follower = pty.openpty()
    run_env = {**os.environ, "XDG_CACHE_HOME": CACHE, **env}
    if "NO_COLOR" not in env:
        run_env.pop("NO_COLOR", None)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "policy", "check", "--pack", BASIC, *args, EMOJI],
            stdout=follower,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=run_env,
            timeout=60,
        )
        os.close(follower)
        written = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            written += chunk
    finally:
        os.close(leader)
    assert out.returncode == 1
    text = written.decode("utf-8")
    assert f"{EMOJI}:2:1:" in text
    assert ("\033[" in text) is coloured


def test_wildcards_the_shell_left_alone_are_expanded(tmp_path):
    """`rasoat check --format sarif drafts/*.txt` (the README's CI example) failed on Windows
    with "drafts/*.txt: no such file": cmd.exe and PowerShell pass wildcards on unexpanded.
    rasoat expands a name that is not a file itself (run here without a shell, as there); a
    pattern that matches nothing is still an error, and a file named with a "*" is read as is."""
    drafts = tmp_path / "drafts"
    (drafts / "old").mkdir(parents=True)
    (drafts / "b.txt").write_text("Xin chào\ntài liệu mật", "utf-8")
    (drafts / "a.txt").write_text("bán nick fb", "utf-8")
    (drafts / "note.md").write_text("bán nick fb", "utf-8")
    (drafts / "old" / "c.txt").write_text("bán nick fb", "utf-8")
    out = rasoat("check", "--pack", BASIC, "--format", "json", str(drafts / "*.txt"))
    assert out.returncode == 1, out.stderr
    paths = [d["path"] for d in json.loads(out.stdout)]
    assert paths == [str(drafts / "a.txt"), str(drafts / "b.txt")]  # sorted, like a shell
    deep = rasoat("check", "--pack", BASIC, "--format", "json", str(drafts / "**" / "c.txt"))
    assert [d["path"] for d in json.loads(deep.stdout)] == [str(drafts / "old" / "c.txt")]

    none = rasoat("check", "--pack", BASIC, "--lang", "en", str(drafts / "*.docx"))
    assert none.returncode == 2
    assert none.stderr.splitlines() == [f"rasoat: error: {drafts / '*.docx'}: no such file"]
    star = drafts / "*.txt"
    star.write_text("Xin chào", "utf-8")  # a real file of that name wins
    assert rasoat("check", "--pack", BASIC, "--format", "json", str(star)).stdout == "[]\n"


def test_an_empty_file_name_is_not_called_a_directory():
    """`rasoat check "$DRAFT"` in a script whose variable is unset passes "": pathlib reads it as
    ".", and the error was ": is a directory"."""
    out = rasoat("check", "--pack", BASIC, "--lang", "en", "")
    assert out.returncode == 2
    assert out.stderr.splitlines() == [
        "rasoat: error: '': no such file (an empty name: an unset variable?)"
    ]


def test_typing_a_draft_at_the_terminal_is_prompted():
    """`rasoat check` with no file, typed at a terminal, waited for stdin without a word: it
    looked hung. It now says to type the draft and end it with Ctrl-D, then checks it."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "XDG_CACHE_HOME": CACHE}
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "policy", "check", "--pack", BASIC],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        os.close(follower)
        os.write(leader, "bán nick fb\n".encode() + b"\x04")  # a line, then Ctrl-D
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(leader)
    assert proc.returncode == 1
    assert "-:1:1: error ACC001" in out.decode()
    hint = err.decode().splitlines()[0]
    assert (
        hint.startswith("rasoat: nhập bản nháp") and "Ctrl-D" in hint and "type the draft" in hint
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sarif_help_keeps_markup_characters_of_rule_docs_literal(lang):
    """Code scanning renders a rule's help.markdown: OFF002's "(đ*o, l*n)" paired its stars as
    emphasis and showed "(đo, ln)" with "o, l" in italics."""
    out = rasoat("check", "--format", "sarif", "--lang", lang, "-", stdin="Xin chào")
    rules = {r["id"]: r for r in json.loads(out.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    markdown = rules["OFF002"]["help"]["markdown"]
    assert r"(đ\*o, l\*n)" in markdown and "(đ*o, l*n)" not in markdown
    assert "(đ*o, l*n)" in rules["OFF002"]["help"]["text"]  # plain text keeps them as they are


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_output_file_is_the_report_in_utf8_whatever_the_shell(tmp_path, fmt):
    """`--output FILE` writes the same report as stdout, in UTF-8 whatever the locale: Windows
    PowerShell 5.1's `>` re-encodes a program's output to UTF-16, so a SARIF log redirected
    there is not one code scanning can read. Nothing goes to stdout then."""
    target = tmp_path / f"rasoat.{fmt}"
    to_stdout = rasoat("check", "--pack", BASIC, "--format", fmt, EMOJI)
    out = rasoat(
        "check",
        "--pack",
        BASIC,
        "--format",
        fmt,
        "-o",
        str(target),
        EMOJI,
        env={"PYTHONIOENCODING": "cp1252"},
    )
    assert (out.returncode, out.stdout) == (1, ""), out.stderr
    assert target.read_bytes() == to_stdout.stdout.encode("utf-8")
    if fmt != "text":
        json.loads(target.read_text("utf-8"))


def test_output_file_that_cannot_be_written_is_a_clear_error(tmp_path):
    target = tmp_path / "no-such-folder" / "rasoat.sarif"
    out = rasoat(
        "check", "--pack", BASIC, "--format", "sarif", "--lang", "en", "-o", str(target), EMOJI
    )
    assert out.returncode == 2
    assert out.stderr.strip() == (
        f"rasoat: error: {target}: cannot write the output (No such file or directory)"
    )


def test_an_os_reason_reads_in_vietnamese_in_vietnamese(tmp_path):
    """The OS's reason stayed English inside the Vietnamese line ("… (No such file or
    directory)"); policy/os_reasons_vi.py says the common ones in Vietnamese."""
    target = tmp_path / "no-such-folder" / "rasoat.sarif"
    out = rasoat("check", "--pack", BASIC, "--format", "sarif", "-o", str(target), EMOJI)
    assert out.returncode == 2
    assert out.stderr.strip() == (
        f"rasoat: lỗi: {target}: không ghi được kết quả (không có tệp hay thư mục đó)"
    )


def test_output_file_that_is_one_of_the_drafts_is_refused(tmp_path):
    """`-o draft.txt` wrote the report over the draft; `drafts/*.txt -o drafts/report.txt`, run a
    second time, checked the last report as a draft (its quotes of the matches flagged again)
    and then wrote over it."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    draft = drafts / "a.txt"
    draft.write_text("bán nick fb giá rẻ", "utf-8")
    report = drafts / "report.txt"
    first = rasoat("check", "--pack", BASIC, str(drafts / "*.txt"), "-o", str(report))
    assert first.returncode == 1 and "ACC001" in report.read_text("utf-8")
    before = report.read_bytes()
    again = rasoat(
        "check", "--pack", BASIC, "--lang", "en", str(drafts / "*.txt"), "-o", str(report)
    )
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr == (
        f"rasoat: error: --output: {report} is also one of the files to check; the report "
        "would overwrite it (choose another file)\n"
    )
    assert report.read_bytes() == before
    same = rasoat("check", "--pack", BASIC, str(draft), "-o", str(drafts / "." / "a.txt"))
    assert same.returncode == 2 and "cũng là một tệp cần kiểm tra" in same.stderr
    assert draft.read_text("utf-8") == "bán nick fb giá rẻ"


def test_a_failed_check_leaves_no_output_file(tmp_path):
    """The file is opened once every draft is checked: a wrong flag or pack leaves none (an
    empty report would read as a clean run)."""
    target = tmp_path / "rasoat.sarif"
    out = rasoat("check", "--pack", str(tmp_path / "nope"), "-o", str(target), EMOJI)
    assert out.returncode == 2
    assert not target.exists()


def test_a_check_cut_short_fails_the_gate_even_without_findings(tmp_path):
    """A draft whose check hit the time budget exited 0 when nothing was found: a CI gate or
    pre-commit hook passed a draft that was never fully checked. Exit 2, and the summary says so."""
    pack, draft = _runaway_pack(tmp_path)
    out = rasoat("check", "--pack", str(pack), str(draft))
    assert (out.returncode, out.stdout) == (2, "")
    assert "; 1 tệp chưa kiểm tra hết (quá thời gian)" in out.stderr
    english = rasoat("check", "--pack", str(pack), "--lang", "en", str(draft))
    assert "; 1 file(s) not fully checked (time budget)" in english.stderr
    assert rasoat("check", "--pack", str(pack), "--exit-zero", str(draft)).returncode == 2


@pytest.mark.parametrize(
    ("args", "corpus", "vi", "en"),
    [
        ((), None, "thiếu đối số bắt buộc: FILE (xem `rasoat eval --help`)", "required: FILE"),
        (
            ("--min-recall", "1.5"),
            "",
            "--min-recall: phải nằm trong khoảng từ 0 đến 1: '1.5'",
            "must be between 0 and 1",
        ),
        (("--frob",), "", "đối số không nhận ra: --frob", "unrecognized arguments: --frob"),
        (
            ("missing.jsonl",),
            None,
            "missing.jsonl: không có tệp này",
            "missing.jsonl: no such file",
        ),
        ((), '{"id": "a", "lang": "vi"', ":1: JSON không hợp lệ (", ":1: invalid JSON ("),
        (
            (),
            '{"id": "a", "lang": "vi", "text": "t", "expect": ["secret"]}',
            ":1: nhóm 'secret' trong 'expect' không hợp lệ; hợp lệ: state-secret,",
            ":1: unknown category 'secret' in 'expect'; valid: state-secret,",
        ),
        ((), "\n\n", ": không có bản nháp nào", ": no drafts"),
        (
            ("--pack", "no-such-pack"),
            '{"id": "a", "lang": "vi", "text": "t", "expect": []}',
            "no-such-pack: không có gói quy tắc nào ở đây",
            "no pack here",
        ),
    ],
)
def test_eval_errors_speak_lang_vietnamese_by_default(tmp_path, args, corpus, vi, en):
    """`rasoat eval` had no `--lang`: its usage and corpus errors were English only (and two
    lines, usage then "rasoat eval: …") while every other command speaks `--lang`, Vietnamese by
    default, in one line."""
    files = ()
    if corpus is not None:
        path = tmp_path / "corpus.jsonl"
        path.write_text(corpus, "utf-8")
        files = (str(path),)
    out = rasoat("eval", *files, *args)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr.startswith("rasoat: lỗi: ") and len(out.stderr.splitlines()) == 1, out.stderr
    assert vi in out.stderr and en not in out.stderr
    english = rasoat("eval", *files, *args, "--lang", "en")
    assert (english.returncode, english.stdout) == (2, "")
    assert english.stderr.startswith("rasoat: error: ") and len(english.stderr.splitlines()) == 1
    assert en in english.stderr and vi not in english.stderr


def test_eval_report_under_either_lang(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"id": "a", "lang": "vi", "text": "Hôm nay trời đẹp", "expect": []}\n')
    for lang in ("vi", "en"):
        out = rasoat("eval", str(path), "--pack", BASIC, "--json", "--lang", lang)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["combined"]["drafts"] == 1


@pytest.mark.parametrize("command", [("check", "--pack", BASIC, EMOJI), ("check", "-")])
def test_an_on_off_setting_neither_on_nor_off_stops_the_command(command):
    """RASOAT_NO_CACHE=y kept the cache on in silence (any unknown word read as off). `check`
    is the command that keeps compiled packs in the cache, so it stops, before reading a draft."""
    out = rasoat(*command, stdin="Cần bán nick fb", env={"RASOAT_NO_CACHE": "y"})
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr.splitlines() == [
        "rasoat: lỗi: RASOAT_NO_CACHE='y' không phải giá trị bật/tắt "
        "(bật: 1, true, yes, on; tắt: 0, false, no, off hoặc để trống)"
    ]
    english = rasoat(*command, "--lang", "en", stdin="x", env={"RASOAT_NO_CACHE": "y"})
    assert english.returncode == 2
    assert english.stderr.splitlines() == [
        "rasoat: error: RASOAT_NO_CACHE='y' is neither on (1, true, yes, on) "
        "nor off (0, false, no, off, or empty)"
    ]


@pytest.mark.parametrize(
    "command", [(), ("check",), ("rules",), ("explain",), ("test-pack",), ("docs",), ("eval",)]
)
def test_help_prints_whatever_the_on_off_settings_say(command):
    """A bad RASOAT_NO_CACHE stopped `rasoat eval --help`: the setting was read before eval's
    parser. Help reads no setting and always prints."""
    out = rasoat(*command, "--help", env={"RASOAT_NO_CACHE": "y"})
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout.startswith(f"cách dùng / usage: rasoat {' '.join(command)}".rstrip())


def test_commands_that_keep_nothing_in_the_cache_ignore_a_bad_cache_setting(tmp_path):
    """Only `check` keeps compiled packs in ~/.cache/rasoat (eval, rules, explain, test-pack and
    docs load the pack afresh), so a bad RASOAT_NO_CACHE stops only `check`: the others run as
    they would with it unset."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "a", "lang": "vi", "text": "Hôm nay trời đẹp", "expect": []}\n')
    bad = {"RASOAT_NO_CACHE": "y"}
    for command in (
        ("eval", str(corpus), "--pack", BASIC, "--json"),
        ("rules", "--pack", BASIC),
        ("explain", "ACC001", "--pack", BASIC),
        ("test-pack", BASIC),
        ("docs", "--output", str(tmp_path / "docs"), "--pack", BASIC),
    ):
        out = rasoat(*command, env=bad)
        unset = rasoat(*command)
        assert (out.returncode, out.stdout) == (unset.returncode, unset.stdout), command
        assert out.returncode == 0 and "RASOAT_NO_CACHE" not in out.stderr, (command, out.stderr)


def test_readme_lint_a_file_example_runs_as_shown(tmp_path):
    """README's "Lint a file in one minute": every rasoat command of the block runs, and the
    check prints the line the README shows (up to its "…")."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## Lint a file in one minute") :].split("```sh\n", 1)[1]
    block = block.split("```", 1)[0]
    draft = re.search(r"printf '(.*?)\\n' > draft\.txt", block).group(1)
    (tmp_path / "draft.txt").write_text(draft + "\n", "utf-8")
    shown = re.search(r"^# (draft\.txt:.*?)…$", block, re.M).group(1)
    commands = re.findall(
        r"^(?:echo \"(.*?)\" \| )?\.venv/bin/rasoat ([^#\n]*?)\s*(?:#.*)?$", block, re.M
    )
    assert len(commands) == 5, commands
    for stdin, command in commands:
        out = rasoat(*command.split(), stdin=stdin + "\n" if stdin else None, cwd=tmp_path)
        assert out.returncode == (1 if command.startswith("check") else 0), (command, out.stderr)
        assert out.stdout, command
        if command == "check draft.txt":
            assert out.stdout.startswith(shown), (shown, out.stdout)
