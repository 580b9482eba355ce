"""The `rasoat` command line: check, rules, explain, test-pack, docs, eval.

Exit codes: 0 nothing at/above the fail level, 1 findings, 2 usage / pack / I/O errors.
Machine output goes to stdout, human messages to stderr. Draft text is never printed except as
part of the findings themselves.
"""

from __future__ import annotations

import argparse
import codecs
import os
import re
import shlex
import sys
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .env import SettingError, is_on
from .os_reasons_vi import reason as os_reason

if TYPE_CHECKING:
    from .engine import Linter
    from .model import CheckResult, Pack

LANGS = ("vi", "en")
SEVERITIES = ("info", "warning", "error")
FORMATS = ("text", "json", "sarif")


class ExitStatus(IntEnum):
    """Documented exit codes (ruff / ESLint convention)."""

    OK = 0
    FINDINGS = 1
    ERROR = 2


def _h(vi: str, en: str) -> str:
    """A help text in Vietnamese first (the officials who use rasoat), then English."""
    return f"{vi} / {en}"


# Every message the CLI prints of its own, by key: (Vietnamese, English), in `--lang` (Vietnamese
# by default, as the help and the summary are). One table, so that both say the same thing.
_MESSAGES: dict[str, tuple[str, str]] = {
    "error": ("lỗi", "error"),
    "warning": ("cảnh báo", "warning"),
    "see-help": ("{detail} (xem `{prog} --help`)", "{detail} (see `{prog} --help`)"),
    "stdin-closed": (
        "stdin: không có đầu vào chuẩn (đã bị đóng); hãy nêu tên các tệp cần kiểm tra",
        "stdin: no standard input (it is closed); name the files to check",
    ),
    "stdin-unreadable": ("stdin: không đọc được ({reason})", "stdin: cannot read ({reason})"),
    "empty-name": (
        "'': không có tệp này (tên rỗng: một biến chưa được đặt?)",
        "'': no such file (an empty name: an unset variable?)",
    ),
    "is-a-directory": ("{name}: là một thư mục, không phải tệp", "{name}: is a directory"),
    "no-such-file": ("{name}: không có tệp này", "{name}: no such file"),
    "unreadable": ("{name}: không đọc được ({reason})", "{name}: cannot read ({reason})"),
    "bad-encoding": (
        "{name}: không phải {encoding} hợp lệ (byte {byte})",
        "{name}: not valid {encoding} (byte {byte})",
    ),
    "unknown-codes": (
        "--disable: không có quy tắc nào mang mã {codes}",
        "unknown rule code(s) for --disable: {codes}",
    ),
    "unknown-categories": (
        "--category: không có nhóm {names}; các nhóm: {valid}",
        "unknown categor(y/ies) for --category: {names}; valid: {valid}",
    ),
    "incomplete": (
        "{name}: một mẫu quy tắc chạy quá thời gian cho phép; kết quả chưa đầy đủ",
        "{name}: a pattern hit its time budget; results are incomplete",
    ),
    "output-unwritable": (
        "{path}: không ghi được kết quả ({reason})",
        "{path}: cannot write the output ({reason})",
    ),
    "stdout-closed": (
        "không ghi được kết quả (stdout đã bị đóng)",
        "cannot write the output (stdout is closed)",
    ),
    "write-failed": ("không ghi được kết quả ({reason})", "cannot write the output ({reason})"),
    "no-rule": (
        "gói {pack} không có quy tắc {code!r} (xem `rasoat rules`)",
        "no rule {code!r} in pack {pack} (see `rasoat rules`)",
    ),
    "pack-error": ("gói quy tắc không nạp được: {detail}", "{detail}"),
    "unknown-pack": (
        "{name}: không có gói quy tắc nào ở đây (một thư mục có pack.toml); "
        "các gói đi kèm: {shipped}",
        "{detail}",
    ),
    "output-is-input": (
        "--output: {path} cũng là một tệp cần kiểm tra; ghi kết quả vào đó sẽ đè lên nó "
        "(hãy chọn một tệp khác)",
        "--output: {path} is also one of the files to check; the report would overwrite it "
        "(choose another file)",
    ),
    "empty-output": (
        "--output: tên tệp rỗng (một biến chưa được đặt?); hãy nêu tệp sẽ ghi vào",
        "--output: an empty file name (an unset variable?); name the file to write to",
    ),
    "docs-no-folder": (
        "--output: tên thư mục rỗng (một biến chưa được đặt?); hãy nêu thư mục sẽ ghi vào",
        "--output: an empty folder name (an unset variable?); name the folder to write to",
    ),
    "docs-unwritable": ("{folder}: không ghi được ({reason})", "{folder}: cannot write ({reason})"),
    "docs-stale": ("{page}: đã cũ; hãy chạy {hint}", "{page}: out of date; run {hint}"),
    "docs-make": (" (`make docs` cho docs/rules)", " (`make docs` for docs/rules)"),
    "docs-written": ("đã ghi {n} trang vào {folder}", "wrote {n} page(s) to {folder}"),
    "bad-setting": (
        "{name}={value!r} không phải giá trị bật/tắt "
        "(bật: 1, true, yes, on; tắt: 0, false, no, off hoặc để trống)",
        "{detail}",
    ),
    "no-eval": (
        "không có lệnh `eval`: thiếu policy/evaluate.py",
        "`eval` is not available: policy/evaluate.py is missing",
    ),
    "internal": (
        "lỗi nội bộ ({name}); chạy lại với --verbose để xem chi tiết",
        "internal error ({name}); rerun with --verbose for details",
    ),
    "thin-rule": (
        "{code}: cần ít nhất một ví dụ vi phạm (bad) và một ví dụ hợp lệ (good)",
        "{code}: needs at least one bad and one good example",
    ),
    "no-rules": (
        "{path}: gói không có quy tắc nào (mỗi quy tắc một tệp rules/<nhóm>/<tên>.toml)",
        "{path}: the pack has no rules (one file per rule: rules/<category>/<name>.toml)",
    ),
    "rules-count": ("{n} quy tắc", "{n} rules"),
    "test-pack-summary": (
        "{pack}: {rules} quy tắc, {examples} ví dụ, {failed} ví dụ sai",
        "{pack}: {rules} rules, {examples} examples, {failed} failed",
    ),
    "test-pack-thin": (
        ", {n} quy tắc thiếu ví dụ bad hoặc good",
        ", {n} rule(s) without a bad and a good example",
    ),
}

