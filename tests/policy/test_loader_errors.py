"""Every way a pack author can break a pack gets one `path:line: message` error that names what
is wrong and, where there is a choice, the valid choices; the line is the one to edit, or none
when the mistake is something missing. With `test_loader.py`, a case for every check in
`policy/loader.py` but an unreadable file (OSError)."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_helpers import RULE, write_pack

import policy

GOOD = RULE.format(type_="phrases", matcher='phrases = ["tài liệu mật"]')


def rule_with(old: str, new: str, rule: str = GOOD) -> str:
    assert old in rule, old
    return rule.replace(old, new, 1)


def plus(line: str) -> str:
    """The good rule with one more top-level line."""
    return rule_with('phrases = ["tài liệu mật"]', 'phrases = ["tài liệu mật"]\n' + line)


def typed(type_: str, matcher: str) -> str:
    return RULE.format(type_=type_, matcher=matcher)


MESSAGE = 'message = { vi = "x {match}", en = "x {match}" }\n'
DOC = (
    '[doc]\nwhat = { vi = "a", en = "a" }\nwhy = { vi = "b", en = "b" }\n'
    'instead = { vi = "c", en = "c" }\n'
)
BASIS = '[[legal_basis]]\ninstrument = "law-a"\narticle = "Điều 1"\n'

# (id, rule file text, expected message fragment, the text of the line the error must point at,
# or None when the mistake is something missing and no line holds it)
RULE_CASES = [
    ("no type", rule_with('type = "phrases"\n', ""), "`type` must be one of: phrases, regex", None),
    (
        "code shape",
        rule_with('"SEC001"', '"SEC1"'),
        "`code` must look like ACC001",
        'code = "SEC1"',
    ),
    (
        "name case",
        rule_with('name = "thing"', 'name = "Thing"'),
        "`name` must be kebab-case",
        'name = "Thing"',
    ),
    (
        "folder",
        rule_with('code = "SEC001"', 'code = "INT001"').replace(
            'category = "state-secret"', 'category = "internal-work"'
        ),
        "rule of category 'internal-work' is in folder 'state-secret'",
        'category = "internal-work"',
    ),
    (
        "severity",
        rule_with('severity = "error"', 'severity = "high"'),
        "unknown severity 'high'; valid: info, warning, error",
        'severity = "high"',
    ),
    (
        "status",
        rule_with('severity = "error"', 'severity = "error"\nstatus = "beta"'),
        "unknown status 'beta'; valid:",
        'status = "beta"',
    ),
    ("no message", rule_with(MESSAGE, ""), "missing `message` (a table with vi and en)", None),
    (
        "message type",
        rule_with(MESSAGE, "message = 3\n"),
        "`message` must be a table of languages (vi, en)",
        "message = 3",
    ),
    (
        "message lang",
        rule_with(MESSAGE, 'message = { vi = "x", en = "y", fr = "z" }\n'),
        "`message` has unknown language 'fr'; valid: vi, en",
        "fr =",
    ),
    (
        "message en",
        rule_with(MESSAGE, 'message = { vi = "x" }\n'),
        "`message` needs a non-empty text for en",
        'message = { vi = "x" }',
    ),
    ("no doc", rule_with(DOC, ""), "missing [doc] table with what, why, instead", None),
    (
        "doc key",
        rule_with("[doc]\n", '[doc]\nnote = "n"\n'),
        "unknown key `note` in [doc]; valid keys: what, why, instead",
        'note = "n"',
    ),
    (
        "doc missing",
        rule_with('instead = { vi = "c", en = "c" }\n', ""),
        "[doc] is missing `instead`",
        "[doc]",
    ),
    (
        "doc lang",
        rule_with('why = { vi = "b", en = "b" }', 'why = { vi = "b", en = " " }'),
        "`why` needs a non-empty text for en",
        "why =",
    ),
    ("no basis", rule_with(BASIS, ""), "a rule needs at least one [[legal_basis]]", None),
    (
        "basis type",
        rule_with(BASIS, "").replace(DOC, 'legal_basis = ["law-a"]\n\n' + DOC),
        "[[legal_basis]] entries must be tables",
        None,
    ),
    (
        "basis key",
        rule_with('article = "Điều 1"', 'article = "Điều 1"\nclause = "a"'),
        "unknown key `clause` in [[legal_basis]]; valid keys: instrument, article",
        'clause = "a"',
    ),
    (
        "basis article",
        rule_with('article = "Điều 1"', 'article = ""'),
        "`article` must be a non-empty string",
        'article = ""',
    ),
    (
        "flag",
        plus('case_sensitive = "yes"'),
        "`case_sensitive` must be true or false",
        'case_sensitive = "yes"',
    ),
    (
        "phrase type",
        typed("phrases", "phrases = [1]"),
        "`phrases` must be a list of non-empty strings",
        "phrases = [1]",
    ),
    (
        "phrase blank",
        typed("phrases", 'phrases = ["x", " "]'),
        "`phrases` must be a list of non-empty strings",
        'phrases = ["x", " "]',
    ),
    (
        "list path type",
        typed("phrases", "phrases_file = 3"),
        "`phrases_file` must be a path string",
        "phrases_file = 3",
    ),
    (
        "list missing",
        typed("phrases", 'phrases_file = "lists/none.txt"'),
        "phrases_file 'lists/none.txt' not found",
        'phrases_file = "lists/none.txt"',
    ),
    ("no patterns", typed("regex", ""), "a `regex` rule needs `patterns`", None),
    (
        "bad pattern",
        typed("regex", "patterns = ['(mật']"),
        "invalid regex in `patterns`",
        "patterns = ['(mật']",
    ),
    (
        "prefilter empty",
        typed("regex", "patterns = ['mật']\nprefilter = []"),
        "`prefilter` must not be empty",
        "prefilter = []",
    ),
    ("proximity b", typed("proximity", 'a = ["bán"]'), "a `proximity` rule needs `b`", None),
    (
        "window",
        typed("proximity", 'a = ["bán"]\nb = ["nick"]\nwindow = 0'),
        "`window` must be an integer from 1 to 50 (words)",
        "window = 0",
    ),
    (
        "window bool",
        typed("proximity", 'a = ["bán"]\nb = ["nick"]\nwindow = true'),
        "`window` must be an integer from 1 to 50 (words)",
        "window = true",
    ),
    (
        "order",
        typed("proximity", 'a = ["bán"]\nb = ["nick"]\norder = "before"'),
        "unknown order 'before'; valid: any, a-first",
        'order = "before"',
    ),
    (
        "options type",
        typed("detector", 'detector = "api-key"\noptions = 3'),
        "`options` must be a table",
        "options = 3",
    ),
    (
        "option key",
        typed("detector", 'detector = "api-key"\noptions = { zzz = 1 }'),
        "unknown option `zzz` for detector api-key; valid:",
        "options = { zzz = 1 }",
    ),
    # A phrase never matches across a line break: one with a "\n" never fired, in silence.
    (
        "phrase with a line break",
        plus('exceptions = ["mật ong", "tài liệu\\nmật khẩu"]'),
        "phrase 'tài liệu\\nmật khẩu' in `exceptions` holds a line break",
        "exceptions = [",
    ),
    (
        "proximity term with a line break",
        typed("proximity", 'a = ["bán"]\nb = """nick\nfb"""'),  # a multi-line string
        "phrase 'nick\\nfb' in `b` holds a line break",
        'b = """nick',
    ),
    # Counted repeats the `regex` module writes out when it compiles: `\d{1000000000}` took
    # every byte of memory (a live reload's doing so killed the service); deep nesting was a
    # RecursionError ("internal error", and a reload thread that died).
    (
        "regex repeats too much",
        typed("regex", r"patterns = ['NB-\d{20000}']"),
        "repeats too much: its counted repeats ({n}, {m,n}) make more than 10,000 copies",
        r"patterns = ['NB-\d{20000}']",
    ),
    (
        "regex repeats nested",
        typed("regex", r"patterns = ['(?:NB-(?:\d{1,200}\s){200})']"),
        "repeats too much",
        r"patterns = ['(?:NB-(?:\d{1,200}\s){200})']",
    ),
    (
        "regex nested too deeply",
        typed("regex", "patterns = ['" + "(?:" * 300 + "NB" + ")" * 300 + "']"),
        "is nested too deeply",
        "patterns = ['(?:(?:",
    ),
    # A list or table where a name is looked up was a TypeError (unhashable): "internal error".
    (
        "detector as a list",
        typed("detector", 'detector = ["vn-phone-number"]'),
        "unknown detector ['vn-phone-number']; valid: api-key,",
        'detector = ["vn-phone-number"]',
    ),
    (
        "instrument as a list",
        rule_with('instrument = "law-a"', 'instrument = ["law-a"]'),
        "unknown instrument ['law-a']; valid: law-a",
        'instrument = ["law-a"]',
    ),
    # A wrong-typed option value passed the loader, then failed every check (a TypeError per
    # draft: "internal error" in the CLI, a 500 from the service after a reload) or quietly
    # changed what the rule finds ("no" is true; a misspelt kind matches no link).
    (
        "option list of numbers",
        typed("detector", 'detector = "vn-phone-number"\noptions = { allow = [912345678] }'),
        "`allow` must be a list of non-empty strings",
        "options = { allow = [912345678] }",
    ),
    (
        "option bool as text",
        typed("detector", 'detector = "vn-phone-number"\noptions = { landline = "no" }'),
        "option `landline` of detector vn-phone-number must be true or false, got 'no'",
        'options = { landline = "no" }',
    ),
    (
        "option kind misspelt",
        typed("detector", 'detector = "risky-link"\noptions = { kinds = ["shortner"] }'),
        "option `kinds` of detector risky-link: unknown kind 'shortner'; valid: shortener, ip",
        'options = { kinds = ["shortner"] }',
    ),
    (
        "option unless misspelt",
        typed("detector", 'detector = "risky-link"\n[options]\nunless = ["look-alike"]'),
        "option `unless` of detector risky-link: unknown kind 'look-alike'",
        'unless = ["look-alike"]',
    ),
    (
        "option no kinds",
        typed("detector", 'detector = "risky-link"\noptions = { kinds = [] }'),
        "`kinds` must not be empty",
        "options = { kinds = [] }",
    ),
    (
        "yields self",
        plus('yields_to = ["SEC001"]'),
        "`yields_to` lists the rule's own code SEC001",
        'yields_to = ["SEC001"]',
    ),
    (
        "yields unknown",
        plus('yields_to = ["SEC999"]'),
        "`yields_to`: unknown rule code(s) SEC999",
        'yields_to = ["SEC999"]',
    ),
    (
        "exception pattern",
        plus("exception_patterns = ['[mật']"),
        "invalid regex in `exception_patterns`",
        "exception_patterns = ['[mật']",
    ),
    (
        "context type",
        plus("context = 3"),
        "`context` must be a table {phrases = [...], window = N}",
        "context = 3",
    ),
    (
        "context key",
        plus('context = { phrases = ["a"], span = 2 }'),
        "unknown key `span` in `context`",
        "context = {",
    ),
    (
        "context phrases",
        plus("context = { window = 2 }"),
        "`context` needs `phrases`",
        "context = {",
    ),
    (
        "context window",
        plus('context = { phrases = ["a"], window = "para" }'),
        '`context.window` must be 1–50 (words) or "sentence"',
        "context = {",
    ),
    (
        "examples type",
        plus('examples = "x"'),
        "`examples` must be an array of tables ([[examples]])",
        'examples = "x"',
    ),
    ("example type", plus('examples = ["x"]'), "each example must be a table", None),
    (
        "example key",
        GOOD + '\n[[examples]]\ngood = "mật ong"\ntext = "t"\n',
        "unknown key `text` in an example; valid keys: bad, good, severity, note",
        'text = "t"',
    ),
    (
        "example blank",
        GOOD + '\n[[examples]]\ngood = " "\n',
        "`good` must be a non-empty string",
        'good = " "',
    ),
    (
        "example severity",
        GOOD + '\n[[examples]]\nbad = "[[tài liệu mật]]"\nseverity = "high"\n',
        "unknown severity 'high'",
        'severity = "high"',
    ),
    (
        "example empty span",
        GOOD + '\n[[examples]]\nbad = "tài liệu mật [[]]"\n',
        "the [[…]] span of a bad example is empty",
        'bad = "tài liệu mật [[]]"',
    ),
    (
        "example two spans",
        GOOD + '\n[[examples]]\nbad = "[[tài liệu mật]] và [[tài liệu mật]]"\n',
        "a bad example must mark its expected span once",
        "bad =",
    ),
    (
        "example nested spans",
        GOOD + '\n[[examples]]\nbad = "[[ [[tài liệu mật]] ]] nhé"\n',
        "the [[…]] markers of a bad example are nested",
        'bad = "[[ [[tài liệu mật]] ]] nhé"',
    ),
    (
        "example nested spans inside",
        GOOD + '\n[[examples]]\nbad = "[[tài [[liệu]] mật]]"\n',
        "the [[…]] markers of a bad example are nested",
        'bad = "[[tài [[liệu]] mật]]"',
    ),
    (
        "good marked",
        GOOD + '\n[[examples]]\ngood = "[[mật ong]]"\n',
        "a good example must not mark a span",
        'good = "[[mật ong]]"',
    ),
    (
        "second example",
        GOOD + '\n[[examples]]\ngood = "mật ong"\n\n[[examples]]\ngood = ""\n',
        "`good` must be a non-empty string",
        'good = ""',
    ),
]


