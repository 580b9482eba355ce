"""Any gap between words within a line is one gap: a tab, a no-break or typographic space, or a
run of them.

Editors put them into drafts unasked: Facebook's composer types a no-break space for a second
space (the extension reads it as a space: two in a row), Word and macOS (Option-Space) insert
them, text pasted from a PDF or a spreadsheet brings tabs and thin spaces, and people type two
spaces. A draft must get the same findings whichever of them separates its words.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

import policy
from policy.normalize import LINE_SPACES, normalize

LINTER = policy.Linter(policy.load_pack(), include_preview=True)
# Every example of the default pack (its own rules and those it extends): drafts with and without
# problems, written with diacritics, without them, in teencode and in English.
EXAMPLES = sorted({ex.text for rule in LINTER.pack.rules for ex in rule.examples})

SEPARATORS = {
    "no-break space": "\u00a0",
    "tab": "\t",
    "narrow no-break space": "\u202f",
    "thin space": "\u2009",
    "ideographic space": "\u3000",
}


def _found(text: str) -> list[tuple[str, int, int]]:
    return [(f.code, f.start, f.end) for f in LINTER.check(text)]


def test_the_examples_are_a_real_sample():
    assert len(EXAMPLES) > 500
    assert sum(bool(_found(text)) for text in EXAMPLES) > 300


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_every_example_finds_the_same_with_other_spaces(sep):
    # One for one: the same findings at the same offsets.
    differ = [text for text in EXAMPLES if _found(text.replace(" ", sep)) != _found(text)]
    assert not differ, f"{len(differ)} examples differ, e.g. {differ[:3]!r}"


RUNS = {"two spaces": "  ", "space and tab": " \t", "no-break space and space": "\u00a0 "}


def _found_words(text: str) -> list[tuple[str, str]]:
    result = LINTER.check(text)
    for f in result:
        assert text[f.start : f.end] == f.text and f.text == f.text.strip()
    return [(f.code, " ".join(f.text.split())) for f in result]


@pytest.mark.parametrize("run", RUNS.values(), ids=RUNS.keys())
def test_every_example_finds_the_same_with_runs_of_spaces(run):
    # Offsets move with the wider gaps: the same rules over the same words.
    differ = [
        text for text in EXAMPLES if _found_words(text.replace(" ", run)) != _found_words(text)
    ]
    assert not differ, f"{len(differ)} examples differ, e.g. {differ[:3]!r}"


def test_a_run_of_spaces_is_one_gap_that_maps_back_whole():
    view = normalize("TOP  SECRET\u00a0\t cable")
    assert view.text == "TOP SECRET cable"
    assert view.gaps == {3: 2, 10: 3}
    assert view.source_span(0, 10) == (0, 11)
    assert view.source_span(3, 4) == (3, 5)
    assert view.source_span(11, 16) == (14, 19)


def test_spelled_out_letters_keep_their_word_break_after_the_collapse():
    # The wider gap between spelled-out words still splits them once the run is one space.
    assert [f.code for f in LINTER.check("đ ị t  m ẹ nha")] == ["OFF001"]
    found = LINTER.check("b á n  v i a  f b nha")
    assert "ACC007" in {f.code for f in found}
    assert all(f.text == "b á n  v i a" for f in found)


def test_a_phrase_split_by_a_no_break_space_is_found_in_the_draft_as_typed():
    text = "Cần bán\u00a0tài khoản Facebook cổ, ib mình"
    findings = LINTER.check(text)
    assert [f.category for f in findings] == ["account-trading"]
    assert "bán\u00a0tài khoản" in findings[0].text  # offsets are the draft's own


def test_an_explained_rule_stays_quiet_with_other_spaces():
    # Exceptions and frames read the same gaps: advice is still advice.
    for sep in SEPARATORS.values():
        assert _found("Không được bán tài khoản nhé mọi người".replace(" ", sep)) == []


def test_normalised_view_has_plain_spaces_one_for_one():
    text = "a\u00a0b\tc\u2009d\u3000e\nF\r\nG"
    view = normalize(text)
    assert view.text == "a b c d e\nF\r\nG"  # line breaks stay (a new line: capitals)
    assert view.starts is None and view.gaps is None  # char for char: no map needed
    assert all(ch.isspace() for ch in LINE_SPACES)


def test_a_view_with_spaces_and_composed_marks_maps_back():
    text = "ca\u0301\u00a0bn"  # NFD "cá" then a no-break space
    view = normalize(text)
    assert view.text == "cá bn"
    assert view.source_span(0, 2) == (0, 3)
    assert view.source_span(2, 3) == (3, 4)
    assert view.source_span(3, 5) == (4, 6)


# A line break inside a sentence reads as a space: people posting from a phone press Enter in
# mid-sentence. The line before ends with a letter or digit, the next starts in lower case.
RUN_ON = {
    "bán\ntài khoản": ("Cần bán\ntài khoản TikTok 20k follow, giá hạt dẻ, ib mình", "ACC001"),
    "mật\nkhẩu là": ("tài khoản của mẹ, mật\nkhẩu là 246810, đăng nhập giúp mẹ", "CRD001"),
    "điện\nmật": ("Sáng nay nhận được điện\nmật từ Bộ về việc rút nhân viên", "SEC002"),
    "CRLF and spaces": ("Cần bán \r\n tài khoản TikTok 20k follow, giá hạt dẻ", "ACC001"),
    "NFD": (unicodedata.normalize("NFD", "Cần bán\ntài khoản TikTok, giá 2tr"), "ACC001"),
}


@pytest.mark.parametrize("draft, code", RUN_ON.values(), ids=RUN_ON.keys())
def test_a_line_break_inside_a_sentence_reads_as_a_space(draft, code):
    assert code in {f.code for f in LINTER.check(draft)}
    assert _found(draft) == _found(re.sub(r" *\r?\n *", lambda m: " " * len(m.group()), draft))


# A heading, a list item or a new sentence starts with a capital, a digit or a bullet, or follows
# a colon or a full stop: the break stays, and joining the lines would make phrases the writer
# never wrote ("Bán" heading + "Tài khoản nhận cọc: …" line is not "bán tài khoản").
KEPT = [
    "Thanh lý đồ cũ, ai cần thì nhắn:\nBán\nTài khoản nhận cọc: MB Bank, chủ tk Nguyễn Lan",
    "Cần bán\nTài khoản TikTok 20k follow, giá hạt dẻ",
    "Việc cần làm:\n- bán xe cũ\n- tài khoản ngân hàng: đổi mật khẩu",
    "Cần bán:\ntài khoản ngân hàng nhận cọc ghi ở dưới",
    "Cần bán.\ntài khoản TikTok thì mình không bán",
]


@pytest.mark.parametrize("draft", KEPT)
def test_a_heading_or_list_keeps_its_line_break(draft):
    view = normalize(draft)
    assert view.text.count("\n") == draft.count("\n")
    assert "ACC001" not in {f.code for f in LINTER.check(draft)}