# argparse's own errors (its messages are English), read back into the table's language.
_ARGPARSE_VI = tuple(
    (re.compile(pattern), vi)
    for pattern, vi in (
        (
            r"argument (?P<arg>.+?): invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)",
            "{arg}: giá trị không hợp lệ: {value} (chọn một trong: {choices})",
        ),
        (r"the following arguments are required: (?P<args>.+)", "thiếu đối số bắt buộc: {args}"),
        (r"unrecognized arguments: (?P<args>.+)", "đối số không nhận ra: {args}"),
        (r"argument (?P<arg>.+?): expected one argument", "{arg}: thiếu giá trị"),
        (
            r"argument (?P<arg>.+?): invalid int value: (?P<value>.+)",
            "{arg}: không phải một số nguyên: {value}",
        ),
        # `rasoat eval`'s thresholds (policy/evaluate.py `_fraction`)
        (
            r"argument (?P<arg>.+?): not a number: (?P<value>.+)",
            "{arg}: không phải một số: {value}",
        ),
        (
            r"argument (?P<arg>.+?): must be between 0 and 1: (?P<value>.+)",
            "{arg}: phải nằm trong khoảng từ 0 đến 1: {value}",
        ),
        (
            r"ambiguous option: (?P<option>\S+) could match (?P<options>.+)",
            "tùy chọn {option} không rõ ràng: có thể là {options}",
        ),
    )
)


def _say(key: str, lang: str, **params: object) -> str:
    """The message `key` of `_MESSAGES` in `lang`, its {placeholders} filled in."""
    vi, en = _MESSAGES[key]
    return (vi if lang == "vi" else en).format(**params)


def _lang_of(argv: Sequence[str]) -> str:
    """The `--lang` of a command line, read before argparse does (its own errors, and those of a
    command line it refuses, speak it too); Vietnamese by default. The last one counts."""
    lang = "vi"
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg[7:]
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGS:
            lang = value
    return lang