def line_of(path: Path, text: str) -> int:
    lines = path.read_text("utf-8-sig").splitlines()
    found = [i for i, line in enumerate(lines, 1) if text in line]
    assert found, f"{text!r} not in {path}"
    return found[0]


def load_error(folder: Path) -> policy.PackError:
    with pytest.raises(policy.PackError) as info:
        policy.load_pack(folder)
    return info.value


@pytest.mark.parametrize(
    ("rule", "fragment", "at"), [c[1:] for c in RULE_CASES], ids=[c[0] for c in RULE_CASES]
)
def test_a_broken_rule_names_its_file_line_and_fault(tmp_path, rule, fragment, at):
    folder = write_pack(tmp_path, rule=rule)
    err = load_error(folder)
    rule_file = folder / "rules" / "state-secret" / "thing.toml"
    assert err.path == str(rule_file)
    assert fragment in err.message
    assert err.line == (line_of(rule_file, at) if at else None)
    assert str(err) == f"{err.path}:{err.line or 1}: {err.message}"  # (editors open line 1)


FRAME = '[frames.quote]\nphrases = ["theo"]\n'
PACK_CASES = [
    ("pack key", 'owner = "x"', "unknown key `owner` in pack.toml; valid keys:", 'owner = "x"'),
    (
        "languages",
        'languages = ["vi", "fr"]',
        "unknown language 'fr'; valid: vi, en",
        'languages = ["vi", "fr"]',
    ),
    (
        "extends type",
        "extends = 3",
        "`extends` must be a pack id or a relative path",
        "extends = 3",
    ),
    # "" resolved to the pack's own folder: "`extends` forms a cycle: P -> P"
    ("extends empty", 'extends = ""', "`extends` must be a pack id or a relative path", "extends"),
    (
        "description",
        'description = { vi = "" , en = "d" }',
        "`description` needs a non-empty text for vi",
        "description =",
    ),
    (
        "instrument type",
        '[instruments]\nlaw-b = "x"',
        "[instruments.law-b] must be a table",
        'law-b = "x"',
    ),
    (
        "instrument number",
        '[instruments.law-b]\ntitle = { vi = "B", en = "B" }',
        "[instruments.law-b] needs a `number`",
        "[instruments.law-b]",
    ),
    (
        "instrument key",
        '[instruments.law-b]\nnumber = "2"\ntitle = "B"\nsigned = 2020',
        "unknown key `signed` in [instruments.law-b]",
        "signed = 2020",
    ),
    (
        "instrument title",
        '[instruments.law-b]\nnumber = "2"',
        "`title` must be a table of languages",
        "[instruments.law-b]",
    ),
    (
        "instrument in_force",
        '[instruments.law-b]\nnumber = "2"\ntitle = { vi = "B", en = "B" }\nin_force = "soon"',
        "`in_force` must be a date such as 2026-03-01",
        'in_force = "soon"',
    ),
    (
        "instrument url",
        '[instruments.law-b]\nnumber = "2"\ntitle = { vi = "B", en = "B" }\nurl = 5',
        "`url` must be a non-empty string",
        "url = 5",
    ),
    ("frame type", '[frames]\nquote = "theo"', "[frames.quote] must be a table", 'quote = "theo"'),
    (
        "frame window",
        FRAME + "window = 99",
        "frame `window` must be an integer from 1 to 50",
        "window = 99",
    ),
    (
        "frame scope",
        FRAME + 'scope = "para"',
        "unknown frame scope 'para'; valid:",
        'scope = "para"',
    ),
    (
        "frame after",
        FRAME + "after = -1",
        "frame `after` must be an integer from 0 to 50",
        "after = -1",
    ),
    ("frame key", FRAME + "before = 2", "unknown key `before` in [frames.quote]", "before = 2"),
    # a frame without phrases: its own header, not the [frames.negation] phrases above it
    (
        "frame phrases",
        "[frames.quote]\nwindow = 3",
        "`phrases` must not be empty",
        "[frames.quote]",
    ),
]


