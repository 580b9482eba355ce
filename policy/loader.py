"""Read policy packs (folders of TOML), validate them with `path:line` errors, and compile them."""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import regex

from .model import (
    CATEGORIES,
    DEFAULT_PACK,
    LANGS,
    PREFIXES,
    RULE_TYPES,
    SEVERITIES,
    STATUSES,
    Example,
    Frame,
    Instrument,
    LegalBasis,
    Pack,
    PackError,
    Pattern,
    Rule,
)

PACKS_DIR = Path(__file__).resolve().parent / "packs"

PACK_KEYS = (
    "id",
    "name",
    "version",
    "languages",
    "extends",
    "description",
    "instruments",
    "frames",
)
COMMON_KEYS = (
    "code",
    "name",
    "category",
    "severity",
    "status",
    "type",
    "message",
    "doc",
    "legal_basis",
    "exceptions",
    "exception_patterns",
    "frames",
    "frame_action",
    "suggestions",
    "context",
    "yields_to",
    "examples",
)
TYPE_KEYS = {
    "phrases": ("phrases", "phrases_file", "case_sensitive", "obfuscation", "inside_words"),
    "regex": ("patterns", "folded", "prefilter"),
    "proximity": ("a", "b", "window", "order", "obfuscation"),
    "detector": ("detector", "options"),
}
# Every key a rule file may hold at its top level (for the hint on a key written under a table).
RULE_TOP_KEYS = tuple(dict.fromkeys(COMMON_KEYS + sum(TYPE_KEYS.values(), ())))
DOC_KEYS = ("what", "why", "instead")
FRAME_ACTIONS = ("suppress", "info")
FRAME_SCOPES = ("window", "sentence", "text")
ORDERS = ("any", "a-first")
CODE_RE = re.compile(r"^[A-Z]{3}\d{3}$")
KEBAB_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LONE_CR = re.compile(r"\r(?!\n)")  # a line break TOML does not know (classic Mac OS)
MARK_RE = re.compile(r"\[\[(.*?)\]\]", re.S)
# What the engine fills in: `{match}` in a message, `{masked}` too in a suggestion.
PLACEHOLDER_RE = re.compile(r"\{([^{}\s]*)\}")
UNCLOSED_RE = re.compile(r"\{(\w+)(?![\w}])")  # "{match" with no "}" after the name
MESSAGE_PLACEHOLDERS = ("match",)
SUGGESTION_PLACEHOLDERS = ("match", "masked")


def _choices(values) -> str:
    return ", ".join(str(v) for v in values)


