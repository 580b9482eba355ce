"""Vietnamese identity numbers: CCCD (12 digits, province + century codes), CMND (9), passports."""

from __future__ import annotations

import re

from ._base import Detector, DetectorInput, Spans, any_word, digits_of

# Province/city codes of the 12-digit citizen ID (Circular 07/2016/TT-BCA, Annex).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 "
    "036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 "
    "074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)

_TWELVE = re.compile(r"(?<![\w.,-])\d(?:[ .-]?\d){11}(?![\w]|[.,-]\d)")
_NINE = re.compile(r"(?<![\w.,-])\d(?:[ .-]?\d){8}(?![\w]|[.,-]\d)")
_ID_CONTEXT = any_word(
    "cccd|cmnd|cmt|can cuoc|chung minh|dinh danh|so id|id card|citizen id|national id|"
    "identity card|the can cuoc"
)
# Vietnamese passports are one letter + 7 digits; many others one or two letters + 7–8 digits.
# Numbers that are plainly something else: tracking, order, invoice, tax, account numbers.
_OTHER_NUMBER = any_word(
    "van don|ma don|don hang|ma giao dich|ma gd|hoa don|ma so thue|mst|stk|so tai khoan|"
    "tai khoan|ma van chuyen|tracking|order|invoice|ma tra cuu|so hieu|ma ho so|ma bhxh|bhyt"
)
_PASSPORT = re.compile(r"(?<![\w])[A-Za-z]{1,2}\s?\d{7,8}(?![\w])")
_PASSPORT_WORDS = "ho chieu|passport|passport no|hc so|so hc"
_PASSPORT_CONTEXT = any_word(_PASSPORT_WORDS)


def valid_cccd(digits: str) -> bool:
    """A 12-digit citizen ID with a real province code and a century/gender digit for 1900–2099."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    if digits[:3] not in PROVINCE_CODES or digits[3] not in "0123":
        return False
    return len(set(digits[6:])) > 1  # 000000 serials are placeholders, not people


def _national_id(inp: DetectorInput, options: dict) -> Spans:
    require = options.get("require_context", False)
    # Only runs with enough digits for the pattern can hold a match (see digit_windows).
    for m in inp.finditer(_TWELVE, inp.digit_windows(12)):
        digits = digits_of(m.group())
        if not valid_cccd(digits):
            continue
        if inp.near(_ID_CONTEXT, *m.span()):
            yield m.span()
        elif not require and not inp.near(_OTHER_NUMBER, *m.span(), before=30, after=0):
            yield m.span()
    if options.get("cmnd", True):
        for m in inp.finditer(_NINE, inp.digit_windows(9)):
            digits = digits_of(m.group())
            # Old 9-digit ID cards carry no checkable structure: only trust them next to ID words.
            if len(set(digits)) > 1 and inp.near(_ID_CONTEXT, *m.span()):
                yield m.span()


def _passport(inp: DetectorInput, options: dict) -> Spans:
    for m in inp.finditer(_PASSPORT, inp.digit_windows(7)):  # 7+ digits (see digit_windows)
        if inp.near(_PASSPORT_CONTEXT, *m.span()):
            yield m.span()


NATIONAL_ID = Detector(
    "vn-national-id",
    _national_id,
    frozenset({"require_context", "cmnd"}),
    "CCCD 12 digits (province + century codes) or CMND 9 digits near ID words",
)
PASSPORT = Detector(
    "passport-number",
    _passport,
    frozenset(),
    "a letter and 7 digits near 'hộ chiếu' / 'passport'",
    needs=tuple(_PASSPORT_WORDS.split("|")),  # (a number counts only near one of them)
)