class _UsageError(Exception):
    """An error of the command line or its files: a message of `_MESSAGES`, said in `--lang`."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def say(self, lang: str) -> str:
        params = self.params
        if self.key == "see-help":  # argparse wrote the detail, in English
            params = {**params, "detail": argparse_text(str(params["detail"]), lang)}
        if isinstance(params.get("reason"), OSError):  # the OS's words, in `lang` where known
            params = {**params, "reason": os_reason(params["reason"], lang)}
        return _say(self.key, lang, **params)


def pack_error_text(exc: Exception, lang: str) -> str:
    """A broken pack's `path:line: problem`, the problem in `lang` (the loader says it in
    English; `policy/pack_errors_vi.py` reads each kind back in Vietnamese)."""
    from .model import PackError

    if lang == "vi" and isinstance(exc, PackError):
        from .pack_errors_vi import vietnamese

        said = vietnamese(exc.message)
        if said is not None:
            return f"{exc.path}:{exc.line or 1}: {said}"
    return str(exc)


def policy_error_text(exc: Exception, lang: str) -> str:
    """A pack that cannot be loaded, said in `lang`: a misspelt `--pack` (the user's) names the
    shipped packs; a broken one (an author's) gives its `path:line: problem`. (`python -m
    server` words its start-up errors with it too: server/problems.py.)"""
    from .loader import UnknownPackError

    if isinstance(exc, UnknownPackError):
        shipped = ", ".join(exc.shipped) or "-"
        return _say("unknown-pack", lang, name=exc.path, shipped=shipped, detail=exc)
    return _say("pack-error", lang, detail=pack_error_text(exc, lang))


def setting_error_text(exc: SettingError, lang: str) -> str:
    """An on/off `RASOAT_*` setting that is neither, said in `lang` (`policy/env.py`)."""
    return _say("bad-setting", lang, name=exc.name, value=exc.value, detail=exc)


def argparse_text(message: str, lang: str) -> str:
    """An argparse error in `lang`: in Vietnamese when `_ARGPARSE_VI` knows its kind (the
    option names, values and choices stay as typed), as argparse wrote it otherwise (`python -m
    server`'s usage errors too: server/__main__.py)."""
    if lang == "vi":
        for pattern, vi in _ARGPARSE_VI:
            if m := pattern.fullmatch(message):
                return vi.format(**m.groupdict())
    return message


class _BilingualHeadings:
    """A help formatter mix-in: argparse's own "usage:" in Vietnamese, then English, as every
    help text of ours is."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        # argparse passes prefix "" itself to build a command's prog ("rasoat check"): keep it.
        if prefix is None:
            prefix = "cách dùng / usage: "
        super().add_usage(usage, actions, groups, prefix)  # type: ignore[misc]


class BilingualParser(argparse.ArgumentParser):
    """argparse whose help speaks as ours does: its headings and `-h` in Vietnamese, then
    English (also `python -m server`'s parser)."""

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:
        base = kwargs.get("formatter_class", argparse.HelpFormatter)
        kwargs["formatter_class"] = type(base.__name__, (_BilingualHeadings, base), {})
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "đối số / positional arguments"
        self._optionals.title = "tùy chọn / options"
        if add_help:  # argparse's own -h says it in English only
            self.add_argument(
                "-h",
                "--help",
                action="help",
                help=_h("in trợ giúp này rồi thoát", "show this help message and exit"),
            )


class _Parser(BilingualParser):
    """The bilingual parser that reports usage errors in one line and lets main() return the
    code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError("see-help", detail=message, prog=self.prog)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("rasoat")
    except Exception:  # noqa: BLE001 - metadata is missing in a bare checkout; not fatal
        return "0+unknown"


class _VersionAction(argparse.Action):
    """--version, resolved only when asked for (importlib.metadata costs ~15 ms at start-up)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"rasoat {_version()}")
        parser.exit()


_CHECK_EPILOG = """\
Mã thoát: 0 không có vi phạm nào từ mức --fail-level trở lên; 1 có vi phạm;
2 lỗi cách dùng, lỗi gói quy tắc, tệp không đọc được hoặc chưa kiểm tra hết.
Exit codes: 0 nothing at or above --fail-level; 1 findings; 2 a usage, pack or file error,
or a check cut short."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests). Every help text is in Vietnamese, then
    in English: `--lang` defaults to Vietnamese, and so should the way to learn the flags."""
    p = _Parser(
        prog="rasoat",
        description="Rà soát bản nháp trước khi đăng: cảnh báo nội dung vi phạm quy định.\n"
        "Warns about drafts that break the rules before you post.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--version",
        action=_VersionAction,
        nargs=0,
        help=_h("in phiên bản rồi thoát", "print the version and exit"),
    )
    p.add_argument(
        "--verbose",
        action="store_true",
        help=_h("in chi tiết (traceback) của lỗi nội bộ", "show tracebacks of internal errors"),
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    pack_help = _h(
        "mã hoặc thư mục gói quy tắc (mặc định: vn-mofa)", "pack id or folder (default: vn-mofa)"
    )
    lang_help = _h("ngôn ngữ (mặc định: vi)", "language (default: vi)")

    c = sub.add_parser(
        "check",
        help=_h(
            "kiểm tra bản nháp (tệp, hoặc - để đọc stdin)", "check drafts (files or - for stdin)"
        ),
        description=_h("Kiểm tra bản nháp.", "Check drafts."),
        epilog=_CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help=_h(
            "các tệp cần kiểm tra; - hoặc không nêu tệp nào: đọc stdin",
            "files to check; - or none reads stdin",
        ),
    )
    c.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help=_h("định dạng kết quả (mặc định: text)", "output format (default: text)"),
    )
    c.add_argument("--pack", default=None, help=pack_help)
    c.add_argument(
        "--lang",
        choices=LANGS,
        default="vi",
        help=_h("ngôn ngữ của thông báo (mặc định: vi)", "language of messages (default: vi)"),
    )
    c.add_argument(
        "--min-severity",
        choices=SEVERITIES,
        default="info",
        help=_h(
            "chỉ báo vi phạm từ mức này trở lên (mặc định: info)",
            "report findings at or above this severity only (default: info)",
        ),
    )
    c.add_argument(
        "--fail-level",
        choices=SEVERITIES,
        default="error",
        help=_h(
            "mức thấp nhất khiến mã thoát là 1 (mặc định: error)",
            "lowest severity that makes the exit code 1 (default: error)",
        ),
    )
    c.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="CODE",
        help=_h(
            "tắt một quy tắc (lặp lại được, hoặc cách nhau bằng dấu phẩy; mặc định: không tắt "
            "quy tắc nào)",
            "turn a rule off (repeatable, or comma-separated; default: none)",
        ),
    )
    c.add_argument(
        "--category",
        action="append",
        default=None,
        metavar="CATEGORY",
        help=_h(
            "chỉ kiểm tra các nhóm này (lặp lại được; mặc định: mọi nhóm)",
            "only check these categories (repeatable; default: every category)",
        ),
    )
    c.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default=None,
        help=_h(
            "ghi kết quả vào tệp này (UTF-8; mặc định: stdout)",
            "write the report to FILE (UTF-8; default: stdout)",
        ),
    )
    c.add_argument(
        "--preview",
        action="store_true",
        help=_h("chạy cả các quy tắc đang thử nghiệm", "also run rules in preview"),
    )
    c.add_argument(
        "--exit-zero",
        action="store_true",
        help=_h("thoát với mã 0 kể cả khi có vi phạm", "exit 0 even when there are findings"),
    )
    c.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help=_h(
            "tô màu kết quả text (mặc định: auto, chỉ trên terminal và không khi đặt NO_COLOR)",
            "colour text output (default: auto, on a terminal only and never with NO_COLOR)",
        ),
    )
    c.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)

    r = sub.add_parser(
        "rules",
        help=_h("liệt kê các quy tắc của một gói", "list the rules of a pack"),
        description=_h("Liệt kê các quy tắc của một gói.", "List the rules of a pack."),
    )
    r.add_argument("--pack", default=None, help=pack_help)
    r.add_argument("--lang", choices=LANGS, default="vi", help=lang_help)
    r.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=_h("định dạng kết quả (mặc định: text)", "output format (default: text)"),
    )
    r.add_argument(
        "--all",
        action="store_true",
        help=_h(
            "gồm cả quy tắc đang thử nghiệm hoặc đã ngừng dùng", "include preview/deprecated rules"
        ),
    )

    e = sub.add_parser(
        "explain",
        help=_h("giải thích một quy tắc, kèm ví dụ", "print a rule's docs and examples"),
        description=_h("Giải thích một quy tắc, kèm ví dụ.", "Print a rule's docs and examples."),
    )
    e.add_argument("code", help=_h("mã quy tắc, ví dụ ACC001", "rule code, e.g. ACC001"))
    e.add_argument("--pack", default=None, help=pack_help)
    e.add_argument("--lang", choices=LANGS, default="vi", help=lang_help)

    t = sub.add_parser(
        "test-pack",
        help=_h(
            "kiểm tra một gói quy tắc và chạy các ví dụ của nó",
            "validate a pack and run its examples",
        ),
        description=_h(
            "Kiểm tra một gói quy tắc và chạy các ví dụ của nó.",
            "Validate a pack and run its examples.",
        ),
    )
    t.add_argument("path", help=_h("thư mục của gói (có pack.toml)", "the pack's folder"))
    t.add_argument("--lang", choices=LANGS, default="vi", help=lang_help)

    d = sub.add_parser(
        "docs",
        help=_h(
            "xuất tài liệu quy tắc của mỗi gói ra Markdown DIR/<pack>.md",
            "render each pack's rules to Markdown DIR/<pack>.md",
        ),
        description=_h(
            "Xuất tài liệu quy tắc của mỗi gói ra Markdown.",
            "Render each pack's rules to Markdown.",
        ),
    )
    d.add_argument(
        "--output",
        required=True,
        metavar="DIR",
        help=_h("thư mục sẽ ghi vào (bắt buộc)", "output folder (required)"),
    )
    d.add_argument(
        "--pack",
        action="append",
        default=None,
        help=_h(
            "mã hoặc thư mục gói (lặp lại được; mặc định: mọi gói đi kèm)",
            "pack id or folder (repeatable; default: every shipped pack)",
        ),
    )
    d.add_argument(
        "--check",
        action="store_true",
        help=_h("không ghi; thoát 1 nếu DIR đã cũ", "do not write; exit 1 if DIR is out of date"),
    )
    d.add_argument("--lang", choices=LANGS, default="vi", help=lang_help)

    sub.add_parser(
        "eval",
        help=_h(
            "độ phủ/độ chính xác trên một kho bản nháp có nhãn",
            "recall/precision on a corpus (policy.evaluate)",
        ),
        add_help=False,
    )
    return p


def _fingerprint(name: str | None) -> str:
    """A key that changes whenever the pack, a pack it extends, or the engine's code changes.

    Built from file sizes and modification times (no reads), so it costs a few stat calls.
    """
    import hashlib
    import sys as _sys
    import tomllib

    from . import loader

    h = hashlib.sha256()
    h.update(_sys.version.encode())  # engine code is covered by its files below

    def walk(folder: str, suffix: str = "", recursive: bool = True) -> None:
        # os.scandir: a stat per file, far cheaper than pathlib's rglob.
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in entries:
            if entry.name.startswith("."):
                continue  # not read by the loader either (an editor's lock may dangle)
            if entry.is_dir():
                if recursive and entry.name != "__pycache__":
                    walk(entry.path, suffix, recursive)
            elif entry.name.endswith(suffix):
                st = entry.stat()
                h.update(f"{entry.path}|{st.st_size}|{st.st_mtime_ns}\n".encode())

    engine_dir = os.path.dirname(os.path.abspath(__file__))
    for sub in ("", "detectors", "formatters"):
        walk(os.path.join(engine_dir, sub), ".py", recursive=False)
    pack_dir: Path | None = loader._resolve(name)
    seen: set[Path] = set()
    while pack_dir is not None and pack_dir not in seen:
        seen.add(pack_dir)
        walk(str(pack_dir))
        data = tomllib.loads((pack_dir / "pack.toml").read_text("utf-8-sig"))
        parent = data.get("extends")
        pack_dir = loader._resolve(parent, base=pack_dir) if isinstance(parent, str) else None
    return h.hexdigest()


def load_pack_cached(name: str | None):
    """`policy.load_pack`, with the compiled pack kept in ~/.cache/rasoat between runs.

    A one-shot `rasoat check` spends most of its time validating and compiling the pack; the
    cache (keyed by every pack file's size and mtime, and the engine's code) skips that. It holds
    rules only, never draft text. Any problem with the cache falls back to a normal load;
    RASOAT_NO_CACHE=1 (true, yes, on; policy/env.py) turns it off.
    """
    import pickle

    from .cache import cache_dir, prune, write_atomic
    from .loader import load_pack, paused_gc
    from .model import Pack

    cache = cache_dir()
    if cache is None:
        return load_pack(name)
    try:
        path = cache / f"{_fingerprint(name)}.pickle"
    except Exception:  # noqa: BLE001 - e.g. a missing pack or a pack.toml that is not TOML:
        return load_pack(name)  # the loader reports it properly, with its path:line
    try:
        with open(path, "rb") as fh, paused_gc():
            stamps, pack = pickle.load(fh)
        if isinstance(pack, Pack) and pack.compiled is not None and stamps == _stamps(pack):
            return pack
    except Exception:  # noqa: BLE001 - a missing, stale or corrupt cache entry is just a miss
        pass
    pack = load_pack(name)
    try:
        data = pickle.dumps((_stamps(pack), pack), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(path, data)
        prune(cache, ".pickle", keep=path, entries=CACHE_ENTRIES)
    except Exception:  # noqa: BLE001 - a read-only home is fine: no cache, same result
        pass
    return pack


def _stamps(pack) -> tuple[tuple[str, int, int], ...]:
    """Size and mtime of every file the pack was read from. The key covers the pack folders;
    a phrase list may live outside them (`phrases_file = "../common/words.txt"`), so an entry
    also holds these, and one whose files changed since is a miss."""
    stamps = []
    for f in pack.files:
        st = os.stat(f)
        stamps.append((f, st.st_size, st.st_mtime_ns))
    return tuple(stamps)


CACHE_ENTRIES = 8  # compiled packs kept (a few packs × versions); each is a few MB


def _err(msg: str, lang: str, level: str = "error") -> None:
    """One line on stderr: `rasoat: error: …` (`rasoat: lỗi: …` in Vietnamese)."""
    print(f"rasoat: {_say(level, lang)}: {msg}", file=sys.stderr)


def _expand_wildcards(names: Sequence[str]) -> list[str]:
    """Names with the wildcards a shell would have expanded, expanded (sorted, `**` recursive).

    cmd.exe and PowerShell pass `drafts/*.txt` on as it is, so the documented CI command found
    "no such file" on Windows. A name that is a file itself is kept, and a pattern matching
    nothing is left for the reader to report.
    """
    import glob

    out: list[str] = []
    for name in names:
        if name != "-" and any(c in name for c in "*?[") and not os.path.lexists(name):
            matches = sorted(glob.glob(name, recursive=True))
            if matches:
                out.extend(matches)
                continue
        out.append(name)
    return out


def _read_input(name: str) -> str:
    if name == "-":
        if sys.stdin is None:  # fd 0 closed: cron, a service, a CI step given no input
            raise _UsageError("stdin-closed")
        if sys.stdin.isatty():  # `rasoat check` typed alone: without a word it looks hung
            print(
                "rasoat: "
                + _h(
                    "nhập bản nháp rồi nhấn Ctrl-D (Windows: Ctrl-Z, Enter) để kiểm tra",
                    "type the draft, then Ctrl-D (Windows: Ctrl-Z, Enter) to check it",
                ),
                file=sys.stderr,
                flush=True,
            )
        try:
            data = sys.stdin.buffer.read()
        except OSError as exc:
            raise _UsageError("stdin-unreadable", reason=exc) from None
        label = "stdin"
    else:
        if not name:  # pathlib would read "" as "." and call it a directory
            raise _UsageError("empty-name")
        path = Path(name)
        if path.is_dir():
            raise _UsageError("is-a-directory", name=name)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise _UsageError("no-such-file", name=name) from None
        except OSError as exc:
            raise _UsageError("unreadable", name=name, reason=exc) from None
        label = name
    # A byte-order mark names the encoding: Notepad's "Unicode" is UTF-16 with one. Without a
    # mark a draft must be UTF-8 (a legacy Windows-1258 file cannot be told apart reliably).
    encoding = "utf-8"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16's: FF FE…
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _UsageError(
            "bad-encoding", name=label, encoding=encoding.upper(), byte=exc.start
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _cmd_check(args: argparse.Namespace) -> int:
    from .engine import Linter
    from .model import CATEGORIES, SEVERITY_RANK, canonical_code

    _check_settings()
    pack = load_pack_cached(args.pack)
    linter = Linter(pack, include_preview=args.preview)
    # Codes are capitals (ACC001); `--disable acc001` means it, as `explain acc001` does.
    disabled = [
        canonical_code(c.strip()) for item in args.disable for c in item.split(",") if c.strip()
    ]
    unknown = sorted({c for c in disabled if c not in {r.code for r in pack.rules}})
    if unknown:
        raise _UsageError("unknown-codes", codes=", ".join(unknown))
    wrong = sorted(set(args.category or ()) - set(CATEGORIES))
    if wrong:  # (the engine would refuse them too, in English)
        raise _UsageError("unknown-categories", names=", ".join(wrong), valid=", ".join(CATEGORIES))
    files = _expand_wildcards(args.files) or ["-"]
    if args.output and any(_same_file(name, args.output) for name in files):
        # `rasoat check drafts/*.txt -o drafts/report.txt`, run twice, read the last report as a
        # draft (its quotes of the matches flagged again) and wrote over it; `-o draft.txt`
        # overwrote the draft itself with the report.
        raise _UsageError("output-is-input", path=args.output)
    results = []
    notes: list[tuple[str, str, str]] = []  # (level, path, message): also told to SARIF readers
    unreadable = incomplete = 0
    for name in files:
        # One missing or legacy-encoded file among many is named and skipped: the findings of
        # the others are still reported, and the exit code (2) says not every draft was checked.
        try:
            text = _read_input(name)
        except _UsageError as exc:
            _err(exc.say(args.lang), args.lang)
            notes.append(("error", name, exc.say(args.lang)))
            unreadable += 1
            continue
        try:
            findings = linter.check(
                text,
                lang=args.lang,
                min_severity=args.min_severity,
                disabled=disabled,
                only_categories=args.category,
            )
        except ValueError as exc:  # not expected: the options were checked above
            raise _UsageError("internal", name=f"ValueError: {exc}") from None
        if findings.incomplete:
            note = _say("incomplete", args.lang, name=name)
            _err(note, args.lang, level="warning")
            notes.append(("warning", name, note))
            incomplete += 1
        results.append((name, findings))

    out = sys.stdout if args.output is None else _open_output(args.output)
    try:
        _write_report(args, out, results, linter, pack, notes, unreadable, incomplete)
    finally:
        if out is not sys.stdout:
            out.close()
    # A draft not read, or whose check was cut short, was not fully checked: a gate must not
    # pass on it (exit 2 even with no finding), whatever was found elsewhere.
    if unreadable or incomplete:
        return ExitStatus.ERROR
    fail = SEVERITY_RANK[args.fail_level]
    failing = any(SEVERITY_RANK[f.severity] >= fail for _, fs in results for f in fs)
    return ExitStatus.FINDINGS if failing and not args.exit_zero else ExitStatus.OK


def _same_file(name: str, output: str) -> bool:
    try:
        return name != "-" and os.path.samefile(name, output)
    except OSError:  # either is missing (or unreadable): not the same existing file
        return False


def _open_output(path: str) -> IO[str]:
    """`--output FILE`, opened once every draft is checked (a pack or usage error leaves no
    file behind). Always UTF-8, whatever the shell would do with a redirection: Windows
    PowerShell 5.1's `>` re-encodes a program's output to UTF-16."""
    if not path:  # open("") says "No such file or directory", which hides the cause
        raise _UsageError("empty-output")
    try:
        return open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise _UsageError("output-unwritable", path=path, reason=exc) from None


def _write_report(
    args: argparse.Namespace,
    out: IO[str],
    results: list[tuple[str, CheckResult]],
    linter: Linter,
    pack: Pack,
    notes: list[tuple[str, str, str]],
    unreadable: int,
    incomplete: int,
) -> None:
    """The report of `rasoat check` in its format, to `out`; the text summary to stderr."""
    if args.format == "json":
        from .formatters.json import format_json

        out.write(format_json(results))
    elif args.format == "sarif":
        from .formatters.sarif import format_sarif

        rules = linter.rules if not args.preview else pack.rules
        out.write(
            format_sarif(
                results,
                rules,
                lang=args.lang,
                version=_version(),
                pack_id=pack.id,
                pack_version=pack.version,
                notifications=notes,
            )
        )
    else:
        from .formatters.text import format_text, summary

        color = args.color == "always" or (
            # no-color.org: NO_COLOR turns colour off when present and not empty
            args.color == "auto" and out.isatty() and not os.environ.get("NO_COLOR")
        )
        out.write(format_text(results, color=color))
        counts: dict[str, int] = {}
        for _, fs in results:
            for f in fs:
                counts[f.severity] = counts.get(f.severity, 0) + 1
        if results:  # with no file read, the errors above are the whole story
            vi = args.lang == "vi"
            skipped = ""
            if unreadable:
                skipped += (
                    f"; {unreadable} tệp không đọc được"
                    if vi
                    else f"; {unreadable} file(s) not checked"
                )
            if incomplete:
                skipped += (
                    f"; {incomplete} tệp chưa kiểm tra hết (quá thời gian)"
                    if vi
                    else f"; {incomplete} file(s) not fully checked (time budget)"
                )
            print(summary(counts, args.lang) + skipped, file=sys.stderr)
    out.flush()


def _cmd_rules(args: argparse.Namespace) -> int:
    from .loader import load_pack

    pack = load_pack(args.pack)
    rules = sorted(
        (r for r in pack.rules if args.all or r.status == "stable"), key=lambda r: r.code
    )
    if args.format == "json":
        import json

        print(json.dumps([r.to_dict(args.lang) for r in rules], ensure_ascii=False, indent=2))
        return ExitStatus.OK
    count = _say("rules-count", args.lang, n=len(rules))
    print(f"{pack.id} {pack.version} — {pack.name[args.lang]} ({count})")
    for r in rules:
        status = "" if r.status == "stable" else f" [{r.status}]"
        print(f"{r.code}  {r.severity:<7}  {r.category:<18}  {r.name}{status}")
    return ExitStatus.OK


def _cmd_explain(args: argparse.Namespace) -> int:
    from .docs import rule_text
    from .loader import load_pack
    from .model import canonical_code

    pack = load_pack(args.pack)
    code = canonical_code(args.code)
    try:
        rule = pack.rule(code)
    except KeyError:
        raise _UsageError("no-rule", code=args.code, pack=pack.id) from None
    sys.stdout.write(rule_text(rule, args.lang))
    return ExitStatus.OK


def _cmd_test_pack(args: argparse.Namespace) -> int:
    from .loader import load_pack
    from .testing import example_location, run_examples

    pack = load_pack(args.path)
    outcomes = run_examples(pack, lang=args.lang)
    failed = [o for o in outcomes if o.problems]
    for o in failed:
        for p in o.problems:
            print(f"{o.location}: {o.id}: {p}")
    thin = [
        r
        for r in pack.rules
        if sum(e.kind == "bad" for e in r.examples) < 1
        or sum(e.kind == "good" for e in r.examples) < 1
    ]
    for rule in thin:
        print(f"{example_location(rule)}: {_say('thin-rule', args.lang, code=rule.code)}")
    if not pack.rules:  # "0 rules, 0 examples, 0 failed" and exit 0 read as a pass
        print(_say("no-rules", args.lang, path=Path(pack.path) / "rules"))
    print(
        _say(
            "test-pack-summary",
            args.lang,
            pack=f"{pack.id} {pack.version}",
            rules=len(pack.rules),
            examples=len(outcomes),
            failed=len(failed),
        )
        + (_say("test-pack-thin", args.lang, n=len(thin)) if thin else ""),
        file=sys.stderr,
    )
    return ExitStatus.FINDINGS if failed or thin or not pack.rules else ExitStatus.OK


def render_docs(packs: Sequence[str] | None = None) -> dict[str, str]:
    """File name → Markdown for each pack (every shipped pack by default)."""
    from .docs import pack_markdown
    from .loader import load_pack, shipped_packs

    out = {}
    for name in packs or shipped_packs():
        pack = load_pack(name)
        out[f"{pack.id}.md"] = pack_markdown(pack)
    return out


def _cmd_docs(args: argparse.Namespace) -> int:
    if not args.output:  # pathlib reads "" as "." and would write into the working folder
        raise _UsageError("docs-no-folder")
    pages = render_docs(args.pack)
    outdir = Path(args.output)
    if args.check:
        stale = [
            n
            for n, text in pages.items()
            if not (outdir / n).is_file() or (outdir / n).read_text("utf-8") != text
        ]
        # The command that rewrites them: `make docs` only covers the shipped packs in
        # docs/rules, not an organisation's pack rendered elsewhere.
        redo = " ".join(
            ["rasoat", "docs", "--output", shlex.quote(args.output)]
            + [f"--pack {shlex.quote(p)}" for p in args.pack or ()]
        )
        hint = f"`{redo}`" + ("" if args.pack else _say("docs-make", args.lang))
        for n in stale:
            print(_say("docs-stale", args.lang, page=outdir / n, hint=hint), file=sys.stderr)
        return ExitStatus.FINDINGS if stale else ExitStatus.OK
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        for n, text in pages.items():
            (outdir / n).write_text(text, "utf-8")
    except OSError as exc:
        raise _UsageError("docs-unwritable", folder=outdir, reason=exc) from None
    print(_say("docs-written", args.lang, n=len(pages), folder=outdir), file=sys.stderr)
    return ExitStatus.OK


def _cmd_eval(argv: list[str]) -> int:
    import importlib
    import importlib.util

    if importlib.util.find_spec("policy.evaluate") is None:
        raise _UsageError("no-eval")
    module = importlib.import_module("policy.evaluate")
    return int(module.main(argv) or 0)


def _check_settings() -> None:
    """Read the on/off RASOAT_* settings of `check` before it reads a draft: one that is neither
    on nor off stops the command (policy/env.py), as it stops the service. Only `check` keeps
    compiled packs in the cache (`load_pack_cached`), so the other commands, and every --help,
    never read RASOAT_NO_CACHE and are not stopped by it."""
    is_on(os.environ.get("RASOAT_NO_CACHE"), "RASOAT_NO_CACHE")


def _utf8_output() -> None:
    """Write stdout and stderr in UTF-8 unless they are a terminal.

    Python writes a redirected stream in the locale's encoding, which on Windows is the ANSI code
    page (cp1252 on CI runners, cp1258 on a Vietnamese PC): neither has every Vietnamese letter,
    so `rasoat check --format sarif > out.sarif` failed on the first "ộ", and the Vietnamese
    summary and file names on stderr reached a CI log as escapes. SARIF and JSON must be UTF-8
    anyway, and text goes to files and pipes as ruff's and git's does. A terminal keeps its own
    encoding (Windows' console takes any char), with escapes rather than a crash.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # absent on a StringIO, or None
        if reconfigure is None:
            continue
        try:
            if stream.isatty():
                reconfigure(errors="backslashreplace")
            else:
                reconfigure(encoding="utf-8", errors="backslashreplace")
        except (OSError, ValueError):
            pass  # a closed or detached stream: writing will report it


def _drop_stdout() -> None:
    """Point stdout at the null device once writing to it failed, so that Python's own flush at
    exit does not fail again with "Exception ignored … BrokenPipeError/OSError"."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, AttributeError, ValueError):
        pass  # no real stdout (a StringIO in tests): nothing is left to flush


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code (never calls sys.exit)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in argv
    lang = _lang_of(argv)
    if sys.stdout is None:  # fd 1 closed (`>&-`): nowhere to write, as grep says too
        _err(_say("stdout-closed", lang), lang)
        return ExitStatus.ERROR
    _utf8_output()
    try:
        if argv and argv[0] == "eval":
            return _cmd_eval(argv[1:])
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help / --version
            return int(exc.code or 0)
        if args.command is None:
            parser.print_help(sys.stderr)
            return ExitStatus.ERROR
        handler = {
            "check": _cmd_check,
            "rules": _cmd_rules,
            "explain": _cmd_explain,
            "test-pack": _cmd_test_pack,
            "docs": _cmd_docs,
        }[args.command]
        return int(handler(args))
    except _UsageError as exc:
        _err(exc.say(lang), lang)
        return ExitStatus.ERROR
    except SettingError as exc:
        _err(setting_error_text(exc, lang), lang)
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _drop_stdout()
        return ExitStatus.ERROR
    except OSError as exc:
        # Drafts, packs and docs pages report their own I/O errors (with their path); what is
        # left is writing to stdout: a full disk, a vanished terminal. Not an internal error.
        _drop_stdout()
        said = os_reason(exc, lang) if exc.strerror else type(exc).__name__
        _err(_say("write-failed", lang, reason=said), lang)
        return ExitStatus.ERROR
    except Exception as exc:  # noqa: BLE001 - one line, no traceback, no draft text
        from .model import PolicyError

        if isinstance(exc, PolicyError):
            _err(policy_error_text(exc, lang), lang)
            return ExitStatus.ERROR
        if verbose:
            import traceback

            traceback.print_exc()
        else:
            _err(_say("internal", lang, name=type(exc).__name__), lang)
        return ExitStatus.ERROR