class _Source:
    """One TOML file's path and lines, to point errors at the offending line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = str(path)
        self.lines = text.splitlines()

    def line_of(
        self, key: str | None = None, *, table: str | None = None, nth: int = 0
    ) -> int | None:
        """Best-effort 1-based line of `key` (inside `[table]` / the nth `[[table]]` if given);
        the table's header when the key is missing from it."""
        start, stop = 0, len(self.lines)
        if table is not None:
            header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(#.*)?$")
            seen = -1
            for i, line in enumerate(self.lines):
                if header.match(line):
                    seen += 1
                    if seen == nth:
                        start = i
                        break
            else:
                return None
            if key is None:
                return start + 1
            # The table ends where the next one starts: a key of a later table is not this one's.
            stop = next(
                (i for i in range(start + 1, stop) if self.lines[i].lstrip().startswith("[")),
                stop,
            )
        if key is None:
            return None
        pat = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=')
        dotted = re.compile(rf"(^|[\s,{{]){re.escape(key)}\s*=")
        for matcher in (pat.match, dotted.search):
            for i in range(start, stop):
                if matcher(self.lines[i]):
                    return i + 1
        # A table named by the key: `[docs]`, `[instrument.qd-12]`, `[[example]]` (typos of
        # `[doc]`, `[instruments.…]`, `[[examples]]` are reported at their header, not line 1).
        header = re.compile(rf"^\s*\[\[?\s*{re.escape(key)}\s*(?:\.|\]|$)")
        for i in range(start, len(self.lines)):
            if header.match(self.lines[i]):
                return i + 1
        return start + 1 if table is not None else None

    def error(self, message: str, key: str | None = None, **where: Any) -> PackError:
        return PackError(self.path, self.line_of(key, **where), message)


def _in_force(src: _Source, inst: dict[str, Any], table: str) -> str | None:
    """An instrument's `in_force` as an ISO date string: written quoted ("2026-03-01") or as a
    TOML date (2026-03-01, which tomllib reads as a `datetime.date`); anything else is an
    error, not a value kept as it came."""
    value = inst.get("in_force")
    if value is None:
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return datetime.date.fromisoformat(value).isoformat()
    raise src.error("`in_force` must be a date such as 2026-03-01", "in_force", table=table)


def _decode(path: Path, raw: bytes) -> str:
    """A pack file's text (UTF-8, a byte-order mark allowed); else an error at the line of the
    first byte that is not UTF-8, as a file saved in a Windows code page (cp1258, 1252) has."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PackError(
            str(path), line, "not valid UTF-8 (save the file as UTF-8 in your editor)"
        ) from None


def _read_toml(path: Path) -> tuple[dict[str, Any], _Source, bytes]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(str(path), None, f"cannot read file: {exc.strerror or exc}") from None
    # (utf-8-sig: Windows editors start UTF-8 with a byte-order mark, which TOML forbids.)
    text = _decode(path, raw)
    src = _Source(path, text)
    lone_cr = _LONE_CR.search(text)
    if lone_cr:
        # TOML ends lines with LF or CRLF only: a file saved with classic Mac line breaks (a lone
        # CR) read as one long line, "Expected newline … after a statement" at line 1.
        raise PackError(
            str(path),
            text.count("\n", 0, lone_cr.start()) + 1,
            "lines end with a lone CR (old Mac line breaks), which TOML does not accept; "
            "save the file with LF or CRLF line breaks",
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(m.group(1)) if m else None
        if m is None and str(exc).endswith("(at end of document)"):
            # A value still open when the file ends (a phrase list's `]` or a `"""` forgotten):
            # tomllib gives no line, and line 1 is the one place the mistake is not.
            line = max(1, len(text.splitlines()))
            msg = msg.replace(" (at end of document)", "") + (
                " at the end of the file: a [ list, { table or quoted string above is left open"
            )
        raise PackError(str(path), line, f"invalid TOML: {msg}") from None
    # Not TOMLDecodeError, so they were a traceback ("internal error") and a reload thread that
    # died: a number of thousands of digits (over Python's int limit), arrays nested very deep.
    except ValueError as exc:
        raise PackError(str(path), None, f"invalid TOML: {exc}") from None
    except RecursionError:
        raise PackError(str(path), None, "invalid TOML: nested too deeply") from None
    return data, src, raw


def _lang_dict(
    src: _Source,
    value: Any,
    key: str,
    *,
    table: str | None = None,
    nth: int = 0,
    required: tuple[str, ...] = LANGS,
) -> dict[str, str]:
    if isinstance(value, str):
        value = {"vi": value, "en": value} if len(required) > 1 else {required[0]: value}
    if not isinstance(value, dict):
        raise src.error(
            f"`{key}` must be a table of languages ({_choices(LANGS)})", key, table=table, nth=nth
        )
    unknown = sorted(set(value) - set(LANGS))
    if unknown:
        raise src.error(
            f"`{key}` has unknown language {unknown[0]!r}; valid: {_choices(LANGS)}",
            key,
            table=table,
            nth=nth,
        )
    missing = [lg for lg in required if not isinstance(value.get(lg), str) or not value[lg].strip()]
    if missing:
        raise src.error(
            f"`{key}` needs a non-empty text for {_choices(missing)}", key, table=table, nth=nth
        )
    return {k: v for k, v in value.items()}


def _str_list(
    src: _Source,
    value: Any,
    key: str,
    *,
    allow_empty: bool = False,
    table: str | None = None,
    phrases: bool = False,
) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise src.error(f"`{key}` must be a list of non-empty strings", key, table=table)
    if not value and not allow_empty:
        raise src.error(f"`{key}` must not be empty", key, table=table)
    broken = next((v for v in value if "\n" in v or "\r" in v), None) if phrases else None
    if broken is not None:
        # A phrase never matches across a line break: one written with a "\n" escape or in a
        # multi-line string was a phrase that never fired, and nothing said so.
        raise src.error(
            f"phrase {broken!r} in `{key}` holds a line break, and a phrase never matches "
            "across one; write it on one line",
            key,
            table=table,
        )
    return list(value)


def _check_keys(
    src: _Source,
    data: dict[str, Any],
    valid: tuple[str, ...],
    what: str,
    *,
    table: str | None = None,
    top: tuple[str, ...] = (),
) -> None:
    for key in data:
        if key not in valid:
            # TOML puts every key below a [table] header into that table: a rule's `frames`
            # written after [[legal_basis]] lands there. Say so, or the message reads as if
            # `frames` were not a key at all.
            hint = (
                f" (`{key}` is a key of the file itself: move it above the first [table] "
                "header, since every key below a header belongs to that table)"
                if key in top
                else ""
            )
            raise src.error(
                f"unknown key `{key}` in {what}; valid keys: {_choices(valid)}{hint}",
                key,
                table=table,
            )


def _read_list_file(pack_dir: Path, rel: str, src: _Source, files: list[Path]) -> list[str]:
    path = (pack_dir / rel).resolve()
    if not path.is_file():
        raise src.error(f"phrases_file {rel!r} not found (relative to {pack_dir})", "phrases_file")
    files.append(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(str(path), None, f"cannot read list: {exc.strerror or exc}") from None
    text = _decode(path, raw)  # (a byte-order mark is no part of the first phrase)
    out = []
    # Lines end where an editor ends them (LF, CRLF, CR), not at every break `splitlines()`
    # knows: "mật\u2028ong" pasted from a web page was the phrases "mật" and "ong", and "ong"
    # (a bee) then fired on every draft that names one.
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        odd = _ODD_BREAK.search(line)
        if odd:
            raise PackError(
                str(path),
                number,
                f"the line holds {_ODD_BREAK_NAMES[odd.group()]}, which some editors show as a "
                "line break and others do not; put one phrase per line, with ordinary line breaks",
            )
        phrase = list_phrase(line, path, number)
        if phrase:
            out.append(phrase)
    return out


def list_phrase(line: str, path: Path | str = "", number: int | None = None) -> str:
    """The phrase on one line of a phrase list ("" for none).

    A `#` with a space or nothing after it starts a comment, at the start of the line or after
    a space; a line of `#` and punctuation alone (`#####`, `#---`) is one too. A `#` glued to a
    word is part of the phrase ("C#", "bán nick#hot"), and so is a hashtag alone on its line
    ("#bannick"): `line.split("#")` lost these without a word, and hashtags are how posts
    advertise account trading. `\\#` is a `#` that belongs to the phrase wherever it stands
    ("mua \\#bannick"). A `#` glued to a word after a space, or at the start of a line with more
    after it, is either a comment written without its space or a hashtag inside the phrase: an
    error, never a guess (a guessed comment drops a phrase; a guessed phrase never matches).
    """
    if "#" not in line:
        return line.strip()
    if line.lstrip().startswith("#") and not any(c.isalnum() for c in line):
        return ""
    out: list[str] = []
    i, size = 0, len(line)
    while i < size:
        char = line[i]
        if char == "\\" and line.startswith("#", i + 1):
            out.append("#")
            i += 2
            continue
        if char == "#" and (i == 0 or line[i - 1].isspace()):
            if i + 1 == size or line[i + 1].isspace():
                break  # a comment
            glued = _GLUED.match(line, i)
            tag = _HASHTAG.match(line, i)
            rest = line[tag.end() :].lstrip() if tag else ""
            alone = not "".join(out).strip() and (not rest or _COMMENT.match(rest))
            if not (tag and alone):
                raise PackError(
                    str(path),
                    number,
                    f"{glued.group()!r} after a space or at the start of a line: is it a "
                    "comment without the space after `#`, or a hashtag in the phrase? Write `# ` "
                    "(with the space) for a comment, or `\\#` for a `#` that belongs to the "
                    "phrase (a hashtag alone on its line, `#bannick`, needs no `\\`)",
                )
            out.append(tag.group())
            i = tag.end()
            continue
        out.append(char)
        i += 1
    return "".join(out).strip()


_HASHTAG = re.compile(r"#[^\s#]+")  # "#bannick", "#lừađảo" (in NFD too: marks are not \w)
_GLUED = re.compile(r"#+[^\s#]*")  # what a `#` is glued to, for the error
_COMMENT = re.compile(r"#(?:\s|$)")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ODD_BREAK = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_ODD_BREAK_NAMES = {
    "\x0b": "U+000B (a vertical tab, Word's line break)",
    "\x0c": "U+000C (a form feed)",
    "\x1c": "U+001C (a file separator)",
    "\x1d": "U+001D (a group separator)",
    "\x1e": "U+001E (a record separator)",
    "\x85": "U+0085 (NEXT LINE)",
    "\u2028": "U+2028 (LINE SEPARATOR)",
    "\u2029": "U+2029 (PARAGRAPH SEPARATOR)",
}


def _check_placeholders(src: _Source, text: str, key: str, valid: tuple[str, ...]) -> None:
    # The engine fills in only these; any other `{…}` (a typo such as `{matc}`, `{masked}` in a
    # message) would reach the user as written: in a warning, or pasted into a post by Apply.
    for name in PLACEHOLDER_RE.findall(text):
        if name not in valid:
            raise src.error(
                f"unknown placeholder {{{name}}} in `{key}`; valid: "
                f"{_choices('{' + v + '}' for v in valid)}",
                key,
            )
    # One left open ("x {match"): shown as written too, with nothing filled in.
    unclosed = UNCLOSED_RE.search(text)
    if unclosed:
        raise src.error(
            f"placeholder {{{unclosed.group(1)} in `{key}` has no closing }}; valid: "
            f"{_choices('{' + v + '}' for v in valid)}",
            key,
        )


def _copies(pattern: str) -> int:
    """How many copies of its parts a pattern's counted repeats make, at most (`a{3}` → 3,
    `(?:a{10}b){20}` → 200): the `regex` module writes each copy out when it compiles.

    A rough scan (escapes and classes skipped, groups by their parentheses), enough to bound
    the cost before compiling: `\\d{1000000000}` (a typo for `\\d{10}`) takes all of a machine's
    memory to compile (the CLI was killed; a live reload would do it inside the service).
    """
    stack = [1]  # the most copies made so far inside each open group
    last = 1  # copies of the atom just before the current position
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i, last = i + 2, 1
        elif c == "[":
            start = i + 2 if pattern.startswith("[^", i) else i + 1
            end = pattern.find("]", start + 1 if pattern.startswith("]", start) else start)
            while end > 0 and pattern[end - 1] == "\\":
                end = pattern.find("]", end + 1)
            i, last = (n if end < 0 else end + 1), 1
        elif c == "(":
            stack.append(1)
            i, last = i + 1, 1
        elif c == ")":
            last = stack.pop() if len(stack) > 1 else 1
            stack[-1] = max(stack[-1], last)
            i += 1
        elif m := _COUNTED.match(pattern, i):
            last *= max(int(m.group(2) or m.group(1) or 0), 1)
            stack[-1] = max(stack[-1], last)
            i = m.end()
        else:
            i, last = i + 1, 1
    return max(stack)


_COUNTED = re.compile(r"\{(\d*)(?:,(\d*))?\}")
MAX_COPIES = 10_000  # the shipped packs' largest is 160 ({0,160}); 10,000 compile in ~10 ms


def _compile_regex(src: _Source, pattern: str, key: str) -> Pattern:
    if _copies(pattern) > MAX_COPIES:
        raise src.error(
            f"regex in `{key}` {pattern!r} repeats too much: its counted repeats ({{n}}, "
            f"{{m,n}}) make more than {MAX_COPIES:,} copies",
            key,
        )
    try:
        compiled = regex.compile(pattern, regex.V0)
    except (regex.error, TypeError, ValueError, OverflowError) as exc:
        raise src.error(f"invalid regex in `{key}` {pattern!r}: {exc}", key) from None
    except RecursionError:  # not a regex.error: a traceback, and a reload thread that died
        raise src.error(f"regex in `{key}` {pattern!r} is nested too deeply", key) from None
    if compiled.search("") is not None and compiled.fullmatch("") is not None:
        raise src.error(f"regex in `{key}` {pattern!r} matches the empty string", key)
    return Pattern(pattern, regex.V0, compiled)


def _option_kinds() -> dict[str, type | tuple[str, ...]]:
    """What each detector option takes (docs/pack-format.md, "Detector options"): `bool`, `str`
    (a list of strings) or the tuple of the values a list may hold."""
    from .detectors.links import KINDS

    return {
        "require_context": bool,
        "cmnd": bool,
        "landline": bool,
        "allow": str,
        "allow_domains": str,
        "kinds": KINDS,
        "unless": KINDS,
    }


def _option(src: _Source, det: str, key: str, value: Any) -> Any:
    """A detector option's value, checked: a wrong type passed the loader and then failed every
    check (`allow = [912345678]`: a TypeError per draft, a 500 from the service after a reload)
    or quietly changed what the rule finds (`landline = "no"` is true, `kinds = ["shortner"]`
    matches no link). A single string stands for a list of one, as in other list keys."""
    kind = _option_kinds()[key]
    if kind is bool:
        if not isinstance(value, bool):
            raise src.error(
                f"option `{key}` of detector {det} must be true or false, got {value!r}", key
            )
        return value
    values = _str_list(src, value, key, allow_empty=key != "kinds")
    if isinstance(kind, tuple):
        unknown = [v for v in values if v not in kind]
        if unknown:
            raise src.error(
                f"option `{key}` of detector {det}: unknown kind {unknown[0]!r}; "
                f"valid: {_choices(kind)}",
                key,
            )
    return values


def _parse_examples(src: _Source, value: Any) -> tuple[Example, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise src.error("`examples` must be an array of tables ([[examples]])", "examples")
    out = []
    for i, ex in enumerate(value):
        if not isinstance(ex, dict):
            raise src.error("each example must be a table", table="examples", nth=i)
        _check_keys(src, ex, ("bad", "good", "severity", "note"), "an example", top=RULE_TOP_KEYS)
        kinds = [k for k in ("bad", "good") if k in ex]
        if len(kinds) != 1:
            raise src.error(
                "an example needs exactly one of `bad` or `good`", None, table="examples", nth=i
            )
        kind = kinds[0]
        raw = ex[kind]
        if not isinstance(raw, str) or not raw.strip():
            raise src.error(f"`{kind}` must be a non-empty string", kind, table="examples", nth=i)
        sev = ex.get("severity")
        if sev is not None and kind == "good":
            # It read as "fine at this severity", but a good example passes only when the rule
            # does not fire at all; the key was ignored and the example failed as a false positive.
            raise src.error(
                "`severity` applies to bad examples only: a good one must not fire at all; "
                'write a draft a frame lowers to info as a bad example with severity = "info"',
                "severity",
                table="examples",
                nth=i,
            )
        if sev is not None and sev not in SEVERITIES:
            raise src.error(
                f"unknown severity {sev!r}; valid: {_choices(SEVERITIES)}",
                "severity",
                table="examples",
                nth=i,
            )
        if kind == "bad":
            marks = list(MARK_RE.finditer(raw))
            if len(marks) != 1:
                raise src.error(
                    "a bad example must mark its expected span once with [[…]]",
                    kind,
                    table="examples",
                    nth=i,
                )
            m = marks[0]
            if "[[" in m.group(1):
                # `[[ [[x]] ]]` read as one span " [[x" (the first `]]` closes it) and left a
                # stray " ]]" in the draft: an example that tested something else, or failed
                # in a way that did not say why.
                raise src.error(
                    "the [[…]] markers of a bad example are nested; mark the expected span "
                    "once, with one [[ and one ]]",
                    kind,
                    table="examples",
                    nth=i,
                )
            text = raw[: m.start()] + m.group(1) + raw[m.end() :]
            span = (m.start(), m.start() + len(m.group(1)))
            if span[0] == span[1]:
                raise src.error(
                    "the [[…]] span of a bad example is empty", kind, table="examples", nth=i
                )
            out.append(Example("bad", text, span, sev))
        else:
            if "[[" in raw and "]]" in raw:
                raise src.error(
                    "a good example must not mark a span", kind, table="examples", nth=i
                )
            out.append(Example("good", raw, None, None))
    return tuple(out)


def _parse_rule(
    path: Path,
    pack_dir: Path,
    pack_id: str,
    instruments: dict[str, Instrument],
    frames: dict[str, Frame],
    files: list[Path],
) -> Rule:
    data, src, _ = _read_toml(path)
    files.append(path)
    rtype = data.get("type")
    if rtype not in RULE_TYPES:
        raise src.error(f"`type` must be one of: {_choices(RULE_TYPES)} (got {rtype!r})", "type")
    valid = COMMON_KEYS + TYPE_KEYS[rtype]
    _check_keys(src, data, valid, f"a `{rtype}` rule")

    code = data.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise src.error(
            f"`code` must look like ACC001 (three capitals, three digits), got {code!r}", "code"
        )
    name = data.get("name")
    if not isinstance(name, str) or not KEBAB_RE.match(name):
        raise src.error(f"`name` must be kebab-case, got {name!r}", "name")
    if name != path.stem:
        raise src.error(f"`name` {name!r} must equal the file name {path.stem!r}", "name")
    category = data.get("category")
    if category not in CATEGORIES:
        raise src.error(f"unknown category {category!r}; valid: {_choices(CATEGORIES)}", "category")
    if not code.startswith(PREFIXES[category]):
        raise src.error(
            f"code {code} of category {category} must start with {PREFIXES[category]}", "code"
        )
    if path.parent.name in CATEGORIES and path.parent.name != category:
        raise src.error(
            f"rule of category {category!r} is in folder {path.parent.name!r}", "category"
        )
    if path.parent != pack_dir / "rules" / category:
        # A folder that is no category (`rules/secrets/`, a sub-folder, rules/ itself) loaded
        # in silence, while one naming another category is an error above, and so is a rule
        # file outside rules/ (`_stray_rule_file`): one layout, and any other says so.
        folder = path.parent.relative_to(pack_dir).as_posix()
        raise src.error(
            f"rule of category {category!r} is in {folder}/, not in rules/{category}/: "
            "a rule file belongs in rules/<category>/<name>.toml",
            "category",
        )
    severity = data.get("severity")
    if severity not in SEVERITIES:
        raise src.error(f"unknown severity {severity!r}; valid: {_choices(SEVERITIES)}", "severity")
    status = data.get("status", "stable")
    if status not in STATUSES:
        raise src.error(f"unknown status {status!r}; valid: {_choices(STATUSES)}", "status")
    if "message" not in data:
        raise src.error("missing `message` (a table with vi and en)")
    message = _lang_dict(src, data["message"], "message")
    for text in message.values():
        _check_placeholders(src, text, "message", MESSAGE_PLACEHOLDERS)
    doc_raw = data.get("doc")
    if not isinstance(doc_raw, dict):
        raise src.error(f"missing [doc] table with {_choices(DOC_KEYS)}", "doc")
    _check_keys(src, doc_raw, DOC_KEYS, "[doc]", table="doc", top=RULE_TOP_KEYS)
    doc = {}
    for key in DOC_KEYS:
        if key not in doc_raw:
            raise src.error(f"[doc] is missing `{key}`", None, table="doc")
        doc[key] = _lang_dict(src, doc_raw[key], key, table="doc")

    lb_raw = data.get("legal_basis", [])
    if not isinstance(lb_raw, list) or not lb_raw:
        raise src.error(
            "a rule needs at least one [[legal_basis]] (instrument + article)", "legal_basis"
        )
    legal = []
    for i, lb in enumerate(lb_raw):
        if not isinstance(lb, dict):
            raise src.error("[[legal_basis]] entries must be tables", table="legal_basis", nth=i)
        _check_keys(src, lb, ("instrument", "article"), "[[legal_basis]]", top=RULE_TOP_KEYS)
        key = lb.get("instrument")
        # (A list or table is not a key: looked up in a dict, a TypeError and "internal error".)
        if not isinstance(key, str) or key not in instruments:
            raise src.error(
                f"unknown instrument {key!r}; valid: {_choices(sorted(instruments))}",
                "instrument",
                table="legal_basis",
                nth=i,
            )
        article = lb.get("article")
        if not isinstance(article, str) or not article.strip():
            raise src.error(
                "`article` must be a non-empty string", "article", table="legal_basis", nth=i
            )
        legal.append(LegalBasis(instruments[key], article))

    spec: dict[str, Any] = {}
    case_sensitive = data.get("case_sensitive", False)
    obfuscation = data.get("obfuscation", False)
    for flag in ("case_sensitive", "obfuscation", "folded", "inside_words"):
        if flag in data and not isinstance(data[flag], bool):
            raise src.error(f"`{flag}` must be true or false", flag)
    spec["case_sensitive"] = case_sensitive
    spec["obfuscation"] = obfuscation
    if rtype == "phrases":
        phrases = (
            _str_list(src, data["phrases"], "phrases", allow_empty=True, phrases=True)
            if "phrases" in data
            else []
        )
        if "phrases_file" in data:
            if not isinstance(data["phrases_file"], str):
                raise src.error("`phrases_file` must be a path string", "phrases_file")
            phrases += _read_list_file(pack_dir, data["phrases_file"], src, files)
        if not phrases:
            raise src.error("a `phrases` rule needs `phrases` or `phrases_file`", "phrases")
        spec["phrases"] = phrases
        spec["inside_words"] = data.get("inside_words", False)
    elif rtype == "regex":
        if "patterns" not in data:
            raise src.error("a `regex` rule needs `patterns`", None)
        pats = _str_list(src, data["patterns"], "patterns")
        spec["patterns"] = [_compile_regex(src, p, "patterns") for p in pats]
        spec["folded"] = data.get("folded", False)
        if "prefilter" in data:
            spec["prefilter"] = _str_list(src, data["prefilter"], "prefilter", phrases=True)
    elif rtype == "proximity":
        for side in ("a", "b"):
            if side not in data:
                raise src.error(f"a `proximity` rule needs `{side}`", None)
            spec[side] = _str_list(src, data[side], side, phrases=True)
        window = data.get("window", 4)
        if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 50:
            raise src.error("`window` must be an integer from 1 to 50 (words)", "window")
        spec["window"] = window
        order = data.get("order", "any")
        if order not in ORDERS:
            raise src.error(f"unknown order {order!r}; valid: {_choices(ORDERS)}", "order")
        spec["order"] = order
    else:
        from .detectors import DETECTORS

        det = data.get("detector")
        if not isinstance(det, str) or det not in DETECTORS:  # (a list is unhashable, as above)
            raise src.error(
                f"unknown detector {det!r}; valid: {_choices(sorted(DETECTORS))}", "detector"
            )
        options = data.get("options", {})
        if not isinstance(options, dict):
            raise src.error("`options` must be a table", "options")
        allowed = DETECTORS[det].options
        for key in options:
            if key not in allowed:
                raise src.error(
                    f"unknown option `{key}` for detector {det}; valid: "
                    f"{_choices(sorted(allowed)) or '(none)'}",
                    key,
                )
        spec["detector"] = det
        spec["options"] = {key: _option(src, det, key, value) for key, value in options.items()}

    spec["exceptions"] = (
        _str_list(src, data["exceptions"], "exceptions", phrases=True)
        if "exceptions" in data
        else []
    )
    # Codes of rules this one gives way to where their findings overlap (checked once every
    # rule of the pack is known, in `_load_raw`).
    spec["yields_to"] = (
        _str_list(src, data["yields_to"], "yields_to") if "yields_to" in data else []
    )
    if code in spec["yields_to"]:
        raise src.error(f"`yields_to` lists the rule's own code {code}", "yields_to")
    spec["exception_patterns"] = [
        _compile_regex(src, p, "exception_patterns")
        for p in (
            _str_list(src, data["exception_patterns"], "exception_patterns")
            if "exception_patterns" in data
            else []
        )
    ]
    rule_frames = _str_list(src, data["frames"], "frames") if "frames" in data else []
    for fr in rule_frames:
        if fr not in frames:
            raise src.error(
                f"unknown frame {fr!r}; valid: "
                f"{_choices(sorted(frames)) or '(none defined in pack.toml)'}",
                "frames",
            )
    frame_action = data.get("frame_action", "suppress")
    if frame_action not in FRAME_ACTIONS:
        raise src.error(
            f"unknown frame_action {frame_action!r}; valid: {_choices(FRAME_ACTIONS)}",
            "frame_action",
        )
    suggestions = (
        _str_list(src, data["suggestions"], "suggestions", allow_empty=True)
        if "suggestions" in data
        else []
    )
    for text in suggestions:
        _check_placeholders(src, text, "suggestions", SUGGESTION_PLACEHOLDERS)
    context = data.get("context")
    if context is not None:
        if not isinstance(context, dict):
            raise src.error("`context` must be a table {phrases = [...], window = N}", "context")
        _check_keys(src, context, ("phrases", "window"), "`context`")
        if "phrases" not in context:
            raise src.error("`context` needs `phrases`", "context")
        cwin = context.get("window", 8)
        if not (
            cwin == "sentence"
            or (isinstance(cwin, int) and not isinstance(cwin, bool) and 1 <= cwin <= 50)
        ):
            raise src.error('`context.window` must be 1–50 (words) or "sentence"', "context")
        spec["context"] = {
            "phrases": _str_list(src, context["phrases"], "context", phrases=True),
            "window": cwin,
        }
    examples = _parse_examples(src, data.get("examples"))
    return Rule(
        code=code,
        name=name,
        category=category,
        severity=severity,
        status=status,
        type=rtype,
        message=message,
        doc=doc,
        legal_basis=tuple(legal),
        examples=examples,
        suggestions=tuple(suggestions),
        frames=tuple(rule_frames),
        frame_action=frame_action,
        pack=pack_id,
        path=str(path),
        spec=spec,
    )


def _resolve(name_or_path: str | os.PathLike | None, base: Path | None = None) -> Path:
    """A shipped pack id or a folder path (relative to `base` for `extends`)."""
    if name_or_path is None:
        name_or_path = DEFAULT_PACK
    raw = os.fspath(name_or_path)
    candidates = []
    if base is not None:
        # `extends`: relative to the pack's folder (an absolute path stays itself), never to the
        # working directory, or a folder of that name wherever the command runs would be the
        # parent instead of the shipped pack.
        candidates.append(base / raw)
    else:
        candidates.append(Path(raw))
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", raw):
        candidates.append(PACKS_DIR / raw)
    for c in candidates:
        if (c / "pack.toml").is_file():
            return c.resolve()
    shipped = (
        sorted(p.name for p in PACKS_DIR.iterdir() if (p / "pack.toml").is_file())
        if PACKS_DIR.is_dir()
        else []
    )
    raise UnknownPackError(raw, tuple(shipped))


class UnknownPackError(PackError):
    """No pack by that id or in that folder; `shipped` names the shipped packs (the CLI says it
    in `--lang`)."""

    def __init__(self, name: str, shipped: tuple[str, ...]) -> None:
        self.shipped = shipped
        super().__init__(
            name,
            None,
            "no pack here (a folder with pack.toml); shipped packs: "
            f"{_choices(shipped) or '(none)'}",
        )

    def __str__(self) -> str:
        # A pack id or folder, not a file with lines: `nope: …`, never `nope:1: …`.
        return f"{self.path}: {self.message}"


def _load_raw(pack_dir: Path, stack: tuple[Path, ...]) -> dict[str, Any]:
    """Parse and validate one pack folder and its parents; returns the merged pieces."""
    if pack_dir in stack:
        chain = " -> ".join(str(p) for p in stack + (pack_dir,))
        # At the `extends` that closes the cycle (read a moment ago, as every file of the stack).
        closing = stack[-1] / "pack.toml"
        line = _Source(closing, closing.read_text("utf-8-sig")).line_of("extends")
        raise PackError(str(closing), line, f"`extends` forms a cycle: {chain}")
    meta_path = pack_dir / "pack.toml"
    data, src, _ = _read_toml(meta_path)
    _check_keys(src, data, PACK_KEYS, "pack.toml")
    pid = data.get("id")
    if not isinstance(pid, str) or not KEBAB_RE.match(pid):
        raise src.error(f"`id` must be a kebab-case string, got {pid!r}", "id")
    if "name" not in data:
        raise src.error("missing `name` (a table with vi and en)")
    name = _lang_dict(src, data["name"], "name")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise src.error('`version` must be a string such as "0.1.0"', "version")
    languages = _str_list(src, data.get("languages", list(LANGS)), "languages")
    for lg in languages:
        if lg not in LANGS:
            raise src.error(f"unknown language {lg!r}; valid: {_choices(LANGS)}", "languages")
    description = (
        _lang_dict(src, data["description"], "description")
        if "description" in data
        else {"vi": "", "en": ""}
    )

    parent: dict[str, Any] | None = None
    extends = data.get("extends")
    if extends is not None:
        # ("" named this very folder, and the error was "`extends` forms a cycle: P -> P".)
        if not isinstance(extends, str) or not extends.strip():
            raise src.error("`extends` must be a pack id or a relative path", "extends")
        try:
            parent_dir = _resolve(extends, base=pack_dir)
        except PackError as exc:
            raise src.error(f"`extends` {extends!r}: {exc.message}", "extends") from None
        parent = _load_raw(parent_dir, stack + (pack_dir,))

    files: list[Path] = list(parent["files"]) if parent else []
    files.append(meta_path)
    instruments: dict[str, Instrument] = dict(parent["instruments"]) if parent else {}
    inst_raw = data.get("instruments", {})
    if not isinstance(inst_raw, dict):
        raise src.error("`instruments` must be a table of tables", "instruments")
    for key, inst in inst_raw.items():
        table = f"instruments.{key}"
        if not isinstance(inst, dict):
            raise src.error(f"[instruments.{key}] must be a table", key)
        _check_keys(
            src,
            inst,
            ("number", "title", "in_force", "url"),
            f"[{table}]",
            table=table,
            top=PACK_KEYS,
        )
        number = inst.get("number")
        if not isinstance(number, str) or not number.strip():
            raise src.error(f"[{table}] needs a `number`", None, table=table)
        title = _lang_dict(src, inst.get("title"), "title", table=table)
        url = inst.get("url")
        if url is not None and (not isinstance(url, str) or not url.strip()):
            raise src.error("`url` must be a non-empty string", "url", table=table)
        instruments[key] = Instrument(key, number, title, _in_force(src, inst, table))

    frames: dict[str, Frame] = dict(parent["frames"]) if parent else {}
    fr_raw = data.get("frames", {})
    if not isinstance(fr_raw, dict):
        raise src.error("`frames` must be a table of tables", "frames")
    for fname, fr in fr_raw.items():
        table = f"frames.{fname}"
        if not isinstance(fr, dict):
            raise src.error(f"[{table}] must be a table", fname)
        keys = ("phrases", "exceptions", "window", "after", "scope")
        _check_keys(src, fr, keys, f"[{table}]", table=table, top=PACK_KEYS)
        inherited = frames.get(fname)
        phrases = _str_list(
            src,
            fr.get("phrases", []),
            "phrases",
            allow_empty=inherited is not None,
            table=table,
            phrases=True,
        )
        window = fr.get("window", inherited.window if inherited else 6)
        if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 50:
            raise src.error("frame `window` must be an integer from 1 to 50", "window", table=table)
        scope = fr.get("scope", inherited.scope if inherited else "window")
        if scope not in FRAME_SCOPES:
            raise src.error(
                f"unknown frame scope {scope!r}; valid: {_choices(FRAME_SCOPES)}",
                "scope",
                table=table,
            )
        after = fr.get("after", inherited.after if inherited else 0)
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= 50:
            raise src.error("frame `after` must be an integer from 0 to 50", "after", table=table)
        merged = tuple(dict.fromkeys((inherited.phrases if inherited else ()) + tuple(phrases)))
        exceptions = _str_list(
            src, fr.get("exceptions", []), "exceptions", allow_empty=True, table=table, phrases=True
        )
        voided = tuple(
            dict.fromkeys((inherited.exceptions if inherited else ()) + tuple(exceptions))
        )
        frames[fname] = Frame(fname, merged, window, scope, after, voided)

    rules: list[Rule] = list(parent["rules"]) if parent else []
    seen_codes = {r.code: r.path for r in rules}
    seen_names = {r.name: r.path for r in rules}
    rules_dir = pack_dir / "rules"
    # Hidden names are not rules: an editor's lock or backup (emacs's `.#name.toml`, a dangling
    # link while a buffer is modified), macOS's `._name.toml` on a shared drive; read as rules,
    # they failed the whole pack.
    rule_files = (
        sorted(
            path
            for path in rules_dir.rglob("*.toml")
            if not any(part.startswith(".") for part in path.relative_to(rules_dir).parts)
        )
        if rules_dir.is_dir()
        else []
    )
    stray = _stray_rule_file(pack_dir)
    if stray is not None:
        raise PackError(
            str(stray),
            None,
            "not read: a rule file belongs in rules/<category>/<name>.toml "
            f"(of {pack_dir / 'rules'}); move it there, or rename it if it is not a rule",
        )
    for path in rule_files:
        rule = _parse_rule(path, pack_dir, pid, instruments, frames, files)
        if rule.code in seen_codes:
            raise PackError(
                str(path),
                _Source(path, path.read_text("utf-8-sig")).line_of("code"),
                f"code {rule.code} is already used by {seen_codes[rule.code]}",
            )
        if rule.name in seen_names:
            raise PackError(
                str(path),
                _Source(path, path.read_text("utf-8-sig")).line_of("name"),
                f"name {rule.name} is already used by {seen_names[rule.name]}",
            )
        seen_codes[rule.code] = str(path)
        seen_names[rule.name] = str(path)
        rules.append(rule)
    for rule in rules[len(parent["rules"]) if parent else 0 :]:
        unknown = [c for c in rule.spec.get("yields_to", ()) if c not in seen_codes]
        if unknown:
            path = Path(rule.path)
            raise PackError(
                rule.path,
                _Source(path, path.read_text("utf-8-sig")).line_of("yields_to"),
                f"`yields_to`: unknown rule code(s) {', '.join(unknown)}; "
                "valid: codes of this pack and the packs it extends",
            )
    return {
        "id": pid,
        "name": name,
        "version": version,
        "description": description,
        "languages": tuple(languages),
        "extends": (parent["id"] if parent else None),
        "path": str(pack_dir),
        "files": files,
        "instruments": instruments,
        "frames": frames,
        "rules": rules,
    }


def _stray_rule_file(pack_dir: Path) -> Path | None:
    """A `.toml` file of the pack that the loader would not read: not pack.toml, not under
    rules/ (`Rules/x.toml`, `rule/x.toml`, a rule saved next to pack.toml). It was skipped in
    silence, and `rasoat test-pack` passed a pack that did not have the rule at all; with no
    rules/ folder, a pack of none. Hidden names are skipped, as the loader skips them, and so
    are folders holding a pack.toml of their own (another pack kept inside this one)."""
    for folder, dirs, names in os.walk(pack_dir):
        here = Path(folder)
        if here != pack_dir and (here / "pack.toml").is_file():
            dirs.clear()
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        if here == pack_dir:
            dirs[:] = [d for d in dirs if d != "rules"]
        for name in sorted(names):
            if (
                name.endswith(".toml")
                and not name.startswith(".")
                and here / name != (pack_dir / "pack.toml")
            ):
                return here / name
    return None


def load_pack(name_or_path: str | os.PathLike | None = None) -> Pack:
    """Load, validate and compile a pack by shipped id or folder path (default: vn-mofa).

    Raises PackError (`path:line: message`) and never returns a half-loaded pack.
    """
    with paused_gc():
        return _load_pack(name_or_path)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block.

    Loading a pack (or unpickling a compiled one) builds ~10⁵ small objects that live as long as
    the pack: the collector would walk the growing heap again and again to find no garbage (a
    third of the load time, and most of its spread). It runs as usual afterwards.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _load_pack(name_or_path: str | os.PathLike | None) -> Pack:
    from .engine import compile_pack

    pack_dir = _resolve(name_or_path)
    raw = _load_raw(pack_dir, ())
    digest = hashlib.sha256()
    for f in raw["files"]:
        digest.update(f.read_bytes())
        digest.update(b"\0")
    pack = Pack(
        id=raw["id"],
        name=raw["name"],
        version=raw["version"],
        description=raw["description"],
        languages=raw["languages"],
        extends=raw["extends"],
        path=raw["path"],
        digest=digest.hexdigest(),
        files=tuple(str(f) for f in raw["files"]),
        rules=tuple(raw["rules"]),
        instruments=raw["instruments"],
        frames=raw["frames"],
    )
    compiled = compile_pack(pack)
    object.__setattr__(pack, "compiled", compiled)
    return pack


def shipped_packs() -> list[str]:
    """Ids of the packs shipped in policy/packs/."""
    if not PACKS_DIR.is_dir():
        return []
    return sorted(p.name for p in PACKS_DIR.iterdir() if (p / "pack.toml").is_file())