@pytest.mark.parametrize(
    ("extra", "fragment", "at"), [c[1:] for c in PACK_CASES], ids=[c[0] for c in PACK_CASES]
)
def test_a_broken_pack_toml_names_its_line_and_fault(tmp_path, extra, fragment, at):
    # Tables go after the pack's own [frames.negation], plain keys before any table.
    folder = write_pack(tmp_path, pack_extra="" if extra.startswith("[") else extra)
    meta = folder / "pack.toml"
    if extra.startswith("["):
        meta.write_text(meta.read_text("utf-8") + "\n" + extra + "\n", "utf-8")
    err = load_error(folder)
    assert err.path == str(meta)
    assert fragment in err.message
    assert err.line == (line_of(meta, at) if at else None)


@pytest.mark.parametrize(
    ("table", "written"),
    [("instruments", "instruments = 3"), ("frames", 'frames = ["negation"]')],
)
def test_instruments_and_frames_must_be_tables_of_tables(tmp_path, table, written):
    folder = write_pack(tmp_path)
    meta = folder / "pack.toml"
    text = meta.read_text("utf-8")
    head, _, _ = text.partition("\n[")  # the pack's own keys, before its tables
    meta.write_text(f"{head}\n{written}\n", "utf-8")
    err = load_error(folder)
    assert err.path == str(meta)
    assert f"`{table}` must be a table of tables" in err.message
    assert err.line == line_of(meta, written)


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda s: s.replace('id = "tmp-pack"', 'id = "Tmp Pack"'), "`id` must be a kebab-case"),
        (lambda s: s.replace('name = { vi = "Thử", en = "Test" }\n', ""), "missing `name`"),
        (lambda s: s.replace('version = "0.0.1"', "version = 1"), "`version` must be a string"),
    ],
    ids=["id", "name", "version"],
)
def test_a_pack_missing_its_identity_says_which_field(tmp_path, mutate, fragment):
    folder = write_pack(tmp_path)
    meta = folder / "pack.toml"
    meta.write_text(mutate(meta.read_text("utf-8")), "utf-8")
    err = load_error(folder)
    assert err.path == str(meta) and fragment in err.message


