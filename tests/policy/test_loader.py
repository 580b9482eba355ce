"""Loading packs: validation errors point at `path:line` and name the valid choices."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from policy_helpers import PACKS, RULE, write_pack

import policy
from policy.model import CATEGORIES


def load_error(folder: Path) -> policy.PackError:
    with pytest.raises(policy.PackError) as info:
        policy.load_pack(folder)
    return info.value


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_fixture_pack_loads_with_metadata(basic_pack):
    assert basic_pack.id == "fx-basic"
    assert basic_pack.extends is None
    assert len(basic_pack.digest) == 64
    assert all(Path(f).is_absolute() and Path(f).is_file() for f in basic_pack.files)
    assert {r.category for r in basic_pack.rules} == set(CATEGORIES)
    assert {r.type for r in basic_pack.rules} == {"phrases", "regex", "proximity", "detector"}
    assert basic_pack.instruments["law-a"].number == "1/2025/QH15"


def test_child_pack_extends_and_digest_covers_parent(child_pack, basic_pack):
    assert child_pack.extends == "fx-basic"
    assert set(basic_pack.files) < set(child_pack.files)
    assert child_pack.digest != basic_pack.digest


def test_digest_changes_with_content(tmp_path):
    folder = write_pack(tmp_path)
    before = policy.load_pack(folder).digest
    assert policy.load_pack(folder).digest == before
    write_pack(tmp_path, matcher='phrases = ["tài liệu tối mật"]')
    assert policy.load_pack(folder).digest != before


@pytest.mark.parametrize(
    ("pack", "needle", "fragment"),
    [
        ("broken-category", "category", "valid: state-secret, internal-work"),
        ("broken-regex", "patterns", "invalid regex"),
        ("broken-detector", "detector = ", "valid: api-key, bank-account"),
        ("broken-toml", "unterminated", "invalid TOML"),
    ],
)
def test_broken_fixture_packs_report_file_and_line(pack, needle, fragment):
    err = load_error(PACKS / pack)
    rule_file = PACKS / pack / "rules" / "state-secret" / "thing.toml"
    assert err.path == str(rule_file)
    assert err.line == line_of(rule_file, needle)
    assert fragment in err.message
    assert str(err) == f"{err.path}:{err.line}: {err.message}"


def test_missing_parent_is_reported_at_extends():
    err = load_error(PACKS / "broken-extends")
    assert err.path.endswith("broken-extends/pack.toml")
    assert err.line == 4 and "does-not-exist" in err.message


@pytest.mark.parametrize(
    ("matcher", "fragment"),
    [
        ('phrases = ["x"]\nseverity_level = "high"', "unknown key `severity_level`"),
        ("phrases = []", "needs `phrases`"),
        ('phrases = ["..."]', "no letters or digits"),
        ('phrases = ["x"]\nframes = ["nope"]', "unknown frame 'nope'; valid: negation"),
        ('phrases = ["x"]\nframe_action = "drop"', "valid: suppress, info"),
        ('phrases = ["x"]\ncontext = { phrases = ["ib"], window = 0 }', "context.window"),
        ('phrases = ["x"]\n[[examples]]\nbad = "no marker"', "mark its expected span"),
        ('phrases = ["x"]\n[[examples]]\nbad = "a [[x]]"\ngood = "y"', "exactly one of"),
    ],
)
def test_rule_validation_messages(tmp_path, matcher, fragment):
    err = load_error(write_pack(tmp_path, matcher=matcher))
    assert fragment in err.message
    assert err.path.endswith("thing.toml")


@pytest.mark.parametrize(
    ("old", "new", "key", "fragment"),
    [
        # A typo'd placeholder was shown to the user as written: "… nội bộ (“{matc}”)".
        ('en = "x {match}"', 'en = "x {matc}"', "message", "{matc} in `message`; valid: {match}"),
        # Left open: "x {match" reached the user as written, nothing filled in.
        ('en = "x {match}"', 'en = "x {match"', "message", "{match in `message` has no closing }"),
        # The engine fills {masked} only into suggestions.
        ('vi = "x {match}"', 'vi = "x {masked}"', "message", "{masked} in `message`"),
        # Apply would have pasted "{mask}" into the user's post.
        (
            'phrases = ["tài liệu mật"]',
            'phrases = ["tài liệu mật"]\nsuggestions = ["{mask}"]',
            "suggestions",
            "{mask} in `suggestions`; valid: {match}, {masked}",
        ),
    ],
)
def test_unknown_placeholders_are_rejected_at_their_line(tmp_path, old, new, key, fragment):
    rule = RULE.format(type_="phrases", matcher='phrases = ["tài liệu mật"]')
    assert old in rule
    folder = write_pack(tmp_path, rule=rule.replace(old, new))
    err = load_error(folder)
    assert fragment in err.message
    assert err.line == line_of(folder / "rules" / "state-secret" / "thing.toml", f"{key} =")


def test_known_placeholders_load(tmp_path):
    rule = RULE.format(type_="phrases", matcher='phrases = ["tài liệu mật"]')
    rule = rule.replace(
        'phrases = ["tài liệu mật"]',
        'phrases = ["tài liệu mật"]\nsuggestions = ["{masked}", "«{match}»"]',
    )
    pack = policy.load_pack(write_pack(tmp_path, rule=rule))
    finding = policy.Linter(pack).check("gửi tài liệu mật")[0]
    assert finding.message == "x tài liệu mật"
    assert "«tài liệu mật»" in finding.suggestions


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("[doc]", "[docs]", "rule"),
        ("[[legal_basis]]", "[[legal_base]]", "rule"),
        ("[instruments.law-a]", "[instrument.law-a]", "pack"),
    ],
)
def test_a_misspelt_table_is_reported_at_its_header(tmp_path, old, new, where):
    # These were reported at line 1: the key was looked for as `key = …` only.
    rule = RULE.format(type_="phrases", matcher='phrases = ["tài liệu mật"]')
    if where == "rule":
        folder = write_pack(tmp_path, rule=rule.replace(old, new))
        path = folder / "rules" / "state-secret" / "thing.toml"
    else:
        folder = write_pack(tmp_path, rule=rule)
        path = folder / "pack.toml"
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    err = load_error(folder)
    assert err.path == str(path)
    assert f"unknown key `{new.strip('[]').split('.')[0]}`" in err.message
    assert err.line == line_of(path, new)


def test_frame_exceptions_must_be_phrases(tmp_path):
    broken = '[frames.news]\nphrases = ["bị bắt"]\nexceptions = [1]\n'
    err = load_error(write_pack(tmp_path, pack_extra=broken))
    assert err.path.endswith("pack.toml") and "`exceptions` must be a list" in err.message
    assert err.line == 6  # the line of `exceptions`


def test_regex_matching_empty_string_is_rejected(tmp_path):
    err = load_error(write_pack(tmp_path, type_="regex", matcher="patterns = ['a*']"))
    assert "empty string" in err.message and err.line == 7


def test_unknown_type_lists_choices(tmp_path):
    err = load_error(write_pack(tmp_path, type_="wordlist"))
    assert "phrases, regex, proximity, detector" in err.message and err.line == 5


def test_name_must_match_file_stem(tmp_path):
    err = load_error(write_pack(tmp_path, name="other"))
    assert "must equal the file name" in err.message and err.line == 2


def test_code_prefix_must_match_category(tmp_path):
    rule = RULE.format(type_="phrases", matcher='phrases = ["x"]').replace("SEC001", "ACC001")
    err = load_error(write_pack(tmp_path, rule=rule))
    assert "must start with SEC" in err.message and err.line == 1


def test_unknown_instrument(tmp_path):
    rule = RULE.format(type_="phrases", matcher='phrases = ["x"]').replace('"law-a"', '"law-z"')
    err = load_error(write_pack(tmp_path, rule=rule))
    assert "unknown instrument 'law-z'; valid: law-a" in err.message
    assert err.line == line_of(tmp_path / "pack" / "rules" / "state-secret" / "thing.toml", "law-z")


def test_duplicate_code_in_child_is_rejected(tmp_path):
    folder = tmp_path / "child"
    shutil.copytree(PACKS / "child", folder)
    dup = (PACKS / "basic" / "rules" / "state-secret" / "secret-document.toml").read_text("utf-8")
    (folder / "rules" / "state-secret").mkdir(parents=True)
    (folder / "rules" / "state-secret" / "secret-document-copy.toml").write_text(
        dup.replace('name = "secret-document"', 'name = "secret-document-copy"'), "utf-8"
    )
    (folder / "pack.toml").write_text(
        (folder / "pack.toml").read_text("utf-8").replace('"../basic"', f'"{PACKS / "basic"}"'),
        "utf-8",
    )
    err = load_error(folder)
    assert "SEC001 is already used" in err.message


def test_extends_cycle_is_reported(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for me, other in ((a, "b"), (b, "a")):
        me.mkdir()
        (me / "pack.toml").write_text(
            textwrap.dedent(f"""\
            id = "{me.name}"
            name = {{ vi = "x", en = "x" }}
            version = "1"
            extends = "../{other}"
            """),
            "utf-8",
        )
    err = load_error(a)
    assert "cycle" in err.message
    # At the `extends` that closes it (b's, back to a), not line 1 of a's pack.toml.
    closing = (b / "pack.toml").resolve()
    assert (err.path, err.line) == (str(closing), line_of(closing, "extends ="))


def test_extends_never_resolves_against_the_working_directory(tmp_path, monkeypatch):
    # An organisation's repository with its own copy of a shipped pack at the top: run from
    # there, `extends = "vn-base"` took that copy as the parent; run from anywhere else, the
    # shipped pack. The docs say: a shipped id, or a path relative to the pack's folder.
    decoy = tmp_path / "vn-base"
    decoy.mkdir()
    (decoy / "pack.toml").write_text(
        'id = "decoy"\nname = { vi = "x", en = "x" }\nversion = "9"\n', "utf-8"
    )
    ours = tmp_path / "packs" / "ours"
    (ours / "rules").mkdir(parents=True)
    (ours / "pack.toml").write_text(
        'id = "ours"\nname = { vi = "x", en = "x" }\nversion = "1"\nextends = "vn-base"\n',
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert policy.load_pack(ours).extends == "vn-base"
    (ours / "pack.toml").write_text(
        'id = "ours"\nname = { vi = "x", en = "x" }\nversion = "1"\nextends = "../../vn-base"\n',
        "utf-8",
    )
    assert policy.load_pack(ours).extends == "decoy"  # a relative path still works


def test_unknown_pack_lists_shipped_packs(tmp_path):
    err = load_error(tmp_path / "nothing-here")
    assert "shipped packs:" in err.message


def test_pack_never_half_loads(tmp_path):
    folder = write_pack(tmp_path)
    good = policy.load_pack(folder)
    (folder / "rules" / "state-secret" / "zz-broken.toml").write_text("code = ", "utf-8")
    load_error(folder)
    assert len(good.rules) == 1  # the earlier Pack object is untouched


def test_files_saved_with_a_byte_order_mark_load(tmp_path):
    """Windows editors (Notepad) save UTF-8 with a byte-order mark; tomllib rejects it as an
    "Invalid statement" at line 1, which says nothing of the cause. The pack reads as without."""
    folder = write_pack(tmp_path, matcher='phrases_file = "words.txt"')
    (folder / "words.txt").write_text("\ufefftài liệu mật\n", "utf-8")
    for path in (folder / "pack.toml", folder / "rules" / "state-secret" / "thing.toml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    pack = policy.load_pack(folder)
    assert pack.id == "tmp-pack"
    assert pack.rules[0].spec["phrases"] == ["tài liệu mật"]
    assert [f.text for f in policy.Linter(pack).check("gửi tài liệu mật")] == ["tài liệu mật"]


def test_a_rule_key_written_under_a_table_says_where_it_belongs(tmp_path):
    # `frames` after [[legal_basis]] is part of that table in TOML; the error said only that
    # [[legal_basis]] has no key `frames`, as if `frames` were not a rule key at all.
    rule = RULE.format(type_="phrases", matcher='phrases = ["tài liệu mật"]') + (
        'frames = ["negation"]\n'
    )
    folder = write_pack(tmp_path, rule=rule)
    err = load_error(folder)
    assert "unknown key `frames` in [[legal_basis]]" in err.message
    assert "move it above the first [table] header" in err.message
    assert err.line == line_of(folder / "rules" / "state-secret" / "thing.toml", "frames =")


def test_a_phrase_without_letters_is_reported_at_its_line(tmp_path):
    # A rule's was reported at line 1 of its file; a frame's at the pack *folder*, line 1.
    rule = RULE.format(type_="phrases", matcher='phrases = ["tài liệu mật",\n  "..."]')
    folder = write_pack(tmp_path, rule=rule)
    err = load_error(folder)
    path = folder / "rules" / "state-secret" / "thing.toml"
    assert (err.path, err.line) == (str(path), line_of(path, '"..."'))
    assert "no letters or digits" in err.message

    frame = '[frames.stated]\nphrases = ["quy định",\n  "--"]\n'
    rule = RULE.format(type_="phrases", matcher='phrases = ["tài liệu mật"]\nframes = ["stated"]')
    folder = write_pack(tmp_path / "framed", rule=rule, pack_extra=frame)
    err = load_error(folder)
    toml = folder / "pack.toml"
    assert (err.path, err.line) == (str(toml), line_of(toml, '"--"'))
    assert "frame stated" in err.message


def test_a_file_saved_in_a_windows_code_page_is_reported_at_the_line(tmp_path):
    # Notepad's "ANSI" for a Vietnamese message (bytes such as 0xE0 for "à"): the error said
    # "file is not valid UTF-8" at line 1.
    folder = write_pack(tmp_path)
    path = folder / "rules" / "state-secret" / "thing.toml"
    raw = path.read_bytes().replace(b'vi = "x {match}"', b'vi = "T\xe0i li\xeau {match}"')
    path.write_bytes(raw)
    err = load_error(folder)
    line = next(i for i, t in enumerate(raw.split(b"\n"), 1) if t.startswith(b"message ="))
    assert (err.path, err.line) == (str(path), line)
    assert "not valid UTF-8" in err.message

    listed = write_pack(tmp_path / "listed", matcher='phrases_file = "words.txt"')
    (listed / "words.txt").write_bytes(b"# phrases\nt\xe0i li\xeau m\xe2t\n")
    err = load_error(listed)
    assert (err.path, err.line) == (str((listed / "words.txt").resolve()), 2)
    assert "not valid UTF-8" in err.message


def test_severity_on_a_good_example_is_refused_at_its_line(tmp_path):
    # Ignored before: the example then failed as a false positive on an info finding, with
    # nothing to say that `severity` means nothing on a good example.
    matcher = 'phrases = ["x"]\n[[examples]]\ngood = "x"\nseverity = "info"'
    folder = write_pack(tmp_path, matcher=matcher)
    err = load_error(folder)
    assert "`severity` applies to bad examples only" in err.message
    rule_file = folder / "rules" / "state-secret" / "thing.toml"
    assert err.line == line_of(rule_file, 'severity = "info"')


def test_hidden_files_in_rules_are_not_rules(tmp_path):
    # emacs's lock while a buffer is modified (a dangling link) and macOS's AppleDouble file
    # failed the whole pack: "cannot read file", "not valid UTF-8".
    folder = write_pack(tmp_path)
    rules = folder / "rules" / "state-secret"
    (rules / ".#thing.toml").symlink_to("user@host.1234:1700000000")
    (rules / "._thing.toml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (folder / "rules" / ".trash").mkdir()
    (folder / "rules" / ".trash" / "old.toml").write_text("not = [a rule", "utf-8")
    pack = policy.load_pack(folder)
    assert [r.code for r in pack.rules] == ["SEC001"]
    assert not any(Path(f).name.startswith(".") for f in pack.files)
