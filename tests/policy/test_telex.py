"""Drafts typed with the Vietnamese keyboard off: Telex keys left in the words ("maajt khaaur").

They read as the bare syllables they spell, and only such drafts do: English words that look
like syllables with a letter dropped ("box", "her", "down") never start the rewrite.
"""

from __future__ import annotations

import pytest

import policy
from policy import telex
from policy.normalize import normalize

LINTER = policy.Linter(policy.load_pack(), include_preview=True)


@pytest.mark.parametrize(
    ("word", "plain"),
    [
        ("maajt", "mat"),  # mật: aa + tone j
        ("khaaur", "khau"),  # khẩu
        ("taif", "tai"),  # tài
        ("lieeuj", "lieu"),  # liệu
        ("cafn", "can"),  # the tone key before the final consonant
        ("khoanr", "khoan"),  # khoản
        ("nhowf", "nho"),  # nhờ
        ("ddi", "di"),  # đi
        ("mats", "mat"),  # a slip for "maajt": still the syllable
        ("MAAJT", "MAT"),
        ("khoan", None),  # a plain syllable already
        ("xoong", None),  # "oo" of a real word
        ("pass", None),  # two tone keys: not a syllable
        ("facebook", None),
    ],
)
def test_decode(word, plain):
    assert telex.decode(word) == plain


@pytest.mark.parametrize(
    ("draft", "code", "span"),
    [
        ("ai co ban scan taif lieeuj maajt hop hom qua gui e voi", "SEC001", "taif lieeuj maajt"),
        ("maajt khaaur wifi nhaf minhf laf 88886666 nha", "CRD001", "88886666"),
        ("cafn baans taif khoanr facebook coor, inbox gias", "ACC001", "cafn baans taif khoanr"),
    ],
)
def test_a_telex_draft_is_read_as_the_syllables_it_spells(draft, code, span):
    found = {f.code: f for f in LINTER.check(draft)}
    assert code in found
    f = found[code]
    assert (f.text, draft[f.start : f.end]) == (span, span)  # spans are the draft's own words


@pytest.mark.parametrize(
    "draft",
    [
        "kill them all, burn it down",  # English words that read as syllables ("bun", "don")
        "the box is on her door, check it now",
        "Time to take to the streets and burn down their headquarters",
        "met qua gio chi muon di ngu thoi",  # undiacritised Vietnamese, no keys
        "hix hix, mai thi roi ma chua hoc gi",  # teencode
        "please send the maajt khaaur, it is on the list",  # English function words
    ],
)
def test_other_drafts_are_left_as_typed(draft):
    assert telex.leftovers(draft) is None
    assert normalize(draft, telex_keys=True).text == normalize(draft).text


@pytest.mark.parametrize(
    ("word", "marked"),
    [
        ("bans", "bán"),
        ("baans", "bấn"),  # "aa" is â: Telex spells what was typed
        ("tafi", "tài"),
        ("khoanr", "khoản"),
        ("duwj", "dự"),
        ("thaor", "thảo"),
        ("xuoongs", "xuống"),
        ("dduowngf", "đường"),
        ("nguowif", "người"),
        ("hoaf", "hòa"),  # the tone where the pack's phrases carry it (canonical_tones)
        ("ngoaif", "ngoài"),
        ("quys", "quý"),
        ("Maajt", "Mật"),
        ("khoan", None),
    ],
)
def test_spell(word, marked):
    assert telex.spell(word) == marked


def test_telex_words_in_a_draft_typed_with_marks_read_as_the_marked_syllables():
    # The keyboard went off for a few words: they read as what they spell, with their marks,
    # so the exact matching of a marked draft finds them.
    draft = "Mình đang cần bans tafi khoanr facebook cổ, ai cần ib"
    assert telex.leftovers(draft) is None
    assert (
        normalize(draft, telex_keys=True).text
        == "Mình đang cần bán tài khoản facebook cổ, ai cần ib"
    )
    found = {f.code: f for f in LINTER.check(draft)}
    assert found["ACC001"].text == "cần bans tafi khoanr"
    draft = "Chụp màn hình bản duwj thaor sáp nhập phòng đây, anh chị xem nhé"  # dự thảo
    assert "INT005" in {f.code for f in LINTER.check(draft)}
    draft = "Mật khẩu wifi nhaf minhf laf 88886666"
    assert normalize(draft, telex_keys=True).text == "Mật khẩu wifi nhà mình là 88886666"


@pytest.mark.parametrize(
    "draft",
    [
        "Theo AFP, cựu Thủ tướng Pháp vừa qua đời ở tuổi 90.",  # an acronym
        "Đoàn ở khách sạn Taj Palace, gần trung tâm",  # one word alone: a name
        "Ông trưởng phòng họp gì mà toàn nói nhảm, stupid af",  # slang
        "Mọi người góp ý tại https://moj.gov.vn nhé",  # inside an address
        "Link họp: https://meet.google.com/abc-defg-hij nhé cả nhà",
        "Mình cần bán tài khoản, không, đùa thôi, please send the maajt khaaur to me",  # English
    ],
)
def test_a_marked_draft_is_left_as_typed_without_a_run_of_telex_words(draft):
    assert telex.in_marked_draft(draft) is None
    assert normalize(draft, telex_keys=True).text == normalize(draft).text


def test_a_draft_with_one_telex_word_is_left_as_typed():
    # One slip is a typo, not a keyboard left off: "taif" alone could be anything.
    assert telex.leftovers("ban scan taif lieu mat hop hom qua") is None


def test_rule_phrases_are_not_rewritten():
    assert normalize("maajt khaaur laf").text == "maajt khaaur laf"
    assert normalize("maajt khaaur laf", telex_keys=True).text == "mat khau la"


def test_two_telex_words_one_with_a_key_english_never_has_are_enough():
    # "baans" ("aa") alone carries the key English lacks; "coor" and "gias" spell syllables too.
    draft = "baans tk fb coor 2015 full bm, inb gias"
    assert [w for _, _, w in telex.leftovers(draft)] == ["ban", "co", "gia"]
    assert "ACC001" in {f.code for f in LINTER.check(draft)}
    assert telex.leftovers("otp laf 558201 nhes") is not None


def test_vni_digits_left_in_an_unmarked_draft_read_as_the_syllables():
    # VNI types the marks as digits after the letters: with the input method off they stay.
    draft = "ba1n tk fb co63 2016, gia1 300k, ai ca62n ib"
    assert normalize(draft, telex_keys=True).text == "ban tk fb co 2016, gia 300k, ai can ib"
    assert "ACC001" in {f.code for f in LINTER.check(draft)}
    draft = "ma65t kha63u email co6ng vu5 cu3a pho2ng la2 Hanoi@2026"
    assert "CRD001" in {f.code for f in LINTER.check(draft)}


@pytest.mark.parametrize(
    "draft",
    [
        "Cum H1N1 va covid19 dang quay lai, bang A1 B2 van hoc duoc",  # codes, licence classes
        "Lop 12a1 di hoc, phong a2 tang 3",  # digits at the end only
        "mua iphone15 o dau re nhi",
        "Bán xe ba1n đời cũ",  # marked draft: not read as VNI
        "the ba1n is on the list for me",  # English function words
    ],
)
def test_other_digits_in_words_are_left_as_typed(draft):
    assert telex.vni_leftovers(draft) is None
