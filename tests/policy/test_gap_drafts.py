"""Drafts the shipped packs used to miss (the matcher gaps), checked end to end."""

from __future__ import annotations

import pytest

import policy
from policy.engine import _Words
from policy.normalize import fold

LINTER = policy.Linter(policy.load_pack(None))


def marked(text: str, code: str) -> list[str]:
    return [text[f.start : f.end] for f in LINTER.check(text) if f.code == code]


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        # Phone numbers typed digit by digit with wide separators.
        (
            "0 9 8 8 - 4 4 1 - 7 2 3 là số ông bán hàng lươn lẹo đó nha mn",
            "PDP003",
            ["0 9 8 8 - 4 4 1 - 7 2 3"],
        ),
        (
            "sđt thằng lừa đảo: 0 3 6 7 . 2 2 1 . 8 9 0, quê Thái Bình",
            "PDP003",
            ["0 3 6 7 . 2 2 1 . 8 9 0"],
        ),
        ("Kết quả: đội A thắng 3 - 0, đội B hòa 1 - 1, lịch đá từ 8 - 10 giờ", "PDP003", []),
    ],
)
def test_gap_drafts(text, code, expected):
    assert marked(text, code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "link gg drive tài liệu ôn thi: drive-google.com.document-share.ru/d/18xQ",
            ["drive-google.com.document-share.ru/d/18xQ"],
        ),
        (
            "Thông báo: xác nhận tài khoản tại vietcombank.com.vn.secure-login.xyz trước 17h",
            ["vietcombank.com.vn.secure-login.xyz"],
        ),
        ("Tra cứu tại https://vietcombank.com.vn/ hoặc mail.google.com nhé", []),
    ],
)
def test_trusted_domain_in_front_of_another(text, expected):
    found = [text[f.start : f.end] for f in LINTER.check(text) if f.category == "unsafe-link"]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # Titles and initials inside a sentence.
        ("anh T. nói rằng sẽ đi", 1),
        ("ông N.V.A. cho biết là xong", 1),
        ("ông N. V. A. cho biết", 1),
        ("TS. Nguyễn Văn A nói", 1),
        ("PGS.TS. Trần B nói", 1),
        ("Th.S. Lê C nói", 1),
        ("ThS. Lê C nói", 1),
        ("BS. Hùng khám", 1),
        ("TS. H. Nam nói", 1),
        ("Đ/c H. phát biểu", 1),
        ("He met Mr. T. Smith today", 1),
        # A lone letter without a name word before it still ends its sentence.
        ("Uống vitamin C. Sau đó ngủ", 2),
        ("Xếp hạng A. Tôi vui", 2),
        ("Thế à. Mai đi", 2),
        ("Tôi là A. Anh là B. Xong", 3),
        ("It took months. Then it ended", 2),
        ("chị H. kể. Rồi đi", 2),
    ],
)
def test_abbreviations_do_not_end_the_sentence(text, sentences):
    folded = fold(text)
    assert _Words(folded).sentence(len(folded) - 1) + 1 == sentences


def test_initial_keeps_the_sentence_for_context():
    # INT002 needs its context in the same sentence: "anh T." no longer splits it.
    text = "Quyết định kỷ luật anh T. vụ Lãnh sự đã ký nhưng chưa công bố, cảnh cáo nhé"
    assert marked(text, "INT002") == ["kỷ luật anh T. vụ Lãnh sự đã ký nhưng chưa công bố"]