@pytest.mark.parametrize("bom", [False, True], ids=["plain", "byte-order mark"])
def test_a_code_or_name_used_twice_points_at_the_second_file(tmp_path, bom):
    """Also when the second file was saved with a byte-order mark (Notepad): its `code` is on
    line 1, where the mark stands before it."""
    folder = write_pack(tmp_path)
    second = folder / "rules" / "state-secret" / "thing2.toml"
    text = GOOD.replace('name = "thing"', 'name = "thing2"')
    second.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    err = load_error(folder)
    assert (err.path, err.line) == (str(second), 1)
    assert err.message.startswith("code SEC001 is already used by")

    # The same name in another category's folder (names equal their file names), read after
    # state-secret/ in sorted order.
    second.unlink()
    other = folder / "rules" / "unsafe-link" / "thing.toml"
    other.parent.mkdir()
    text = GOOD.replace('code = "SEC001"', 'code = "LNK001"').replace(
        'category = "state-secret"', 'category = "unsafe-link"'
    )
    other.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    err = load_error(folder)
    assert (err.path, err.line) == (str(other), 2)
    assert err.message.startswith("name thing is already used by")


def test_every_detector_option_has_its_value_checked():
    """A new detector option must say what it takes, or the loader could not check it."""
    from policy.detectors import DETECTORS
    from policy.loader import _option_kinds

    options = set().union(*(d.options for d in DETECTORS.values()))
    assert options == set(_option_kinds())


