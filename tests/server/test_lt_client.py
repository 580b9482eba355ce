"""A real LanguageTool client from PyPI (`language_tool_python`) talks to the running service.

With `remote_server=` the client only makes HTTP calls to that server: it never downloads or
starts LanguageTool (the test would fail without network if it tried).
"""

from __future__ import annotations

import pytest

language_tool_python = pytest.importorskip("language_tool_python")

from tests.server.helpers import SPEC, ServerProcess  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with ServerProcess("--workers", "2", *(["--pack", SPEC] if SPEC else [])) as running:
        yield running


@pytest.fixture()
def tool(server):
    client = language_tool_python.LanguageTool("vi-VN", remote_server=server.url + "/")
    yield client
    client.close()


def test_client_does_not_fetch_languagetool(tool):
    assert tool.is_remote
    assert tool._local_language_tool is None  # no download, no local Java server


def test_client_gets_matches_with_code_point_offsets(tool, bad):
    prefix = "Tin vui 🎉🎉 "  # astral: the client converts our UTF-16 offsets back itself
    text = prefix + bad.text
    matches = tool.check(text)
    match = next(m for m in matches if m.rule_id == bad.code)
    assert match.offset == len(prefix) + bad.start
    assert text[match.offset : match.offset + match.error_length] == bad.text[bad.start : bad.end]
    assert match.message and match.category and match.rule_issue_type
    assert match.sentence


def test_client_rule_and_category_switches(tool, bad, two_categories):
    tool.disabled_rules = {bad.code}
    assert bad.code not in {m.rule_id for m in tool.check(bad.text)}
    tool.disabled_rules = set()
    first, other = two_categories
    tool.enabled_rules = {other.code}
    tool.enabled_rules_only = True
    assert {m.rule_id for m in tool.check(first.text + "\n" + other.text)} == {other.code}


def test_client_applies_suggestions(tool, bad_examples):
    for example in bad_examples:
        matches = tool.check(example.text)
        if len(matches) == 1 and matches[0].replacements:
            break
    else:
        pytest.skip("no example in this pack has a single finding with a replacement")
    (match,) = matches
    end = match.offset + match.error_length
    expected = example.text[: match.offset] + match.replacements[0] + example.text[end:]
    assert tool.correct(example.text) == expected


def test_english_client(server, bad):
    with language_tool_python.LanguageTool("en-US", remote_server=server.url + "/") as tool:
        assert any(m.rule_id == bad.code for m in tool.check(bad.text))


def test_client_with_languagetools_own_settings(server, bad):
    """The client's settings as a LanguageTool user has them: `language=auto`, `level=picky`,
    `motherTongue`, `preferredVariants` and LanguageTool's own category ids to enable (which
    enable nothing here, as in LanguageTool for ids it does not have)."""
    with language_tool_python.LanguageTool("auto", remote_server=server.url + "/") as tool:
        tool.picky = True
        tool.mother_tongue = "vi"
        tool.preferred_variants = {"en-US"}
        tool.enabled_categories = {"CASING", "TYPOS"}
        tool.disabled_categories = {"STYLE"}
        assert any(m.rule_id == bad.code for m in tool.check(bad.text))
