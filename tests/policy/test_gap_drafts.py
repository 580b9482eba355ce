"""Drafts the shipped packs used to miss (the matcher gaps), checked end to end like rule examples."""

from __future__ import annotations

import pytest

import policy

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