@pytest.mark.parametrize(
    ("mangle", "fragment", "line"),
    [
        # TOML knows LF and CRLF only: read as one long line, "Expected newline or end of
        # document after a statement" at line 1.
        (lambda t: t.replace("\n", "\r"), "lines end with a lone CR (old Mac line breaks)", 1),
        # the first four lines end with CRLF, the rest with a lone CR
        (lambda t: "\r\n".join(t.split("\n", 4)[:4] + ["\r".join(t.split("\n")[4:])]), "CR", 5),
        # Over Python's limit of 4,300 digits, or nested thousands deep: a ValueError and a
        # RecursionError, not TOMLDecodeError, were "internal error" and a reload thread's death.
        (lambda t: t + "window = " + "1" * 5000 + "\n", "invalid TOML: Exceeds the limit", None),
        (lambda t: t + "zz = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply", None),
    ],
    ids=["lone CR", "lone CR after CRLF", "huge number", "deep arrays"],
)
def test_a_rule_file_toml_cannot_read_is_a_pack_error(tmp_path, mangle, fragment, line):
    folder = write_pack(tmp_path)
    rule_file = folder / "rules" / "state-secret" / "thing.toml"
    rule_file.write_bytes(mangle(rule_file.read_text("utf-8")).encode("utf-8"))
    err = load_error(folder)
    assert err.path == str(rule_file) and fragment in err.message and err.line == line


@pytest.mark.parametrize(
    "stray", ["Rules/state-secret/other.toml", "rule/other.toml", "other.toml", "lists/other.toml"]
)
def test_a_rule_file_the_loader_would_not_read_is_named(tmp_path, stray):
    """A rule in `Rules/` or `rule/` (a misspelt folder), or saved next to pack.toml, was skipped
    in silence: the pack loaded without it and `rasoat test-pack` passed."""
    folder = write_pack(tmp_path)
    path = folder / stray
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((folder / "rules" / "state-secret" / "thing.toml").read_text("utf-8"), "utf-8")
    err = load_error(folder)
    assert err.path == str(path) and err.line is None
    assert err.message.startswith("not read: a rule file belongs in rules/<category>/<name>.toml")


@pytest.mark.parametrize(
    "where", ["rules/secrets/thing.toml", "rules/thing.toml", "rules/state-secret/old/thing.toml"]
)
def test_a_rule_file_in_a_folder_that_is_not_its_category_is_an_error(tmp_path, where):
    """`rules/<folder>/x.toml` with a folder that is no category (a misspelt one, a sub-folder,
    no folder at all) loaded in silence, while a folder naming another category was an error,
    and so is a rule file outside rules/: the layout is rules/<category>/<name>.toml."""
    folder = write_pack(tmp_path)
    source = folder / "rules" / "state-secret" / "thing.toml"
    path = folder / where
    path.parent.mkdir(parents=True, exist_ok=True)
    text = source.read_text("utf-8")
    source.unlink()
    path.write_text(text, "utf-8")
    err = load_error(folder)
    assert (err.path, err.line) == (str(path), line_of(path, "category ="))
    shown = where.rsplit("/", 1)[0] + "/"
    assert err.message == (
        f"rule of category 'state-secret' is in {shown}, not in rules/state-secret/: "
        "a rule file belongs in rules/<category>/<name>.toml"
    )
    from policy.pack_errors_vi import vietnamese

    assert vietnamese(err.message) == (
        f"quy tắc thuộc nhóm 'state-secret' lại nằm trong {shown}, không phải trong "
        "rules/state-secret/: tệp quy tắc phải nằm trong rules/<nhóm>/<tên>.toml"
    )


def test_a_pack_kept_inside_another_and_hidden_files_are_not_stray(tmp_path):
    folder = write_pack(tmp_path)
    (folder / ".backup").mkdir()
    (folder / ".backup" / "thing.toml").write_text("old", "utf-8")
    (folder / ".#pack.toml").write_text("lock", "utf-8")
    child = folder / "ministry"
    (child / "rules").mkdir(parents=True)
    (child / "pack.toml").write_text(
        'id = "ministry"\nname = { vi = "x", en = "x" }\nversion = "1"\nextends = ".."\n', "utf-8"
    )
    assert policy.load_pack(folder).id == "tmp-pack"
    assert policy.load_pack(child).extends == "tmp-pack"


@pytest.mark.parametrize(
    ("rule", "extra"),
    [(c[1], None) for c in RULE_CASES] + [(None, c[1]) for c in PACK_CASES],
    ids=[f"rule {c[0]}" for c in RULE_CASES] + [f"pack {c[0]}" for c in PACK_CASES],
)
def test_every_pack_error_reads_in_vietnamese(tmp_path, rule, extra):
    """`rasoat --lang vi` (the default) shows a broken pack's problem in Vietnamese: every kind of
    message the loader writes has its reading in policy/pack_errors_vi.py."""
    from policy.pack_errors_vi import vietnamese

    folder = write_pack(tmp_path, rule=rule, pack_extra="" if not extra or "[" in extra else extra)
    if extra and "[" in extra:
        meta = folder / "pack.toml"
        meta.write_text(meta.read_text("utf-8") + "\n" + extra + "\n", "utf-8")
    message = load_error(folder).message
    said = vietnamese(message)
    assert said is not None, message
    assert said != message


@pytest.mark.parametrize(
    ("char", "name"), [("\u2028", "U+2028 (LINE SEPARATOR)"), ("\x0b", "U+000B (a vertical tab")]
)
def test_a_phrase_list_line_with_an_odd_line_break_is_named(tmp_path, char, name):
    """`splitlines()` also broke a list's lines at U+2028, a vertical tab (Word's line break) and
    the like, which most editors show inside a line: "mật ong" pasted with a U+2028 in it became
    the phrases "mật" and "ong" (a bee), and "ong" then fired on its own."""
    folder = write_pack(tmp_path, matcher='phrases_file = "lists/words.txt"')
    (folder / "lists").mkdir()
    words = folder / "lists" / "words.txt"
    words.write_text(f"# từ khóa\r\ntài liệu mật\rbí mật\nmật{char}ong\n", "utf-8")
    err = load_error(folder)
    assert (err.path, err.line) == (str(words), 4)
    assert err.message.startswith(f"the line holds {name}")
    from policy.pack_errors_vi import vietnamese

    assert vietnamese(err.message).startswith("dòng này có ký tự U+")
    words.write_text("# từ khóa\r\ntài liệu mật\rbí mật\n", "utf-8")  # CRLF, CR and LF breaks
    rule = policy.load_pack(folder).rules[0]
    assert list(rule.spec["phrases"]) == ["tài liệu mật", "bí mật"]


def test_a_phrase_list_keeps_hashtags_and_c_sharp(tmp_path):
    """A `#` anywhere on a list line started a comment, so "#bannick", "#muabanacc" (how posts
    advertise account trading) and "C#" were lost without a word. Now a comment is `#` with a
    space (or nothing) after it, at the start of a line or after a space; a `#` glued to a word
    is part of the phrase; `\\#` writes a `#` that would otherwise start a comment."""
    folder = write_pack(tmp_path, matcher='phrases_file = "lists/words.txt"')
    (folder / "lists").mkdir()
    (folder / "lists" / "words.txt").write_text(
        "# từ khóa rao bán tài khoản\n"
        "#bannick\n"
        "  #muabanacc   # hashtag rao bán acc\n"
        "C#\n"
        "C# cơ bản # ngôn ngữ lập trình\n"
        "bán nick  # rao bán\n"
        "bán nick#hot\n"
        "\\#bán nick\n"
        "mua \\#bannick\n"
        "#\n"
        "##########\n"
        "#--------\n"
        "   # thụt lề\n",
        "utf-8",
    )
    rule = policy.load_pack(folder).rules[0]
    assert list(rule.spec["phrases"]) == [
        "#bannick",
        "#muabanacc",
        "C#",
        "C# cơ bản",
        "bán nick",
        "bán nick#hot",
        "#bán nick",
        "mua #bannick",
    ]


def test_a_list_phrase_the_engine_refuses_is_named_at_its_line(tmp_path):
    """The engine's errors (here: no letters) point at the list line that wrote the phrase,
    read as the loader reads it: "\\#!!" is the phrase "#!!" (the search compared the text
    before its first `#` and found no line)."""
    folder = write_pack(tmp_path, matcher='phrases_file = "lists/words.txt"')
    (folder / "lists").mkdir()
    words = folder / "lists" / "words.txt"
    words.write_text("# từ khóa\n#bannick\n\\#!!  # chỉ có dấu\n", "utf-8")
    err = load_error(folder)
    assert (err.path, err.line, err.message) == (
        str(words),
        3,
        "phrase '#!!' has no letters or digits",
    )


def test_the_phrase_list_lines_in_the_pack_format_guide_read_as_it_says():
    from policy.loader import list_phrase

    guide = (Path(__file__).resolve().parents[2] / "docs" / "pack-format.md").read_text("utf-8")
    block = next(b for b in guide.split("```") if "#bannick " in b)
    lines = [line for line in block.splitlines() if "<-" in line]
    assert len(lines) == 7
    for line in lines:
        written, said = line.split("<-")
        expected = "" if said.strip() == "a comment" else said.split('"')[1]
        assert list_phrase(written) == expected, line


@pytest.mark.parametrize(
    ("line", "glued"),
    [
        ("#bán nick", "#bán"),  # a comment without its space, or a phrase that starts with #?
        ("#danh sách từ cấm", "#danh"),
        ("#-- tiền ảo --", "#--"),
        ("mua #bannick", "#bannick"),  # a hashtag in the phrase, or the old inline comment?
        ("bán nick #rao bán", "#rao"),
        ("#bannick giá rẻ", "#bannick"),
    ],
)
def test_a_phrase_list_line_with_an_ambiguous_hash_is_an_error_at_its_line(tmp_path, line, glued):
    """Where a `#` glued to a word could be a comment written without its space or a hashtag
    inside a longer phrase, the list says which line and how to write either; it never guesses
    (a guessed comment drops a phrase, a guessed phrase never matches)."""
    folder = write_pack(tmp_path, matcher='phrases_file = "lists/words.txt"')
    (folder / "lists").mkdir()
    words = folder / "lists" / "words.txt"
    words.write_text(f"# từ khóa\ntài liệu mật\n{line}\n", "utf-8")
    err = load_error(folder)
    assert (err.path, err.line) == (str(words), 3)
    assert err.message == (
        f"{glued!r} after a space or at the start of a line: is it a comment without the space "
        "after `#`, or a hashtag in the phrase? Write `# ` (with the space) for a comment, or "
        "`\\#` for a `#` that belongs to the phrase (a hashtag alone on its line, `#bannick`, "
        "needs no `\\`)"
    )
    from policy.pack_errors_vi import vietnamese

    assert vietnamese(err.message) == (
        f"{glued!r} đứng sau khoảng trắng hoặc ở đầu dòng: đây là chú thích thiếu khoảng trắng "
        "sau `#`, hay một hashtag trong cụm từ? Chú thích thì viết `# ` (có khoảng trắng), còn "
        "dấu `#` thuộc cụm từ thì viết `\\#` (một hashtag đứng riêng một dòng, `#bannick`, "
        "không cần `\\`)"
    )


@pytest.mark.parametrize(
    "tail",
    [
        '[frames.quote]\nphrases = [\n  "theo",\n  "dẫn lời",\n',
        '[frames.quote]\nphrases = ["theo"]\nnote = """\nghi chú\n',
    ],
    ids=["list left open", "string left open"],
)
def test_a_value_left_open_to_the_end_of_the_file_points_at_its_end(tmp_path, tail):
    """A frame's phrase list whose `]` was forgotten at the end of pack.toml (or a `\"\"\"` never
    closed) runs to the end of the file, and tomllib says "(at end of document)" with no line:
    the error said `pack.toml:1:`, the one line that is fine, and the editor opened there. It
    now names the file's last line, where the value was still open, and says what to look for."""
    folder = write_pack(tmp_path)
    meta = folder / "pack.toml"
    meta.write_text(meta.read_text("utf-8") + "\n" + tail, "utf-8")
    err = load_error(folder)
    assert err.path == str(meta)
    assert err.line == len(meta.read_text("utf-8").splitlines())
    assert "end of the file" in err.message and "left open" in err.message
    from policy.pack_errors_vi import vietnamese

    assert "ở cuối tệp" in vietnamese(err.message)  # as the CLI says it under --lang vi


def test_an_instrument_date_may_be_quoted_or_a_toml_date(tmp_path):
    """`in_force = 2026-03-01` (a TOML date: tomllib gives a datetime.date) and the quoted
    string read the same; anything else is an error at its line (see PACK_CASES)."""
    for written in ("2026-03-01", '"2026-03-01"'):
        folder = write_pack(
            tmp_path / written.strip('"') / ("q" if written.startswith('"') else "d"),
            pack_extra=f'[instruments.law-b]\nnumber = "2"\ntitle = {{ vi = "B", en = "B" }}\n'
            f'in_force = {written}\nurl = "https://vbpl.vn/"',
        )
        assert policy.load_pack(folder).instruments["law-b"].in_force == "2026-03-01"
